"""Roster import: people and units from XLSX/CSV joined to grids by code or name.

Each row names a grid (by code, or by name), a person (name, phone, post,
unit) or a unit, and a role (网格长, 网格员, 牵头单位 …).  Rows are joined
to the plan's grids by code first — codes Excel turned into numbers get
their leading zeros back when exactly one grid code matches — else by name.
Nothing is silently dropped: rows that match no grid, match several grids,
or name an unknown role are listed with their row numbers.

A title row above the header (as in printed annexes) is skipped: the header
is the first row that has a known column name.

>>> ROLE_WORDS["网格长"], ROLE_WORDS["责任单位"]
('leader', 'responsible_unit')
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..plan import ROLES, Plan
from ..messages import bi, wrap
from . import ExchangeError
from .encoding import codec_for, detect_encoding

__all__ = ["RosterMapping", "RosterResult", "import_roster", "read_roster", "ROLE_WORDS"]

ROLE_WORDS = {
    "网格长": "leader", "挂点领导/网格长": "leader", "组长": "leader", "leader": "leader",
    # variants the documents name apart (挂点领导 is not 网格长; 中队管片、网格责任人管块、队员管段)
    "挂点领导": "patron", "挂点县领导": "patron", "挂点区领导": "patron", "patron": "patron",
    "常务副网格长": "executive_deputy", "executive_deputy": "executive_deputy",
    "网格责任人": "responsible", "责任人": "responsible", "responsible": "responsible",
    "队员": "member", "member": "member", "联系人": "contact", "contact": "contact",
    "中队": "squad", "squad": "squad",
    "副网格长": "deputy", "deputy": "deputy",
    "网格员": "officer", "城管队员": "officer", "协管员": "officer", "专职网格员": "officer",
    "兼职网格员": "officer", "officer": "officer",
    "牵头单位": "lead_unit", "lead_unit": "lead_unit",
    "责任单位": "responsible_unit", "responsible_unit": "responsible_unit",
    "协作力量": "partner", "协作单位": "partner", "partner": "partner",
}
_COLUMNS = {
    "grid_code": ("网格编号", "网格编码", "网格代码", "grid_code", "code", "编号"),
    "grid_name": ("网格名称", "网格", "grid_name", "grid"),
    "person": ("姓名", "人员", "name", "person"),
    "phone": ("联系电话", "电话", "手机", "手机号码", "phone"),
    "post": ("职务", "岗位", "post"),
    "category": ("类别", "人员类别", "身份", "编制", "category"),
    "unit": ("所在单位", "单位", "工作单位", "unit"),
    "role": ("网格角色", "角色", "职责类型", "role"),
    "duty": ("职责", "工作职责", "duty"),
}


@dataclass
class RosterMapping:
    """Roster columns (None: found by the usual Chinese/English header names)."""

    grid_code: str | None = None
    grid_name: str | None = None
    person: str | None = None
    phone: str | None = None
    post: str | None = None
    category: str | None = None      # 在编 / 协管 … (default: the preset of the post)
    unit: str | None = None
    role: str | None = None
    duty: str | None = None
    default_role: str | None = None


@dataclass
class RosterResult:
    rows: int = 0
    matched: int = 0
    people_added: int = 0
    units_added: int = 0
    roles_added: int = 0
    unmatched: list[tuple[int, str]] = field(default_factory=list)    # (row number, why)
    ambiguous: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.rows} rows: {self.matched} joined to grids ({self.roles_added} roles, "
                f"{self.people_added} new people, {self.units_added} new units), "
                f"{len(self.unmatched)} unmatched, {len(self.ambiguous)} ambiguous")

    def problem_lines(self) -> list[str]:
        return ([f"unmatched row {r}: {why}" for r, why in self.unmatched]
                + [f"ambiguous row {r}: {why}" for r, why in self.ambiguous]
                + [f"note: {n}" for n in self.notes])


def _cell(v) -> str:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _arithmetic(formula: str):
    """The value of a formula of plain numbers and + - * / ( ), else None.

    >>> _arithmetic("=1380000+1"), _arithmetic("=(2+3)*4"), _arithmetic("=SUM(A1:A3)")
    (1380001, 20, None)
    """
    import ast
    import operator

    ops = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.USub: operator.neg, ast.UAdd: operator.pos}

    def ev(n):
        if isinstance(n, ast.Constant) and isinstance(n.value, (int, float)):
            return n.value
        if isinstance(n, ast.BinOp) and type(n.op) in ops:
            return ops[type(n.op)](ev(n.left), ev(n.right))
        if isinstance(n, ast.UnaryOp) and type(n.op) in ops:
            return ops[type(n.op)](ev(n.operand))
        raise ValueError
    try:
        return ev(ast.parse(formula.lstrip("="), mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError):
        return None


def _read_xlsx(path: Path, sheet, notes: list[str]) -> pd.DataFrame:
    """The sheet's cells by value: formulas give their cached result (or, never calculated, the
    value of plain arithmetic, else the formula text, with a note); every cell of a merged range
    has the range's value (a street merged over its rows)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    values_wb = load_workbook(path, data_only=True, read_only=False)
    formulas_wb = load_workbook(path, data_only=False, read_only=False)
    name = sheet if isinstance(sheet, str) else values_wb.sheetnames[int(sheet or 0)]
    ws, wf = values_wb[name], formulas_wb[name]
    grid = [[c.value for c in row] for row in ws.iter_rows()]
    for i, row in enumerate(wf.iter_rows()):
        for j, c in enumerate(row):
            if c.data_type == "f" and grid[i][j] is None:
                v = _arithmetic(str(c.value))
                ref = f"{get_column_letter(j + 1)}{i + 1}"
                if v is not None:
                    grid[i][j] = v
                    notes.append(f"cell {ref}: formula {c.value} was never calculated; read as {_cell(v)}")
                else:
                    grid[i][j] = str(c.value)
                    notes.append(f"cell {ref}: formula {c.value} was never calculated (save it in Excel); "
                                 "read as its text")
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(grid) else None
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                grid[r][c] = top
    return pd.DataFrame(grid, dtype=object)


