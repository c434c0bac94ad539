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
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; only ``command``'s module is imported to add its arguments."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="gridmap",
        description="gridmap — 城市网格化管理桌面 GIS. Without a command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"gridmap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if name == command:
            importlib.import_module(module).add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-")):
        # gridmap / gridmap PROJECT.gpkg: the desktop app (the only path that imports Qt)
        from .ui.app import main as app_main

        return app_main(argv)
    parser = build_parser(argv[0] if argv[0] in COMMANDS else None)
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(COMMANDS[args.command][0])
    from .commands import UsageError
    from .core.storage import StoreError

    try:
        return int(module.run(args) or 0)
    except (UsageError, StoreError, FileNotFoundError) as exc:
        print(f"gridmap {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("gridmap: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
