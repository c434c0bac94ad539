"""Subcommands of the ``gridmap`` CLI.  None of these modules imports Qt.

Each module has ``add_arguments(parser)`` and ``run(args) -> int``.  Raise
:class:`UsageError` (or :class:`gridmap.core.storage.StoreError`) for unusable
input: the CLI prints its message as one line and exits with status 2.
"""


class UsageError(Exception):
    """Unusable input: reported as one clear line, exit status 2."""
