"""Coverage rules over arrays of polygons: one level of grids at a time.

Pure, vectorised functions over numpy arrays of shapely geometries in a
metric CRS.  They return :class:`Finding` records that name grids by their
*position* in the input array; :mod:`gridmap.core.checks.runner` turns them
into :class:`~gridmap.core.checks.problems.Problem` records with codes.

How a level is checked, fast and exactly:

1. ``invalid``: :func:`shapely.is_valid_reason` on every grid; invalid grids are
   measured through a :func:`shapely.make_valid` copy (:func:`polygonal`), so
   one bad ring never stops the run.
2. One :func:`shapely.coverage_invalid_edges` call flags every grid with an
   edge that is not exactly matched by its neighbour (GEOS ≥ 3.12); only the
   flagged grids and their neighbours are examined pair by pair
   (:func:`pair_findings`: exact intersection areas → ``overlap``/``sliver``,
   otherwise ``edge_mismatch``).
3. Gaps are each region (the jurisdiction, or each parent grid) minus the
   union of its own grids, and ``outside_*`` the union minus the region
   (:func:`nesting_findings`).  The unions of all regions are built in one
   vectorised :func:`shapely.coverage_union_all` call (linear time) for the
   grids that fit exactly, plus an overlay union of the flagged ones; a region
   its union reproduces vertex for vertex needs no overlay at all.

>>> from shapely import box
>>> grids = np.array([box(0, 0, 10, 10), box(9, 0, 20, 10)])
>>> found = check_level(grids, region=box(0, 0, 20, 20))
>>> sorted((f.rule, f.members, round(f.area, 1)) for f in found)
[('gap', (1, 0), 200.0), ('overlap', (0, 1), 10.0)]
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import math

import numpy as np
import shapely
from shapely.errors import GEOSException

__all__ = [
    "Finding",
    "GridIndex",
    "LevelState",
    "GEOMETRY_RULES",
    "invalid_reasons",
    "invalid_findings",
    "polygonal",
    "polygon_part",
    "part_counts",
    "widths",
    "WIDTH_RTOL",
    "invalid_edges",
    "candidate_pairs",
    "pair_findings",
    "gap_findings",
    "group_unions",
    "union_of",
    "nesting_findings",
    "hole_gaps",
    "union_holes",
    "outside_parts",
    "multipart_findings",
    "check_level",
    "REASON_ZH",
]

EMPTY = shapely.Polygon()


@dataclass
class Finding:
    """A raw coverage finding: the rule, the positions of the grids involved,
    the location (metric CRS), area m², width m, a detail text and extras."""

    rule: str
    members: tuple
    geometry: object
    area: float | None = None
    width: float | None = None
    detail: str = ""
    extra: dict = field(default_factory=dict)
    scope: int | None = None      # gaps: index of the region (parent) they were computed in
    ranks: tuple = ()             # gaps: each member's shared border in whole µm (the order of members)


class GridIndex:
    """A spatial index over a level's polygons that stays correct while grids are edited.

    :class:`shapely.STRtree` is immutable: it is built once, and edited grids
    are kept aside — queries drop the tree's (stale) hits on them and test
    their current geometry directly.  With no edits, queries go straight to
    the tree.

    >>> from shapely import box
    >>> idx = GridIndex(np.array([box(0, 0, 1, 1), box(1, 0, 2, 1)]))
    >>> idx.set(1, box(5, 5, 6, 6))
    >>> idx.query(np.array([box(0.5, 0.5, 5.5, 5.5)]), predicate="intersects")[1].tolist()
    [0, 1]
    >>> idx.query(np.array([box(1, 0, 2, 1)]), predicate="intersects")[1].tolist()
    [0]
    """

    def __init__(self, polys):
        self.polys = np.array(polys, dtype=object)
        self.tree = shapely.STRtree(self.polys)
        self.edited: set[int] = set()

    def __len__(self) -> int:
        return len(self.polys)

    # beyond this many edited grids, rebuilding the tree (~30 ms at 100k grids) is cheaper
    # than testing them aside on every query
    REBUILD = 128

    def set(self, pos: int, geom) -> None:
        """Replace grid ``pos``'s geometry."""
        self.polys[pos] = geom
        self.edited.add(int(pos))

    def query(self, geoms, predicate: str | None = None, distance: float | None = None):
        """(input positions, grid positions) like :meth:`shapely.STRtree.query`."""
        geoms = np.atleast_1d(np.asarray(geoms, dtype=object))
        if len(self.edited) > self.REBUILD:
            self.tree = shapely.STRtree(self.polys)
            self.edited = set()
        if not self.edited:
            if predicate == "dwithin":
                return self.tree.query(geoms, predicate="dwithin", distance=distance)
            return self.tree.query(geoms, predicate=predicate)
        src, dst = self.tree.query(geoms)
        ed = np.fromiter(self.edited, dtype=np.int64)
        keep = ~np.isin(dst, ed)
        src, dst = src[keep], dst[keep]
        eb = shapely.bounds(self.polys[ed])
        gb = shapely.bounds(geoms)
        pad = float(distance or 0.0)
        hit = ((gb[:, None, 0] - pad <= eb[None, :, 2]) & (eb[None, :, 0] <= gb[:, None, 2] + pad)
               & (gb[:, None, 1] - pad <= eb[None, :, 3]) & (eb[None, :, 1] <= gb[:, None, 3] + pad))
        hs, he = np.nonzero(hit)
        src = np.concatenate([src, hs])
        dst = np.concatenate([dst, ed[he]])
        if predicate is not None and len(src):
            a, b = geoms[src], self.polys[dst]
            if predicate == "dwithin":
                ok = shapely.dwithin(a, b, distance)
            else:
                ok = getattr(shapely, predicate)(a, b)
            src, dst = src[ok], dst[ok]
        order = np.lexsort((dst, src))
        return src[order], dst[order]


# ---------------------------------------------------------------------------- validity

REASON_ZH = {
    "Self-intersection": "边界自相交",
    "Ring Self-intersection": "环自相交",
    "Too few points in geometry component": "环的点数过少",
    "Hole lies outside shell": "内环位于外环之外",
    "Nested holes": "内环嵌套",
    "Interior is disconnected": "内部不连通",
    "Nested shells": "外环嵌套",
    "Duplicate Rings": "重复的环",
    "Invalid Coordinate": "坐标无效",
    "Ring is not closed": "环未闭合",
    "empty geometry": "空几何",
    "unreadable geometry": "几何无法读取",
    "unclosed ring": "环未闭合",
}
_REASON = re.compile(r"^(.*?)\s*\[\s*([-+0-9.eE]+|nan|inf)\s+([-+0-9.eE]+|nan|inf)\s*\]\s*$")


def reason_zh(reason: str) -> str:
    """Chinese text of a GEOS validity reason.

    >>> reason_zh("Self-intersection"), reason_zh("not a polygon (LineString)")
    ('边界自相交', '不是面 (LineString)')
    """
    if reason.startswith("not a polygon"):
        return "不是面" + reason[len("not a polygon"):]
    return REASON_ZH.get(reason, reason)


def invalid_reasons(geoms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each geometry: invalid?, the reason (``""`` when valid) and the point where it fails.

    Missing and empty geometries and non-polygons are invalid too.

    >>> from shapely import Polygon, box
    >>> bad, why, where = invalid_reasons([box(0, 0, 1, 1), Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]), None])
    >>> bad.tolist(), why.tolist(), where[1].wkt
    ([False, True, True], ['', 'Self-intersection', 'empty geometry'], 'POINT (0.5 0.5)')
    """
    geoms = np.asarray(geoms, dtype=object)
    n = len(geoms)
    bad = np.zeros(n, dtype=bool)
    why = np.full(n, "", dtype=object)
    where = np.full(n, None, dtype=object)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    why[missing] = "empty geometry"
    bad |= missing
    types = shapely.get_type_id(geoms)
    notpoly = ~missing & (types != 3) & (types != 6)
    for i in np.flatnonzero(notpoly):
        why[i] = f"not a polygon ({geoms[i].geom_type})"
        where[i] = shapely.point_on_surface(geoms[i])
    bad |= notpoly
    rest = ~missing & ~notpoly
    valid = np.ones(n, dtype=bool)
    valid[rest] = shapely.is_valid(geoms[rest])
    for i in np.flatnonzero(~valid):
        text = shapely.is_valid_reason(geoms[i]) or "invalid"
        m = _REASON.match(text)
        if m:
            why[i] = m.group(1)
            try:
                where[i] = shapely.Point(float(m.group(2)), float(m.group(3)))
            except ValueError:
                where[i] = None
        else:
            why[i] = text
        if where[i] is None or not np.isfinite(shapely.get_coordinates(where[i])).all():
            where[i] = _safe_point(geoms[i])
        bad[i] = True
    return bad, why, where


def _safe_point(g):
    try:
        coords = shapely.get_coordinates(g)
        coords = coords[np.isfinite(coords).all(axis=1)]
        return shapely.Point(coords[0]) if len(coords) else None
    except Exception:
        return None


def polygonal(geoms, invalid=None) -> np.ndarray:
    """Polygonal copies usable for measuring: valid polygons as they are, invalid
    ones through :func:`shapely.make_valid` (``structure`` method, collapsed parts
    dropped), everything else (missing, empty, lines, points) as an empty polygon.

    >>> from shapely import Polygon, box
    >>> out = polygonal([box(0, 0, 1, 1), Polygon([(0, 0), (2, 2), (2, 0), (0, 2)]), None])
    >>> [round(g.area, 2) for g in out]
    [1.0, 2.0, 0.0]
    """
    geoms = np.asarray(geoms, dtype=object)
    if invalid is None:
        invalid = invalid_reasons(geoms)[0]
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    drop = shapely.is_missing(geoms) | ((types != 3) & (types != 6))
    out[drop] = EMPTY
    fix = invalid & ~drop
    if fix.any():
        fixed = np.empty(int(fix.sum()), dtype=object)
        for k, g in enumerate(geoms[fix]):
            try:
                fixed[k] = shapely.make_valid(g, method="structure", keep_collapsed=False)
            except GEOSException:
                try:
                    fixed[k] = shapely.make_valid(g)
                except GEOSException:
                    fixed[k] = EMPTY
        out[fix] = polygon_part(fixed)
    out[shapely.is_empty(out)] = EMPTY
    return out


def polygon_part(geoms) -> np.ndarray:
    """The polygonal part of each geometry (a Polygon or MultiPolygon, possibly empty).

    >>> from shapely import GeometryCollection, LineString, box
    >>> polygon_part([GeometryCollection([box(0, 0, 1, 1), LineString([(0, 0), (5, 5)])])])[0].wkt
    'POLYGON ((1 0, 1 1, 0 1, 0 0, 1 0))'
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    types = shapely.get_type_id(geoms)
    out[~np.isin(types, (3, 6))] = EMPTY
    for i in np.flatnonzero(types == 7):
        parts = shapely.get_parts(shapely.get_parts(geoms[i]))
        parts = parts[shapely.get_type_id(parts) == 3]
        if len(parts) == 0:
            out[i] = EMPTY
        elif len(parts) == 1:
            out[i] = parts[0]
        else:
            out[i] = shapely.MultiPolygon(list(parts))
    return out


