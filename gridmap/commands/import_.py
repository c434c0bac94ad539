"""``gridmap import INPUT …``: bring grid data from other systems into gridmap.

- ``gridmap import INPUT --inspect``: layers, fields, detected encoding (with
  previews of the alternatives) and CRS or its guess; writes nothing.
- ``gridmap import INPUT --as-plan --code-field F --name-field F [--parent-field F]
  [--level-field F] [--levels two|five] -o PLAN.gpkg``: any polygon layer as a plan.
- ``gridmap import EXPORT_FOLDER|EXPORT.zip|EXPORT.gpkg -o PLAN.gpkg``: rebuild a plan
  from a ``gridmap export`` (roles, segments, places included).
- ``gridmap import INPUT --into PROJECT --level KEY --code-field F …``: add grids of a level.
- ``gridmap import INPUT --into PROJECT [-o LAYER.gpkg]``: add a base layer.
- ``gridmap import ROSTER.xlsx --roster --into PROJECT``: people/units joined to grids.

``--encoding`` overrides the detected text encoding, ``--crs`` declares the source
CRS (EPSG code, or gcj02/bd09 for Amap/Baidu coordinates), ``--repair`` repairs what
can be repaired (and says what it did).
"""

from __future__ import annotations

from pathlib import Path

from . import UsageError


def add_arguments(p) -> None:
    p.add_argument("input", help="shapefile (.shp or .zip), .gpkg, .geojson, .kml/.kmz, .dxf, .csv/.xlsx, "
                                 "or a folder written by gridmap export")
    p.add_argument("-o", "--output", metavar="OUT", help="plan (.gpkg) to write; or the base layer file")
    p.add_argument("--layer", help="layer to read (files with several layers)")
    p.add_argument("--sheet", help="worksheet of an XLSX file")
    p.add_argument("--encoding", help="text encoding (overrides detection): utf-8, gbk, gb18030, big5")
    p.add_argument("--crs", help="source CRS if the file has none or a wrong one: EPSG:xxxx, gcj02, bd09")
    p.add_argument("--near", type=float, metavar="LON",
                   help="longitude near the data, to pick the 3° zone of eastings without zone number")
    p.add_argument("--plan-crs", help="CRS of the new plan (default: the data's, or its CGCS2000 3° zone)")
    p.add_argument("--repair", action="store_true", help="repair what can be repaired and report it")
    p.add_argument("--inspect", action="store_true", help="show layers, fields, encoding and CRS; write nothing")
    g = p.add_argument_group("import as plan / as grids of a level")
    g.add_argument("--as-plan", action="store_true", help="make a new plan from a polygon layer")
    g.add_argument("--code-field", help="field with the grid code")
    g.add_argument("--name-field", help="field with the grid name")
    g.add_argument("--parent-field", help="field with the parent grid's code (or name)")
    g.add_argument("--level-field", help="field with the level (key, name or number 1…)")
    g.add_argument("--notes-field", help="field with notes")
    g.add_argument("--levels", default=None, help="levels of the new plan: two (default), five, or names separated by / (e.g. 县城大网格/小网格 or 市/区/街道/社区/五级网格)")
    g.add_argument("--scheme", default="GB14", help="code scheme: GB14 (default) or GB15")
    g.add_argument("--level", help="level of the imported grids (without --level-field)")
    g.add_argument("--name", help="plan name (default: the file name)")
    g.add_argument("--admin-code", default="", help="6-digit administrative code (GB/T 2260)")
    g = p.add_argument_group("into an existing project")
    g.add_argument("--into", metavar="PROJECT", help="project to add grids, a base layer or a roster to")
    g.add_argument("--roster", action="store_true", help="INPUT is a roster of people/units (XLSX/CSV)")
    g.add_argument("--grid-code-field", help="roster: column with the grid code")
    g.add_argument("--grid-name-field", help="roster: column with the grid name")
    g.add_argument("--person-field", help="roster: column with the person's name")
    g.add_argument("--phone-field", help="roster: column with the phone number")
    g.add_argument("--post-field", help="roster: column with the post (职务)")
    g.add_argument("--unit-field", help="roster: column with the unit (单位)")
    g.add_argument("--role-field", help="roster: column with the role (网格长, 网格员, 牵头单位 …)")
    g.add_argument("--role", help="roster: role for every row (without --role-field)")


def _mapping(args):
    from ..core.exchange.as_plan import FieldMapping

    return FieldMapping(code=args.code_field, name=args.name_field, parent=args.parent_field,
                        level=args.level_field, notes=args.notes_field)


