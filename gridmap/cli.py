"""Command line: ``gridmap [PROJECT]`` starts the app; ``gridmap info|check|import|export …``
are scripting commands that never import Qt.

Each subcommand lives in :mod:`gridmap.commands` as a module with
``add_arguments(parser)`` and ``run(args) -> int`` (the exit status).
"""

from __future__ import annotations

import argparse
import importlib
import sys

__all__ = ["main", "COMMANDS"]

# name → (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "info": ("gridmap.commands.info", "print a plan's levels, grid counts, area, CRS, units and people"),
    "check": ("gridmap.commands.check", "check coverage and responsibility (全覆盖、无缝隙)"),
    "import": ("gridmap.commands.import_", "import grid data from other systems as a plan"),
    "export": ("gridmap.commands.export", "export a plan as shapefiles, tables, maps …"),
    "publish": ("gridmap.commands.publish", "upload a plan to a PostgreSQL/PostGIS server (shared plan)"),
    "checkout": ("gridmap.commands.checkout", "check an area of a shared plan out into a .gpkg (offline laptops)"),
    "checkin": ("gridmap.commands.checkin", "send the changes of a checked-out .gpkg back to the shared plan"),
    "version": ("gridmap.commands.version", "named versions of a plan kept in its file (save, list, restore, delete)"),
    "diff": ("gridmap.commands.diff", "what changed between two plans or versions (再版对照)"),
    "sample": ("gridmap.commands.sample", "write the sample plan (Bao'an, Shenzhen) and its data into a folder"),
    "tiles": ("gridmap.commands.tiles", "save the tiles of an area into an MBTiles file for offline use"),
    "assess": ("gridmap.commands.assess", "monthly assessment and ranking of grids, work ledgers (考核、台账)"),
    "propose": ("gridmap.commands.propose", "propose grids from the road network with balanced workload (智能划分)"),
    "staffing": ("gridmap.commands.staffing", "staffing quotas (定人定额) per level or grid, their totals and shortfalls"),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; only ``command``'s module is imported to add its arguments."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="gridmap",
        description="gridmap — 城市网格化管理桌面 GIS. Without a command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"gridmap {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback of an error (also accepted after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(p)
    return parser


# Characters gridmap prints that a legacy code page (cp936/GBK on Chinese Windows, when the output
# goes to a file or a pipe) cannot encode: their nearest plain spelling instead of an error.
_PLAIN = {"\u00b2": "2", "\u00b3": "3", "\u2265": ">=", "\u2264": "<=", "\u00b7": ".", "\u2011": "-",
          "\u2212": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " "}


def _plain_fallback(exc: UnicodeError):
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    bad = exc.object[exc.start:exc.end]
    return "".join(_PLAIN.get(ch, "?") for ch in bad), exc.end


def console_encoding_safe(*streams) -> None:
    """Make text streams whose encoding is not UTF-8 (``gridmap info PLAN > out.txt`` on a Chinese
    Windows writes cp936) spell unencodable characters plainly (km² → km2) instead of failing."""
    import codecs

    try:
        codecs.lookup_error("gridmap-plain")
    except LookupError:
        codecs.register_error("gridmap-plain", _plain_fallback)
    for stream in streams or (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if enc and not enc.startswith("utf") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="gridmap-plain")
            except (ValueError, OSError):
                pass


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    console_encoding_safe()
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        # gridmap / gridmap PROJECT.gpkg: the desktop app (the only path that imports Qt)
        from .ui.app import main as app_main

        return app_main(argv)
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return _run(args, debug)


def _run(args, debug: bool) -> int:
    """Run a subcommand: unusable input is one clear line and exit status 2, never a
    traceback (``--debug`` prints it); library warnings become one-line notes."""
    import traceback
    import warnings

    from .commands import UsageError
    from .core.messages import bi
    from .core.storage import StoreError  # light: no pandas/geopandas

    name = f"gridmap {args.command}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            module = importlib.import_module(COMMANDS[args.command][0])
            status = int(module.run(args) or 0)
        except (UsageError, StoreError, FileNotFoundError) as exc:
            if debug:
                traceback.print_exc()
            _notes(name, caught, debug)
            print(f"{name}: {_message(exc)}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("gridmap: " + bi("已中断", "interrupted"), file=sys.stderr)
            return 130
        except Exception as exc:  # a bug or a file no check foresaw: still one line
            if debug:
                traceback.print_exc()
            _notes(name, caught, debug)
            text = " ".join(str(exc).split())[:300] or type(exc).__name__
            print(f"{name}: " + bi("无法处理输入", "cannot process the input")
                  + f" ({type(exc).__name__}: {text}); " + bi("加 --debug 查看详细信息", "--debug shows the details"),
                  file=sys.stderr)
            return 2
    _notes(name, caught, debug)
    return status


def _message(exc) -> str:
    text = " ".join(str(exc).split())
    if isinstance(exc, FileNotFoundError) and exc.filename:
        from .core.messages import bi

        text = f"{exc.filename}: " + bi("文件不存在", "file not found")
    return text


def _notes(name: str, caught, debug: bool) -> None:
    """Warnings of GDAL/pyogrio/shapely, once each, as one-line notes on stderr."""
    from .core.messages import bi

    seen = set()
    for w in caught:
        text = " ".join(str(w.message).split())
        if not text or text in seen:
            continue
        seen.add(text)
        where = f" [{w.category.__name__} {w.filename}:{w.lineno}]" if debug else ""
        print(f"{name}: {bi('注意', 'note')}: {text}{where}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