def _single(g):
    if g.geom_type == "MultiPolygon" and shapely.get_num_geometries(g) == 1:
        return shapely.get_geometry(g, 0)
    return g


def part_counts(geoms) -> np.ndarray:
    """Number of polygon parts of each geometry (0 for missing/empty).

    >>> from shapely import MultiPolygon, box
    >>> part_counts([box(0, 0, 1, 1), MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]), None]).tolist()
    [1, 2, 0]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = shapely.get_num_geometries(geoms)
    n = np.where(shapely.is_missing(geoms) | shapely.is_empty(geoms), 0, n)
    return n.astype(int)


# How close :func:`widths` (and so the sliver rule) is to the diameter of the maximum inscribed circle:
# relative.  GEOS simplifies a buffer's input by 1 % of the buffer distance (repeatedly, and not
# configurable from shapely), so an erosion can vanish up to ~2 % early (worst seen in 6,000 random
# pieces: -2.0 %, +0.95 %); the property tests compare against GEOS's maximum inscribed circle with
# this same tolerance.
WIDTH_RTOL = 0.03


def widths(geoms, sliver_width: float = 0.5, iterations: int = 14) -> np.ndarray:
    """Width of each polygonal geometry: the diameter of its maximum inscribed
    circle (the widest part of a multipolygon), found by bisection on erosion
    (negative buffers), to 1/16384 of ``min(2·sqrt(area/π), bounding box side)``
    — within :data:`WIDTH_RTOL` (3 %) of the exact diameter, because GEOS
    simplifies the input of each erosion by 1 % of its distance.

    Whether a shape is narrower than ``sliver_width`` is decided first, by
    eroding it by half that width, so ``width < sliver_width`` always agrees
    with the sliver rule (to the same tolerance against the exact diameter).
    (GEOS's maximum inscribed circle is exact, but takes ~10–80 ms on a long
    thin sliver; this is ~0.3–1 ms.)

    >>> from shapely import box
    >>> widths([box(0, 0, 100, 0.3), box(0, 0, 20, 10)]).round(2).tolist()
    [0.3, 10.0]
    """
    geoms = np.asarray(geoms, dtype=object)
    out = np.zeros(len(geoms))
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if not ok.any():
        return out
    idx = np.flatnonzero(ok)
    g = geoms[idx]
    # the inscribed disk fits inside: π r² ≤ area
    b = shapely.bounds(g)
    hi = np.minimum(2.0 * np.sqrt(np.maximum(shapely.area(g), 0.0) / np.pi),
                    np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])) * (1 + 1e-9) + 1e-12
    lo = np.zeros(len(g))
    if sliver_width > 0:
        narrow = shapely.is_empty(shapely.buffer(g, -sliver_width / 2.0))
        hi = np.where(narrow, np.minimum(hi, sliver_width), hi)
        lo = np.where(narrow, lo, np.minimum(sliver_width, hi))
    for _ in range(iterations):
        mid = (lo + hi) / 2.0
        gone = shapely.is_empty(shapely.buffer(g, -mid / 2.0))
        hi = np.where(gone, mid, hi)
        lo = np.where(gone, lo, mid)
    out[idx] = (lo + hi) / 2.0
    return out


# ---------------------------------------------------------------------------- overlay helpers

def _pool():
    """One helper thread: GEOS operations release the GIL, so two independent ones run side by side."""
    return ThreadPoolExecutor(max_workers=1)


def _in_two(fn, *arrays, cost=None, split=True):
    """``fn(*arrays)`` for an elementwise ``fn`` (returning an array, or a tuple of arrays, one
    entry per element), run on two halves side by side (GEOS releases the GIL) and put back
    in order; the same result as one call.  ``cost`` (per element) balances the halves.  The
    halves must not share a *prepared* geometry (GEOS builds its indexes lazily).  ``split``
    (or ``split()``) False: one call — another thread of the check has the second core."""
    n = len(arrays[0])
    # (not for a few small elements — an incremental re-check's pairs: a thread costs more than it saves)
    if n < 2 or (n < 64 if cost is None else float(np.sum(cost)) < 20_000):
        return fn(*arrays)
    if callable(split):
        split = split()
    if not split:
        return fn(*arrays)
    order = np.arange(n) if cost is None else np.argsort(-np.asarray(cost, dtype=float), kind="stable")
    halves = (order[0::2], order[1::2])
    with _pool() as pool:
        other = pool.submit(fn, *[x[halves[1]] for x in arrays])
        first = fn(*[x[halves[0]] for x in arrays])
        second = other.result()

    def put(r0, r1):
        r0, r1 = np.asarray(r0), np.asarray(r1)
        out = np.empty((n,) + r0.shape[1:], dtype=r0.dtype if r0.dtype == r1.dtype else object)
        out[halves[0]] = r0
        out[halves[1]] = r1
        return out

    if isinstance(first, tuple):
        return tuple(put(r0, r1) for r0, r1 in zip(first, second))
    return put(first, second)


def _robust(op, a, b, failed: list | None = None):
    """``op(a, b)`` elementwise; pairs that raise a GEOS TopologyException are
    retried with snap-rounding on a fine grid (1 µm … 1 mm) — their positions are
    appended to ``failed`` (their result is approximate or empty)."""
    try:
        return op(a, b)
    except GEOSException:
        pass
    a = np.asarray(a, dtype=object)
    b = np.broadcast_to(np.asarray(b, dtype=object), a.shape)
    out = np.empty(a.shape, dtype=object)
    for k in range(len(a)):
        try:
            out[k] = op(a[k], b[k])
        except GEOSException:
            if failed is not None:
                failed.append(k)
            out[k] = EMPTY
            for grid in (1e-6, 1e-4, 1e-3):
                try:
                    out[k] = op(a[k], b[k], grid_size=grid)
                    break
                except GEOSException:
                    continue
    return out


def invalid_edges(polys, gap_width: float = 0.0, step=None) -> np.ndarray:
    """For each grid, the linework of its edges that are not exactly matched by a
    neighbour (or, with ``gap_width``, close to a neighbour across a narrow gap);
    empty when the grid fits its neighbours.  Empty/missing grids give empty lines.
    ``step(fraction)``: a large level is validated in batches (:func:`_invalid_edges_batched`)
    and ``step`` is called between them — it may raise to stop (a cancelled check).

    >>> from shapely import box
    >>> e = invalid_edges([box(0, 0, 1, 1), box(1, 0, 2, 1), box(1.5, 0, 3, 1), None])
    >>> shapely.is_empty(e).tolist()
    [True, False, False, True]
    """
    polys = np.asarray(polys, dtype=object)
    out = np.full(len(polys), shapely.LineString(), dtype=object)
    ok = np.flatnonzero(~(shapely.is_missing(polys) | shapely.is_empty(polys)))
    if len(ok):
        if step is not None and len(ok) >= 2 * EDGE_BATCH and gap_width == 0:
            e = _invalid_edges_batched(polys[ok], step)
        elif len(ok) >= SPLIT_EDGES and gap_width == 0:
            e = _invalid_edges_halves(polys[ok])
        else:
            e = shapely.coverage_invalid_edges(polys[ok], gap_width=gap_width)
        e[shapely.is_missing(e)] = shapely.LineString()
        out[ok] = e
    return out


# from this many grids on, the level's edges are validated in two halves side by side
SPLIT_EDGES = 20_000


def _invalid_edges_halves(polys) -> np.ndarray:
    """:func:`shapely.coverage_invalid_edges` of a large level in two threads.

    GEOS validates each polygon against the polygons whose envelopes meet its own, so the
    result for a polygon only depends on those: each half (west / east of the median
    envelope centre) is validated together with every polygon whose envelope meets one of
    the half's, and keeps its own results."""
    b = shapely.bounds(polys)
    cx = (b[:, 0] + b[:, 2]) / 2.0
    west = cx <= np.median(cx)
    tree = shapely.STRtree(polys)
    boxes = shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])

    def half(mask):
        own = np.flatnonzero(mask)
        _, near = tree.query(boxes[own])
        ext = np.union1d(own, near)
        e = shapely.coverage_invalid_edges(polys[ext])
        return own, e[np.searchsorted(ext, own)]

    out = np.empty(len(polys), dtype=object)
    with _pool() as pool:
        east_f = pool.submit(half, ~west)
        own, e = half(west)
        out[own] = e
        own, e = east_f.result()
        out[own] = e
    return out


#: grids per batch of a level's edge validation when the check can be cancelled (issue 21): at 100k
#: grids a level is ~40 batches of well under 0.5 s each, Cancel is heard between two of them
EDGE_BATCH = 2500


