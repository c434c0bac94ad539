"""``gridmap check INPUT``: coverage and responsibility checks (全覆盖、无缝隙).

Contract (stable; scripts rely on it)::

    gridmap check INPUT [--layer NAME] [--code-field F] [--parent-field F]
                        [--boundary PATH[:LAYER]] [--json] [--out PROBLEMS.gpkg]
    gridmap check PLAN --fix RULES -o FIXED.gpkg [--force] [--max-gap-width M]

* INPUT is a gridmap project (every level, parent nesting, codes,
  responsibility, segments, places, workload) or any polygon file GDAL reads.
  With ``--layer``/``--code-field`` (or when INPUT is not a project) one layer
  is checked as one level: coverage, codes (missing, duplicate, not extending
  ``--parent-field``).  Without ``--code-field`` a field named code, grid_code,
  编码, 网格编码 or wgbm is used when present; grids without a code are named
  ``#N`` (N = 1-based feature number).
* ``--boundary`` names the jurisdiction (all its polygons, unioned); for a
  project it replaces the stored jurisdiction.
* ``--json`` prints one object: ``{"problems": [{"rule", "severity", "grids",
  "area_m2", "width_m", "x", "y"}, …], "summary": {rule: count}}``; x, y is a
  point on the problem in the input's CRS; areas are true m².
* ``--out`` writes the problems to a GeoPackage 1.2, one layer per geometry
  type: ``problems_point``, ``problems_line``, ``problems_polygon`` (columns rule, severity, grids, area_m2, width_m, x, y, title_zh,
  message_zh, message_en, detail).
* ``--fix RULES -o FIXED.gpkg`` (a gridmap project only): the problems of these
  rules (comma-separated ids, or ``all``) that can be fixed without creating a
  new one are fixed into a copy (:mod:`.check_fix`); the report says per rule
  what was fixed and why the rest was left; the copy is then checked.
* Exit status: 0 no error-severity problem, 1 some, 2 unusable input (one line
  on stderr).  With ``--fix``: the status of the fixed copy.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from . import UsageError

CODE_FIELDS = ("code", "grid_code", "gridcode", "编码", "网格编码", "wgbm")


def add_arguments(p) -> None:
    p.add_argument("input", metavar="INPUT", help="gridmap project (.gpkg) or any polygon file GDAL reads")
    p.add_argument("--layer", help="layer to check as one level (default: the first polygon layer)")
    p.add_argument("--code-field", dest="code_field", help="field holding the grid code")
    p.add_argument("--parent-field", dest="parent_field", help="field holding the parent grid's code")
    p.add_argument("--boundary", metavar="PATH[:LAYER]", help="jurisdiction boundary (polygons, unioned)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--out", metavar="PROBLEMS.gpkg", help="write the problems as a GeoPackage layer")
    p.add_argument("--rules", metavar="RULES", default=None,
                   help="只运行这些规则（逗号分隔，如 staffing,place_no_person） / run only these rules "
                        "(comma separated, e.g. staffing,place_no_person)")
    p.add_argument("--fix", metavar="RULES",
                   help="修复这些规则的问题（逗号分隔的规则编号，或 all），写入 -o 指定的副本 / fix the problems of "
                        "these rules (comma-separated rule ids, or all) into the copy named by -o")
    p.add_argument("-o", "--output", metavar="FIXED.gpkg",
                   help="修复后的方案副本（从不覆盖输入文件）/ the fixed copy of the plan (the input is never overwritten)")
    p.add_argument("--force", action="store_true", help="覆盖已存在的 -o 文件 / replace an existing -o file")
    p.add_argument("--month", metavar="YYYY-MM",
                   help="no_visit 检查的月份（默认台账中最近的月份） / the month the no_visit rule checks "
                        "(default: the ledger's latest month)")
    p.add_argument("--max-gap-width", dest="max_gap_width", type=float, default=30.0, metavar="M",
                   help="只并入宽度小于 M 米的缝隙（默认 30）/ merge only gaps narrower than M metres (default 30)")


# ---------------------------------------------------------------------------- reading foreign files
# Kept in these two functions so they can switch to gridmap.core.exchange later.

def read_layer(path: str, layer: str | None = None, code_field: str | None = None,
               parent_field: str | None = None):
    """(geometries, codes or None, parent codes or None, CRS, notes) of one polygon layer.

    Unreadable geometries become None (reported as ``invalid``); rings GDAL
    reads but that are not closed are closed and reported.
    """
    import numpy as np
    import pyogrio
    import shapely
    from pyproj import CRS

    if not os.path.exists(path):
        raise UsageError(f"{path}: " + _bi("文件不存在", "file not found"))
    if str(path).lower().endswith(".shp"):
        _shapefile_parts(path)
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:
        raise UsageError(f"{path}: " + _bi("不是可读的 GIS 文件（可能已损坏或格式不对）",
                                            "not a readable GIS file (damaged or of another format)")
                         + f" ({_one_line(exc)})") from None
    names = [str(n) for n, _ in layers]
    if layer is None:
        poly = [str(n) for n, t in layers if t and "Polygon" in str(t)]
        if not poly:
            poly = [str(n) for n, t in layers if t and str(t) not in ("None", "")]
        if not poly:
            raise UsageError(f"{path}: " + _bi(f"没有面图层（图层：{'、'.join(names) or '无'}）",
                                                f"no polygon layer (layers: {', '.join(names) or 'none'})"))
        layer = poly[0]
    elif layer not in names:
        raise UsageError(f"{path}: " + _bi(f"没有图层 {layer!r}（图层：{'、'.join(names)}）",
                                            f"no layer {layer!r} (layers: {', '.join(names)})"))
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:
        raise UsageError(f"{path}: " + _bi(f"图层 {layer!r} 无法读取", f"layer {layer!r} is unreadable")
                         + f" ({_one_line(exc)})") from None
    fields = [str(f) for f in info["fields"]]
    if code_field is None:
        code_field = next((f for f in fields if f.lower() in CODE_FIELDS), None)
    for label, f in (("--code-field", code_field), ("--parent-field", parent_field)):
        if f is not None and f not in fields:
            raise UsageError(f"{path}: " + _bi(f"图层 {layer!r} 没有 {label} 所指的字段 {f!r}（字段：{'、'.join(fields) or '无'}）",
                                                f"layer {layer!r} has no field {f!r} for {label} "
                                                f"(fields: {', '.join(fields) or 'none'})"))
    columns = [f for f in (code_field, parent_field) if f]
    try:
        meta, _, wkb, values = pyogrio.raw.read(path, layer=layer, columns=columns, return_fids=True)
    except Exception as exc:
        raise UsageError(f"{path}: " + _bi(f"图层 {layer!r} 无法读取", f"layer {layer!r} is unreadable")
                         + f" ({_one_line(exc)})") from None
    if wkb is None or len(wkb) == 0:
        raise UsageError(f"{path}: " + _bi(f"图层 {layer!r} 没有要素", f"layer {layer!r} has no features"))
    notes = []
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    broken = np.flatnonzero(shapely.is_missing(geoms) & np.array([w is not None for w in wkb]))
    unclosed = []
    for i in broken:
        try:
            g = shapely.from_wkb(wkb[i], on_invalid="fix")
        except Exception:
            g = None
        if g is not None and not g.is_empty:
            geoms[i] = g
            unclosed.append(int(i))
    types = shapely.get_type_id(geoms)
    if not ((types == 3) | (types == 6)).any():
        gtype = meta.get("geometry_type")
        raise UsageError(f"{path}: " + _bi(f"图层 {layer!r} 没有面（几何类型 {gtype}）",
                                            f"layer {layer!r} has no polygons (geometry type {gtype})"))
    crs = meta.get("crs")
    prj = Path(str(path)).with_suffix(".prj")
    if crs is None and Path(str(path)).suffix.lower() == ".shp" and prj.is_file():
        # a .prj GDAL could not use: the same reason import gives, not "no CRS"
        from ..core.exchange import ExchangeError
        from ..core.exchange.prj import read_prj

        try:
            crs = read_prj(prj).to_wkt()
        except ExchangeError as exc:
            raise UsageError(str(exc)) from None
    if crs is None:
        ok = geoms[~shapely.is_missing(geoms)]
        x0, y0, x1, y1 = shapely.total_bounds(ok)
        if -180 <= x0 and x1 <= 180 and -90 <= y0 and y1 <= 90:
            crs = "EPSG:4326"
            notes.append(f"{path}: no coordinate reference system in the file; the coordinates look like "
                         "longitude/latitude, so WGS 84 (EPSG:4326) is assumed")
        else:
            raise UsageError(f"{path}: " + _bi("没有坐标系（例如缺少 .prj），坐标又不是经纬度，无法计算面积；"
                                                "请用 gridmap import --crs 指定坐标系",
                                                "no coordinate reference system (e.g. a missing .prj) and the "
                                                "coordinates are not longitude/latitude, so areas cannot be "
                                                "measured; give the CRS with gridmap import --crs"))
    try:
        crs = CRS.from_user_input(crs)
    except Exception as exc:
        raise UsageError(f"{path}: " + _bi("坐标系无法使用", "unusable coordinate reference system")
                         + f" ({_one_line(exc)})") from None
    codes = parents = None
    k = 0
    if code_field:
        codes = _texts(values[k])
        k += 1
    if parent_field:
        parents = _texts(values[k])
    return geoms, codes, parents, crs, notes, unclosed


def _shapefile_parts(path) -> None:
    """The same rule as ``gridmap import`` for a shapefile's parts (truncated .shp,
    missing .shx/.dbf, a .dbf whose record count does not match the .shp)."""
    from ..core.exchange import ExchangeError
    from ..core.exchange.readers import ReadReport, check_shapefile

    try:
        check_shapefile(Path(path), False, ReadReport(path=str(path)))
    except ExchangeError as exc:
        raise UsageError(str(exc).replace("import with --repair", "gridmap import --repair")) from None


def _texts(values):
    import numpy as np
    import pandas as pd

    out = []
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v).strip())
    return np.array(out, dtype=object)


def read_boundary(spec: str, crs):
    """The union of the polygons of ``PATH[:LAYER]``, in ``crs``."""
    import shapely

    from ..core.crs import to_crs

    path, layer = spec, None
    if not os.path.exists(spec) and ":" in spec:
        head, tail = spec.rsplit(":", 1)
        if os.path.exists(head):
            path, layer = head, tail
    if not os.path.exists(path):
        raise UsageError(f"{spec}: " + _bi("边界文件不存在", "boundary file not found"))
    geoms, _, _, bcrs, _, _ = read_layer(path, layer)
    types = shapely.get_type_id(geoms)
    polys = geoms[(types == 3) | (types == 6)]
    polys = shapely.make_valid(polys)
    try:
        union = shapely.union_all(polys)
    except Exception as exc:
        raise UsageError(f"{path}: " + _bi("边界的面无法合并", "boundary polygons cannot be combined")
                         + f" ({_one_line(exc)})") from None
    if union.is_empty:
        raise UsageError(f"{path}: " + _bi("边界没有面积", "boundary has no area"))
    return to_crs(union, bcrs, crs)


def _bi(zh: str, en: str) -> str:
    from ..core.messages import bi

    return bi(zh, en)


def _one_line(exc) -> str:
    """The library's error, one line, paths reduced to file names, GDAL's driver advice dropped."""
    from ..core.messages import detail

    return detail(exc, limit=200)


def _is_project(path: str) -> bool:
    from ..core.storage import is_url

    if is_url(path):        # a plan on a PostGIS server
        return True
    if not path.lower().endswith(".gpkg") or not os.path.exists(path):
        return False
    try:
        import pyogrio

        names = {str(n) for n, _ in pyogrio.list_layers(path)}
    except Exception:
        return False
    return {"settings", "grids"} <= names


# ---------------------------------------------------------------------------- output

def write_problems(result, out: str) -> None:
    """Write the problems to a GeoPackage (replaced if present), one layer per geometry type."""
    import numpy as np
    import pyogrio
    import shapely

    df = result.to_frame()
    target = Path(out)
    if not target.parent.exists():
        raise UsageError(f"{out}: " + _bi(f"文件夹 {target.parent} 不存在", f"folder {target.parent} does not exist"))
    try:
        if target.exists():
            target.unlink()
        # GeoPackage 1.2 opens in every GDAL ≥ 2.2, QGIS 3 and ArcGIS Pro;
        # one layer per geometry type (problems_point, problems_line, problems_polygon): QGIS types a
        # mixed layer by its first feature and shows a sublayer picker
        kinds = np.maximum(shapely.get_dimensions(df.geometry.values), 0)   # no geometry: with the points
        for dim, suffix, gtype in ((0, "point", "MultiPoint"), (1, "line", "MultiLineString"),
                                   (2, "polygon", "MultiPolygon")):
            part = df[kinds == dim]
            if len(part) or (dim == 2 and not len(df)):
                pyogrio.write_dataframe(part, target, layer=f"problems_{suffix}", driver="GPKG",
                                        geometry_type=gtype, promote_to_multi=True,
                                        dataset_options={"VERSION": "1.2"})
    except Exception as exc:
        raise UsageError(f"{out}: " + _bi("无法写入问题清单", "cannot write the problems")
                         + f" ({_one_line(exc)})") from None


def _print_text(result, label: str) -> None:
    sev_zh = {"error": "错误", "warning": "警告"}
    for p in result.problems:
        print(f"{sev_zh[p.severity]} {p.severity:<7} {p.rule:<24} {p.message_zh}  | {p.message_en}")
    errors = len(result.errors)
    warnings = len(result.problems) - errors
    counts = ", ".join(f"{k} {v}" for k, v in result.summary().items()) or "—"
    print(f"{label}: {errors} 个错误 errors, {warnings} 个警告 warnings ({counts})")


def _rule_settings(args, settings):
    """``--rules A,B``: only those rules run (rules that are off by default too)."""
    from ..core.checks.problems import RULES

    spec = getattr(args, "rules", None)
    if not spec:
        return settings
    names = [r.strip() for r in spec.split(",") if r.strip()]
    bad = [r for r in names if r not in RULES]
    if bad or not names:
        raise UsageError("--rules: " + _bi(f"未知的规则 {', '.join(bad) or spec}；规则有：",
                                           f"unknown rule {', '.join(bad) or spec}; rules: ") + ", ".join(RULES))
    settings.disabled = frozenset(set(RULES) - set(names))
    settings.enabled_extra = frozenset(names)
    return settings


def run(args) -> int:
    from ..core.checks import check_grids, check_plan
    from ..core.checks.settings import CheckSettings, SettingsError

    path = args.input
    from ..core.storage import project_refusal

    refusal = project_refusal(path)  # a newer plan is refused, never checked as a plain polygon file
    if refusal:
        raise UsageError(refusal)
    foreign = bool(args.layer or args.code_field) or not _is_project(path)
    fixing = getattr(args, "fix", None) is not None
    if getattr(args, "output", None) and not fixing:
        raise UsageError("-o/--output " + _bi("只与 --fix 一起使用（写入修复后的副本）",
                                              "goes with --fix (the fixed copy); problems go to --out"))
    if fixing and foreign:
        raise UsageError(_bi(f"{path}：--fix 只能用于 gridmap 方案文件（.gpkg）",
                             f"{path}: --fix works on a gridmap project (.gpkg) only"))
    try:
        if not foreign:
            from ..core.storage import open_plan

            plan = open_plan(path)
            if args.parent_field:
                raise UsageError("--parent-field " + _bi("只用于按单一层级检查的图层（请给 --layer/--code-field），"
                                                          "不用于 gridmap 方案",
                                                          "applies to a layer checked as one level "
                                                          "(give --layer/--code-field), not to a gridmap project"))
            if args.boundary:
                plan.set_jurisdiction(read_boundary(args.boundary, plan.crs))
            if getattr(args, "month", None):
                from ..core.checks.visits import MONTH_SETTING

                plan.settings = {**plan.settings, MONTH_SETTING: args.month}
            if fixing:
                from .check_fix import run_fix

                return run_fix(args, plan)
            result = check_plan(plan, _rule_settings(args, CheckSettings.from_settings(plan.settings)))
        else:
            geoms, codes, parents, crs, notes, unclosed = read_layer(path, args.layer, args.code_field,
                                                                     args.parent_field)
            for n in notes:
                print(f"gridmap check: note: {n}", file=sys.stderr)
            boundary = read_boundary(args.boundary, crs) if args.boundary else None
            result = check_grids(geoms, crs, codes=codes, parent_codes=parents, boundary=boundary,
                                 settings=_rule_settings(args, CheckSettings()))
            if unclosed:
                result = _add_unclosed(result, unclosed, geoms, codes)
    except SettingsError as exc:
        raise UsageError(f"{path}: {exc}") from None
    except (UsageError, FileNotFoundError):
        raise
    except Exception as exc:
        if exc.__class__.__name__ == "StoreError":
            raise
        raise UsageError(f"{path}: " + _bi("检查无法运行", "the check could not run")
                         + f" ({type(exc).__name__}: {_one_line(exc)})") from None
    if args.out:
        write_problems(result, args.out)
    try:
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False))
        else:
            _print_text(result, path)
        sys.stdout.flush()
    except BrokenPipeError:  # output piped into head & co.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return result.exit_code


def _add_unclosed(result, rows, geoms, codes):
    """Report rings GDAL read unclosed (closed for the check) as ``invalid``."""
    import shapely

    from ..core.checks.problems import make_problem
    from ..core.checks.runner import _sort, grid_names

    names = grid_names(codes if codes is not None else [""] * len(geoms), range(1, len(geoms) + 1))
    extra = [make_problem("invalid", [names[i]], geometry=shapely.get_point(shapely.get_exterior_ring(
        shapely.get_geometry(geoms[i], 0) if geoms[i].geom_type == "MultiPolygon" else geoms[i]), 0),
        detail="unclosed ring", reason_zh="环未闭合", ids=[i + 1]) for i in rows]
    result.problems = _sort(result.problems + extra)
    return result
