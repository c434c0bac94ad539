"""Outputs of a diff for the re-issued document: the 变更对照表 (XLSX, DOCX, CSV) and the
change map (PDF/PNG: old boundaries dashed, new ones solid, changed areas hatched and labelled).

Table columns: 原网格 / 新网格 / 变更类型 / 面积变化 / 责任人变化 / 说明.  Text cells are
written as text, never as formulas (XLSX: string cells through the annex-table writer;
CSV: :mod:`gridmap.core.exchange.cellsafe`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from ..messages import bi
from .diff import TYPE_LABELS

__all__ = ["change_table", "write_change_table", "draw_change_map", "COLUMNS", "polygonal"]

COLUMNS = ["序号", "原网格", "新网格", "变更类型", "面积变化", "责任人变化", "说明"]


def _grid_text(gs) -> str:
    return "\n".join(f"{g['name'] or g['code']}" + (f"（{g['code']}）" if g["name"] and g["code"] else "")
                     for g in gs)


def _area(a) -> str:
    if a is None:
        return ""
    return f"{a / 1e6:,.4f} km²" if a >= 1e5 else f"{a:,.1f} m²"


def _area_text(c: dict) -> str:
    t, a, pct = c["type"], c["area_m2"], c["percent"]
    p = f"（{pct:.1f}%）" if pct is not None else ""
    if t == "split":
        return f"拆出 {_area(a)}{p}"
    if t == "merge":
        return f"并入 {_area(a)}{p}"
    if t == "boundary":
        return "\n".join(f"{f['from']['name'] or f['from']['code']}→{f['to']['name'] or f['to']['code']} "
                         f"{_area(f['area_m2'])}（{f['percent']:.1f}%）" for f in c["flows"])
    if t == "added":
        return f"+{_area(a)}"
    if t == "removed":
        return f"−{_area(a)}"
    if t in ("replaced", "jurisdiction"):
        return _area(a)
    return ""


def change_table(result: dict) -> pd.DataFrame:
    """The 变更对照表 as a table: one row per change, people changes beside their grid
    (a row of their own, 人员调整, where the grid did not change otherwise)."""
    people = {}
    for e in result["people"]:
        key = (e["grid"] or e["old_grid"])["id"], e["grid"] is not None
        people[key] = e
    used = set()
    rows = []
    for c in result["changes"]:
        who = []
        for g in c["new"]:
            k = (g["id"], True)
            if k in people and k not in used:
                who.append((f"{g['name'] or g['code']}：" if len(c["new"]) > 1 else "") + people[k]["detail"])
                used.add(k)
        if c["type"] == "removed":
            for g in c["old"]:
                k = (g["id"], False)
                if k in people and k not in used:
                    who.append(people[k]["detail"])
                    used.add(k)
        rows.append([_grid_text(c["old"]), _grid_text(c["new"]), TYPE_LABELS[c["type"]][0], _area_text(c),
                     "\n".join(who), c["detail"]])
    for k, e in people.items():
        if k in used:
            continue
        rows.append([_grid_text([e["old_grid"]] if e["old_grid"] else []), _grid_text([e["grid"]] if e["grid"] else []),
                     "人员调整", "", e["detail"], ""])
    for s in result["segments"]:
        if not s["grid_changed"] and not s.get("officer_changed"):
            continue
        what = []
        if s["grid_changed"]:
            what.append(f"路段“{s['name'] or s['id']}”由{_grid_text([s['old_grid']]) if s['old_grid'] else '未分配'}"
                        f"调整到{_grid_text([s['new_grid']]) if s['new_grid'] else '未分配'}")
        if s.get("officer_changed"):
            what.append(f"管段队员 {s['old_officer'] or '-'} → {s['new_officer'] or '-'}")
        rows.append([_grid_text([s["old_grid"]]) if s["old_grid"] else "", _grid_text([s["new_grid"]]) if s["new_grid"] else "",
                     "路段调整", "", f"{s['old_officer']} → {s['new_officer']}" if s.get("officer_changed") else "",
                     "；".join(what)])
    for s in result["places"]:
        rows.append([_grid_text([s["old_grid"]]) if s["old_grid"] else "", _grid_text([s["new_grid"]]) if s["new_grid"] else "",
                     "场所调整", "", "", f"“{s['name']}”改属{_grid_text([s['new_grid']]) if s['new_grid'] else '未分配'}"])
    df = pd.DataFrame(rows, columns=COLUMNS[1:])
    df.insert(0, "序号", np.arange(1, len(df) + 1))
    return df


def write_change_table(result: dict, path, title: str = "网格调整变更对照表") -> Path:
    """The table as XLSX, DOCX or CSV (by the file's suffix)."""
    from ..outputs.errors import OutputError

    path = Path(path)
    df = change_table(result)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from ..exchange.tables import write_xlsx

        write_xlsx({"changes": (title, df, None)}, path)
    elif suffix == ".csv":
        from ..exchange.cellsafe import write_csv

        write_csv(df, path)
    elif suffix == ".docx":
        _write_docx(result, df, path, title)
    else:
        raise OutputError(f"{path}: " + bi("变更对照表只能写成 .xlsx、.docx 或 .csv",
                                           "the change table is written as .xlsx, .docx or .csv"))
    return path


def _write_docx(result: dict, df: pd.DataFrame, path: Path, title: str) -> None:
    import docx
    from docx.shared import Mm

    from ..outputs import docx as D

    doc = docx.Document()
    D._styles(doc)
    D._margins(doc.sections[0], landscape=True)
    doc.add_paragraph(title, style="Title")
    src = f"{result['old'].get('source') or result['old']['name']} → {result['new'].get('source') or result['new']['name']}"
    doc.add_paragraph(src, style="Caption")
    widths = [Mm(w) for w in (10, 40, 40, 18, 40, 50, 54)]
    table = doc.add_table(rows=1, cols=len(df.columns))
    table.style = "Table Grid"
    D._fixed_layout(table, widths)
    for cell, col, w in zip(table.rows[0].cells, df.columns, widths):
        D._cell(cell, str(col), w, bold=True, center=True)
    D._repeat_header(table.rows[0])
    for row in df.itertuples(index=False):
        cells = table.add_row().cells
        for j, (cell, v, w) in enumerate(zip(cells, row, widths)):
            D._cell(cell, "" if v is None else str(v), w, center=j in (0, 3))
    doc.save(str(path))


def polygonal(g):
    """The polygon parts of a geometry (a boundary move's pieces can come with lines), or None."""
    if g is None or g.is_empty:
        return None
    parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


_COLOURS = {"split": "#d62728", "merge": "#1f77b4", "replaced": "#9467bd", "added": "#2ca02c",
            "removed": "#7f7f7f", "boundary": "#ff7f0e", "jurisdiction": "#8c564b"}


def draw_change_map(old, new, result: dict, path, title: str = "网格调整变更示意图", dpi: int = 200,
                    paper=(420, 297)) -> Path:
    """The change map: old boundaries dashed, new ones solid, changed areas hatched and
    labelled with their number in the 变更对照表 and their kind."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.lines import Line2D

    from ..outputs.draw import add_lines, add_polygons
    from ..outputs.fonts import find_cjk_font

    path = Path(path)
    font = find_cjk_font()
    geoms = result.get("_geometries") or [None] * len(result["changes"])
    low_old = old.grids_of_level(old.levels[-1].key).geometry.values
    low_new = new.grids_of_level(new.levels[-1].key).geometry.values
    top_new = new.grids_of_level(new.levels[0].key).geometry.values if len(new.levels) > 1 else np.array([])
    rc = {"pdf.fonttype": 42, "ps.fonttype": 42, "hatch.linewidth": 0.6}
    with plt.rc_context(rc):
        fig = plt.figure(figsize=(paper[0] / 25.4, paper[1] / 25.4))
        ax = fig.add_axes([0.03, 0.05, 0.76, 0.86])
        ax.set_aspect("equal")
        ax.set_axis_off()
        b = shapely.union_all(list(low_new) + list(low_old)).bounds if len(low_new) + len(low_old) else (0, 0, 1, 1)
        pad = 0.03 * max(b[2] - b[0], b[3] - b[1])
        ax.set_xlim(b[0] - pad, b[2] + pad)
        ax.set_ylim(b[1] - pad, b[3] + pad)
        items = []
        k = 0
        for i, (c, g) in enumerate(zip(result["changes"], geoms)):
            poly = polygonal(g)
            if poly is None or c["type"] in ("recoded", "renamed", "reparented"):
                continue
            colour = _COLOURS.get(c["type"], "#d62728")
            add_polygons(ax, [poly], facecolors=colour + "22", edgecolors=colour, linewidths=0.6, zorder=2,
                         hatch="///")
            k = i + 1
            items.append((k, c, poly))
        add_lines(ax, low_old, colors="#555555", linewidths=0.9, zorder=3, linestyles=(0, (4, 3)))
        add_lines(ax, low_new, colors="black", linewidths=0.7, zorder=4)
        if len(top_new):
            add_lines(ax, top_new, colors="black", linewidths=1.6, zorder=4)
        for k, c, poly in items:
            pt = shapely.point_on_surface(poly)
            ax.annotate(f"{k} {TYPE_LABELS[c['type']][0]}", (pt.x, pt.y), ha="center", va="center", zorder=6,
                        fontproperties=font.prop(7.5), color="black",
                        bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=_COLOURS.get(c["type"], "red"),
                                  lw=0.5, alpha=0.9))
        # names of the new grids, small
        names = new.grids_of_level(new.levels[-1].key)
        for gname, g in zip(names["name"].astype(str), names.geometry.values):
            if gname and g is not None and not g.is_empty:
                p = shapely.point_on_surface(g)
                ax.text(p.x, p.y, gname, ha="center", va="top", fontproperties=font.prop(5), color="#333333",
                        zorder=5, alpha=0.8)
        fig.text(0.5, 0.955, title, ha="center", va="center", fontproperties=font.prop(18))
        src = f"{result['old'].get('source') or result['old']['name']}  →  {result['new'].get('source') or result['new']['name']}"
        fig.text(0.5, 0.925, src, ha="center", va="center", fontproperties=font.prop(9), color="#333333")
        handles = [Line2D([], [], color="#555555", lw=0.9, ls=(0, (4, 3)), label="原网格边界"),
                   Line2D([], [], color="black", lw=0.7, label="新网格边界")]
        for t in dict.fromkeys(c["type"] for _, c, _ in items):
            handles.append(Patch(facecolor=_COLOURS.get(t, "red") + "22", edgecolor=_COLOURS.get(t, "red"),
                                 hatch="///", label=TYPE_LABELS[t][0]))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), prop=font.prop(9),
                  frameon=False, title="图例", title_fontproperties=font.prop(10))
        lines = [f"{k}. {c['detail']}" for k, c, _ in items][:40]
        import textwrap

        wrapped = []
        for ln in lines:
            wrapped += textwrap.wrap(ln, 30) or [ln]
        fig.text(0.805, 0.70, "\n".join(wrapped[:70]), ha="left", va="top", fontproperties=font.prop(6.5))
        fig.savefig(path, dpi=dpi)
        plt.close(fig)
    return path