def _invalid_edges_batched(polys, step) -> np.ndarray:
    """:func:`shapely.coverage_invalid_edges` of a large level in spatial batches (tiles of about
    :data:`EDGE_BATCH` grids), two at a time, ``step(fraction done)`` between them.  Exact, as the
    halves of :func:`_invalid_edges_halves` are: each batch is validated together with every grid
    whose envelope meets one of its own, and keeps its own results."""
    from concurrent.futures import FIRST_COMPLETED, wait

    n = len(polys)
    b = shapely.bounds(polys)
    cx = (b[:, 0] + b[:, 2]) / 2.0
    cy = (b[:, 1] + b[:, 3]) / 2.0
    k = max(1, int(round(math.sqrt(n / EDGE_BATCH))))
    # k vertical strips of equal counts, each cut into k tiles of equal counts
    order = np.argsort(cx, kind="stable")
    batches = []
    for strip in np.array_split(order, k):
        for tile in np.array_split(strip[np.argsort(cy[strip], kind="stable")], k):
            if len(tile):
                batches.append(np.sort(tile))
    tree = shapely.STRtree(polys)
    boxes = shapely.box(b[:, 0], b[:, 1], b[:, 2], b[:, 3])

    def one(own):
        _, near = tree.query(boxes[own])
        ext = np.union1d(own, near)
        e = shapely.coverage_invalid_edges(polys[ext])
        return own, e[np.searchsorted(ext, own)]

    out = np.empty(n, dtype=object)
    done = 0
    pool = ThreadPoolExecutor(max_workers=2)      # GEOS releases the GIL: two batches side by side
    try:
        todo = list(batches)
        running = set()
        while todo or running:
            while todo and len(running) < 2:
                running.add(pool.submit(one, todo.pop(0)))
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for f in finished:
                own, e = f.result()
                out[own] = e
                done += 1
            step(done / len(batches))           # may raise (cancelled): the running batch ends, no more start
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return out


def candidate_pairs(tree, polys, which, distance: float = 0.0) -> np.ndarray:
    """Unique pairs (i < j) of grids that intersect (or lie within ``distance``)
    where i or j is in ``which``.  ``tree`` is a :class:`GridIndex` or an STRtree.

    >>> from shapely import box
    >>> g = np.array([box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)])
    >>> candidate_pairs(shapely.STRtree(g), g, [1]).tolist()
    [[0, 1]]
    """
    polys = np.asarray(polys, dtype=object)
    which = np.asarray(which, dtype=np.int64)
    if len(which) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    if distance > 0:
        src, dst = tree.query(polys[which], predicate="dwithin", distance=distance)
    else:
        src, dst = tree.query(polys[which], predicate="intersects")
    a = which[src]
    b = np.asarray(dst, dtype=np.int64)
    keep = a != b
    pairs = np.stack([np.minimum(a[keep], b[keep]), np.maximum(a[keep], b[keep])], axis=1)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(pairs, axis=0)


def pair_findings(polys, pairs, overlap_tol: float = 0.01, sliver_width: float = 0.5,
                  mismatch: bool = True, edges=None, areas: dict | None = None, pre: dict | None = None,
                  split=True) -> list[Finding]:
    """Overlaps, overlap slivers and edge mismatches of candidate pairs.

    A pair overlaps when its intersection has more than ``overlap_tol`` m²
    (``sliver`` when narrower than ``sliver_width``); a pair that does not
    overlap but whose common boundary is not vertex-for-vertex identical is an
    ``edge_mismatch`` (GEOS coverage validation of the pair alone).  ``edges``
    (from :func:`invalid_edges` on the whole level) only skips pairs that
    cannot mismatch: neither grid has an invalid edge touching the other.
    ``areas`` (a dict) receives the pairs (``"pairs"``) and the area of each
    pair's intersection (``"area"``; ``inf`` where the overlay failed).
    ``pre``: the intersections of a superset of the pairs computed beforehand (:func:`_pair_pre`).
    ``split`` (a bool or a callable asked at each step): whether the intersections and the mismatch
    locations may run in two halves side by side (:func:`_in_two`).

    >>> from shapely import Polygon, box
    >>> g = np.array([box(0, 0, 1, 1), Polygon([(1, 0), (2, 0), (2, 1), (1, 1), (1, 0.5)])])
    >>> [(f.rule, f.members) for f in pair_findings(g, np.array([[0, 1]]))]
    [('edge_mismatch', (0, 1))]
    """
    polys = np.asarray(polys, dtype=object)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out: list[Finding] = []
    if areas is not None:
        areas["pairs"], areas["area"] = np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    if len(pairs) == 0:
        return out
    a, b = polys[pairs[:, 0]], polys[pairs[:, 1]]
    ok = ~(shapely.is_empty(a) | shapely.is_empty(b))
    pairs, a, b = pairs[ok], a[ok], b[ok]
    k = _rows(pre["pairs"], pairs) if pre is not None else None
    if k is not None:
        a, b, inter, failed = pre["a"][k], pre["b"][k], pre["inter"][k], pre["failed"][k]
    else:
        # large pairs are cut down to where they can meet (exact, see _clip_pairs): everything below
        # only looks at a ∩ b and at the edges near it
        a, b = _clip_pairs(a, b)
        inter, failed = _pair_intersections(a, b, split)
    area = shapely.area(inter)
    if areas is not None:
        areas["pairs"] = pairs
        areas["area"] = np.where(failed, np.inf, area)
    big = area > overlap_tol
    if big.any():
        w = widths(inter[big], sliver_width)
        for (i, j), g, ar, wd in zip(pairs[big], inter[big], area[big], w):
            rule = "overlap" if wd >= sliver_width else "sliver"
            out.append(Finding(rule, (int(i), int(j)), g, float(ar), float(wd),
                               extra={"kind": "overlap"} if rule == "sliver" else {}))
    if mismatch:
        rest = np.flatnonzero(~big)
        if edges is not None and len(rest):
            edges = np.asarray(edges, dtype=object)
            ei, ej = edges[pairs[rest, 0]], edges[pairs[rest, 1]]
            big = shapely.get_num_coordinates(a[rest]) + shapely.get_num_coordinates(b[rest]) >= CLIP_VERTICES
            shapely.prepare(a[rest][big])
            shapely.prepare(b[rest][big])
            touch = shapely.intersects(b[rest], ei) | shapely.intersects(a[rest], ej)
            rest = rest[touch]
        out += _mismatches(pairs[rest], a[rest], b[rest], split)
    return out


def _pair_pre(polys, pairs, split=False) -> dict:
    """What :func:`pair_findings` computes of each pair before it needs the level's edges: the pair
    cut down (:func:`_clip_pairs`) and its intersection.  For :func:`check_level` on a level of few
    grids with many vertices, beside the level's edge validation, for all intersecting pairs."""
    a, b = polys[pairs[:, 0]], polys[pairs[:, 1]]
    ok = ~(shapely.is_empty(a) | shapely.is_empty(b))
    pairs, a, b = pairs[ok], a[ok], b[ok]
    a, b = _clip_pairs(a, b)
    inter, failed = _pair_intersections(a, b, split)
    return {"pairs": pairs, "a": a, "b": b, "inter": inter, "failed": failed}


def _rows(have, want):
    """Positions of the pairs ``want`` among the pairs ``have`` (both unique (i, j) rows), or None when
    one is missing."""
    if len(want) == 0:
        return np.zeros(0, dtype=np.int64)
    if len(have) == 0:
        return None
    n = int(max(have.max(), want.max())) + 1
    hk, wk = have[:, 0] * n + have[:, 1], want[:, 0] * n + want[:, 1]
    order = np.argsort(hk, kind="stable")
    pos = np.searchsorted(hk[order], wk)
    pos = np.minimum(pos, len(hk) - 1)
    k = order[pos]
    return k if np.array_equal(hk[k], wk) else None


# a level of at most this many grids, with at least this many vertices per grid on average, has its pairs'
# intersections computed beside its edge validation (:func:`_pair_pre`): few pairs, each costly
PRE_GRIDS = 2_000
PRE_VERTICES = 1_000


def _pair_intersections(a, b, split=True):
    """The polygonal intersection of each pair, and whether its overlay failed (two halves side by
    side with ``split``, :func:`_in_two`)."""
    cost = shapely.get_num_coordinates(a) + shapely.get_num_coordinates(b)
    return _in_two(_intersections, a, b, cost=cost, split=split)


def _intersections(a, b):
    # only pairs whose interiors meet can overlap.  Candidate pairs intersect, so their interiors
    # meet unless they only touch: GEOS's touches (RelateNG) is ~4× cheaper than the intersection
    # and, with its early exits, cheaper than the full DE-9IM pattern "T********" (5× on
    # 20,000-vertex districts).  A pair that does not intersect at all gets its (empty) intersection.
    try:
        meet = ~shapely.touches(a, b)
    except GEOSException:
        meet = np.ones(len(a), dtype=bool)
    inter = np.full(len(a), EMPTY, dtype=object)
    failed = np.zeros(len(a), dtype=bool)
    if meet.any():
        bad: list = []
        inter[meet] = polygon_part(_robust(shapely.intersection, a[meet], b[meet], bad))
        failed[np.flatnonzero(meet)[bad]] = True
    return inter, failed


def pair_areas(polys, pairs) -> np.ndarray:
    """The area of each pair's intersection (``inf`` where the overlay failed), measured as
    :func:`pair_findings` measures it."""
    polys = np.asarray(polys, dtype=object)
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    out = np.zeros(len(pairs))
    if len(pairs) == 0:
        return out
    a, b = polys[pairs[:, 0]], polys[pairs[:, 1]]
    ok = ~(shapely.is_empty(a) | shapely.is_empty(b))
    a, b = _clip_pairs(a[ok], b[ok])
    inter, failed = _pair_intersections(a, b)
    out[ok] = np.where(failed, np.inf, shapely.area(inter))
    return out


# pairs with at least this many vertices together are validated on their clipped neighbourhood
CLIP_VERTICES = 2_000