def read_roster(path, encoding: str | None = None, sheet=None,
                notes: list[str] | None = None) -> tuple[pd.DataFrame, int]:
    """The roster table as text and the (1-based) row number of its header; what had to be
    inferred (uncalculated formulas) is appended to ``notes``."""
    notes = [] if notes is None else notes
    path = Path(path)
    if not path.exists():
        raise ExchangeError(f"{path}: " + bi("文件不存在", "file not found"))
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            raw = _read_xlsx(path, sheet, notes)
        elif path.suffix.lower() in (".csv", ".txt"):
            data = path.read_bytes()
            codec = codec_for(encoding) if encoding else ("utf-8-sig" if data.startswith(b"\xef\xbb\xbf")
                                                         else detect_encoding(data.splitlines()[:2000]).codec)
            raw = pd.read_csv(io.StringIO(data.decode(codec)), header=None, dtype=str, keep_default_na=False,
                              sep=None, engine="python")
        else:
            raise ExchangeError(f"{path}: " + bi("人员名单应为 XLSX 或 CSV 文件", "a roster is an XLSX or CSV file"))
    except ExchangeError:
        raise
    except Exception as exc:
        raise ExchangeError(f"{path}: " + wrap("无法读取人员名单", "cannot read the roster", exc)) from exc
    known = {n.lower() for names in _COLUMNS.values() for n in names}
    for i in range(min(len(raw), 6)):
        cells = [_cell(v).lower() for v in raw.iloc[i]]
        if sum(c in known for c in cells) >= 2:
            header = [_cell(v) or f"列{j + 1}" for j, v in enumerate(raw.iloc[i])]
            df = raw.iloc[i + 1:].copy()
            df.columns = header
            df = df.map(_cell)
            df = df[(df != "").any(axis=1)]
            return df, i + 1
    raise ExchangeError(f"{path}: " + bi("前几行中找不到表头（应有 网格编号/网格名称、姓名、联系电话、角色 等列）",
                                        "no header row found in the first rows (expected columns such as "
                                        "网格编号/网格名称, 姓名, 联系电话, 角色)"))


def _resolve_columns(df: pd.DataFrame, mapping: RosterMapping, path) -> dict[str, str | None]:
    cols = {}
    lower = {c.lower(): c for c in df.columns}
    for key, names in _COLUMNS.items():
        given = getattr(mapping, key)
        if given:
            if given not in df.columns:
                raise ExchangeError(f"{path}: " + bi(f"没有列 {given!r}；列有：", f"no column {given!r}; columns: ")
                                    + ", ".join(map(str, df.columns)))
            cols[key] = given
        else:
            cols[key] = next((lower[n.lower()] for n in names if n.lower() in lower), None)
    if not cols["grid_code"] and not cols["grid_name"]:
        raise ExchangeError(f"{path}: " + bi("没有网格列（网格编号 或 网格名称）；列有：", "no grid column (网格编号 or 网格名称); columns: ")
                            + ", ".join(map(str, df.columns)))
    if not cols["person"] and not cols["unit"]:
        raise ExchangeError(f"{path}: " + bi("没有人员（姓名）或单位（单位）列；列有：", "no person (姓名) or unit (单位) column; columns: ")
                            + ", ".join(map(str, df.columns)))
    return cols