def _print_inspect(info: dict) -> None:
    print(info["path"])
    for lay in info["layers"]:
        print(f"  layer {lay['name']}: {lay['geometry']}, {lay['features']} features")
        print(f"    fields: {', '.join(lay['fields'])}")
        enc = lay.get("encoding")
        if enc is not None:
            print(f"    encoding: {enc.label} ({enc.source}, confidence {enc.confidence:.2f}): "
                  + ", ".join(enc.preview[:5]))
            for label, prev in enc.alternatives.items():
                print(f"      as {label}: " + ", ".join(prev[:5]))
        for note in lay.get("notes") or []:        # characters that could not be decoded, cut field names
            print(f"    note: {note}")
        crs = lay.get("crs")
        if crs is not None:
            print(f"    CRS: {crs.to_string()} ({crs.name})")
        guess = lay.get("crs_guess")
        if crs is None and guess is not None:
            print(f"    CRS: none in the file; guess: {guess.crs.to_string() if guess.crs else '?'} — {guess.reason}")
            if guess.candidates:
                print(f"      alternatives: {', '.join(guess.candidates[:8])}")


def run(args) -> int:
    from ..core.messages import bi

    path = Path(args.input)
    if not path.exists():
        raise UsageError(f"{path}: " + _bi("文件不存在", "file not found"))
    if path.suffix.lower() == ".gpkg":
        from ..core.storage import project_refusal

        refusal = project_refusal(path)  # a plan of a newer gridmap is never rebuilt from its layers
        if refusal:
            raise UsageError(refusal)
    from ..core.exchange import ExchangeError
    from ..core.plan import PlanError

    try:
        return _run(args, path)
    except (ExchangeError, PlanError) as exc:
        raise UsageError(str(exc)) from None
    except (UsageError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if exc.__class__.__name__ in ("StoreError", "ConflictError"):
            raise
        # GDAL/pyogrio/ezdxf on a damaged file: one line naming it (--debug shows the trace)
        from ..core.messages import detail

        raise UsageError(f"{path}: " + bi("文件无法读取，可能已损坏", "cannot read the file, it may be damaged")
                         + f" ({type(exc).__name__}: {detail(exc, limit=200)})") from exc


def _run(args, path: Path) -> int:
    from ..core.exchange.as_plan import is_export, plan_from_export, plan_from_file
    from ..core.exchange.readers import inspect
    from ..core.storage import save_plan

    if args.inspect:
        target, notes = path, []
        if path.suffix.lower() == ".shp":  # the same checks (and --repair) as an import
            from ..core.exchange.readers import ReadReport, check_shapefile

            report = ReadReport(path=str(path))
            target, _ = check_shapefile(path, args.repair, report)
            notes = report.notes
        _print_inspect(inspect(target, encoding=args.encoding, hint_lon=args.near))
        _print_notes(notes)
        return 0
    mapping = _mapping(args)
    if args.roster:
        return _roster(args, path)
    if args.into:
        return _into(args, path, mapping)
    if not args.output:
        raise UsageError(_bi("请用 -o PLAN.gpkg 指定输出（或用 --inspect 只查看，用 --into PROJECT 加入已有方案）",
                              "give -o PLAN.gpkg (or --inspect to look only, --into PROJECT to add to a plan)"))
    out = Path(args.output)
    if out.suffix.lower() != ".gpkg":
        raise UsageError(f"{out}: " + _bi("方案要写成 GeoPackage（.gpkg）", "a plan is written as a GeoPackage (.gpkg)"))
    if not args.as_plan and not mapping.fields() and is_export(path):
        plan, notes = plan_from_export(path)
    elif args.as_plan or mapping.fields():
        if not (mapping.code or mapping.name):
            raise UsageError(_bi("--as-plan 至少需要 --code-field 或 --name-field（字段见 --inspect）",
                                  "--as-plan needs at least --code-field or --name-field (see --inspect for fields)"))
        plan, notes = plan_from_file(path, mapping, levels=args.levels or "two", layer=args.layer,
                                     encoding=args.encoding, source_crs=args.crs, crs=args.plan_crs,
                                     repair=args.repair, name=args.name or "", admin_code=args.admin_code,
                                     scheme=args.scheme, default_level=args.level)
    else:
        raise UsageError(f"{path}: " + _bi("请说明如何导入：--as-plan 加字段名（见 --inspect），"
                                           "或 --into PROJECT 作为底图加入",
                                           "say how to import it: --as-plan with field names (see --inspect), "
                                           "or --into PROJECT to add it as a base layer"))
    save_plan(plan, out)
    s = plan.summary()
    print(f"{out}: plan {s['name']!r}, CRS {s['crs']}, "
          + ", ".join(f"{lv['grids']} {lv['name']}" for lv in s["levels"])
          + f", {s['people']} people, {s['roles']} roles, {s['segments']} segments, {s['places']} places")
    _print_notes(notes)
    return 0


def _print_notes(notes) -> None:
    from ..core.messages import bi

    for n in notes:
        text = str(n)
        while text.lower().startswith("note:"):  # never "note: note:"
            text = text[5:].lstrip()
        print(f"{bi('注意', 'note')}: {text}")


def _into(args, path: Path, mapping) -> int:
    import os

    import pyogrio

    from ..core.exchange.as_plan import append_grids
    from ..core.exchange.readers import read_layer
    from ..core.storage import open_plan, save_plan

    project = Path(args.into)
    plan = open_plan(project)
    if args.level or mapping.fields():
        if not args.level:
            keys = ", ".join(plan.level_keys)
            raise UsageError(_bi(f"--into 加字段名是添加网格：请用 --level 指定其层级（{keys}）",
                                 f"--into with field names adds grids: give their --level ({keys})"))
        gdf, report = read_layer(path, args.layer, encoding=args.encoding, crs=args.crs, repair=args.repair,
                                 hint_lon=args.near)
        added, notes = append_grids(plan, gdf, mapping, args.level, source=str(path))
        save_plan(plan, project)
        print(f"{project}: added {added} grids on level {plan.level(args.level).name}")
        _print_notes(report.lines()[1:] + notes)
        return 0
    from ..core.messages import bi

    gdf, report = read_layer(path, args.layer, encoding=args.encoding, crs=args.crs, repair=args.repair,
                             hint_lon=args.near, to_crs=plan.crs)
    created = None
    if args.output:
        out = Path(args.output)
        if out.suffix.lower() != ".gpkg":
            raise UsageError(f"{out}: " + bi("底图图层保存为 GeoPackage (.gpkg)",
                                             "base layers are stored as GeoPackage (.gpkg)"))
        created = None if out.exists() else out
        try:
            pyogrio.write_dataframe(gdf, out, layer=path.stem, driver="GPKG")
        except Exception as exc:
            raise UsageError(f"{out}: " + bi("无法写入底图图层", "cannot write the base layer")
                             + f" ({' '.join(str(exc).split())[:200]})") from None
        layer = path.stem
    elif path.suffix.lower() in _DIRECT_BASE_LAYERS and path.is_file():
        # no -o: the plan refers to the file itself; nothing is written but the plan
        out = path
        layer = args.layer or str(pyogrio.list_layers(path)[0][0])
    else:
        raise UsageError(f"{path}: " + bi("此格式需要转换后保存，请用 -o LAYER.gpkg 指定保存位置",
                                          "this format is stored converted: name the file with -o LAYER.gpkg"))
    from ..core.sources import record_source

    rel = record_source(out, project.parent)   # relative with "/", absolute on another drive (Windows)
    plan.add_base_layer(path.stem, rel, kind="vector", layer=layer)
    try:
        save_plan(plan, project)
    except BaseException:
        if created is not None:  # no orphaned copy when the plan could not be saved
            try:
                created.unlink()
            except OSError:
                pass
        raise
    print(f"{project}: base layer {path.stem!r} ({len(gdf)} features) " + ("stored in" if created or args.output
                                                                            else "refers to") + f" {out}")
    _print_notes(report.lines()[1:])
    return 0


# files the app reads as they are (no -o needed for --into)
_DIRECT_BASE_LAYERS = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".dxf", ".gml", ".tab", ".mif")


def _roster(args, path: Path) -> int:
    from ..core.exchange.roster import RosterMapping, import_roster
    from ..core.storage import open_plan, save_plan

    if not args.into:
        raise UsageError(_bi("--roster 需要 --into PROJECT（名册各行要对应到的方案）",
                              "--roster needs --into PROJECT (the plan whose grids the rows are joined to)"))
    project = Path(args.into)
    plan = open_plan(project)
    mapping = RosterMapping(grid_code=args.grid_code_field, grid_name=args.grid_name_field,
                            person=args.person_field, phone=args.phone_field, post=args.post_field,
                            unit=args.unit_field, role=args.role_field, default_role=args.role)
    result = import_roster(plan, path, mapping, encoding=args.encoding, sheet=args.sheet)
    save_plan(plan, project)
    print(f"{project}: {result.summary()}")
    for line in result.problem_lines():
        print(line)
    return 0 if not result.unmatched and not result.ambiguous else 1


def _bi(zh: str, en: str) -> str:
    from ..core.messages import bi

    return bi(zh, en)
