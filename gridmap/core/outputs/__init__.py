"""Official outputs (正式成果): annex maps (PDF/PNG/TIFF), a map book per grid,
a Word annex and an offline web map.  No Qt here: maps are drawn with
matplotlib, the Word file with python-docx, the web map with folium and a
vendored Leaflet.

==================  ==========================================================
module              what
==================  ==========================================================
``errors``          :class:`OutputError`, the one error type (one clear line)
``fonts``           a CJK TrueType font that PDFs can embed; missing-glyph check
``measure``         text extents from the font outlines
``options``         the options every output takes, parsed from a dict
``layout``          pages: A4/A3, orientation, binding margin, title block, frame
``scale``           round 1:N scales, CRS scale factor, scale bar, north arrow
``mapdata``         the plan in a metric CRS, base layers read from their files
``style``           level styles, fills, colouring neighbours apart
``labels``          collision-free label placement
``draw``            shapely geometries as matplotlib artists
``mapframe``        one map on a page: layers, labels, legend, scale, arrow, inset
``records``         people, units, segments and places per grid, as text
``sides``           四至 (E/S/W/N roads or neighbours) from geometry
``textblock``       wrapped text and ruled tables
``annex_map``       the annex map (附件示意图)
``atlas``           the map book (网格图册)
``docx``            the Word annex (划分表 + figure)
``webmap``          the offline web map (Leaflet inlined from ``assets/``)
``tests_support``   small made-up plans for doctests and tests
==================  ==========================================================

>>> sorted(WRITERS)
['atlas', 'docx', 'html', 'pdf', 'png', 'tiff']
"""

from __future__ import annotations

from .errors import OutputError
from .options import OutputOptions

__all__ = ["OutputError", "OutputOptions", "WRITERS", "write_output"]


def _annex(fmt):
    def write(plan, path, options=None):
        from .annex_map import save_annex_map

        return save_annex_map(plan, path, options, fmt)
    write.__name__ = f"write_{fmt}"
    write.__doc__ = f"Write the annex map as {fmt.upper()}."
    return write


def _atlas(plan, path, options=None):
    """Write the map book (multi-page PDF)."""
    from .atlas import save_atlas

    return save_atlas(plan, path, options)


def _docx(plan, path, options=None):
    """Write the Word annex (.docx)."""
    from .docx import save_docx

    return save_docx(plan, path, options)


def _html(plan, path, options=None):
    """Write the offline web map (.html)."""
    from .webmap import save_webmap

    return save_webmap(plan, path, options)


# format name → writer(plan, path, options: dict) returning a dict of facts
WRITERS = {"pdf": _annex("pdf"), "png": _annex("png"), "tiff": _annex("tiff"), "atlas": _atlas,
           "docx": _docx, "html": _html}


def write_output(plan, fmt: str, path, options: dict | None = None) -> dict:
    """Write ``plan`` as output ``fmt`` (one of :data:`WRITERS`) to ``path``."""
    if fmt not in WRITERS:
        raise OutputError(f"unknown output format {fmt!r}; formats: {', '.join(sorted(WRITERS))}")
    return WRITERS[fmt](plan, path, options)