def _clip_pairs(a, b):
    """Large pairs cut down to the box where they can disagree, for the pair's coverage
    validation: the intersection of their envelopes, widened by more than their longest
    segment.  Exact: a grid's segment with a point in the other's envelope lies wholly
    inside the box, so it and every segment it can meet or match are kept vertex for
    vertex (:func:`shapely.clip_by_rect` keeps the vertices inside); the segments the cut
    makes or shortens lie outside both envelopes' intersection, so they cannot touch the
    other grid and GEOS finds them valid.  50 districts of 20,000 vertices: ~4× fewer
    vertices per pair."""
    big = np.flatnonzero(shapely.get_num_coordinates(a) + shapely.get_num_coordinates(b) >= CLIP_VERTICES)
    if len(big) == 0:
        return a, b
    a, b = a.copy(), b.copy()
    ba, bb = shapely.bounds(a[big]), shapely.bounds(b[big])
    lo = np.maximum(ba[:, :2], bb[:, :2])
    hi = np.minimum(ba[:, 2:], bb[:, 2:])
    for k, i in enumerate(big):
        m = 2.0 * max(_longest_segment(a[i]), _longest_segment(b[i])) + 1.0
        box = (lo[k, 0] - m, lo[k, 1] - m, hi[k, 0] + m, hi[k, 1] + m)
        ca, cb = shapely.clip_by_rect(a[i], *box), shapely.clip_by_rect(b[i], *box)
        if shapely.get_num_coordinates(ca) + shapely.get_num_coordinates(cb) < 0.8 * (
                shapely.get_num_coordinates(a[i]) + shapely.get_num_coordinates(b[i])):
            a[i], b[i] = polygon_part(np.array([ca], dtype=object))[0], polygon_part(np.array([cb], dtype=object))[0]
    return a, b


def _longest_segment(g) -> float:
    xy, ri = shapely.get_coordinates(shapely.get_rings(shapely.get_parts(g)), return_index=True) \
        if not shapely.is_empty(g) else (np.zeros((0, 2)), np.zeros(0, dtype=int))
    if len(xy) < 2:
        return 0.0
    same = ri[1:] == ri[:-1]
    d = np.hypot(*(xy[1:] - xy[:-1]).T)
    return float(d[same].max()) if same.any() else 0.0


def _mismatches(pairs, a, b, split=True) -> list[Finding]:
    """``edge_mismatch`` findings of pairs: GEOS coverage validation of each pair alone."""
    if len(pairs) == 0:
        return []
    e = np.full((len(pairs), 2), None, dtype=object)

    def validate(ks):
        for k in ks:
            e[k] = shapely.coverage_invalid_edges(np.array([a[k], b[k]], dtype=object))

    # in two halves side by side (GEOS releases the GIL; each pair is validated on its own), balanced
    # by the pairs' vertices
    ks = np.argsort(-(shapely.get_num_coordinates(a) + shapely.get_num_coordinates(b)), kind="stable")
    with _pool() as pool:
        other = pool.submit(validate, ks[1::2])
        validate(ks[::2])
        other.result()
    e[shapely.is_missing(e) | shapely.is_empty(e)] = None
    hit = np.flatnonzero(~shapely.is_missing(e).all(axis=1))
    if len(hit) == 0:
        return []
    eh = e[hit]
    cost = shapely.get_num_coordinates(eh[:, 0]) + shapely.get_num_coordinates(eh[:, 1])
    loc = _in_two(lambda x: shapely.union_all(x, axis=1), eh, cost=cost, split=split)
    length = shapely.length(loc)
    return [Finding("edge_mismatch", (int(pairs[k, 0]), int(pairs[k, 1])), g, None, None,
                    extra={"length_m": float(ln)}) for k, g, ln in zip(hit, loc, length)]


# ---------------------------------------------------------------------------- gaps and nesting

def _parts(geoms, tol: float = 0.0):
    """Polygon parts of each geometry with area > tol: (parts, index of the source)."""
    geoms = polygon_part(np.asarray(geoms, dtype=object))
    parts, idx = shapely.get_parts(geoms, return_index=True)
    if len(parts) == 0:
        return parts, idx
    keep = shapely.area(parts) > tol
    return parts[keep], idx[keep]


def gap_findings(parts, tree, polys, sliver_width: float = 0.5, scopes=None, members_of=None,
                 gap_tol: float = 0.01) -> list[Finding]:
    """Gap findings for gap polygons: ``gap`` or ``sliver`` by width, each with
    the grids sharing a stretch of its border (longest first, by the length rounded
    to 1 µm, so that float noise cannot swap two equally long borders; ties by position
    here, by code in :func:`~gridmap.core.checks.runner.emit_findings`)."""
    parts = np.asarray(parts, dtype=object)
    out = []
    if len(parts) == 0:
        return out
    # without the zero-width spikes float noise leaves along shared edges (they would move its
    # point and count twice in a neighbour's border)
    # A gap that only float noise joined to another (a channel narrower than 0.2 µm) is two gaps.
    whole = parts
    parts, idx = shapely.get_parts(_opened(whole), return_index=True)
    areas = shapely.area(parts)
    # the area is the gap's own (opening a noisy outline moves it by up to ~0.1 µm): the whole gap's
    # where it stays in one piece, else the part of the gap near each piece
    one = np.bincount(idx, minlength=len(whole))[idx] == 1
    areas[one] = shapely.area(whole[idx[one]])
    if (~one).any():
        near = shapely.buffer(parts[~one], 4 * BORDER_EPS, join_style="mitre")
        areas[~one] = shapely.area(_robust(shapely.intersection, whole[idx[~one]], near))
    keep = areas > gap_tol
    parts, idx, areas = parts[keep], idx[keep], areas[keep]
    if scopes is not None:
        scopes = np.asarray(scopes)[idx]
    if len(parts) == 0:
        return out
    w = widths(parts, sliver_width)
    if tree is not None and len(polys):
        src, dst = tree.query(parts, predicate="dwithin", distance=2 * BORDER_EPS)
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
    else:
        src = dst = np.zeros(0, dtype=np.int64)
    border = np.zeros(len(src))
    if len(src):
        border = shapely.length(_robust(shapely.intersection, shapely.boundary(parts[src]),
                                        _near(np.asarray(polys, dtype=object)[dst], parts[src])))
    # members by their shared border rounded to whole µm, longest first, ties by position (the
    # runner orders ties by code): float noise on the borders must not change the order
    rank = np.round(border * 1e6)
    order = np.lexsort((dst, -rank, src))
    src, dst, border, rank = src[order], dst[order], border[order], rank[order]
    starts = np.searchsorted(src, np.arange(len(parts) + 1))
    for k, (g, ar, wd) in enumerate(zip(parts, areas, w)):
        sl = slice(starts[k], starts[k + 1])
        keep = border[sl] > 10 * BORDER_EPS
        members = tuple(int(d) for d in dst[sl][keep])
        rule = "gap" if wd >= sliver_width else "sliver"
        ex = {"kind": "gap"} if rule == "sliver" else {}
        out.append(Finding(rule, members, g, float(ar), float(wd),
                           scope=None if scopes is None else int(scopes[k]), extra=ex,
                           ranks=tuple(int(r) for r in rank[sl][keep])))
    return out


# a grid shares a gap's border where the border runs within this distance of it (m): a grid whose
# edge lies a float's noise behind a neighbour's along the gap still borders it
BORDER_EPS = 1e-7


def _opened(gaps) -> np.ndarray:
    """Each gap without its parts narrower than 2 × :data:`BORDER_EPS` (shrunk and grown back, mitred
    corners): the zero-width spikes float noise leaves along a shared edge, which would otherwise move
    its point and count twice in a neighbour's border; the gap itself where that leaves nothing."""
    gaps = np.asarray(gaps, dtype=object)
    out = polygon_part(shapely.buffer(shapely.buffer(gaps, -BORDER_EPS, join_style="mitre"), BORDER_EPS,
                                      join_style="mitre"))
    # the gap itself where the opening removed nothing (no spike: the outline as long, to 1 µm —
    # mitred corners come back within 0.1 µm) or everything
    before = shapely.length(gaps)
    bad = shapely.is_empty(out) | (before - shapely.length(out) <= 1e-6 + 1e-12 * before)
    out[bad] = gaps[bad]
    out = np.array([_single(g) for g in out], dtype=object)
    return out


def _near(grids, gaps) -> np.ndarray:
    """Each grid grown by 2 × :data:`BORDER_EPS`, cut first to its gap's envelope (+1 m) so that the
    buffer stays small on grids of many vertices."""
    b = shapely.bounds(gaps)
    boxes = shapely.box(b[:, 0] - 1.0, b[:, 1] - 1.0, b[:, 2] + 1.0, b[:, 3] + 1.0)
    local = polygon_part(_robust(shapely.intersection, grids, boxes))
    return shapely.buffer(local, 2 * BORDER_EPS, quad_segs=2)


def group_unions(polys, groups, n_groups: int, clean=None, stop=None) -> np.ndarray:
    """The union of each group's polygons (``groups[i]`` in 0…n_groups-1, -1: none).

    Exact-coverage members (``clean``) are unioned in one vectorised
    :func:`shapely.coverage_union_all` call over a padded (group × member)
    array; the others are added by overlay union, group by group.  ``stop()``: asked between
    batches of groups; when it says so :class:`~gridmap.core.workers.Cancelled` is raised.

    >>> from shapely import box
    >>> u = group_unions(np.array([box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 0, 6, 1)]), np.array([0, 0, 1]), 3,
    ...                  clean=np.array([True, True, False]))
    >>> [g.area for g in u], u[2].is_empty
    ([2.0, 1.0, 0.0], True)
    """
    polys = np.asarray(polys, dtype=object)
    groups = np.asarray(groups, dtype=np.int64)
    out = np.full(n_groups, EMPTY, dtype=object)
    if n_groups == 0 or len(polys) == 0:
        return out
    nonempty = ~(shapely.is_missing(polys) | shapely.is_empty(polys))
    clean = np.zeros(len(polys), dtype=bool) if clean is None else np.asarray(clean, dtype=bool)
    dirty = np.flatnonzero(~clean & nonempty & (groups >= 0))
    with _pool() as pool:
        extras_f = pool.submit(_dirty_unions, polys, groups, dirty)
        _clean_unions(out, polys, groups, n_groups, np.flatnonzero(clean & nonempty & (groups >= 0)), stop)
        extras = extras_f.result()
    for k, extra in extras:
        if shapely.is_empty(out[k]):
            out[k] = polygon_part(np.array([extra], dtype=object))[0]
        else:
            out[k] = polygon_part(_robust(shapely.union, np.array([out[k]], dtype=object),
                                          np.array([extra], dtype=object)))[0]
    return out


