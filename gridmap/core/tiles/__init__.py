"""Map tiles without Qt: tile grids (XYZ Web Mercator and WMTS matrix sets such as
Tianditu's ``c``/EPSG:4490), URL templates and keys, WMTS capabilities, the disk
cache and its policy, the back-off of a failing server, MBTiles reading/writing and
the offline download of an area (used by the app and by ``gridmap tiles``)."""

from .grid import (TileGrid, TileMatrix, expand_url, lonlat_to_tile, tile_bounds, tile_to_lonlat,
                   web_mercator_grid, zoom_for_resolution)

__all__ = ["TileGrid", "TileMatrix", "expand_url", "lonlat_to_tile", "tile_bounds", "tile_to_lonlat",
           "web_mercator_grid", "zoom_for_resolution"]
