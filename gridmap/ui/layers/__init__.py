"""Map layers: what the canvas draws, bottom to top.

Every layer renders itself into a ``QImage`` in a worker thread
(:meth:`MapLayer.render`) for one :class:`~gridmap.core.view.viewport.Viewport`, checking
the job's cancel flag between features.  Data a layer needs is loaded and
reprojected to the project CRS once (:meth:`MapLayer.load`, also in a worker).
"""

from .base import MapLayer, RenderContext
from .vector import FeatureLayer, GridLayer, VectorFileLayer, layer_from_record

__all__ = ["MapLayer", "RenderContext", "FeatureLayer", "GridLayer", "VectorFileLayer", "layer_from_record"]