def _dirty_unions(polys, groups, dirty) -> list:
    """(group, overlay union of its members in ``dirty``) for each group with some."""
    out = []
    if len(dirty):
        for k in np.unique(groups[dirty]):
            out.append((int(k), _union_all(polys[dirty[groups[dirty] == k]])))
    return out


def _clean_unions(out, polys, groups, n_groups, sel, stop=None) -> None:
    """``out[k]`` = coverage union of group k's members in ``sel``, all groups in one call (in
    batches of groups with ``stop``, asked between them)."""
    if len(sel):
        g = groups[sel]
        order = np.argsort(g, kind="stable")
        g, members = g[order], polys[sel][order]
        counts = np.bincount(g, minlength=n_groups)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
        rank = np.arange(len(g)) - starts[g]
        arr = np.full((n_groups, int(counts.max())), None, dtype=object)
        arr[g, rank] = members
        try:
            if stop is None:
                u = shapely.coverage_union_all(arr, axis=1)
            else:
                from ..workers import Cancelled

                rows = max(1, (4 * EDGE_BATCH) // max(int(counts.max()), 1))
                u = np.empty(n_groups, dtype=object)
                for a in range(0, n_groups, rows):
                    if stop():
                        raise Cancelled()
                    u[a:a + rows] = shapely.coverage_union_all(arr[a:a + rows], axis=1)
        except GEOSException:
            u = np.empty(n_groups, dtype=object)
            for k in range(n_groups):
                row = arr[k][: counts[k]]
                u[k] = union_of(row, np.ones(len(row), dtype=bool)) if len(row) else EMPTY
        u = np.asarray(u, dtype=object)
        has = counts > 0
        out[has] = polygon_part(u[has])


def union_of(polys, clean=None):
    """Union of polygons: :func:`shapely.coverage_union_all` for the ``clean``
    ones (an exact coverage), overlay union for the rest.

    >>> from shapely import box
    >>> union_of(np.array([box(0, 0, 1, 1), box(1, 0, 2, 1), box(0.5, 0, 1.5, 2)]),
    ...          clean=np.array([True, True, False])).area
    3.0
    """
    polys = np.asarray(polys, dtype=object)
    if clean is None:
        clean = np.zeros(len(polys), dtype=bool)
    keep = ~(shapely.is_missing(polys) | shapely.is_empty(polys))
    parts = []
    c = polys[clean & keep]
    if len(c):
        try:
            parts.append(shapely.coverage_union_all(c))
        except GEOSException:
            parts.append(_union_all(c))
    d = polys[~clean & keep]
    if len(d):
        parts.append(_union_all(d))
    if not parts:
        return EMPTY
    if len(parts) == 1:
        return polygon_part(np.array(parts, dtype=object))[0]
    return polygon_part(_robust(shapely.union, np.array([parts[0]], dtype=object),
                                np.array([parts[1]], dtype=object)))[0]


def _union_all(polys):
    try:
        return shapely.union_all(polys)
    except GEOSException:
        for grid in (1e-6, 1e-4, 1e-3):
            try:
                return shapely.union_all(polys, grid_size=grid)
            except GEOSException:
                continue
        raise


def nesting_findings(polys, groups, regions, unions, tree, gap_tol: float = 0.01, sliver_width: float = 0.5,
                     outside_rule: str = "outside_parent", gaps: bool = True, outside: bool = True,
                     flagged=None, clusters: dict | None = None, pairs=None, areas=None,
                     outside_found: list | None = None) -> list[Finding]:
    """Gaps (parts of each region not covered by its own grids) and the parts
    of grids beyond their region, for every region at once.

    ``unions[k]`` is the union of the grids of region k (:func:`group_unions`).
    A region that its grids' union reproduces exactly (same vertices) is done
    at once; the others are compared by overlay.  A grid beyond its region is
    found from the union's excess, so only grids touching it are cut.

    >>> from shapely import box
    >>> parents = np.array([box(0, 0, 10, 10), box(10, 0, 20, 10)])
    >>> kids = np.array([box(0, 0, 10, 10), box(10, 0, 15, 10), box(15, 0, 21, 8)])
    >>> groups = np.array([0, 1, 1])
    >>> f = nesting_findings(kids, groups, parents, group_unions(kids, groups, 2), shapely.STRtree(kids))
    >>> [(x.rule, x.members, x.scope, x.area) for x in f]
    [('gap', (2, 1), 1, 10.0), ('outside_parent', (2,), None, 8.0)]

    With ``flagged`` (the grids that do not fit their neighbours exactly), ``unions``
    are the unions of each region's *other* grids (:func:`group_unions` of the clean
    ones), and the regions with flagged grids are done by :func:`_flagged_nesting`
    (``clusters`` from :func:`gap_clusters`, ``pairs``/``areas`` the candidate pairs of
    the flagged grids and their intersection areas, :func:`pair_areas`), without ever
    building the overlay union of the flagged grids.

    >>> fl = np.array([False, True, True])
    >>> clean_unions = group_unions(np.where(fl, None, kids), groups, 2, ~fl)
    >>> f = nesting_findings(kids, groups, parents, clean_unions, shapely.STRtree(kids), flagged=fl)
    >>> [(x.rule, x.members, x.scope, x.area) for x in f]
    [('gap', (2, 1), 1, 10.0), ('outside_parent', (2,), None, 8.0)]
    """
    polys = np.asarray(polys, dtype=object)
    groups = np.asarray(groups, dtype=np.int64)
    regions = np.asarray(regions, dtype=object)
    unions = np.asarray(unions, dtype=object)
    out: list[Finding] = []
    if len(regions) == 0:
        return out
    live = ~(shapely.is_missing(regions) | shapely.is_empty(regions))
    if flagged is not None:
        flagged = np.asarray(flagged, dtype=bool) & ~(shapely.is_missing(polys) | shapely.is_empty(polys))
        fk = np.zeros(len(regions), dtype=bool)
        fk[np.unique(groups[flagged & (groups >= 0)])] = True
        fk &= live
        if fk.any():
            out += _flagged_nesting(polys, groups, regions, unions, tree, np.flatnonzero(fk), flagged, gap_tol,
                                    sliver_width, outside_rule, gaps, outside, clusters, pairs, areas,
                                    outside_found)
            live = live & ~fk
    same = np.zeros(len(regions), dtype=bool)
    if live.any():
        same[live] = shapely.equals_exact(shapely.normalize(unions[live]), shapely.normalize(regions[live]),
                                          tolerance=0.0)
    # a union whose outline is the region's, vertex for vertex: the gaps are its holes
    shell_same = np.zeros(len(regions), dtype=bool)
    cand = np.flatnonzero(live & ~same & (shapely.get_type_id(unions) == 3)
                          & (shapely.get_type_id(regions) == 3) & (shapely.get_num_interior_rings(regions) == 0))
    if len(cand):
        shells = shapely.polygons(shapely.get_exterior_ring(unions[cand]))
        shell_same[cand] = shapely.equals_exact(shapely.normalize(shells), shapely.normalize(regions[cand]),
                                                tolerance=0.0)
    if gaps and shell_same.any():
        k = np.flatnonzero(shell_same)
        n = shapely.get_num_interior_rings(unions[k])
        which = np.repeat(k, n)
        if len(which):
            ring = np.concatenate([np.arange(c) for c in n])
            holes = shapely.polygons(shapely.get_interior_ring(unions[which], ring))
            keep = shapely.area(holes) > gap_tol
            out += gap_findings(holes[keep], tree, polys, sliver_width, scopes=which[keep], gap_tol=gap_tol)
    todo = np.flatnonzero(live & ~same & ~shell_same)
    if len(todo) == 0:
        return out
    # a union's excess over its region only picks the grids to cut (their cut is measured on the
    # grid itself), so it is computed without the union's holes of at most gap_tol — float noise
    # between neighbours that do not share their edges exactly (80,000 in the union of 50 noisy
    # districts), ~10× faster there; filling them can only add grids to cut, whose cut is then empty.
    # (The gaps keep them: without them the gap polygons' borders move by float noise, which can
    # swap the order of two equally long borders.)
    with _pool() as pool:
        excess_f = pool.submit(lambda: _robust(shapely.difference, _drop_small_holes(unions[todo], gap_tol),
                                               regions[todo])) if outside else None
        if gaps:
            diff = _robust(shapely.difference, regions[todo], unions[todo])
            parts, src = _parts(diff, gap_tol)
            out += gap_findings(parts, tree, polys, sliver_width, scopes=todo[src], gap_tol=gap_tol)
        excess = excess_f.result() if outside else None
    if outside:
        parts, src = _parts(excess, 0.0)
        if len(parts):
            qs, qd = tree.query(parts, predicate="intersects")
            qd = np.asarray(qd, dtype=np.int64)
            mine = groups[qd] == todo[src[qs]]
            cand = np.unique(qd[mine])
            out += _outside_cuts(polys, groups, regions, cand, gap_tol, sliver_width, outside_rule)
    return out


# a region part whose flagged grids have more vertices than this is cut into tiles of about
# TILE_VERTICES vertices for its overlay (and computed before the pair areas are known)
TILE_PART = 100_000
TILE_VERTICES = 2_000


def gap_clusters(polys, groups, regions, unions, ks, flagged) -> dict:
    """The gap work of the regions ``ks`` (those with flagged grids) that does not need the pair
    areas: the parts of each region minus the union of its clean grids (``unions``), the flagged
    grids of the region meeting each part, and the area of each flagged grid inside its region
    (a lower bound where the overlay fails; 0 where no bound needs it).  The regions are prepared."""
    ks = np.asarray(ks, dtype=np.int64)
    flagged = np.asarray(flagged, dtype=bool)
    diff = _robust(shapely.difference, regions[ks], unions[ks])
    parts, src = shapely.get_parts(polygon_part(diff), return_index=True)
    scope = ks[src]
    fl = np.flatnonzero(flagged & np.isin(groups, ks))
    ps = g = np.zeros(0, dtype=np.int64)
    if len(parts) and len(fl):
        ps, fd = shapely.STRtree(polys[fl]).query(parts, predicate="intersects")
        ps, g = np.asarray(ps, dtype=np.int64), fl[fd]
        mine = groups[g] == scope[ps]
        ps, g = ps[mine], g[mine]
    # a grid meeting several parts: which of them its interior meets (a part it only touches along
    # its boundary shares no area with it, so the grid adds nothing to cover that part)
    inner = np.ones(len(ps), dtype=bool)
    if len(ps):
        cnt = np.bincount(g, minlength=len(polys))
        m = np.flatnonzero(cnt[g] > 1)
        if len(m):
            shapely.prepare(parts[np.unique(ps[m])])
            try:
                inner[m] = ~shapely.touches(parts[ps[m]], polys[g[m]])
            except GEOSException:
                pass                        # all kept as meeting (the exact overlay for their parts)
    # the area inside its region is only needed of a grid that counts in the bound of a part that is not
    # computed exactly anyway (its grids too many vertices, or one of them in two parts; see _big_part_gaps)
    if len(ps):
        _, multi, _ = _owners({"parts": parts, "ps": ps, "g": g, "inner": inner}, len(polys))
        nv = np.bincount(ps, weights=shapely.get_num_coordinates(polys[g]), minlength=len(parts))
        need = np.zeros(len(polys), dtype=bool)
        need[g[inner & ~(multi | (nv > TILE_PART))[ps]]] = True
        fl = fl[need[fl]]
    else:
        fl = fl[:0]
    a_fr = np.zeros(len(polys))
    if len(fl):
        shapely.prepare(regions[ks])
        reg = regions[groups[fl]]
        a_fr[fl] = shapely.area(polys[fl])
        # a grid that does not meet its region's boundary lies inside it or outside it
        ftree = shapely.STRtree(polys[fl])
        rs, rd = ftree.query(shapely.boundary(regions[ks]), predicate="intersects")
        edge = np.zeros(len(fl), dtype=bool)
        edge[rd[groups[fl[rd]] == ks[rs]]] = True
        rest = np.flatnonzero(~edge)
        a_fr[fl[rest[~shapely.intersects(reg[rest], polys[fl[rest]])]]] = 0.0
        beyond = np.flatnonzero(edge)
        if len(beyond):
            bad: list = []
            ar = shapely.area(polygon_part(_robust(shapely.intersection, polys[fl[beyond]], reg[beyond], bad)))
            ar[bad] = 0.0
            a_fr[fl[beyond]] = ar
    return {"parts": parts, "scope": scope, "ps": ps, "g": g, "a_fr": a_fr, "ks": ks, "inner": inner}


def _owners(c, n_polys: int):
    """For :func:`gap_clusters`' rows (part ``ps``, flagged grid ``g``): whether the row's grid counts
    in its part's bound (``inner``: its interior meets the part's), the parts one of whose grids has
    its interior in two parts or more (``multi``: the exact overlay), and the one part each other grid
    covers (``part_of``, -1 for none)."""
    ps, g = c["ps"], c["g"]
    n = len(c["parts"])
    inner = c.get("inner")
    inner = np.ones(len(ps), dtype=bool) if inner is None else inner
    cnt = np.bincount(g[inner], minlength=n_polys)
    multi = np.zeros(n, dtype=bool)
    multi[ps[inner & (cnt[g] > 1)]] = True
    part_of = np.full(n_polys, -1, dtype=np.int64)
    one = inner & (cnt[g] == 1)
    part_of[g[one]] = ps[one]
    return inner, multi, part_of


def _flagged_nesting(polys, groups, regions, unions, tree, ks, flagged, gap_tol, sliver_width, outside_rule,
                     gaps, outside, clusters, pairs, areas, outside_found=None) -> list[Finding]:
    """Gaps and the parts beyond their region of the regions ``ks``, which have grids that do not fit
    their neighbours exactly, without the overlay union of those grids.

    The gaps of a region are the parts P of (region − union of its clean grids) minus the flagged
    grids F_P meeting P.  A part is left out when the area it can leave uncovered is at most half
    the gap tolerance — by Bonferroni's inequality, area(P − ∪F) ≤ area(P) − Σ area(P ∩ F_i)
    + Σ area(F_i ∩ F_j), and area(P ∩ F_i) ≥ area(F_i ∩ region) − Σ area(F_i ∩ clean neighbour)
    for a grid whose interior meets no other part's (a grid that only touches P, at points or along
    lines, counts for nothing in P) — so that no gap larger than the tolerance can be in it.
    The others (the few parts with a gap, or whose grids meet two parts) get the exact overlay,
    cut into tiles when large (:func:`_tiled_difference`).  A grid beyond its region is any grid
    of the region that meets the region's boundary or misses the region; its cut is measured on the
    grid itself, as before."""
    out: list[Finding] = []
    if gaps:
        if clusters is None:
            clusters = gap_clusters(polys, groups, regions, unions, ks, flagged)
        if pairs is None:
            pairs = candidate_pairs(tree, polys, np.flatnonzero(flagged))
            areas = pair_areas(polys, pairs)
        gp, gs = _cluster_gaps(polys, groups, flagged, clusters, np.asarray(pairs, dtype=np.int64).reshape(-1, 2),
                               np.asarray(areas, dtype=float), gap_tol)
        out += gap_findings(gp, tree, polys, sliver_width, scopes=gs, gap_tol=gap_tol)
    if outside:
        if outside_found is None:
            outside_found = _flagged_outside(polys, groups, regions, tree, ks, gap_tol, sliver_width, outside_rule)
        out += outside_found
    return out


def _flagged_outside(polys, groups, regions, tree, ks, gap_tol, sliver_width, outside_rule,
                     split=True) -> list[Finding]:
    """The grids of the regions ``ks`` that reach beyond their region (:func:`_flagged_nesting`).
    ``tree``: an index of ``polys`` (None: one is built — for another thread than the one
    querying the level's)."""
    members = np.flatnonzero(np.isin(groups, ks) & ~(shapely.is_missing(polys) | shapely.is_empty(polys)))
    if not len(members):
        return []
    # a grid can reach beyond its region only if it meets the region's boundary or misses the region
    if tree is None:
        rs, rd = shapely.STRtree(polys[members]).query(shapely.boundary(regions[ks]), predicate="intersects")
        rd = members[np.asarray(rd, dtype=np.int64)]
    else:
        rs, rd = tree.query(shapely.boundary(regions[ks]), predicate="intersects")
        rd = np.asarray(rd, dtype=np.int64)
    near = np.zeros(len(polys), dtype=bool)
    near[rd[groups[rd] == ks[rs]]] = True
    shapely.prepare(regions[ks])
    rest = members[~near[members]]
    near[rest[~shapely.intersects(regions[groups[rest]], polys[rest])]] = True
    cand = members[near[members]]
    # a grid its region covers has nothing outside it (on the prepared region: ~3× cheaper than the cut;
    # at the jurisdiction's border of the noisy 100k city 1,064 of 1,256)
    if len(cand):
        try:
            cand = cand[~shapely.covers(regions[groups[cand]], polys[cand])]
        except GEOSException:
            pass
    return _outside_cuts(polys, groups, regions, cand, gap_tol, sliver_width, outside_rule, split)


def _outside_cuts(polys, groups, regions, cand, gap_tol, sliver_width, outside_rule, split=True) -> list[Finding]:
    """The part of each candidate grid outside its region, a finding where it is larger than ``gap_tol``."""
    if not len(cand):
        return []
    # (in two halves side by side: each grid's cut and width on its own)
    cut = _in_two(lambda g, r: polygon_part(_robust(shapely.difference, g, r)), polys[cand], regions[groups[cand]],
                  cost=shapely.get_num_coordinates(polys[cand]), split=split)
    area = shapely.area(cut)
    big = area > gap_tol
    w = _in_two(lambda g: widths(g, sliver_width), cut[big], cost=shapely.get_num_coordinates(cut[big]), split=split)
    return [Finding(outside_rule, (int(i),), g, float(ar), float(wd))
            for i, g, ar, wd in zip(cand[big], cut[big], area[big], w)]


def _part_gaps(part, f, gap_tol: float) -> np.ndarray:
    """The pieces of ``part − ∪f`` that can be gaps of more than ``gap_tol`` (the union's holes of
    at most gap_tol are dropped first: nothing in them is large enough to report)."""
    if shapely.get_num_coordinates(f).sum() > TILE_PART:
        return _tiled_difference(part, f, gap_tol)
    u = _drop_small_holes(np.array([_union_all(f)], dtype=object), gap_tol)
    return shapely.get_parts(polygon_part(_robust(shapely.difference, np.array([part], dtype=object), u)))


def _big_part_gaps(polys, c, gap_tol: float, stop=None) -> dict:
    """The exact gap pieces of the parts that need the overlay whatever the pair areas: those whose
    flagged grids have more than :data:`TILE_PART` vertices, and those where the bound of
    :func:`_flagged_nesting` without its overlap terms (which only add) already exceeds half the
    tolerance — computed at once, beside the pair checks."""
    parts, ps, g, a_fr = c["parts"], c["ps"], c["g"], c["a_fr"]
    out = {}
    if len(ps) == 0:
        return out
    n = len(parts)
    area_p = shapely.area(parts)
    nv = np.bincount(ps, weights=shapely.get_num_coordinates(polys[g]), minlength=n)
    inner, multi, _ = _owners(c, len(polys))
    bound0 = area_p - np.bincount(ps, weights=np.where(inner, a_fr[g], 0.0), minlength=n)
    nf = np.bincount(ps, minlength=n)
    todo = np.flatnonzero((area_p > gap_tol) & (nf > 0) & ((nv > TILE_PART) | multi | ~(bound0 <= gap_tol / 2)))
    order = np.argsort(ps, kind="stable")
    starts = np.searchsorted(ps[order], np.arange(n + 1))
    for k in todo:
        if stop is not None and stop():       # a cancelled check (see check_level)
            from ..workers import Cancelled

            raise Cancelled()
        out[int(k)] = _part_gaps(parts[k], polys[g[order[starts[k]:starts[k + 1]]]], gap_tol)
    return out


def _cluster_gaps(polys, groups, flagged, c, pairs, areas, gap_tol):
    """Gap polygons (area > gap_tol) and their regions from :func:`gap_clusters` and the pair areas."""
    parts, scope, ps, g, a_fr = c["parts"], c["scope"], c["ps"], c["g"], c["a_fr"]
    pre = c.get("pre") or {}
    n = len(parts)
    if n == 0:
        return np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64)
    area_p = shapely.area(parts)
    nf = np.bincount(ps, minlength=n)
    inner, multi, part_of = _owners(c, len(polys))
    bound = area_p - np.bincount(ps, weights=np.where(inner, a_fr[g], 0.0), minlength=n)
    if len(pairs):
        i, j = pairs[:, 0], pairs[:, 1]
        pi, pj = part_of[i], part_of[j]
        both = (pi >= 0) & (pi == pj)
        np.add.at(bound, pi[both], areas[both])
        for x, y, px in ((i, j, pi), (j, i, pj)):      # a flagged grid with a clean grid of its region
            sel = (px >= 0) & ~flagged[y]
            sel[sel] = groups[y[sel]] == scope[px[sel]]
            np.add.at(bound, px[sel], areas[sel])
    big = area_p > gap_tol
    direct = np.flatnonzero(big & (nf == 0))
    exact = np.flatnonzero(big & (nf > 0) & (multi | ~(bound <= gap_tol / 2)))
    exact = np.union1d(exact, np.array(sorted(pre), dtype=np.int64))
    order = np.argsort(ps, kind="stable")
    ps_s, g_s = ps[order], g[order]
    starts = np.searchsorted(ps_s, np.arange(n + 1))

    def work(ks):
        res, src = [], []
        for k in ks:
            f = polys[g_s[starts[k]:starts[k + 1]]]
            if k in pre:
                pieces = pre[k]
            else:
                pieces = _part_gaps(parts[k], f, gap_tol)
            res.append(pieces)
            src.append(np.full(len(pieces), k, dtype=np.int64))
        return res, src

    # the exact parts in two halves side by side (GEOS releases the GIL)
    cost = np.array([starts[k + 1] - starts[k] for k in exact], dtype=float)
    half = np.zeros(len(exact), dtype=bool)
    if len(exact) > 1:
        by = np.argsort(-cost, kind="stable")
        acc = np.zeros(2)
        for t in by:                    # largest first, each to the lighter half
            h = int(np.argmin(acc))
            half[t] = h == 1
            acc[h] += cost[t]
    with _pool() as pool:
        other = pool.submit(work, exact[half])
        res, src = work(exact[~half])
        r2, s2 = other.result()
    res = [parts[direct]] + res + r2
    src = [direct] + src + s2
    gp = np.concatenate(res) if res else np.zeros(0, dtype=object)
    gs = np.concatenate(src) if src else np.zeros(0, dtype=np.int64)
    keep = shapely.area(gp) > gap_tol
    gp, gs = gp[keep], gs[keep]
    # in the order of the parts (as region − union gives them)
    o = np.argsort(gs, kind="stable")
    return gp[o], scope[gs[o]]


