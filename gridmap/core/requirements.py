"""What the core relies on in its libraries, checked once on import with a clear message.

* pandas copy-on-write: undo snapshots and refused edits keep shallow copies of the
  plan's tables; without copy-on-write (pandas < 3 by default) an in-place edit
  would change the snapshot too and a refused edit could not be rolled back.
  pandas >= 3 always behaves so; on pandas 2.x the option is switched on here.
* ``shapely.coverage_clean`` (shapely >= 2.1 built with GEOS >= 3.14): used to
  repair coverages.

>>> import pandas as pd
>>> copy_on_write()
True
"""

from __future__ import annotations

import pandas as pd
import shapely

__all__ = ["copy_on_write", "require_coverage_clean", "RequirementError"]


class RequirementError(RuntimeError):
    """A library is too old for gridmap."""


def copy_on_write() -> bool:
    """Make sure pandas copy-on-write is on (pandas >= 3: always; 2.x: enabled here)."""
    major = int(pd.__version__.split(".")[0])
    if major >= 3:
        return True
    pd.options.mode.copy_on_write = True
    return bool(pd.options.mode.copy_on_write)


def require_coverage_clean(geos_version: tuple | None = None) -> None:
    """Raise :class:`RequirementError` (bilingual) unless ``shapely.coverage_clean`` exists
    and shapely runs on GEOS >= 3.14 (``geos_version``: the version to judge, default the
    running one)."""
    geos = tuple(shapely.geos_version if geos_version is None else geos_version)
    if not hasattr(shapely, "coverage_clean") or geos < (3, 14, 0):
        raise RequirementError(
            f"需要 shapely ≥ 2.1 且 GEOS ≥ 3.14（当前 shapely {shapely.__version__}, GEOS {shapely.geos_version_string}）"
            f"，请升级：pip install -U shapely / gridmap needs shapely >= 2.1 built with GEOS >= 3.14 "
            f"(found shapely {shapely.__version__}, GEOS {shapely.geos_version_string}): pip install -U shapely")


copy_on_write()
require_coverage_clean()
