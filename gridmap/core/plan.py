"""The grid plan (网格划分方案): grids, levels, units, people, roles, segments, places.

A :class:`Plan` is plain data in (Geo)DataFrames, one table per concept, with
integer ids as the index, so it is usable with no window, vectorised checks
run over its columns, and storage writes each table as an ordinary GIS layer
or attribute table.

>>> from shapely import box
>>> plan = Plan.new("示例", crs="EPSG:4547", admin_code="440306", levels="two")
>>> plan.set_jurisdiction(box(0, 0, 200, 100))
>>> big = plan.add_grid(box(0, 0, 200, 100), level="large", name="第一大网格")
>>> a = plan.add_grid(box(0, 0, 100, 100), level="small", parent=big, name="甲")
>>> b = plan.add_grid(box(100, 0, 200, 100), level="small", parent=big, name="乙")
>>> plan.auto_number()
>>> plan.grids.loc[[big, a, b], "code"].tolist()
['440306001000', '44030600100001', '44030600100002']
>>> lead = plan.add_unit("区城管局", kind="政府部门")
>>> zhang = plan.add_person("张三", post="城管队员", unit=lead, phone="13800000000")
>>> _ = plan.assign(a, "officer", person=zhang, duty="每日巡查两次")
>>> plan.people_on(a)["name"].tolist()
['张三']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import requirements  # noqa: F401  pandas copy-on-write on, coverage_clean present (checked once)

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from . import codes as _codes
from .crs import areas_m2
from .levels import Level, named_levels

__all__ = ["Plan", "ROLES", "ROLE_LABELS", "ROLE_GROUPS", "PlanError", "FORMAT_VERSION"]

FORMAT_VERSION = 1


class PlanError(ValueError):
    """A request the plan cannot carry out (unknown grid, level, role …)."""


# Roles on a grid (定人、定时、定责).  A role row names a person or a unit.
# Variants the documents name differently keep their own key and label:
# 挂点领导 is not 网格长, 常务副网格长 is not 副网格长; 中队 (a squad unit) →
# 网格责任人 → 队员 per segment are three tiers ("中队管片、网格责任人管块、队员管段").
ROLES: dict[str, str] = {
    "patron": "person",            # 挂点领导 (a county/district leader attached to a grid)
    "leader": "person",            # 网格长
    "executive_deputy": "person",  # 常务副网格长
    "deputy": "person",            # 副网格长
    "officer": "person",           # 网格员、城管队员、协管员 (post and category on the person)
    "responsible": "person",       # 网格责任人 (管块)
    "member": "person",            # 队员 (管段: their street segments)
    "contact": "person",           # 联系人 of a lead/responsible unit
    "squad": "unit",               # 中队 (管片)
    "lead_unit": "unit",           # 牵头单位
    "responsible_unit": "unit",    # 责任单位
    "partner": "unit",             # 协作力量 N: 公安、交警、物业、志愿者队伍 …
}
ROLE_LABELS: dict[str, tuple[str, str]] = {
    "patron": ("挂点领导", "Patron leader"),
    "leader": ("网格长", "Leader"),
    "executive_deputy": ("常务副网格长", "Executive deputy"),
    "deputy": ("副网格长", "Deputy"),
    "officer": ("网格员", "Officer"),
    "responsible": ("网格责任人", "Grid responsible"),
    "member": ("队员", "Team member"),
    "contact": ("联系人", "Contact"),
    "squad": ("中队", "Squad"),
    "lead_unit": ("牵头单位", "Lead unit"),
    "responsible_unit": ("责任单位", "Responsible unit"),
    "partner": ("协作力量", "Partner force"),
}
# What each role counts as for the responsibility rules (no_leader, no_officer, no_unit).
ROLE_GROUPS: dict[str, tuple[str, ...]] = {
    "leader": ("patron", "leader"),
    "deputy": ("executive_deputy", "deputy"),
    "officer": ("officer", "responsible", "member"),
    "unit": ("lead_unit", "responsible_unit", "squad"),
}

# Column layouts.  Ids are the (integer) index of each table.
GRID_COLUMNS = {
    "code": "str", "name": "str", "level": "str", "parent": "Int64",
    "notes": "str", "valid_from": "str", "valid_to": "str", "multipart_ok": "bool",
    "lineage": "str",   # which grids it came from (split/merge/import), see gridmap.core.lineage
}
UNIT_COLUMNS = {"name": "str", "kind": "str", "phone": "str", "notes": "str"}
# category: 在编 / 协管 / 网格员 / 社区工作者 / 志愿者 … (see gridmap.core.staffing)
PERSON_COLUMNS = {"name": "str", "post": "str", "unit": "Int64", "phone": "str", "notes": "str",
                  "category": "str"}
ROLE_COLUMNS = {"grid": "Int64", "role": "str", "person": "Int64", "unit": "Int64", "duty": "str"}
SEGMENT_COLUMNS = {
    "road_name": "str", "from_desc": "str", "to_desc": "str", "grid": "Int64", "officer": "Int64",
    "notes": "str",
}
# person: who answers for the place (小区 → 物业/楼长, 门前三包 shop → its owner)
PLACE_COLUMNS = {"name": "str", "kind": "str", "grid": "Int64", "address": "str", "notes": "str",
                 "person": "Int64"}
# Base layers shown under the plan: a file (path relative to the project file),
# an XYZ/WMTS URL template or an MBTiles file; style is a JSON text.
BASE_LAYER_COLUMNS = {
    "name": "str", "kind": "str", "source": "str", "layer": "str", "style": "str",
    "visible": "bool", "opacity": "float", "order": "Int64",
}
# Running the grids all year (考核、台账、满意度, gridmap.core.assessment): ordinary tables
# linked to grids by id and code.  "num" is a number that may be missing (a score).
ASSESS_ITEM_COLUMNS = {"name": "str", "max_points": "num", "order": "Int64", "notes": "str"}
SCORE_COLUMNS = {"grid": "Int64", "grid_code": "str", "kind": "str", "period": "str", "item": "str",
                 "score": "num", "notes": "str"}
LEDGER_COLUMNS = {"grid": "Int64", "grid_code": "str", "date": "str", "matter": "str", "visitors": "str",
                  "contact": "str", "outcome": "str", "category": "str", "handled_by": "str"}
SURVEY_COLUMNS = {"grid": "Int64", "grid_code": "str", "period": "str", "question": "str",
                  "satisfied": "Int64", "basic": "Int64", "unsatisfied": "Int64", "reasons": "str"}


# (attribute, columns, has geometry) of every table of a plan
TABLES = (
    ("grids", GRID_COLUMNS, True),
    ("units", UNIT_COLUMNS, False),
    ("people", PERSON_COLUMNS, False),
    ("roles", ROLE_COLUMNS, False),
    ("segments", SEGMENT_COLUMNS, True),
    ("places", PLACE_COLUMNS, True),
    ("base_layers", BASE_LAYER_COLUMNS, False),
    ("assess_items", ASSESS_ITEM_COLUMNS, False),
    ("assess_scores", SCORE_COLUMNS, False),
    ("ledger", LEDGER_COLUMNS, False),
    ("survey", SURVEY_COLUMNS, False),
)


def _text(v) -> str:
    """A cell as text: missing → "", 440306.0 → "440306" (codes read as numbers)."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def coerce(df, columns: dict):
    """Give a table its declared column types: text ("" for missing), nullable
    integer ids, booleans.  Unknown extra columns are kept as they are."""
    for col, kind in columns.items():
        if col not in df.columns:
            df[col] = pd.NA if kind == "Int64" else (False if kind == "bool" else "")
        if kind == "str":
            s = df[col]
            # (a column of text only — what a file written by gridmap holds — is kept as it is:
            # mapping 100k cells one by one was most of the time of opening a city, issue 21)
            if s.dtype != object or pd.api.types.infer_dtype(s, skipna=False) != "string":
                df[col] = s.map(_text).astype(object)
        elif kind == "Int64":
            df[col] = pd.array(pd.to_numeric(df[col], errors="coerce"), dtype="Int64")
        elif kind == "bool":
            df[col] = df[col].fillna(False).astype(bool)
        elif kind == "float":
            df[col] = pd.to_numeric(df[col], errors="coerce").fillna(1.0).astype(float)
        elif kind == "num":
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    df.index = pd.Index(df.index.astype(np.int64), name="id")
    if "geometry" in df.columns and df.columns[-1] != "geometry":
        # one column order whatever the source (a file read by GDAL puts the geometry last,
        # a column added here would come after it), so plans compare and version cleanly
        df = df[[c for c in df.columns if c != "geometry"] + ["geometry"]]
    return df