def _cut(geoms, x0, y0, x1, y1) -> np.ndarray:
    """Each polygon cut to its box: :func:`shapely.clip_by_rect` (linear), or the overlay
    intersection where that is not valid.  Both compute a point on a box edge from the same
    segment the same way, so pieces of neighbouring tiles meet exactly."""
    out = np.empty(len(geoms), dtype=object)
    for k in range(len(geoms)):
        out[k] = shapely.clip_by_rect(geoms[k], x0[k], y0[k], x1[k], y1[k])
    out = polygon_part(out)
    bad = np.flatnonzero(~shapely.is_valid(out))
    if len(bad):
        out[bad] = polygon_part(_robust(shapely.intersection, geoms[bad], shapely.box(x0[bad], y0[bad], x1[bad],
                                                                                      y1[bad])))
    return out


def _tiled_difference(part, f, gap_tol: float) -> np.ndarray:
    """The polygon parts of ``part − ∪f`` that can hold a gap of more than ``gap_tol``, computed in a grid of tiles so that every overlay is small
    (an overlay union of float-noisy neighbours is superlinear in their vertices); the pieces that
    touch a tile's border are merged again."""
    nv = int(shapely.get_num_coordinates(f).sum() + shapely.get_num_coordinates(part))
    n = max(1, int(np.ceil(np.sqrt(nv / TILE_VERTICES))))
    x0, y0, x1, y1 = shapely.bounds(part)
    xs, ys = np.linspace(x0, x1, n + 1), np.linspace(y0, y1, n + 1)
    bx0, by0 = np.meshgrid(xs[:-1], ys[:-1])
    bx1, by1 = np.meshgrid(xs[1:], ys[1:])
    boxes = shapely.box(bx0.ravel(), by0.ravel(), bx1.ravel(), by1.ravel())
    bs, fd = shapely.STRtree(f).query(boxes, predicate="intersects")
    fp = _cut(f[fd], bx0.ravel()[bs], by0.ravel()[bs], bx1.ravel()[bs], by1.ravel()[bs])
    pp = _cut(np.full(len(boxes), part, dtype=object), bx0.ravel(), by0.ravel(), bx1.ravel(), by1.ravel())
    counts = np.bincount(bs, minlength=len(boxes))
    us = np.full(len(boxes), EMPTY, dtype=object)
    if len(bs):
        order = np.argsort(bs, kind="stable")
        b_s = bs[order]
        rank = np.arange(len(b_s)) - np.concatenate([[0], np.cumsum(counts)[:-1]])[b_s]
        arr = np.full((len(boxes), int(counts.max())), None, dtype=object)
        arr[b_s, rank] = fp[order]

        def unite(ts):
            for t in ts:
                us[t] = _union_all(arr[t, :counts[t]])

        busy = np.flatnonzero(counts)
        with _pool() as pool:           # two halves side by side (GEOS releases the GIL)
            other = pool.submit(unite, busy[1::2])
            unite(busy[::2])
            other.result()
    # a hole of a tile's union of at most gap_tol can only hold gap pieces too small to report (it is
    # enclosed within the tile, so nothing in it joins a piece of the next tile): dropping the
    # float-noise holes first makes the difference ~3× faster
    d = polygon_part(_robust(shapely.difference, pp, _drop_small_holes(us, gap_tol)))
    pieces, src = shapely.get_parts(d, return_index=True)
    if len(pieces) == 0:
        return pieces
    keep = shapely.area(pieces) > 0
    pieces, src = pieces[keep], src[keep]
    edge = shapely.intersects(pieces, shapely.boundary(boxes[src]))
    if not edge.any() or n == 1:
        return pieces
    merged = shapely.get_parts(polygon_part(np.array([_union_all(pieces[edge])], dtype=object)))
    return np.concatenate([pieces[~edge], merged])


