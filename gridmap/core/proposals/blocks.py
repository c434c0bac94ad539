"""Street blocks (街区) from a road network, inside a container (a jurisdiction or a parent grid).

The roads are clipped to the container, noded at every crossing together with
the container's outline, dead ends that stop just short of a street are carried
on to it, and the strips between the two carriageways of a dual carriageway are
cut across at every junction (so they fall into short pieces beside the blocks
instead of running on for kilometres).  The faces of that planar network
(:func:`shapely.polygonize`) share their edges exactly.  Slivers (narrower than
``min_width``) and crumbs (smaller than ``min_area``) are then merged, smallest
first, into the neighbour they share the longest edge with, so every block is a
union of faces: the blocks are an exact coverage of the container and every
block edge is a road or the container's outline.

This is what momepy's ``enclosures`` does (polygonize the streets with a limit)
plus the sliver handling that dual carriageways need; see the README section on
proposals for why we do not depend on momepy for it.

>>> from shapely import box, LineString
>>> roads = [LineString([(50, -10), (50, 110)]), LineString([(-10, 50), (110, 50)])]
>>> b = street_blocks(roads, box(0, 0, 100, 100), min_width=5, min_area=10)
>>> len(b.blocks), sorted(shapely.area(b.blocks).round().tolist())
(4, [2500.0, 2500.0, 2500.0, 2500.0])
>>> float(b.road_m.sum())   # the 2 × 100 m of road inside, shared by the blocks on both sides
200.0
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["Blocks", "street_blocks", "street_blocks_of", "widths", "compactness", "shared_edges", "network_edges"]


def widths(polys) -> np.ndarray:
    """Width of polygons, 2·area / perimeter (m): near the width of a long strip.

    >>> from shapely import box
    >>> widths([box(0, 0, 100, 10)]).round(2).tolist()
    [9.09]
    """
    polys = np.asarray(polys, dtype=object)
    return 2.0 * shapely.area(polys) / np.maximum(shapely.length(polys), 1e-9)


def compactness(polys) -> np.ndarray:
    """Polsby–Popper compactness 4πA/P² (1 for a disc, ~0.785 for a square).

    >>> from shapely import box
    >>> round(float(compactness([box(0, 0, 10, 10)])[0]), 3)
    0.785
    """
    polys = np.asarray(polys, dtype=object)
    return 4 * np.pi * shapely.area(polys) / np.maximum(shapely.length(polys), 1e-9) ** 2


def shared_edges(polys) -> dict[int, dict[int, float]]:
    """Length of the edge every pair of touching polygons shares: {i: {j: metres}}.

    >>> from shapely import box
    >>> shared_edges([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 2, 3, 3)])
    {0: {1: 1.0}, 1: {0: 1.0}, 2: {}}
    """
    polys = np.asarray(polys, dtype=object)
    nb: dict[int, dict[int, float]] = {i: {} for i in range(len(polys))}
    if len(polys) < 2:
        return nb
    i, j = shapely.STRtree(polys).query(polys, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    # blocks share their vertices (one noded network): the segments both have, matched exactly,
    # give most shared edges without an overlay; the pairs with none (corner neighbours, or
    # edges that do not share vertices) are measured by intersecting their boundaries
    found = _shared_segments(polys)
    n = len(polys)
    lengths = np.zeros(len(i))
    if found:
        codes, total = found
        pos = np.searchsorted(codes, i * n + j)
        pos = np.minimum(pos, len(codes) - 1)
        hit = codes[pos] == i * n + j
        lengths[hit] = total[pos[hit]]
    else:
        hit = np.zeros(len(i), dtype=bool)
    rest = np.flatnonzero(~hit)
    if len(rest):
        line = shapely.relate_pattern(polys[i[rest]], polys[j[rest]], "****1****")
        rest = rest[line]
        if len(rest):
            lengths[rest] = shapely.length(shapely.intersection(shapely.boundary(polys[i[rest]]),
                                                                shapely.boundary(polys[j[rest]])))
    for a, b, ln in zip(i.tolist(), j.tolist(), lengths.tolist()):
        if ln > 1e-6:
            nb[a][b] = nb[b][a] = ln
    return nb


def _shared_segments(polys):
    """(sorted pair codes i·n+j, summed length of the segments polygons i < j both have) or None."""
    parts, owner = shapely.get_parts(polys, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    xy, ri = shapely.get_coordinates(rings, return_index=True)
    if len(xy) < 2:
        return None
    same = ri[1:] == ri[:-1]
    p0, p1 = xy[:-1][same], xy[1:][same]
    who = owner[ring_part[ri[:-1][same]]]
    flip = (p0[:, 0] > p1[:, 0]) | ((p0[:, 0] == p1[:, 0]) & (p0[:, 1] > p1[:, 1]))
    a = np.where(flip[:, None], p1, p0)
    b = np.where(flip[:, None], p0, p1)
    seg = np.ascontiguousarray(np.concatenate([a, b], axis=1))
    key = seg.view(np.dtype((np.void, seg.dtype.itemsize * 4))).ravel()
    order = np.argsort(key, kind="stable")
    key, who, seg = key[order], who[order], seg[order]
    dup = np.flatnonzero((key[1:] == key[:-1]) & (who[1:] != who[:-1]))
    if not len(dup):
        return None
    x, y = who[dup], who[dup + 1]
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    ln = np.hypot(seg[dup, 2] - seg[dup, 0], seg[dup, 3] - seg[dup, 1])
    codes, inv = np.unique(lo.astype(np.int64) * len(polys) + hi, return_inverse=True)
    return codes, np.bincount(inv.ravel(), weights=ln)


def _endpoints(edges):
    """For each end of each noded edge: (x, y), the direction it points to (unit
    vector, continuing the edge beyond the end) and the degree of its node."""
    coords, idx = shapely.get_coordinates(edges, return_index=True)
    first = np.r_[0, np.flatnonzero(np.diff(idx)) + 1]
    last = np.r_[first[1:] - 1, len(coords) - 1]
    ends = np.concatenate([coords[first], coords[last]])
    inner = np.concatenate([coords[first + 1], coords[last - 1]])
    d = ends - inner
    d /= np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-12)[:, None]
    key = np.round(ends, 6)
    _, inv, counts = np.unique(key, axis=0, return_inverse=True, return_counts=True)
    return ends, d, counts[inv.ravel()]


def _close_dangles(edges, reach_m: float):
    """Straight extensions carrying dead ends on to the street they almost meet (OSM
    often stops a street a few metres short of a junction)."""
    ends, d, degree = _endpoints(edges)
    dangling = np.flatnonzero(degree == 1)
    if not len(dangling) or reach_m <= 0:
        return []
    rays = shapely.linestrings(np.stack([ends[dangling] + d[dangling] * 1e-3,
                                         ends[dangling] + d[dangling] * reach_m], axis=1))
    src, dst = shapely.STRtree(edges).query(rays, predicate="intersects")
    dist = shapely.distance(shapely.points(ends[dangling][src]), shapely.intersection(rays[src], edges[dst]))
    best: dict[int, float] = {}
    for s, dd in zip(src.tolist(), dist.tolist()):
        if 0.01 < dd < best.get(s, np.inf):
            best[s] = dd
    out = []
    for s in sorted(best):
        e = ends[dangling[s]]
        out.append(shapely.LineString([e, e + d[dangling[s]] * (best[s] + 1e-3)]))
    return out


def _long_axis(poly) -> np.ndarray:
    xy = shapely.get_coordinates(shapely.oriented_envelope(poly))
    if len(xy) < 3:
        return np.array([1.0, 0.0])
    sides = np.diff(xy[:3], axis=0)
    v = sides[np.argmax(np.hypot(sides[:, 0], sides[:, 1]))]
    n = np.hypot(*v)
    return v / n if n > 0 else np.array([1.0, 0.0])


def _strip_cuts(edges, faces, max_width: float):
    """Wherever a street meets a strip face (narrower than ``max_width``, e.g. between
    two carriageways) it is continued straight across the strip (within 30° of square)."""
    strips = faces[widths(faces) < max_width]
    if not len(strips):
        return []
    ends, d, degree = _endpoints(edges)
    junction = degree >= 3
    pts = shapely.points(ends[junction])
    dirs = d[junction]
    src, dst = shapely.STRtree(strips).query(pts, predicate="intersects")
    if not len(src):
        return []
    start = ends[junction][src]
    inward = shapely.contains_xy(strips[dst], *(start + dirs[src] * 0.05).T)
    axis = np.array([_long_axis(g) for g in strips]).reshape(-1, 2)
    inward &= np.abs(np.sum(dirs[src] * axis[dst], axis=1)) < 0.5
    start, step, target = start[inward], dirs[src][inward], strips[dst[inward]]
    if not len(start):
        return []
    rays = shapely.linestrings(np.stack([start, start + step * 4 * max_width], axis=1))
    parts, which = shapely.get_parts(shapely.intersection(rays, target), return_index=True)
    lines = shapely.get_type_id(parts) == 1
    parts, which = parts[lines], which[lines]
    if not len(parts):
        return []
    first = shapely.get_coordinates(shapely.get_point(parts, 0))
    ok = (np.hypot(*(first - start[which]).T) < 1e-6) & (shapely.length(parts) >= 0.01)
    out, seen = [], set()
    for part in parts[ok]:
        key = tuple(np.round(shapely.get_coordinates(part), 3).ravel().tolist())
        if key not in seen:
            seen.add(key)
            out.append(part)
    return out


def _node(lines) -> np.ndarray:
    return np.asarray(shapely.get_parts(shapely.union_all(np.asarray(lines, dtype=object))), dtype=object)


def network_edges(roads, container, min_width: float = 15.0, reach_m: float = 40.0, passes: int = 3,
                  outlines=None) -> np.ndarray:
    """The roads inside ``container`` and its outline (or ``outlines``: the outlines of
    several parents), noded, dead ends closed, strips cut."""
    roads = np.asarray([g for g in roads if g is not None and not g.is_empty], dtype=object)
    outline = shapely.boundary(container) if outlines is None else shapely.union_all(
        [shapely.boundary(c) for c in outlines])
    inside = shapely.intersection(roads, container) if len(roads) else np.zeros(0, dtype=object)
    inside = [p for p in shapely.get_parts(np.asarray(inside, dtype=object)) if shapely.get_type_id(p) in (1, 2)]
    edges = _node(list(shapely.get_parts(outline)) + inside)
    extra = [shapely.intersection(e, container) for e in _close_dangles(edges, reach_m)]
    # only line pieces: an extension that merely touches the container is a point (seen on a parent
    # outline projected from lon/lat)
    extra = [p for e in extra for p in shapely.get_parts(e) if shapely.get_type_id(p) in (1, 2) and not p.is_empty]
    if extra:
        edges = _node(list(edges) + extra)
    for _ in range(passes):
        faces = np.asarray(shapely.get_parts(shapely.polygonize(edges)), dtype=object)
        cuts = _strip_cuts(edges, faces, min_width)
        if not cuts:
            break
        edges = _node(list(edges) + cuts)
    return edges


@dataclass
class Blocks:
    """Street blocks of one container: polygons (an exact coverage of it), and per block
    the road length on and inside it (``road_m``: road edges inside a block count
    whole, on the edge between two blocks half to each) and its faces."""

    blocks: np.ndarray
    road_m: np.ndarray
    faces: np.ndarray
    members: list
    raw_faces: int
    narrow_faces: int


def _merge_small(faces, is_bad, min_shared: float) -> list[list[int]]:
    """Merge, smallest first, every bad group into the neighbour it shares the longest
    edge with (at least ``min_shared`` of its perimeter, else any), preferring good ones."""
    nb = shared_edges(faces)
    members = {i: [i] for i in range(len(faces))}
    geom = {i: faces[i] for i in range(len(faces))}
    version = dict.fromkeys(range(len(faces)), 0)
    heap = [(float(faces[i].area), i, 0) for i in range(len(faces)) if is_bad(faces[i])]
    heapq.heapify(heap)
    while heap:
        _, g, ver = heapq.heappop(heap)
        if g not in members or version[g] != ver or not nb[g]:
            continue
        need = min_shared * geom[g].length
        cands = {k: ln for k, ln in nb[g].items() if ln >= need} or nb[g]
        h = max(cands, key=lambda k: (not is_bad(geom[k]), round(cands[k], 6), -k))
        for k, ln in nb.pop(g).items():
            del nb[k][g]
            if k != h:
                nb[h][k] = nb[h].get(k, 0.0) + ln
                nb[k][h] = nb[k].get(h, 0.0) + ln
        members[h] = sorted(members[h] + members.pop(g))
        del geom[g]
        geom[h] = shapely.coverage_union_all(faces[members[h]])
        version[h] += 1
        if is_bad(geom[h]):
            heapq.heappush(heap, (float(geom[h].area), h, version[h]))
    return sorted(members.values())


def street_blocks(roads, container, min_width: float = 15.0, min_area: float = 2000.0,
                  reach_m: float = 40.0, min_shared: float = 0.15) -> Blocks:
    """The street blocks of ``container`` (a polygon) cut by ``roads`` (lines, same CRS, metres)."""
    return street_blocks_of(roads, [container], min_width, min_area, reach_m, min_shared)[0]


def street_blocks_of(roads, containers, min_width: float = 15.0, min_area: float = 2000.0,
                     reach_m: float = 40.0, min_shared: float = 0.15) -> list[Blocks]:
    """The street blocks of several neighbouring containers (parent grids) from one noded
    network, so blocks on both sides of a shared parent edge have the same vertices there."""
    containers = [shapely.make_valid(c) if not c.is_valid else c for c in containers]
    roads = np.asarray([g for g in roads if g is not None and not g.is_empty], dtype=object)
    region = shapely.union_all(containers) if len(containers) > 1 else containers[0]
    edges = network_edges(roads, region, min_width=min_width, reach_m=reach_m,
                          outlines=containers if len(containers) > 1 else None)
    all_faces = np.asarray(shapely.get_parts(shapely.polygonize(edges)), dtype=object)
    pts = shapely.point_on_surface(all_faces) if len(all_faces) else all_faces

    def is_bad(g) -> bool:
        return g.area < min_area or 2.0 * g.area / max(g.length, 1e-9) < min_width

    out = []
    for c in containers:
        faces = all_faces[shapely.within(pts, c)] if len(all_faces) else all_faces
        narrow = int((widths(faces) < min_width).sum()) if len(faces) else 0
        groups = _merge_small(faces, is_bad, min_shared) if len(faces) else []
        blocks = np.asarray([shapely.coverage_union_all(faces[m]) for m in groups], dtype=object)
        local = edges[shapely.intersects(edges, c)] if len(edges) else edges
        road_m = _road_lengths(local, roads, blocks)
        out.append(Blocks(blocks=blocks, road_m=road_m, faces=faces, members=groups, raw_faces=int(len(faces)),
                          narrow_faces=narrow))
    return out


def _road_lengths(edges, roads, blocks) -> np.ndarray:
    """Road length per block: the network's edges that lie on a road (not the container's
    outline where no road runs) inside a block count whole, on a shared edge half each."""
    out = np.zeros(len(blocks))
    if not len(blocks) or not len(edges) or not len(roads):
        return out
    mids = shapely.line_interpolate_point(edges, 0.5, normalized=True)
    on_road = np.zeros(len(edges), dtype=bool)
    r_src, _ = shapely.STRtree(roads).query(mids, predicate="dwithin", distance=0.05)
    on_road[r_src] = True
    src, dst = shapely.STRtree(blocks).query(mids, predicate="dwithin", distance=1e-6)
    counts = np.bincount(src, minlength=len(edges))
    lengths = shapely.length(edges)
    keep = on_road[src]
    np.add.at(out, dst[keep], lengths[src[keep]] / counts[src[keep]])
    return out
