"""gridmap core: plans, checks, outputs; never imports Qt."""

from . import requirements  # noqa: F401  pandas copy-on-write on, coverage_clean present