def _drop_small_holes(geoms, tol: float) -> np.ndarray:
    """Each (multi)polygon without its holes of area ≤ ``tol`` (the same object when it has none)."""
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    for i, g in enumerate(geoms):
        if g is None or shapely.is_empty(g) or shapely.get_type_id(g) not in (3, 6):
            continue
        parts = shapely.get_parts(g)
        nh = shapely.get_num_interior_rings(parts)
        if nh.sum() == 0:
            continue
        which = np.repeat(np.arange(len(parts)), nh)
        rings = shapely.get_interior_ring(parts[which], np.concatenate([np.arange(c) for c in nh]))
        small = shapely.area(shapely.polygons(rings)) <= tol
        if not small.any():
            continue
        new = parts.copy()
        for k in np.unique(which[small]):
            keep = rings[(which == k) & ~small]
            new[k] = shapely.Polygon(shapely.get_exterior_ring(parts[k]), holes=list(keep))
        out[i] = new[0] if shapely.get_type_id(g) == 3 else shapely.MultiPolygon(list(new))
    return out


def hole_gaps(polys, tree, union, gap_tol: float = 0.01, sliver_width: float = 0.5) -> list[Finding]:
    """Without a boundary: the holes in the union of the grids (enclosed gaps).

    >>> from shapely import box
    >>> g = np.array([box(0, 0, 30, 10), box(0, 20, 30, 30), box(0, 10, 10, 20), box(20, 10, 30, 20)])
    >>> [(f.rule, f.members, f.area) for f in hole_gaps(g, shapely.STRtree(g), union_of(g))]
    [('gap', (0, 1, 2, 3), 100.0)]
    """
    holes = union_holes(union)
    if len(holes):
        holes = holes[shapely.area(holes) > gap_tol]
    return gap_findings(holes, tree, polys, sliver_width, scopes=np.zeros(len(holes), dtype=np.int64),
                        gap_tol=gap_tol)


def union_holes(union) -> np.ndarray:
    """The holes of a (multi)polygon as polygons."""
    pieces = shapely.get_parts(polygon_part(np.array([union], dtype=object)))
    if len(pieces) == 0:
        return np.zeros(0, dtype=object)
    n = shapely.get_num_interior_rings(pieces)
    if n.sum() == 0:
        return np.zeros(0, dtype=object)
    which = np.repeat(np.arange(len(pieces)), n)
    k = np.concatenate([np.arange(c) for c in n])
    return shapely.polygons(shapely.get_interior_ring(pieces[which], k))


def outside_parts(children, parents, tol: float = 0.01, sliver_width: float = 0.5,
                  rule: str = "outside_parent") -> list[Finding]:
    """The part of each child beyond its parent (``parents`` aligned with
    ``children``; None = no parent, skipped).

    >>> from shapely import box
    >>> f = outside_parts(np.array([box(0, 0, 10, 10), box(5, 0, 12, 10)]),
    ...                   np.array([box(0, 0, 10, 10), box(0, 0, 10, 10)]))
    >>> [(x.rule, x.members, x.area) for x in f]
    [('outside_parent', (1,), 20.0)]
    """
    children = np.asarray(children, dtype=object)
    parents = np.asarray(parents, dtype=object)
    out: list[Finding] = []
    ok = ~(shapely.is_missing(parents) | shapely.is_missing(children))
    idx = np.flatnonzero(ok)
    if len(idx) == 0:
        return out
    idx = idx[~shapely.is_empty(children[idx]) & ~shapely.is_empty(parents[idx])]
    diff = polygon_part(_robust(shapely.difference, children[idx], parents[idx]))
    area = shapely.area(diff)
    big = area > tol
    if big.any():
        w = widths(diff[big], sliver_width)
        for i, g, ar, wd in zip(idx[big], diff[big], area[big], w):
            out.append(Finding(rule, (int(i),), g, float(ar), float(wd)))
    return out


