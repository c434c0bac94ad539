"""Coverage and consistency checks (全覆盖、无缝隙), with fixes.

* :mod:`.problems` — the :class:`Problem` record and the rule registry (bilingual messages)
* :mod:`.settings` — tolerances, severities and rule selection (``check.*`` plan settings)
* :mod:`.coverage` — vectorised geometry rules over arrays of polygons (one level)
* :mod:`.codes_rules`, :mod:`.responsibility`, :mod:`.segments`, :mod:`.workload` — the other rules
* :mod:`.runner` — :func:`check_plan` / :func:`check_grids`: everything in one run
* :mod:`.session` — :class:`CheckSession`: re-check only the neighbourhood of an edited grid
* :mod:`.fixes` — pure functions returning new geometries (merge, give, snap, local cleaning)

No Qt here: the app and the ``gridmap check`` command both use these.
"""

from .problems import RULE_IDS, RULES, Problem, make_problem, summary
from .runner import CheckResult, check_grids, check_plan, problems_frame
from .session import CheckDelta, CheckSession
from .settings import CheckSettings, SettingsError

__all__ = [
    "Problem", "RULES", "RULE_IDS", "make_problem", "summary",
    "CheckSettings", "SettingsError",
    "CheckResult", "check_plan", "check_grids", "problems_frame",
    "CheckSession", "CheckDelta",
]