def coerce_value(v, kind: str):
    """One cell given its column's declared type (as :func:`coerce` does for a column).

    >>> coerce_value(440306.0, "str"), coerce_value("12", "Int64"), coerce_value(None, "Int64")
    ('440306', 12, <NA>)
    """
    if kind == "str":
        return _text(v)
    if kind == "Int64":
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return pd.NA
        n = pd.to_numeric(v, errors="coerce")
        return pd.NA if pd.isna(n) else int(n)
    if kind == "bool":
        return False if v is None or (not isinstance(v, str) and pd.isna(v)) else bool(v)
    if kind == "float":
        n = pd.to_numeric(v, errors="coerce")
        return 1.0 if pd.isna(n) else float(n)
    if kind == "num":
        n = pd.to_numeric(v, errors="coerce")
        return float("nan") if pd.isna(n) else float(n)
    return v


def _empty(columns: dict, crs=None, geometry: bool = False):
    data = {k: pd.Series(dtype=("object" if v == "str" else "float" if v == "num" else v))
            for k, v in columns.items()}
    if geometry:
        return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=crs), crs=crs).rename_axis("id")
    return pd.DataFrame(data).rename_axis("id")


def _next_id(df: pd.DataFrame) -> int:
    return int(df.index.max()) + 1 if len(df) else 1


