"""``gridmap export PROJECT --format FMT [--encoding gbk] [--crs EPSG:4490] [--tables …] -o OUT``.

Formats come from :data:`gridmap.core.exchange.registry.EXPORT_FORMATS` (format name →
function), so map/atlas/Word outputs register there and appear here unchanged.
"""

from __future__ import annotations

from pathlib import Path

from . import UsageError

TABLE_CHOICES = ("division", "statistics", "roster", "segments", "staffing")


def add_arguments(p) -> None:
    from ..core.exchange.registry import EXPORT_FORMATS

    p.add_argument("project", help="gridmap project file (.gpkg)")
    p.add_argument("--format", "-f", required=True, choices=sorted(EXPORT_FORMATS),
                   help="; ".join(f"{k}: {v.help}" for k, v in sorted(EXPORT_FORMATS.items())))
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file or folder (shp, geojson and csv write a folder; shp to OUT.zip zips it)")
    p.add_argument("--encoding", default=None, help="text encoding of shapefiles: utf-8 (default) or gbk")
    p.add_argument("--crs", default=None,
                   help="output CRS, e.g. EPSG:4490 (default: the plan's); gcj02 or bd09 for shifted lon/lat")
    p.add_argument("--tables", default=None,
                   help="tables for xlsx/csv, comma separated: " + ",".join(TABLE_CHOICES) + " (default: all; staffing only when the plan has quotas)")
    p.add_argument("--template", default=None, metavar="NAME|FILE.json",
                   help="xlsx/csv/docx: one annex table (atlas: the per-grid table follows it) from a template (built-in: zaozhuang_annex3, zaozhuang_annex2, "
                        "wengyuan_annex1; or a JSON file); --level picks the level it lists")
    p.add_argument("--zip", action="store_true", help="zip the shapefiles (also when OUT ends in .zip)")
    from .outputs import add_output_arguments

    add_output_arguments(p)  # --paper, --landscape, --title … for pdf|png|tiff|atlas|docx|html


def _bi_text(zh, en):
    from ..core.messages import bi

    return bi(zh, en)


def _crs(value):
    if value is None:
        return None
    from ..core.exchange import ExchangeError
    from ..core.exchange.prj import parse_crs_option

    try:
        return parse_crs_option(value)
    except ExchangeError as exc:
        raise UsageError(f"--crs {value}: {exc}") from None


def run(args) -> int:
    from ..core.exchange import ExchangeError
    from ..core.exchange.registry import EXPORT_FORMATS, export_plan
    from ..core.outputs.errors import OutputError
    from ..core.storage import open_plan

    fmt = EXPORT_FORMATS[args.format]
    tables = None
    if args.tables:
        tables = [t.strip() for t in args.tables.split(",") if t.strip()]
        bad = [t for t in tables if t not in TABLE_CHOICES]
        if bad:
            raise UsageError(f"--tables: unknown table {', '.join(bad)}; choose from {', '.join(TABLE_CHOICES)}")
    if args.encoding and args.encoding.lower().replace("-", "") not in ("utf8", "gbk", "cp936", "936", "gb18030"):
        raise UsageError(f"--encoding {args.encoding}: use utf-8 or gbk")
    crs = _crs(args.crs)
    out = Path(args.output)
    if out.exists() and fmt.target == "dir" and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder (format {args.format} writes a folder)")
    if fmt.target == "file" and out.is_dir():
        raise UsageError(f"{out}: is a folder; format {args.format} writes one file")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.exists():
        raise UsageError(f"{out}: folder {parent} does not exist")
    plan = open_plan(args.project)
    if getattr(args, "template", None) and args.format == "atlas":
        from ..core.exchange.templates import load_template

        try:
            load_template(args.template, plan)  # the map book's per-grid table follows it
        except ExchangeError as exc:
            raise UsageError(str(exc)) from None
    elif getattr(args, "template", None):
        if args.format not in ("xlsx", "csv", "docx"):
            raise UsageError("--template " + _bi_text("只用于 xlsx、csv、docx 或 atlas",
                                                      "goes with --format xlsx, csv, docx or atlas"))
        from ..core.exchange.templates import export_template

        try:
            path = export_template(plan, args.template, out, getattr(args, "level", None), args.project, args.format)
        except ExchangeError as exc:
            raise UsageError(str(exc)) from None
        print(path)
        return 0
    options = {k: v for k, v in vars(args).items() if k not in ("command", "project", "format", "output")}
    options.update(crs=crs, tables=tables, project_path=args.project)
    try:
        result = export_plan(plan, args.format, out, **options)
    except (ExchangeError, OutputError) as exc:
        raise UsageError(str(exc)) from None
    shown = result.paths if len(result.paths) <= 12 else result.paths[:12]
    for p in shown:
        print(p)
    if len(result.paths) > len(shown):
        print(f"… and {len(result.paths) - len(shown)} more files")
    for w in result.warnings:
        print(f"warning: {w}")
    return 0
