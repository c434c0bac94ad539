"""Official outputs on the command line: annex map (pdf/png/tiff), map book
(atlas), Word annex (docx) and offline web map (html).

``FORMATS`` maps a format name to ``fn(plan, out_path, options: dict)``;
:func:`add_output_arguments` adds the layout options (``--paper``,
``--landscape``, ``--title`` …) to any parser, so ``gridmap export`` can
offer them.  Standalone::

    python -m gridmap.commands.outputs PROJECT.gpkg --format pdf --paper A3 --landscape -o annex1.pdf

The export registry's functions for these formats live in the core
(:mod:`gridmap.core.outputs.exporters`).

No Qt is imported here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import UsageError

__all__ = ["FORMATS", "add_output_arguments", "add_arguments", "run", "main"]

HELP = {
    "pdf": "annex map as vector PDF (selectable Chinese text)",
    "png": "annex map as PNG (--dpi, default 300)",
    "tiff": "annex map as TIFF (--dpi, default 300)",
    "atlas": "map book: contents page and one page per grid (PDF)",
    "docx": "Word annex: division table and the annex map as a figure",
    "html": "offline web map (one HTML file, no internet needed)",
}


def _writer(fmt: str):
    def write(plan, out_path, options: dict | None = None) -> dict:
        from ..core.outputs import write_output

        return write_output(plan, fmt, out_path, options or {})
    write.__name__ = f"write_{fmt}"
    write.__doc__ = f"Write {HELP[fmt]} to ``out_path``."
    return write


# format name → fn(plan, out_path, options: dict) -> dict of facts (scale, pages, warnings …)
FORMATS = {name: _writer(name) for name in HELP}


# ---------------------------------------------------------------------- arguments
def add_output_arguments(parser) -> None:
    """Add the layout options to ``parser``; options it already has are left alone."""
    have = getattr(parser, "_option_string_actions", {})

    def add(flag, **kw):
        if flag not in have:
            parser.add_argument(flag, **kw)

    add("--paper", default=None, type=str.upper, choices=["A4", "A3"], help="paper size (default A4)")
    add("--landscape", action="store_true", default=None, help="landscape page (default portrait)")
    add("--title", default=None, help="map title (default: <plan>网格化管理划分示意图)")
    add("--subtitle", default=None, help="subtitle under the title")
    add("--issuer", default=None, help="issuing unit (编制单位), printed under the map")
    add("--date", default=None, help="date printed under the map (default: today, 2024年3月5日 style)")
    add("--dpi", default=None, type=int, help="resolution of PNG/TIFF (default 300)")
    add("--annex", default=None, help="annex label above the title, e.g. 附件1")
    add("--inset", action="store_true", default=None, help="add a locator inset to the annex map")
    add("--level", default=None, help="grid level of the atlas pages / Word table (default: the lowest)")
    add("--color-by", dest="color_by", default=None, choices=["large", "level"],
        help="web map colours: by large grid (default) or by level")
    add("--layout", default=None, choices=["gongwen", "full"],
        help="annex map page: gongwen = GB/T 9704 公文 margins and 版心 (default); full = nearly to the edges")


def add_arguments(p) -> None:
    p.add_argument("project", help="gridmap project file (.gpkg)")
    p.add_argument("--format", "-f", required=True, choices=sorted(FORMATS),
                   help="; ".join(f"{k}: {v}" for k, v in HELP.items()))
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file")
    add_output_arguments(p)


_OPTION_NAMES = ("paper", "landscape", "title", "subtitle", "issuer", "date", "dpi", "annex", "inset", "level",
                 "color_by", "layout")


def options_from_args(args) -> dict:
    """The options dict of parsed arguments (unset options left out)."""
    opts = {k: getattr(args, k) for k in _OPTION_NAMES if getattr(args, k, None) is not None}
    if getattr(args, "project", None):
        opts["project"] = args.project
    return opts


def run(args) -> int:
    from ..core.outputs import OutputError
    from ..core.storage import open_plan

    out = Path(args.output)
    if out.is_dir():
        raise UsageError(f"{out}: is a folder; --format {args.format} writes one file")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{out}: folder {parent} does not exist")
    plan = open_plan(args.project)
    try:
        info = FORMATS[args.format](plan, out, options_from_args(args))
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    print(out)
    for w in (info or {}).get("warnings", []):
        print(f"warning: {w}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m gridmap.commands.outputs PROJECT --format FMT -o OUT [layout options]``."""
    from ..core.storage import StoreError

    parser = argparse.ArgumentParser(prog="python -m gridmap.commands.outputs",
                                     description="official outputs of a gridmap plan: " + ", ".join(HELP))
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return run(args)
    except (UsageError, StoreError, FileNotFoundError) as exc:
        print(f"gridmap outputs: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gridmap outputs: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
