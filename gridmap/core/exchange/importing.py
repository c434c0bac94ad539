"""Importing a foreign file into an open plan: as a base layer, or as grids of a level.

The file is read once with everything :func:`~gridmap.core.exchange.readers.read_layer`
knows (encoding detection or override, Esri .prj names, CRS guess or a declared
CRS, GCJ-02/BD-09 shift, repairs) and written as a clean GeoPackage in CGCS2000
beside the project, so the map, the checks and later sessions all see the same,
correctly decoded and positioned data — and the original file is never touched.

>>> import tempfile, geopandas as gpd, shapely
>>> d = tempfile.mkdtemp()
>>> gpd.GeoDataFrame({"name": ["路"]}, geometry=[shapely.LineString([(113.9, 22.5), (113.91, 22.5)])],
...                  crs=4326).to_file(f"{d}/road.geojson")
>>> out, report = convert_to_gpkg(f"{d}/road.geojson", f"{d}/imported")
>>> out.name, report.features
('road.gpkg', 1)
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from ..crs import CGCS2000
from ..messages import bi
from .readers import ReadReport, read_layer

__all__ = ["convert_to_gpkg", "grids_with_layer"]


def _safe_stem(text: str) -> str:
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", text).strip("._") or "layer"
    return stem[:80]


def convert_to_gpkg(path, out_dir, layer: str | None = None, *, encoding: str | None = None, crs=None,
                    repair: bool = False, name: str | None = None) -> tuple[Path, ReadReport]:
    """Read ``path`` (any format the readers know) and write ``out_dir/NAME.gpkg``
    (layer ``NAME``) in CGCS2000 (EPSG:4490).  An existing file of that name gets a
    numbered sibling instead of being overwritten."""
    from ..workers import cancel_point

    gdf, report = read_layer(path, layer, encoding=encoding, crs=crs, repair=repair)
    cancel_point()
    if gdf.crs is not None:
        gdf = gdf.to_crs(CGCS2000)
    cancel_point()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = _safe_stem(name or (f"{Path(path).stem}_{layer}" if layer else Path(path).stem))
    out = out_dir / f"{stem}.gpkg"
    n = 2
    while out.exists():
        out = out_dir / f"{stem}_{n}.gpkg"
        n += 1
    pyogrio.write_dataframe(gdf, out, layer=stem, driver="GPKG", dataset_options={"VERSION": "1.2"})
    return out, report


def grids_with_layer(plan, path, level: str, mapping: dict, layer: str | None = None, *,
                     encoding: str | None = None, crs=None, repair: bool = False):
    """The plan's grids table with a file's polygons added as grids of ``level``
    (``mapping``: code/name/parent/notes → source field), and notes on what was
    matched or not.  The plan is not changed: apply the table with
    ``ReplaceTable("导入网格", "grids", table)`` to make the import one undo step.
    """
    from .as_plan import FieldMapping, append_grids

    from ..workers import cancel_point

    gdf, report = read_layer(path, layer, encoding=encoding, crs=crs, repair=repair)
    cancel_point()                              # (Cancel of an import in the window: between the steps)
    if gdf.crs is not None:
        gdf = gdf.to_crs(plan.crs)
    cancel_point()
    probe = plan.copy()
    n, notes = append_grids(probe, gdf, FieldMapping(**{k: v for k, v in mapping.items() if v}), level,
                            source=str(path))
    return probe.grids, [*report.notes, f"{n} grids added", *notes]


def grids_onto(plan, new) -> tuple:
    """The plan's grids table now with ``new`` (grids read from a file for an earlier copy of
    the plan, :func:`grids_with_layer`) added: new ids where the plan has meanwhile taken
    theirs, and no parent where that parent has meanwhile gone.  Returns (table, notes).

    >>> from shapely import box
    >>> from gridmap.core.plan import Plan
    >>> plan = Plan.new("示例", crs="EPSG:4547", levels="two")
    >>> big = plan.add_grid(box(0, 0, 20, 10), "large", code="01", name="一片")
    >>> read = plan.copy(); new_id = read.add_grid(box(0, 0, 10, 10), "small", parent=big, name="甲")
    >>> _ = plan.add_grid(box(10, 0, 20, 10), "small", parent=big, name="乙")   # meanwhile, the same id
    >>> table, notes = grids_onto(plan, read.grids.loc[[new_id]])
    >>> table["name"].tolist(), table.index.is_unique, notes
    (['一片', '乙', '甲'], True, [])
    """
    import geopandas as gpd

    new = new.copy()
    notes: list[str] = []
    if not len(new):
        return plan.grids, notes
    taken = plan.grids.index
    if len(taken) and int(new.index.min()) <= int(taken.max()):
        start = int(taken.max()) + 1
        new.index = pd.Index(np.arange(start, start + len(new)), name=taken.name)
    gone = new["parent"].notna() & ~new["parent"].isin(taken)
    if gone.any():
        new.loc[gone, "parent"] = pd.NA
        notes.append(bi(f"{int(gone.sum())} 个网格的上级在导入期间被删除，已留空",
                        f"{int(gone.sum())} grid(s) lost their parent, deleted during the import: left empty"))
    table = gpd.GeoDataFrame(pd.concat([plan.grids, new]), geometry="geometry", crs=plan.grids.crs)
    return table, notes