def multipart_findings(geoms, allowed=None) -> list[Finding]:
    """Grids in several parts, unless ``allowed[i]``; the location and area are
    those of the parts apart from the largest.

    >>> from shapely import MultiPolygon, box
    >>> f = multipart_findings([MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]), box(0, 0, 1, 1)])
    >>> [(x.rule, x.members, x.extra["parts"], x.area) for x in f]
    [('multipart', (0,), 2, 1.0)]
    """
    geoms = np.asarray(geoms, dtype=object)
    n = part_counts(geoms)
    multi = (n > 1) & (shapely.get_type_id(geoms) == 6)
    if allowed is not None:
        multi &= ~np.asarray(allowed, dtype=bool)
    out = []
    for i in np.flatnonzero(multi):
        # the location is the part(s) cut off from the main (largest) one
        parts = shapely.get_parts(geoms[i])
        keep = np.ones(len(parts), dtype=bool)
        keep[int(np.argmax(shapely.area(parts)))] = False
        apart = shapely.union_all(parts[keep]) if keep.sum() > 1 else parts[keep][0]
        out.append(Finding("multipart", (int(i),), apart, float(shapely.area(parts[keep]).sum()), None,
                           extra={"parts": int(n[i])}))
    return out


def invalid_findings(bad, why, where) -> list[Finding]:
    """``invalid`` findings from :func:`invalid_reasons`."""
    return [Finding("invalid", (int(i),), where[i], None, None, detail=str(why[i]),
                    extra={"reason_zh": reason_zh(str(why[i]))}) for i in np.flatnonzero(bad)]


# ---------------------------------------------------------------------------- one level

def _clean_prep(polys, groups, regions, clean, flagged, need_gaps: bool, gap_tol: float, stop=None,
                outside_rule: str = "", sliver_width: float = 0.5, split=True):
    """(union of each region's clean grids, :func:`gap_clusters` of the regions with flagged grids or None,
    their grids beyond their region (with ``outside_rule``; else None); ``stop()`` asked between batches of
    the union, as in :func:`group_unions`).  Runs beside the pair checks; ``split`` (a callable): whether the
    outside cuts may use the second core (the pair checks are done)."""
    unions = np.full(len(regions), EMPTY, dtype=object)
    _clean_unions(unions, polys, groups, len(regions), np.flatnonzero(clean & (groups >= 0)), stop)
    live = ~(shapely.is_missing(regions) | shapely.is_empty(regions))
    fk = np.zeros(len(regions), dtype=bool)
    fk[np.unique(groups[flagged & (groups >= 0)])] = True
    ks = np.flatnonzero(fk & live)
    clusters = gap_clusters(polys, groups, regions, unions, ks, flagged) if need_gaps and len(ks) else None
    if clusters is not None:
        clusters["pre"] = _big_part_gaps(polys, clusters, gap_tol, stop)
    outside = None
    if outside_rule and len(ks):
        if stop is not None and stop():
            from ..workers import Cancelled

            raise Cancelled()
        outside = _flagged_outside(polys, groups, regions, None, ks, gap_tol, sliver_width, outside_rule, split)
    return unions, clusters, outside


@dataclass
class LevelState:
    """What a level check computed that incremental re-checks reuse."""

    polys: np.ndarray
    invalid: np.ndarray
    flagged: np.ndarray
    tree: GridIndex
    unions: np.ndarray          # union of each region's grids: without a region, of the whole level; with
                                # regions (jurisdiction/parents), of its clean grids only (see _flagged_nesting)
    edges: np.ndarray


GEOMETRY_RULES = ("invalid", "overlap", "gap", "sliver", "edge_mismatch", "outside_parent",
                  "outside_jurisdiction", "multipart")


def check_level(geoms, *, region=None, groups=None, regions=None, overlap_tol: float = 0.01,
                gap_tol: float = 0.01, sliver_width: float = 0.5, multipart_allowed=None, rules=None,
                state: dict | None = None, step=None) -> list[Finding]:
    """All coverage rules on one level of grids.

    ``region`` is the jurisdiction (top level; None: only enclosed gaps are
    found), or ``groups``/``regions`` give each grid's parent (lower levels:
    ``groups[i]`` is the position of grid i's parent in ``regions``, -1 for
    none).  ``rules`` limits the rules that run (default: all).  When
    ``state`` is a dict it receives the :class:`LevelState` under ``"level"``.
    ``step(fraction)`` is called between the parts and batches of the check (progress; it may
    raise to stop a cancelled check: at 100k grids it is called every fraction of a second).
    """
    geoms = np.asarray(geoms, dtype=object)
    rules = set(GEOMETRY_RULES) if rules is None else set(rules)
    out: list[Finding] = []
    tick = step if step is not None else (lambda f: None)
    if step is not None and len(geoms) > 2 * EDGE_BATCH:
        # validity in batches too (one GEOS call over 100k grids is ~1 s)
        parts = []
        for a in range(0, len(geoms), 4 * EDGE_BATCH):
            tick(0.1 * a / len(geoms))
            parts.append(invalid_reasons(geoms[a:a + 4 * EDGE_BATCH]))
        bad, why, where = (np.concatenate([p[i] for p in parts]) for i in range(3))
    else:
        bad, why, where = invalid_reasons(geoms)
    tick(0.1)
    if "invalid" in rules:
        out += invalid_findings(bad, why, where)
    polys = polygonal(geoms, bad)
    tree = GridIndex(polys)
    nonempty = ~shapely.is_empty(polys)
    need_pairs = bool(rules & {"overlap", "sliver", "edge_mismatch"})
    need_gaps = bool(rules & {"gap", "sliver"})
    pre_f = pre_pool = None
    nv = shapely.get_num_coordinates(polys)
    if need_pairs and 2 <= len(polys) <= PRE_GRIDS and nv.sum() >= PRE_VERTICES * len(polys):
        # few grids of many vertices (districts): their pairs' intersections beside the edge validation
        pre_pool = _pool()
        pre_f = pre_pool.submit(_pair_pre, polys, candidate_pairs(tree, polys, np.flatnonzero(nonempty)), False)
    try:
        edges = invalid_edges(polys, step=None if step is None else (lambda f: step(0.1 + 0.7 * f)))
    except BaseException:
        if pre_pool is not None:
            pre_pool.shutdown(wait=False, cancel_futures=True)
        raise
    tick(0.8)
    flagged = bad | ~shapely.is_empty(edges)
    clean = ~flagged & nonempty
    if groups is not None and regions is not None:
        groups = np.asarray(groups, dtype=np.int64)
        regions = np.asarray(regions, dtype=object)
        outside_rule = "outside_parent"
    elif region is not None:
        groups = np.zeros(len(polys), dtype=np.int64)
        regions = np.array([region], dtype=object)
        outside_rule = "outside_jurisdiction"
    else:
        groups = np.zeros(len(polys), dtype=np.int64)
        regions = None
        outside_rule = ""
    # the unions (overlay of the flagged grids) and the pair checks are independent: GEOS releases
    # the GIL, so they run side by side
    # the unions and the pair checks are independent: GEOS releases the GIL, so they run side by
    # side.  With regions, only the clean grids are unioned (a coverage union, linear): the gaps
    # next to flagged grids come from the parts of each region that union leaves (gap_clusters)
    # and the pairs' intersection areas (see _flagged_nesting)
    import threading
    from concurrent.futures import TimeoutError as _Timeout

    stopped = threading.Event()           # a cancelled check: the unions beside it stop too
    pairs_done = threading.Event()        # the pair checks are done: the unions' last step may use both cores
    stop = None if step is None else stopped.is_set
    with _pool() as pool:
        if regions is None:
            unions_f = pool.submit(group_unions, polys, groups, 1, clean, stop)
        else:
            unions_f = pool.submit(_clean_prep, polys, groups, regions, clean, flagged & nonempty, need_gaps,
                                   gap_tol, stop, outside_rule if outside_rule in rules else "", sliver_width,
                                   pairs_done.is_set)
        try:
            pairs = areas = None
            if need_pairs or (regions is not None and need_gaps):
                pairs = candidate_pairs(tree, polys, np.flatnonzero(flagged & nonempty))
            if need_pairs:
                got: dict = {}
                pre = None
                if pre_f is not None:
                    pre = pre_f.result()
                    pre_pool.shutdown()
                # (its steps use the second core only once the unions beside it are done: the two
                # chains are about as long, and a third thread would slow the one that ends last)
                found = pair_findings(polys, pairs, overlap_tol, sliver_width, mismatch="edge_mismatch" in rules,
                                      edges=edges, areas=got, pre=pre, split=unions_f.done)
                out += [f for f in found if f.rule in rules]
                pairs, areas = got["pairs"], got["area"]
            elif pairs is not None:
                areas = pair_areas(polys, pairs)
            pairs_done.set()
            while True:                   # (asking ``step`` meanwhile: Cancel is heard)
                try:
                    unions = unions_f.result(timeout=0.1)
                    break
                except _Timeout:
                    tick(0.85)
        except BaseException:
            stopped.set()
            raise
    if regions is None:
        if need_gaps:
            out += [f for f in hole_gaps(polys, tree, unions[0], gap_tol, sliver_width) if f.rule in rules]
    else:
        tick(0.9)
        unions, clusters, outside_found = unions
        found = nesting_findings(polys, groups, regions, unions, tree, gap_tol, sliver_width, outside_rule,
                                 gaps=need_gaps, outside=outside_rule in rules, flagged=flagged & nonempty,
                                 clusters=clusters, pairs=pairs, areas=areas, outside_found=outside_found)
        out += [f for f in found if f.rule in rules]
    if "multipart" in rules:
        allowed = bad if multipart_allowed is None else (np.asarray(multipart_allowed, dtype=bool) | bad)
        out += multipart_findings(geoms, allowed)
    if state is not None:
        state["level"] = LevelState(polys=polys, invalid=bad, flagged=flagged, tree=tree, unions=unions,
                                    edges=edges)
    return out
