"""Running the grids all year (考核、台账、满意度): monthly assessment and ranking
(:mod:`.scores`), score sheets and ranking tables as XLSX (:mod:`.sheets`), the ranking map
(:mod:`.rankmap`) and the community work ledger (:mod:`.ledger`).

Everything is stored in ordinary tables of the plan (``assess_items``, ``assess_scores``,
``ledger``, ``survey``), linked to grids by id and code, and changed only through
edit-buffer commands.  No Qt here.
"""
