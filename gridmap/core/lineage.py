"""Lineage (网格沿革): which grids a grid came from, kept in the ``lineage`` column of ``grids``.

The column is text, events separated by ``;``, oldest first, so it opens in any GIS:

* ``split:5`` — the grid was cut off grid 5 (a split's new piece);
* ``merge:7,9`` — grids 7 and 9 were merged into this grid (which kept its id);
* ``import:城中村网格.shp#12`` — imported from feature 12 of that file.

A split piece inherits the lineage of the grid it was cut from and a merged grid
the lineage of the grids it absorbed, so a grid's lineage is its whole history
even when its ancestors are gone.  The events are written by the edit functions
inside the same undoable command as the edit itself
(:func:`gridmap.core.editing.commands.split_grid` and ``merge_grids``), so undo
takes them back and saving keeps them.

>>> s = add("", split_event(5)); s
'split:5'
>>> s = add(s, merge_event([7, 9])); s
'split:5;merge:7,9'
>>> events(s)
[('split', [5]), ('merge', [7, 9])]
>>> sources(s, "merge")
[7, 9]
>>> events("import:城中村网格.shp#12")
[('import', ['城中村网格.shp#12'])]
"""

from __future__ import annotations

__all__ = ["add", "events", "sources", "split_event", "merge_event", "import_event", "join"]


def _text(v) -> str:
    if v is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    return str(v)


def add(lineage, event: str) -> str:
    """``lineage`` with ``event`` appended."""
    s = _text(lineage)
    return f"{s};{event}" if s else event


def join(*lineages) -> str:
    """Several lineages as one (a merged grid's own, then the absorbed grids'), no event twice."""
    out: list[str] = []
    for lin in lineages:
        for e in _text(lin).split(";"):
            if e and e not in out:
                out.append(e)
    return ";".join(out)


def split_event(source: int) -> str:
    return f"split:{int(source)}"


def merge_event(absorbed) -> str:
    return "merge:" + ",".join(str(int(g)) for g in absorbed)


def import_event(source: str, feature: int) -> str:
    name = str(source).replace("\\", "/").rsplit("/", 1)[-1].replace(";", ",")
    return f"import:{name}#{int(feature)}"


def events(lineage) -> list[tuple[str, list]]:
    """``[(kind, [ids or source refs])]`` of a lineage text (unknown or damaged events are skipped)."""
    out = []
    for e in _text(lineage).split(";"):
        kind, _, rest = e.partition(":")
        if not kind or not rest:
            continue
        if kind in ("split", "merge"):
            try:
                out.append((kind, [int(x) for x in rest.split(",") if x.strip()]))
            except ValueError:
                continue
        else:
            out.append((kind, [rest]))
    return out


def sources(lineage, kind: str) -> list:
    """All ids (or refs) named by the events of ``kind``."""
    return [x for k, xs in events(lineage) if k == kind for x in xs]
