"""Export formats: a registry from format name to the function that writes it.

``gridmap export --format NAME`` looks the name up here, so new outputs
(maps, atlases, Word annexes, web maps) plug in with one
:func:`register_format` call and no change to the command.  Functions are
named as ``"module:function"`` and imported only when used, which keeps
``gridmap export --format csv`` from importing a PDF renderer.

An exporter is called as ``func(plan, out, **options)`` and returns an
:class:`ExportResult`; it takes the options it understands as keyword
arguments and ignores the rest (``**_``).  Options the CLI passes:
``encoding``, ``crs``, ``tables``, ``zip``, ``project_path``.

>>> sorted(EXPORT_FORMATS)[:4]
['atlas', 'csv', 'docx', 'dxf']
>>> EXPORT_FORMATS["shp"].target
'dir'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ExportFormat", "ExportResult", "EXPORT_FORMATS", "register_format", "export_plan", "exporter"]


@dataclass
class ExportResult:
    """Files written and what could not be kept (e.g. characters GBK cannot hold)."""

    paths: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def extend(self, other: "ExportResult") -> "ExportResult":
        self.paths += other.paths
        self.warnings += other.warnings
        return self


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, the ``"module:function"`` that writes it,
    whether OUT is a file or a folder, the file suffix, and a help line."""

    name: str
    func: str
    target: str = "file"          # "file" or "dir"
    suffix: str = ""
    help: str = ""


EXPORT_FORMATS: dict[str, ExportFormat] = {}


def register_format(name: str, func: str, target: str = "file", suffix: str = "", help: str = "") -> None:
    """Add (or replace) an export format.

    >>> register_format("demo", "gridmap.core.exchange.formats:export_gpkg", suffix=".gpkg")
    >>> EXPORT_FORMATS.pop("demo").suffix
    '.gpkg'
    """
    if target not in ("file", "dir"):
        raise ValueError("target must be 'file' or 'dir'")
    EXPORT_FORMATS[name] = ExportFormat(name, func, target, suffix, help)


def exporter(name: str):
    """The function that writes format ``name``."""
    try:
        fmt = EXPORT_FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; formats: {', '.join(sorted(EXPORT_FORMATS))}") from None
    module, _, func = fmt.func.partition(":")
    return getattr(importlib.import_module(module), func)


def export_plan(plan, fmt: str, out, **options) -> ExportResult:
    """Write ``plan`` as format ``fmt`` to ``out`` (a file or folder, see the format's target)."""
    return exporter(fmt)(plan, Path(out), **options)


_EX = "gridmap.core.exchange"
register_format("shp", f"{_EX}.shapefile:export_shapefiles", "dir", "",
                "shapefiles, one per layer (.prj in Esri WKT, .cpg, field map); --zip or OUT.zip for a zip")
register_format("gpkg", f"{_EX}.formats:export_gpkg", "file", ".gpkg", "GeoPackage of flat layers and tables")
register_format("geojson", f"{_EX}.formats:export_geojson", "dir", "",
                "GeoJSON (RFC 7946, WGS84), one file per layer")
register_format("kml", f"{_EX}.formats:export_kml", "file", ".kml",
                "KML/KMZ for Google Earth / 奥维, names and roles in the description")
register_format("dxf", f"{_EX}.formats:export_dxf", "file", ".dxf", "DXF of grid boundaries for CAD users")
register_format("xlsx", f"{_EX}.tables:export_xlsx", "file", ".xlsx",
                "official annex tables in one workbook (--tables chooses which)")
register_format("csv", f"{_EX}.tables:export_csv", "dir", "",
                "official annex tables as CSV (UTF-8 with BOM), one file per table")
# official outputs (annex map, map book, Word annex, web map): gridmap.core.outputs
_OUT = "gridmap.core.outputs.exporters"
register_format("pdf", f"{_OUT}:export_pdf", "file", ".pdf", "annex map as vector PDF (selectable Chinese text)")
register_format("png", f"{_OUT}:export_png", "file", ".png", "annex map as PNG (--dpi, default 300)")
register_format("tiff", f"{_OUT}:export_tiff", "file", ".tif", "annex map as TIFF (--dpi, default 300)")
register_format("atlas", f"{_OUT}:export_atlas", "file", ".pdf",
                "map book: contents page and one page per grid (PDF)")
register_format("docx", f"{_OUT}:export_docx", "file", ".docx",
                "Word annex: division table and the annex map as a figure")
register_format("html", f"{_OUT}:export_html", "file", ".html", "offline web map (one HTML file, no internet needed)")
