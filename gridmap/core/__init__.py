"""gridmap core: plans, checks, outputs; never imports Qt.

Importing the package is cheap (the CLI names ``StoreError`` without pandas); what the core relies on in
its libraries is checked by :mod:`gridmap.core.requirements` when the plan model is imported.
"""