def _append(df, row: dict, columns: dict, crs=None):
    new_id = _next_id(df)
    idx = pd.Index([new_id], name="id")
    if isinstance(df, gpd.GeoDataFrame):
        add = gpd.GeoDataFrame([row], index=idx, geometry="geometry", crs=crs)
        out = gpd.GeoDataFrame(pd.concat([df, add]) if len(df) else add, geometry="geometry", crs=crs)
    else:
        add = pd.DataFrame([row], index=idx)
        out = pd.concat([df, add]) if len(df) else add
    return coerce(out, columns), new_id


@dataclass
class Plan:
    """A grid plan: one jurisdiction divided into grids on several levels."""

    name: str
    crs: CRS
    admin_code: str = ""
    levels: list[Level] = field(default_factory=list)
    jurisdiction: shapely.Geometry | None = None
    grids: gpd.GeoDataFrame | None = None
    units: pd.DataFrame | None = None
    people: pd.DataFrame | None = None
    roles: pd.DataFrame | None = None
    segments: gpd.GeoDataFrame | None = None
    places: gpd.GeoDataFrame | None = None
    base_layers: pd.DataFrame | None = None
    assess_items: pd.DataFrame | None = None
    assess_scores: pd.DataFrame | None = None
    ledger: pd.DataFrame | None = None
    survey: pd.DataFrame | None = None
    settings: dict[str, str] = field(default_factory=dict)
    #: the named versions kept in the project file (see :mod:`gridmap.core.versions`); not plan
    #: content: the edit buffer never changes it, the store loads and saves it with the plan
    versions: pd.DataFrame | None = None

    def __post_init__(self):
        self.crs = CRS.from_user_input(self.crs)
        for attr, columns, geometry in TABLES:
            df = getattr(self, attr)
            if df is None:
                df = _empty(columns, self.crs, geometry=geometry)
            else:  # tables given in bulk (storage, import, generators): normalise types
                df = coerce(df.copy(), columns)
                if geometry and df.crs is None:
                    df = df.set_crs(self.crs)
            setattr(self, attr, df)

    # ------------------------------------------------------------------ build
    @classmethod
    def new(cls, name: str, crs, admin_code: str = "", levels: str | list[Level] = "two",
            scheme: str = "GB14") -> "Plan":
        """An empty plan with a level preset (``"five"``/``"two"``), level names ("县城大网格/小网格") or explicit levels."""
        lv = named_levels(levels, scheme) if isinstance(levels, str) else list(levels)
        if not lv:
            raise PlanError("a plan needs at least one level")
        if admin_code and not (admin_code.isdigit() and len(admin_code) == 6):
            raise PlanError(f"administrative code {admin_code!r} is not a 6-digit GB/T 2260 code")
        return cls(name=name, crs=crs, admin_code=admin_code, levels=lv)

    def set_jurisdiction(self, geom) -> None:
        """Set the jurisdiction boundary (辖区), a polygon in the plan CRS."""
        if geom is not None and geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise PlanError(f"jurisdiction must be a polygon, not {geom.geom_type}")
        self.jurisdiction = geom

    # ------------------------------------------------------------------ levels
    def level(self, key: str) -> Level:
        for lv in self.levels:
            if lv.key == key or lv.name == key:
                return lv
        raise PlanError(f"plan has no level {key!r} (levels: {', '.join(l.key for l in self.levels)})")

    def level_index(self, key: str) -> int:
        return self.levels.index(self.level(key))

    @property
    def level_keys(self) -> list[str]:
        return [lv.key for lv in self.levels]

    # ------------------------------------------------------------------ grids
    def add_grid(self, geometry, level: str, parent: int | None = None, code: str = "",
                 name: str = "", notes: str = "", valid_from: str = "", valid_to: str = "",
                 multipart_ok: bool = False) -> int:
        """Add a grid and return its id.  ``parent`` is required below the top level."""
        lv = self.level(level)
        idx = self.levels.index(lv)
        if idx > 0:
            if parent is None:
                raise PlanError(f"a {lv.name} grid needs a parent {self.levels[idx - 1].name} grid")
            if parent not in self.grids.index:
                raise PlanError(f"parent grid {parent} does not exist")
            if self.grids.at[parent, "level"] != self.levels[idx - 1].key:
                raise PlanError(f"parent of a {lv.name} grid must be a {self.levels[idx - 1].name} grid")
        elif parent is not None:
            raise PlanError(f"{lv.name} is the top level: its grids have no parent")
        row = dict(code=str(code or ""), name=str(name or ""), level=lv.key,
                   parent=pd.NA if parent is None else int(parent), notes=notes,
                   valid_from=valid_from, valid_to=valid_to, multipart_ok=bool(multipart_ok),
                   geometry=geometry)
        self.grids, gid = _append(self.grids, row, GRID_COLUMNS, self.crs)
        return gid

    def grid_by_code(self, code: str) -> int:
        hit = self.grids.index[self.grids["code"] == str(code)]
        if len(hit) == 0:
            raise PlanError(f"no grid with code {code!r}")
        return int(hit[0])

    def grids_of_level(self, level: str) -> gpd.GeoDataFrame:
        return self.grids[self.grids["level"] == self.level(level).key]

    def children(self, grid_id: int) -> gpd.GeoDataFrame:
        return self.grids[self.grids["parent"] == grid_id]

    def parent_code(self, grid_id: int) -> str:
        p = self.grids.at[grid_id, "parent"]
        return "" if pd.isna(p) else str(self.grids.at[int(p), "code"])

    def grid_areas(self) -> pd.Series:
        """Area of every grid in m²."""
        return pd.Series(areas_m2(self.grids.geometry.values, self.crs), index=self.grids.index)

    def auto_number(self, level: str | None = None, overwrite: bool = True, order=None) -> None:
        """Number grids within each parent, west→east and north→south, by the level patterns.

        Levels are numbered top-down so children extend their parent's new code.
        ``order`` (default :func:`gridmap.core.codes.reading_order`) gives the
        reading order of an array of geometries.
        """
        order_of = order or _codes.reading_order
        keys = self.level_keys if level is None else [self.level(level).key]
        for key in keys:
            lv = self.level(key)
            sub = self.grids[self.grids["level"] == key]
            for parent, group in sub.groupby(sub["parent"].astype("float").fillna(-1)):
                parent_code = "" if parent == -1 else str(self.grids.at[int(parent), "code"])
                free = _codes.has_free_digits(lv.code_pattern)
                seq = 0
                for i in order_of(group.geometry.values):
                    gid = group.index[i]
                    seq += 1
                    code = _codes.format_code(lv.code_pattern, seq, admin=self.admin_code, parent=parent_code)
                    if code == parent_code:      # a grid never takes its parent's code (city 440301 / district)
                        seq += 1
                        code = _codes.format_code(lv.code_pattern, seq, admin=self.admin_code, parent=parent_code)
                    old = str(self.grids.at[gid, "code"] or "")
                    # digits the planner typed ({code:N}, e.g. a GB/T 2260 code) are kept when they fit
                    if free and old and _codes.is_valid_code(old, lv.code_pattern, self.admin_code, parent_code):
                        continue
                    if overwrite or not old:
                        self.grids.at[gid, "code"] = code

    # ------------------------------------------------------------------ people and units
    def add_unit(self, name: str, kind: str = "", phone: str = "", notes: str = "") -> int:
        self.units, uid = _append(self.units, dict(name=name, kind=kind, phone=str(phone), notes=notes),
                                  UNIT_COLUMNS)
        return uid

    def add_person(self, name: str, post: str = "", unit: int | None = None, phone: str = "",
                   notes: str = "", category: str | None = None) -> int:
        """Add a person; ``category`` (在编, 协管 …) defaults to the preset of their post."""
        if unit is not None and unit not in self.units.index:
            raise PlanError(f"unit {unit} does not exist")
        if category is None:
            from .staffing import preset_category

            category = preset_category(post)
        self.people, pid = _append(self.people, dict(
            name=name, post=post, unit=pd.NA if unit is None else int(unit), phone=str(phone), notes=notes,
            category=category), PERSON_COLUMNS)
        return pid

    def assign(self, grid: int, role: str, person: int | None = None, unit: int | None = None,
               duty: str = "") -> int:
        """Give a person or a unit a role on a grid; returns the role row id."""
        self.validate_role(grid, role, person, unit)
        self.roles, rid = _append(self.roles, dict(
            grid=int(grid), role=role, person=pd.NA if person is None else int(person),
            unit=pd.NA if unit is None else int(unit), duty=duty), ROLE_COLUMNS)
        return rid

    def validate_role(self, grid: int, role: str, person: int | None = None, unit: int | None = None) -> None:
        """Raise :class:`PlanError` unless the role names an existing grid and person or unit."""
        if role not in ROLES:
            raise PlanError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
        if grid not in self.grids.index:
            raise PlanError(f"grid {grid} does not exist")
        if ROLES[role] == "person":
            if person is None or person not in self.people.index:
                raise PlanError(f"role {role} needs an existing person")
        elif unit is None or unit not in self.units.index:
            raise PlanError(f"role {role} needs an existing unit")

    def roles_of(self, grid: int, role: str | None = None) -> pd.DataFrame:
        r = self.roles[self.roles["grid"] == grid]
        return r if role is None else r[r["role"] == role]

    def people_on(self, grid: int, role: str | None = None) -> pd.DataFrame:
        ids = self.roles_of(grid, role)["person"].dropna().astype(int)
        return self.people.loc[ids]

    def units_on(self, grid: int, role: str | None = None) -> pd.DataFrame:
        ids = self.roles_of(grid, role)["unit"].dropna().astype(int)
        return self.units.loc[ids]

    def duties_of(self, person: int | None = None, unit: int | None = None) -> pd.DataFrame:
        """Where a person (or a unit) is on duty: their role rows."""
        if person is not None:
            return self.roles[self.roles["person"] == person]
        return self.roles[self.roles["unit"] == unit] if unit is not None else self.roles.iloc[0:0]

    def on_duty(self, person: int | None = None, unit: int | None = None) -> tuple[list[int], list[int], str]:
        """Where a person or unit is on duty: (grid ids, street segment ids, their name).

        A person's segments are those they are the officer of; a unit has none.
        """
        grids = sorted({int(g) for g in self.duties_of(person, unit)["grid"].dropna()} & set(self.grids.index))
        if person is not None:
            segs = [int(s) for s in self.segments.index[self.segments["officer"] == person]]
            who = str(self.people.at[person, "name"]) if person in self.people.index else ""
        else:
            segs = []
            who = str(self.units.at[unit, "name"]) if unit is not None and unit in self.units.index else ""
        return grids, segs, who

    # ------------------------------------------------------------------ segments and places
    def add_segment(self, geometry, road_name: str = "", grid: int | None = None,
                    officer: int | None = None, from_desc: str = "", to_desc: str = "",
                    notes: str = "") -> int:
        self.segments, sid = _append(self.segments, dict(
            road_name=road_name, from_desc=from_desc, to_desc=to_desc,
            grid=pd.NA if grid is None else int(grid), officer=pd.NA if officer is None else int(officer),
            notes=notes, geometry=geometry), SEGMENT_COLUMNS, self.crs)
        return sid

    def add_place(self, geometry, name: str, kind: str = "", grid: int | None = None,
                  address: str = "", notes: str = "", person: int | None = None) -> int:
        """Add a place (小区, 门前三包 shop, station …); ``person`` answers for it."""
        if person is not None and person not in self.people.index:
            raise PlanError(f"person {person} does not exist")
        self.places, pid = _append(self.places, dict(
            name=name, kind=kind, grid=pd.NA if grid is None else int(grid), address=address,
            notes=notes, person=pd.NA if person is None else int(person), geometry=geometry), PLACE_COLUMNS, self.crs)
        return pid

    def assign_by_location(self, level: str | None = None) -> None:
        """Assign segments (by the grid holding most of their length) and places
        (by containment of a point on them) to grids of ``level`` (default: the lowest)."""
        grids = self.grids_of_level(level or self.levels[-1].key)
        if len(grids) == 0:
            return
        gvals = grids.geometry.values
        tree = shapely.STRtree(gvals)
        if len(self.places):
            pts = shapely.point_on_surface(self.places.geometry.values)
            src, dst = tree.query(pts, predicate="intersects")
            grid_col = pd.array([pd.NA] * len(pts), dtype="Int64")
            grid_col[src] = grids.index.values[dst]
            self.places["grid"] = grid_col
        if len(self.segments):
            segs = self.segments.geometry.values
            src, dst = tree.query(segs, predicate="intersects")
            lengths = shapely.length(shapely.intersection(segs[src], gvals[dst]))
            best: dict[int, tuple[float, int]] = {}
            for s, d, ln in zip(src, dst, lengths):
                if ln > best.get(s, (0.0, -1))[0]:
                    best[s] = (ln, d)
            grid_col = pd.array([pd.NA] * len(segs), dtype="Int64")
            for s, (_, d) in best.items():
                grid_col[s] = grids.index.values[d]
            self.segments["grid"] = grid_col

    def add_base_layer(self, name: str, source: str, kind: str = "vector", layer: str = "",
                       style: str = "", visible: bool = True, opacity: float = 1.0) -> int:
        """Record a base layer (kind: vector, raster, tiles, mbtiles) drawn under the plan.

        Bottom-most first: the new layer goes on top of the existing base layers.
        """
        order = int(self.base_layers["order"].max()) + 1 if len(self.base_layers) else 0
        self.base_layers, bid = _append(self.base_layers, dict(
            name=name, kind=kind, source=source, layer=layer, style=style, visible=visible,
            opacity=opacity, order=order), BASE_LAYER_COLUMNS)
        return bid

    # ------------------------------------------------------------------ summary
    def summary(self) -> dict:
        """Counts and totals for ``gridmap info`` and status displays."""
        areas = self.grid_areas()
        per_level = []
        for lv in self.levels:
            mask = self.grids["level"] == lv.key
            per_level.append(dict(key=lv.key, name=lv.name, grids=int(mask.sum()),
                                  area_m2=float(areas[mask].sum())))
        jur_area = float(areas_m2([self.jurisdiction], self.crs)[0]) if self.jurisdiction is not None else 0.0
        return dict(
            name=self.name, crs=self.crs.to_string(), crs_name=self.crs.name,
            admin_code=self.admin_code, jurisdiction_area_m2=jur_area, levels=per_level,
            units=int(len(self.units)), people=int(len(self.people)), roles=int(len(self.roles)),
            segments=int(len(self.segments)),
            segment_length_m=float(shapely.length(self.segments.geometry.values).sum()) if len(self.segments) else 0.0,
            places=int(len(self.places)),
        )

    def copy(self) -> "Plan":
        """An independent copy.  The tables are already typed: they are copied, not
        normalised again (that re-converted every text column: seconds at 100k grids).

        >>> from shapely import box
        >>> p = Plan.new("例", "EPSG:4547", levels="two")
        >>> g = p.add_grid(box(0, 0, 1, 1), "large", name="甲")
        >>> q = p.copy(); q.grids.at[g, "name"] = "乙"
        >>> p.grids.at[g, "name"], q.grids.at[g, "name"], q.grids["parent"].dtype
        ('甲', '乙', Int64Dtype())
        """
        import dataclasses

        out = object.__new__(Plan)
        for f in dataclasses.fields(Plan):
            setattr(out, f.name, getattr(self, f.name))
        out.levels = list(self.levels)
        out.settings = dict(self.settings)
        for attr, _, _ in TABLES:
            setattr(out, attr, getattr(self, attr).copy())
        out.versions = None if self.versions is None else self.versions.copy()
        return out


def ids(values) -> np.ndarray:
    """Integer ids from a nullable column, NA as -1 (for vectorised joins)."""
    return pd.array(values, dtype="Int64").fillna(-1).to_numpy(dtype=np.int64)