def import_roster(plan: Plan, path, mapping: RosterMapping | None = None, encoding: str | None = None,
                  sheet=None) -> RosterResult:
    """Add the roster's people, units and roles to ``plan``; returns what matched and what did not."""
    mapping = mapping or RosterMapping()
    read_notes: list[str] = []
    df, header_row = read_roster(path, encoding, sheet, read_notes)
    cols = _resolve_columns(df, mapping, path)
    res = RosterResult(rows=len(df), notes=read_notes)
    codes = plan.grids["code"]
    by_code = {c: int(i) for i, c in codes.items() if c}
    by_name: dict[str, list[int]] = {}
    for i, n in plan.grids["name"].items():
        if n:
            by_name.setdefault(n, []).append(int(i))
    people_key = {(r["name"], r["phone"]): int(i) for i, r in plan.people.iterrows()}
    unit_key = {r["name"]: int(i) for i, r in plan.units.iterrows()}
    default_role = ROLE_WORDS.get(mapping.default_role or "", mapping.default_role)
    if default_role and default_role not in ROLES:
        raise ExchangeError(bi(f"未知角色 {mapping.default_role!r}；角色有：", f"unknown role {mapping.default_role!r}; roles: ")
                            + ", ".join(ROLE_WORDS))

    def get(row, key):
        c = cols.get(key)
        return row[c] if c else ""

    for k, (_, row) in enumerate(df.iterrows()):
        rowno = header_row + 1 + k
        code, gname = get(row, "grid_code"), get(row, "grid_name")
        gid = None
        if code:
            if code in by_code:
                gid = by_code[code]
            elif code.isdigit():
                hits = [c for c in by_code if c.lstrip("0") == code.lstrip("0") and len(c) > len(code)]
                if len(hits) == 1:
                    gid = by_code[hits[0]]
                    res.notes.append(f"row {rowno}: code {code} matched {hits[0]} (leading zeros restored)")
        if gid is None and gname:
            hits = by_name.get(gname, [])
            if len(hits) == 1:
                gid = hits[0]
            elif len(hits) > 1:
                res.ambiguous.append((rowno, f"grid name {gname!r} fits {len(hits)} grids: "
                                             + ", ".join(codes[h] for h in hits)))
                continue
        if gid is None:
            res.unmatched.append((rowno, f"no grid with code {code!r}" + (f" or name {gname!r}" if gname else "")
                                  if code else f"no grid named {gname!r}" if gname else "no grid given"))
            continue
        if code and gname and plan.grids.at[gid, "name"] != gname and code in by_code:
            res.notes.append(f"row {rowno}: code {code} is grid {plan.grids.at[gid, 'name']!r}, not {gname!r}")
        word = get(row, "role")
        role = ROLE_WORDS.get(word, word) if word else default_role
        if not role:
            role = "officer" if get(row, "person") else "responsible_unit"
        if role not in ROLES:
            res.unmatched.append((rowno, f"unknown role {word!r} (roles: 挂点领导, 网格长, 常务副网格长, 副网格长, 网格员, 网格责任人, 队员, 联系人, 中队, 牵头单位, 责任单位, 协作力量)"))
            continue
        unit_name = get(row, "unit")
        uid = None
        if unit_name:
            uid = unit_key.get(unit_name)
            if uid is None:
                uid = plan.add_unit(unit_name)
                unit_key[unit_name] = uid
                res.units_added += 1
        if ROLES[role] == "person":
            name, phone = get(row, "person"), get(row, "phone")
            if not name:
                res.unmatched.append((rowno, f"role {word or role} needs a person's name"))
                continue
            pid = people_key.get((name, phone))
            if pid is None:
                pid = plan.add_person(name, post=get(row, "post"), unit=uid, phone=phone,
                                      category=get(row, "category") or None)
                people_key[(name, phone)] = pid
                res.people_added += 1
            plan.assign(gid, role, person=pid, duty=get(row, "duty"))
        else:
            if uid is None:
                res.unmatched.append((rowno, f"role {word or role} needs a unit name"))
                continue
            plan.assign(gid, role, unit=uid, duty=get(row, "duty"))
        res.roles_added += 1
        res.matched += 1
    return res
