#!/usr/bin/env python3
"""Build gridmap's real sample town, ``sample_layers/``, from the data in ``../shared/data``.

    python tools/make_sample.py                  # (re)writes sample_layers/
    python tools/make_sample.py --out /tmp/x     # somewhere else (the tests do this)
    python tools/make_sample.py --data DIR       # where the shared data folder is

Inputs (read-only, see ``../shared/data/PROVENANCE.md``):

* ``baoan-osm/roads.geojson`` — OpenStreetMap streets of central Bao'an, WGS84
  (© OpenStreetMap contributors, ODbL 1.0);
* ``cn-counties-gcj02/guangdong_districts.shp`` — county boundaries in GCJ-02 from
  GaryBikini/ChinaAdminDivisonSHP (MIT).

Outputs (``--out``): ``baoan_roads.gpkg``, ``baoan_district.gpkg``, ``baoan_plan.gpkg``,
``baoan_plan_errors.gpkg`` and ``baoan_plan_errors.json``.  How each is derived is
documented step by step in ``sample_layers/README.md`` and in the functions below.
The grids are derived from the real streets only; units, people, phone numbers and
places are FICTITIOUS.  The script is deterministic: the same inputs give the same
grids, codes, names, people and segments.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import shapely.affinity
import shapely.ops

from gridmap.core.crs import to_crs
from gridmap.core.gcj02 import transform_geometry
from gridmap.core.plan import Plan
from gridmap.core.proposals.blocks import compactness, widths   # width 2·A/P and Polsby–Popper
from gridmap.core.storage import open_plan, save_plan

REPO = Path(__file__).resolve().parent.parent

PLAN_CRS = "EPSG:4547"            # CGCS2000 3° Gauss-Krüger zone, CM 114°E
ADMIN_CODE = "440306"             # 宝安区 (GB/T 2260)
PLAN_NAME = "宝安区新安街道网格化管理划分方案（示例）"
FICTITIOUS = ("示例数据：网格边界由 OpenStreetMap 真实道路推导；单位、人员、电话、场所均为虚构，"
              "与真实机构和个人无关。Sample data: grid boundaries follow real OpenStreetMap streets; "
              "units, people, phone numbers and places are FICTITIOUS.")

# The jurisdiction: the street blocks inside the quadrilateral of these four real
# junctions (road names as in OSM).  Its sides run along 新湖路 (south-west),
# 新安六路/新安五路/新安四路 (north-west), 前进一路 (north-east) and 兴华一路/兴华二路
# (south-east).
CORNERS = (
    (("新湖路",), ("新安六路", "新安五路")),
    (("前进一路",), ("新安四路", "新安五路")),
    (("前进一路",), ("兴华二路",)),
    (("新湖路",), ("兴华一路",)),
)
# Large grids are split along 广深公路 and along 裕安一路/裕安二路: each divider is given
# by two junctions on it (see :func:`divide`).
DIVIDERS = (
    ((("广深公路",), ("新安五路", "新安四路")), (("广深公路",), ("创业一路", "创业二路"))),
    ((("新湖路",), ("裕安一路",)), (("前进一路",), ("裕安二路",))),
)
# Street faces narrower than this (2·area/perimeter, m) or smaller than this (m²) are
# slivers between dual carriageways or crumbs at junctions: merged into a neighbour.
SLIVER_WIDTH_M = 60.0
CRUMB_AREA_M2 = 20000.0
TARGET_SMALL_GRIDS = 30

CN_DIGITS = "零一二三四五六七八九"


# ---------------------------------------------------------------------------- small helpers
def cn_number(n: int) -> str:
    """Chinese numeral for 1–99, as used in grid names.

    >>> cn_number(1), cn_number(10), cn_number(12), cn_number(30), cn_number(47)
    ('一', '十', '十二', '三十', '四十七')
    """
    if not 0 < n < 100:
        raise ValueError(f"{n} is out of range 1–99")
    tens, ones = divmod(n, 10)
    text = ("" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十"))
    return text + (CN_DIGITS[ones] if ones else "")



# ---------------------------------------------------------------------------- inputs
def default_data_dir() -> Path:
    env = os.environ.get("GRIDMAP_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def read_roads(data: Path) -> gpd.GeoDataFrame:
    """The OSM streets as published (WGS84 lon/lat), columns ``highway`` and ``name``."""
    path = data / "baoan-osm" / "roads.geojson"
    if not path.exists():
        raise SystemExit(f"make_sample: {path}: file not found (use --data)")
    roads = pyogrio.read_dataframe(path)
    roads = roads[["highway", "name", "geometry"]].copy()
    roads["name"] = roads["name"].astype(object).where(roads["name"].notna(), None)
    return roads.set_crs("EPSG:4326", allow_override=True)


def read_district_gcj02(data: Path, adcode: str = ADMIN_CODE) -> tuple[shapely.Geometry, dict]:
    """The raw county polygon (GCJ-02 lon/lat, as in the file) and its attributes.

    The shapefile has no .prj and no .cpg: its text is UTF-8 and its coordinates are
    GCJ-02, which is why both are stated here and not guessed."""
    path = data / "cn-counties-gcj02" / "guangdong_districts.shp"
    if not path.exists():
        raise SystemExit(f"make_sample: {path}: file not found (use --data)")
    df = pyogrio.read_dataframe(path, encoding="utf-8")
    row = df[df["adcode"].astype(str) == adcode]
    if len(row) != 1:
        raise SystemExit(f"make_sample: {path}: no single county with adcode {adcode}")
    rec = row.iloc[0]
    attrs = {"name": rec["name"], "adcode": str(rec["adcode"]), "level": rec["level"],
             "city": rec["ctname"], "city_adcode": str(rec["ctadcode"]),
             "province": rec["prname"], "province_adcode": str(rec["pradcode"])}
    return rec.geometry, attrs


def district_frame(raw_gcj02, attrs: dict) -> gpd.GeoDataFrame:
    """The district converted GCJ-02 → WGS84 (iterative inverse) and labelled CGCS2000
    (EPSG:4490; WGS84 and CGCS2000 agree to centimetres)."""
    geom = transform_geometry(raw_gcj02, "gcj02", "wgs84")
    rec = dict(attrs)
    rec["source"] = "GaryBikini/ChinaAdminDivisonSHP 776a2f1 (Amap district API), MIT"
    rec["datum_note"] = "GCJ-02 → CGCS2000 by gridmap.core.gcj02 (iterative inverse, < 1 µm)"
    return gpd.GeoDataFrame({k: [v] for k, v in rec.items()}, geometry=[geom], crs="EPSG:4490")


# Streets that lie in 南山区 (Nanshan, the neighbour to the south-east): 前海 (桂湾,
# 听海/梦海大道) and the Nanshan arterials.  The better the district boundary, the less
# of them falls inside 宝安区.
NANSHAN_STREETS = ("南山大道", "南海大道", "南新路", "桃园路", "艺园路", "前海路", "北环大道", "月亮湾大道",
                   "南光路", "南头街", "前星路", "桂湾一路", "桂湾二路", "桂湾三路", "桂湾四路", "梦海大道",
                   "听海大道", "深南大道")


def shift_report(raw_gcj02, district_4490, roads: gpd.GeoDataFrame) -> dict:
    """How far the GCJ-02 correction moved the boundary and how it lines up with the OSM
    streets: metres of Nanshan streets (:data:`NANSHAN_STREETS`) inside the raw and the
    converted 宝安区 polygon."""
    raw_m = to_crs(raw_gcj02, "EPSG:4326", PLAN_CRS)
    conv_m = to_crs(district_4490, "EPSG:4490", PLAN_CRS)
    a, b = shapely.get_coordinates(raw_m), shapely.get_coordinates(conv_m)
    offset = np.hypot(*(a - b).T)
    lines = to_crs(roads.geometry.values[roads["name"].isin(NANSHAN_STREETS).to_numpy()], "EPSG:4326", PLAN_CRS)
    inside = {k: float(shapely.length(shapely.intersection(lines, g)).sum()) for k, g in
              (("raw", raw_m), ("converted", conv_m))}
    return {"offset_mean_m": float(offset.mean()), "offset_min_m": float(offset.min()),
            "offset_max_m": float(offset.max()), "nanshan_streets_m": float(shapely.length(lines).sum()),
            "nanshan_inside_raw_m": inside["raw"], "nanshan_inside_converted_m": inside["converted"]}


# ---------------------------------------------------------------------------- street blocks
def junction(roads_m: gpd.GeoDataFrame, names_a, names_b) -> shapely.Point:
    """The junction of two named roads: the centre of their crossing points (both
    carriageways), or of the shortest gap between them when OSM leaves one (< 50 m)."""
    a = shapely.union_all(roads_m.geometry.values[roads_m["name"].isin(names_a).to_numpy()])
    b = shapely.union_all(roads_m.geometry.values[roads_m["name"].isin(names_b).to_numpy()])
    pts = shapely.intersection(a, b)
    if not shapely.is_empty(pts):
        return shapely.centroid(pts)
    gap = shapely.shortest_line(a, b)
    if gap is None or gap.length > 50:
        raise SystemExit(f"make_sample: {'/'.join(names_a)} and {'/'.join(names_b)} do not meet")
    return shapely.centroid(gap)


def street_faces(lines) -> np.ndarray:
    """The faces of the planar street network: all lines noded at every crossing
    (:func:`shapely.union_all`) and polygonized.  Faces share their edges exactly, so
    any union of faces is an exact coverage.

    >>> from shapely import LineString
    >>> grid = [LineString([(0, y), (20, y)]) for y in (0, 10)] + [LineString([(x, 0), (x, 10)]) for x in (0, 10, 20)]
    >>> sorted(shapely.area(street_faces(grid)).tolist())
    [100.0, 100.0]
    """
    noded = shapely.union_all(np.asarray(lines, dtype=object))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
    return np.asarray(faces, dtype=object)


def shared_edges(polys) -> dict[int, dict[int, float]]:
    """Length of the edge every pair of touching polygons shares: {i: {j: metres}}.

    >>> from shapely import box
    >>> shared_edges([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 2, 3, 3)])
    {0: {1: 1.0}, 1: {0: 1.0}, 2: {}}
    """
    polys = np.asarray(polys, dtype=object)
    nb: dict[int, dict[int, float]] = {i: {} for i in range(len(polys))}
    i, j = shapely.STRtree(polys).query(polys, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    lengths = shapely.length(shapely.intersection(shapely.boundary(polys[i]), shapely.boundary(polys[j])))
    for a, b, ln in zip(i.tolist(), j.tolist(), lengths.tolist()):
        if ln > 1e-6:
            nb[a][b] = nb[b][a] = ln
    return nb


def merge_into_neighbours(polys, is_bad, pick) -> list[list[int]]:
    """Agglomerate polygons of an exact coverage: while a group ``is_bad(geometry)``,
    merge the smallest such group into the neighbour chosen by
    ``pick(group geometry, {neighbour: (shared metres, neighbour geometry)})`` (``None``
    leaves the group as it is).  Returns the member indices of each final group (groups in first-member order).

    >>> from shapely import box
    >>> polys = [box(0, 0, 10, 10), box(10, 0, 11, 10), box(11, 0, 21, 10)]
    >>> merge_into_neighbours(polys, lambda g: g.area < 50,
    ...                       lambda g, nb: max(nb, key=lambda k: (nb[k][0], -k)))
    [[0, 1], [2]]
    """
    import heapq

    polys = np.asarray(polys, dtype=object)
    nb = shared_edges(polys)
    members = {i: [i] for i in range(len(polys))}
    geom = {i: polys[i] for i in range(len(polys))}
    version = {i: 0 for i in range(len(polys))}
    heap = [(float(polys[i].area), i, 0) for i in range(len(polys)) if is_bad(polys[i])]
    heapq.heapify(heap)
    while heap:
        _, g, ver = heapq.heappop(heap)
        if g not in members or version[g] != ver or not nb[g]:
            continue
        h = pick(geom[g], {k: (ln, geom[k]) for k, ln in nb[g].items()})
        if h is None:
            continue
        for k, ln in nb.pop(g).items():
            del nb[k][g]
            if k != h:
                nb[h][k] = nb[h].get(k, 0.0) + ln
                nb[k][h] = nb[k].get(h, 0.0) + ln
        members[h] = sorted(members[h] + members.pop(g))
        del geom[g]
        geom[h] = shapely.coverage_union_all(polys[members[h]])
        version[h] += 1
        if is_bad(geom[h]):
            heapq.heappush(heap, (float(geom[h].area), h, version[h]))
    return sorted(members.values())


def _endpoints(edges) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each end of each noded edge: (x, y), the direction it points to (unit
    vector, continuing the edge beyond the end) and the degree of its node."""
    edges = np.asarray(edges, dtype=object)
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


def close_dangles(edges, reach_m: float = 40.0) -> list:
    """Short straight extensions that carry dead ends on to the street they almost
    meet (OSM often stops a street a few metres short of a junction): each degree-1
    end is extended along its last segment to the first street within ``reach_m``."""
    edges = np.asarray(edges, dtype=object)
    ends, d, degree = _endpoints(edges)
    dangling = np.flatnonzero(degree == 1)
    if not len(dangling):
        return []
    rays = shapely.linestrings(np.stack([ends[dangling] + d[dangling] * 1e-3,
                                         ends[dangling] + d[dangling] * reach_m], axis=1))
    src, dst = shapely.STRtree(edges).query(rays, predicate="intersects")
    hits = shapely.intersection(rays[src], edges[dst])
    start = shapely.points(ends[dangling][src])
    dist = shapely.distance(start, hits)
    best: dict[int, float] = {}
    for s, dd in zip(src.tolist(), dist.tolist()):
        if dd > 0.01 and dd < best.get(s, np.inf):
            best[s] = dd
    out = []
    for s in sorted(best):
        e = ends[dangling[s]]
        out.append(shapely.LineString([e, e + d[dangling[s]] * (best[s] + 1e-3)]))
    return out


def _long_axis(poly) -> np.ndarray:
    """Unit vector along the longer side of a polygon's minimum rotated rectangle."""
    xy = shapely.get_coordinates(shapely.oriented_envelope(poly))
    if len(xy) < 2:
        return np.array([1.0, 0.0])
    sides = np.diff(xy[:3], axis=0)
    v = sides[np.argmax(np.hypot(sides[:, 0], sides[:, 1]))]
    n = np.hypot(*v)
    return v / n if n > 0 else np.array([1.0, 0.0])


def strip_cuts(edges, faces, max_width: float) -> list:
    """Cuts across strips: wherever a street meets a strip face (a face narrower than
    ``max_width``, e.g. between the carriageways of a dual carriageway), the street is
    continued straight across the strip, so the strip falls into pieces along the
    blocks beside it instead of running on for kilometres."""
    edges = np.asarray(edges, dtype=object)
    faces = np.asarray(faces, dtype=object)
    strips = faces[widths(faces) < max_width]
    if not len(strips):
        return []
    ends, d, degree = _endpoints(edges)
    junction = degree >= 3
    pts = shapely.points(ends[junction])
    dirs = d[junction]
    src, dst = shapely.STRtree(strips).query(pts, predicate="intersects")
    start = ends[junction][src]
    inward = shapely.contains_xy(strips[dst], *(start + dirs[src] * 0.05).T)
    # only across the strip (within 30° of square to its long axis), not along it
    axis = np.array([_long_axis(g) for g in strips]).reshape(-1, 2)
    inward &= np.abs(np.sum(dirs[src] * axis[dst], axis=1)) < 0.5
    start, step, target = start[inward], dirs[src][inward], strips[dst[inward]]
    rays = shapely.linestrings(np.stack([start, start + step * 4 * max_width], axis=1))
    parts, which = shapely.get_parts(shapely.intersection(rays, target), return_index=True)
    lines = shapely.get_type_id(parts) == 1
    parts, which = parts[lines], which[lines]
    first = shapely.get_coordinates(shapely.get_point(parts, 0))
    ok = (np.hypot(*(first - start[which]).T) < 1e-6) & (shapely.length(parts) >= 0.01)
    out, seen = [], set()
    for part in parts[ok]:
        key = tuple(np.round(shapely.get_coordinates(part), 3).ravel().tolist())
        if key not in seen:
            seen.add(key)
            out.append(part)
    return out


def street_network(lines, max_width: float = SLIVER_WIDTH_M, passes: int = 4) -> np.ndarray:
    """The street lines noded, with dead ends closed (:func:`close_dangles`) and the
    strips between parallel carriageways cut at every junction (:func:`strip_cuts`).
    Returns the noded edges."""
    edges = shapely.get_parts(shapely.union_all(np.asarray(lines, dtype=object)))
    extra = close_dangles(edges)
    if extra:
        edges = shapely.get_parts(shapely.union_all(np.concatenate([edges, np.asarray(extra, dtype=object)])))
    for _ in range(passes):
        faces = shapely.get_parts(shapely.polygonize(edges))
        cuts = strip_cuts(edges, faces, max_width)
        if not cuts:
            break
        edges = shapely.get_parts(shapely.union_all(np.concatenate([edges, np.asarray(cuts, dtype=object)])))
    return np.asarray(edges, dtype=object)


def street_blocks(lines, min_width=SLIVER_WIDTH_M, min_area=CRUMB_AREA_M2,
                  min_shared=0.15) -> tuple[np.ndarray, list[list[int]], np.ndarray]:
    """Street blocks: the faces of :func:`street_network` with slivers (strips between
    carriageways, narrower than ``min_width``) and crumbs (faces at junctions smaller
    than ``min_area``) merged into the neighbour they share the longest edge with
    (at least ``min_shared`` of the face's perimeter, so a strip running out of the
    area is not glued on by its end as a tail), preferring a proper block.

    Returns the faces, for each block the indices of its faces, and the network edges."""
    edges = street_network(lines, min_width)
    faces = street_faces(edges)

    def is_bad(g) -> bool:
        return g.area < min_area or float(widths([g])[0]) < min_width

    def pick(g, nbs) -> int | None:
        need = min_shared * g.length
        nbs = {k: v for k, v in nbs.items() if v[0] >= need}
        if not nbs:
            return None
        return max(nbs, key=lambda k: (not is_bad(nbs[k][1]), round(nbs[k][0], 6), -k))

    return faces, merge_into_neighbours(faces, is_bad, pick), edges


# ---------------------------------------------------------------------------- grids
def jurisdiction_blocks(faces, groups, roads_m: gpd.GeoDataFrame, corners=CORNERS,
                        slack_m: float = 30.0) -> np.ndarray:
    """The blocks of the jurisdiction: those whose representative point lies inside the
    quadrilateral of the four corner junctions (:data:`CORNERS`), each trimmed to its
    faces lying within ``slack_m`` of the quadrilateral (which keeps the strips along
    the boundary roads and drops bits of strip reaching out past a corner junction)."""
    quad = shapely.Polygon([shapely.get_coordinates(junction(roads_m, a, b))[0] for a, b in corners])
    keep_face = shapely.within(shapely.point_on_surface(faces), shapely.buffer(quad, slack_m))
    out = []
    for members in groups:
        block = shapely.coverage_union_all(faces[members])
        if not quad.contains(shapely.point_on_surface(block)):
            continue
        kept = [m for m in members if keep_face[m]]
        block = shapely.coverage_union_all(faces[kept])
        if block.geom_type != "Polygon":  # a face dropped in the middle: keep the main part
            main = max(shapely.get_parts(block), key=lambda p: p.area)
            kept = [m for m in kept if shapely.within(shapely.point_on_surface(faces[m]), main)]
            block = shapely.coverage_union_all(faces[kept])
        out.append(block)
    return np.asarray(out, dtype=object)


def _sample_region_order(geoms) -> np.ndarray:
    """The order the sample's grids were labelled and numbered in (rows as bands of
    sqrt(median area) on centroids — gridmap's numbering before rows came from the
    extents).  Kept here so the published sample plan stays identical; the app's
    auto-numbering uses :func:`gridmap.core.codes.reading_order`."""
    pts = shapely.point_on_surface(geoms)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    h = float(np.median(np.sqrt(np.maximum(shapely.area(geoms), 0.0)))) or 1.0
    return np.lexsort((x, np.floor((np.nanmax(y) - y) / h + 0.5)))


def divide(blocks, roads_m: gpd.GeoDataFrame, dividers=DIVIDERS) -> np.ndarray:
    """Large-grid label of each block.  Each divider is the straight line through two
    junctions along a divider road; the lines cut the jurisdiction into regions and
    every block goes to the region holding most of its area, so large grids are
    whole blocks and their boundaries run along the divider roads (or the street a
    block is bounded by where the road jogs).  Labels follow the reading order."""
    blocks = np.asarray(blocks, dtype=object)
    jur = shapely.coverage_union_all(blocks)
    cuts = []
    for ends in dividers:
        a, b = (shapely.get_coordinates(junction(roads_m, x, y))[0] for x, y in ends)
        d = (b - a) / np.hypot(*(b - a))
        cuts.append(shapely.LineString([a - d * 1e4, b + d * 1e4]))
    net = shapely.union_all([shapely.boundary(jur), *cuts])
    regions = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(net))), dtype=object)
    regions = regions[shapely.within(shapely.point_on_surface(regions), jur)]
    regions = regions[_sample_region_order(regions)]
    share = shapely.area(shapely.intersection(blocks[:, None], regions[None, :]))
    return np.argmax(share, axis=1)


def group_blocks(blocks, labels, major=None, target: int = TARGET_SMALL_GRIDS,
                 min_share: float = 0.6) -> np.ndarray:
    """Small-grid label of each block: within each large grid, blocks smaller than
    ``min_share`` of the mean small-grid area (jurisdiction / ``target``) are merged
    with a neighbour until none is left.  The neighbour chosen gives the smallest,
    most compact result and, if possible, is not across a major road (``major``: a
    polygon around the trunk and primary roads).  Returns one label per block
    (groups numbered in order of their first block)."""
    blocks = np.asarray(blocks, dtype=object)
    labels = np.asarray(labels)
    mean = shapely.area(blocks).sum() / target
    out = np.full(len(blocks), -1)
    nxt = 0

    def is_bad(g) -> bool:
        return g.area < min_share * mean

    def pick(g, nbs) -> int:
        def score(k):
            merged = shapely.coverage_union_all([g, nbs[k][1]])
            across = 0.0
            if major is not None:
                edge = shapely.intersection(shapely.boundary(g), shapely.boundary(nbs[k][1]))
                across = shapely.length(shapely.intersection(edge, major)) / max(shapely.length(edge), 1e-9)
            return (merged.area / mean - float(compactness([merged])[0]) + across, k)
        return min(nbs, key=score)

    for lab in sorted(set(labels.tolist())):
        idx = np.flatnonzero(labels == lab)
        for members in merge_into_neighbours(blocks[idx], is_bad, pick):
            out[idx[members]] = nxt
            nxt += 1
    return out


def four_sides(polys, roads_m: gpd.GeoDataFrame, step_m: float = 10.0, reach_m: float = 40.0) -> list[str]:
    """The 四至 of each polygon (the named streets it is bounded by to the north-east,
    south-east, south-west and north-west — the street grid of 新安 runs at 45°):
    boundary points every ``step_m`` vote for the nearest named street within
    ``reach_m``, by the quadrant their outward normal points to."""
    named = roads_m[roads_m["name"].notna()]
    lines, names = named.geometry.values, named["name"].to_numpy()
    tree = shapely.STRtree(lines)
    out = []
    for poly in np.asarray(polys, dtype=object):
        ring = shapely.get_exterior_ring(shapely.orient_polygons(poly))   # counter-clockwise
        at = np.arange(0.0, ring.length, step_m)
        pts = shapely.line_interpolate_point(ring, at)
        ahead = shapely.get_coordinates(shapely.line_interpolate_point(ring, np.minimum(at + 1.0, ring.length)))
        tangent = ahead - shapely.get_coordinates(pts)
        src, dst = tree.query_nearest(pts, max_distance=reach_m, all_matches=False)
        # the side a boundary point is on: its outward normal (tangent turned clockwise)
        angle = np.degrees(np.arctan2(-tangent[src, 0], tangent[src, 1]))
        quad = np.floor(angle / 90.0).astype(int) % 4
        text = []
        for q, label in ((0, "东北"), (3, "东南"), (2, "西南"), (1, "西北")):
            hit = pd.Series(names[dst[quad == q]]).value_counts()
            if len(hit):
                text.append(f"{label}至{hit.index[0]}")
        out.append("，".join(text))
    return out


def build_grids(roads_m: gpd.GeoDataFrame) -> dict:
    """All grid geometry: blocks of the jurisdiction, large and small grid labels."""
    quad = shapely.Polygon([shapely.get_coordinates(junction(roads_m, a, b))[0] for a, b in CORNERS])
    work = shapely.buffer(quad, 600.0)
    main = ~roads_m["highway"].str.endswith("_link").to_numpy()
    lines = shapely.intersection(roads_m.geometry.values[main], work)
    keep = ~shapely.is_empty(lines)
    streets = gpd.GeoDataFrame(roads_m[main][keep][["highway", "name"]].reset_index(drop=True),
                               geometry=lines[keep], crs=roads_m.crs)
    faces, groups, edges = street_blocks(streets.geometry.values)
    blocks = jurisdiction_blocks(faces, groups, roads_m)
    large = divide(blocks, roads_m)
    major = shapely.buffer(shapely.union_all(roads_m.geometry.values[
        roads_m["highway"].isin(["motorway", "trunk", "primary"]).to_numpy()]), 25.0)
    small = group_blocks(blocks, large, major)
    return {"blocks": blocks, "large": large, "small": small, "edges": edges, "streets": streets,
            "jurisdiction": shapely.coverage_union_all(blocks)}


# ---------------------------------------------------------------------------- fictitious people
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
            "曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖"
            "贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万覃武戴莫孔汤")
GIVEN = ("建华 志强 丽娟 海燕 晓东 春梅 文军 国庆 秀英 振宇 雅琴 伟明 少华 嘉怡 子豪 俊杰 慧敏 立新 红梅 永康 "
         "晓琳 家豪 美玲 德胜 思远 婉婷 宏伟 玉兰 泽民 佳琪 锦荣 雪芳 浩然 秋菊 卫东 颖 磊 静 军 敏 勇 芳 涛 洁 斌 燕 "
         "超 霞 鹏 丹 健 琳 强 娜 辉 萍 刚 欣 凯 婷").split()


def fictitious_names(n: int, seed: int = 20240306) -> list[str]:
    """``n`` distinct made-up Chinese names (deterministic).

    >>> names = fictitious_names(50)
    >>> len(set(names)), all(2 <= len(x) <= 3 for x in names)
    (50, True)
    """
    rng = np.random.default_rng(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        name = SURNAMES[rng.integers(len(SURNAMES))] + GIVEN[rng.integers(len(GIVEN))]
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def fictitious_phone(n: int) -> str:
    """An obviously fictitious mobile number of the 138-0000-xxxx series.

    >>> fictitious_phone(7)
    '13800000007'
    """
    return f"1380000{n:04d}"


# (name, kind, phone, notes) — all FICTITIOUS
UNITS = (
    ("区城市管理和综合执法局（示例）", "政府部门", "0755-00000001", "虚构示例单位：统筹城市管理网格化工作"),
    ("街道办事处（示例）", "街道", "0755-00000002", "虚构示例单位"),
    ("街道综合行政执法队（示例）", "执法队伍", "0755-00000003", "虚构示例单位：城管执法队员所属"),
    ("街道网格管理中心（示例）", "街道", "0755-00000004", "虚构示例单位：网格员所属"),
    ("辖区派出所（示例）", "公安", "0755-00000005", "虚构示例单位"),
    ("交警中队（示例）", "公安交警", "0755-00000006", "虚构示例单位"),
    ("甲物业服务有限公司", "物业公司", "0755-00000011", "虚构示例单位"),
    ("乙物业服务有限公司", "物业公司", "0755-00000012", "虚构示例单位"),
    ("丙物业服务有限公司", "物业公司", "0755-00000013", "虚构示例单位"),
    ("甲环卫作业公司", "环卫企业", "0755-00000021", "虚构示例单位：道路清扫保洁"),
    ("街道志愿者服务队（示例）", "志愿者", "0755-00000031", "虚构示例队伍"),
)
U_BUREAU, U_STREET, U_ENFORCE, U_GRIDCENTRE, U_POLICE, U_TRAFFIC, U_PM1, U_PM2, U_PM3, U_SANIT, U_VOLUNTEER = \
    range(1, len(UNITS) + 1)

DUTY = {
    "large_leader": "挂点联系本片区，每月至少一次实地督导，协调解决重大问题",
    "large_lead_unit": "统筹本片区网格化管理，组织考核",
    "leader": "统筹网格日常管理，每周不少于半天在网格值守",
    "officer_enforce": "每日巡查不少于两次，负责市容秩序、违法建设和占道经营巡查处置",
    "officer_grid": "每日巡查，发现问题及时上报、跟踪处置结果",
    "lead_unit": "牵头负责网格内城市管理问题的发现、处置和考核",
    "police": "负责网格内治安巡逻，配合联合执法",
    "traffic": "负责网格内道路交通秩序和违停整治",
    "property": "负责所管小区内部及门前环境卫生、秩序",
    "sanitation": "负责网格内道路清扫保洁，每日两扫全天保洁",
    "volunteer": "文明劝导、宣传，每月不少于两次",
}

HIGHWAY_ZH = {"motorway": "高速公路", "trunk": "快速路", "primary": "主干路", "secondary": "次干路",
              "tertiary": "支路", "motorway_link": "匝道", "trunk_link": "匝道", "primary_link": "匝道",
              "secondary_link": "匝道", "tertiary_link": "匝道"}


# ---------------------------------------------------------------------------- segments and places
def street_segments(edges, streets: gpd.GeoDataFrame, links: gpd.GeoDataFrame, grids, grid_ids,
                    min_len_m: float = 25.0) -> gpd.GeoDataFrame:
    """The streets cut at the grid boundaries: one segment per street name and grid.

    The streets are taken from the noded network the grids were built from
    (``edges``), so a stretch of street on a grid boundary has exactly the
    coordinates of that boundary: every segment is exactly covered by its grid.
    Network edges that are not streets (the straight closings and cuts of
    :func:`street_network`) are left out; a street on a boundary shared by two grids
    goes to one of them, stretch by stretch, to the one with less street so far.  Ramps (``*_link``, not part of
    the block network) are cut by intersection.  Pieces of the same street in the
    same grid are merged; segments shorter than ``min_len_m`` (the stub of a cross
    street at a grid corner) are dropped.  Unnamed roads are named after their
    class (无名匝道 …)."""
    grids = np.asarray(grids, dtype=object)
    edges = np.asarray(edges, dtype=object)
    mid = shapely.line_interpolate_point(edges, 0.5, normalized=True)
    e_idx, s_idx = shapely.STRtree(streets.geometry.values).query_nearest(mid, all_matches=False)
    dist = shapely.distance(mid[e_idx], streets.geometry.values[s_idx])
    real = dist < 1e-3
    e_idx, s_idx = e_idx[real], s_idx[real]
    src, dst = shapely.STRtree(grids).query(edges[e_idx], predicate="covered_by")
    homes: dict[int, list[int]] = {}
    for k, g in zip(src.tolist(), dst.tolist()):
        homes.setdefault(k, []).append(g)
    names = streets["name"].fillna("").to_numpy()
    lengths = shapely.length(edges[e_idx])
    load = np.zeros(len(grids))
    assigned: dict[int, int] = {}
    for k, hs in homes.items():
        if len(hs) == 1:
            assigned[k] = hs[0]
            load[hs[0]] += lengths[k]
    # a street on a shared boundary goes, stretch by stretch (same name, same two
    # grids), to the grid with less street so far: the officers' rounds stay even
    stretches: dict[tuple, list[int]] = {}
    for k, hs in homes.items():
        if len(hs) > 1:
            stretches.setdefault((names[s_idx[k]], tuple(sorted(hs))), []).append(k)
    for key in sorted(stretches, key=lambda t: (-sum(lengths[k] for k in stretches[t]), t)):
        g = min(key[1], key=lambda h: (load[h], h))
        for k in stretches[key]:
            assigned[k] = g
            load[g] += lengths[k]
    rows = [(streets.at[s_idx[k], "name"], streets.at[s_idx[k], "highway"], g, edges[e_idx[k]])
            for k, g in sorted(assigned.items())]
    if len(links):
        lsrc, ldst = shapely.STRtree(grids).query(links.geometry.values, predicate="intersects")
        pieces = shapely.intersection(links.geometry.values[lsrc], grids[ldst])
        for r, g, piece in zip(lsrc.tolist(), ldst.tolist(), pieces):
            for part in shapely.get_parts(piece):
                if part.geom_type == "LineString" and part.length > 0.01:
                    rows.append((links["name"].iloc[r], links["highway"].iloc[r], g, part))
    df = pd.DataFrame(rows, columns=["name", "highway", "g", "geometry"])
    df["road_name"] = [n if isinstance(n, str) and n else f"无名{HIGHWAY_ZH.get(h, '道路')}"
                       for n, h in zip(df["name"], df["highway"])]
    out = []
    for (name, g), grp in df.groupby(["road_name", "g"], sort=False):
        merged = shapely.line_merge(shapely.multilinestrings(grp["geometry"].tolist()))
        if shapely.length(merged) < min_len_m:
            continue
        highway = grp.assign(length=shapely.length(grp["geometry"].to_numpy())).groupby("highway")["length"].sum()
        out.append({"road_name": name, "highway": highway.idxmax(), "grid": int(grid_ids[g]), "geometry": merged})
    seg = gpd.GeoDataFrame(out, geometry="geometry", crs=streets.crs)
    return seg.sort_values(["grid", "road_name"], kind="stable").reset_index(drop=True)


def segment_ends(segments: gpd.GeoDataFrame, roads_m: gpd.GeoDataFrame, reach_m: float = 30.0):
    """``from_desc``/``to_desc`` of each segment: the other named street at each end
    (``X路口``) or ``网格边界`` where the street runs on into the next grid."""
    named = roads_m[roads_m["name"].notna()]
    tree = shapely.STRtree(named.geometry.values)
    names = named["name"].to_numpy()
    froms, tos = [], []
    for geom, own in zip(segments.geometry.values, segments["road_name"]):
        ends = shapely.get_coordinates(shapely.boundary(geom))
        if len(ends) < 2:
            ends = shapely.get_coordinates(geom)[[0, -1]]
        d = np.hypot(*(ends[:, None, :] - ends[None, :, :]).transpose(2, 0, 1))
        i, j = np.unravel_index(np.argmax(d), d.shape)
        texts = []
        for xy in (ends[min(i, j)], ends[max(i, j)]):
            hit = tree.query(shapely.buffer(shapely.Point(xy), reach_m), predicate="intersects")
            other = sorted({names[k] for k in hit if names[k] != own})
            texts.append(f"{other[0]}路口" if other else "网格边界")
        froms.append(texts[0])
        tos.append(texts[1])
    return froms, tos


COMPOUND_NAMES = ("翠竹苑", "丽景花园", "海悦华庭", "嘉和雅居", "锦华苑", "怡景家园", "碧桂新村", "荔园小区",
                  "榕树花园", "金穗华府", "新兴苑", "明珠雅苑", "华庭居", "鸿运花园", "安和园", "桃李苑",
                  "康乐新村", "紫荆苑", "福星花园", "文华小区", "宝晖苑", "泰和家园", "瑞景华庭", "龙腾花园",
                  "悦海名苑", "青松苑", "润泽园", "雅园小区", "映月华庭", "丰盛苑", "欣荣家园", "御景园",
                  "繁华小区", "安居苑", "和美家园", "兴旺花园")
SCHOOL_NAMES = ("示范小学（虚构）", "育才中学（虚构）", "启明幼儿园（虚构）", "实验小学（虚构）")
SHOP_KINDS = ("便利店", "餐馆", "药店", "五金店", "水果店", "理发店", "面包店", "茶餐厅", "文具店", "洗衣店")


def _fit_rect(region, w: float, h: float, angle: float):
    """A ``w``×``h`` rectangle turned by ``angle`` (degrees) at the centre of the
    largest circle inside ``region``, shrunk until it fits inside; or None."""
    if region.is_empty:
        return None
    circle = shapely.maximum_inscribed_circle(region)
    centre = shapely.get_point(circle, 0)
    for scale in (1.0, 0.8, 0.65, 0.5, 0.4):
        rect = shapely.box(-w * scale / 2, -h * scale / 2, w * scale / 2, h * scale / 2)
        rect = shapely.affinity.rotate(rect, angle, origin=(0, 0))
        rect = shapely.affinity.translate(rect, centre.x, centre.y)
        if region.contains(rect):
            return rect
    return None


def make_places(grids: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, roads_m: gpd.GeoDataFrame,
                seed: int = 7) -> gpd.GeoDataFrame:
    """FICTITIOUS places: one 小区 (compound polygon) per small grid, four schools
    (polygons) and 门前三包 shops (points 15 m off the named streets), each inside its
    grid and at least 12 m from any street."""

    rng = np.random.default_rng(seed)
    street = shapely.buffer(shapely.union_all(roads_m.geometry.values), 12.0)
    small = grids[grids["level"] == "small"].sort_values("code")
    rows = []
    angle = 45.0  # the street grid of 新安 runs at 45°
    school_at = set(np.linspace(2, len(small) - 3, len(SCHOOL_NAMES)).round().astype(int).tolist())
    for n, (gid, g) in enumerate(small.iterrows()):
        free = shapely.difference(g.geometry, street)
        w, h = rng.uniform(110, 170), rng.uniform(80, 120)
        rect = _fit_rect(free, w, h, angle)
        if rect is not None:
            rows.append({"name": COMPOUND_NAMES[n % len(COMPOUND_NAMES)], "kind": "小区", "grid": gid,
                         "address": f"{g['name']}内（虚构）", "notes": "虚构示例场所", "geometry": rect})
            free = shapely.difference(free, shapely.buffer(rect, 20.0))
        if n in school_at:
            k = sorted(school_at).index(n)
            rect = _fit_rect(free, 120.0, 90.0, angle)
            if rect is not None:
                rows.append({"name": SCHOOL_NAMES[k], "kind": "学校", "grid": gid,
                             "address": f"{g['name']}内（虚构）", "notes": "虚构示例场所", "geometry": rect})
    # shops: two per grid, along its named streets, on the grid side
    number = 0
    for gid, grp in segments.groupby("grid", sort=True):
        inside = shapely.buffer(grids.geometry[gid], -12.0)
        named = grp[~grp["road_name"].str.startswith("无名")]
        named = named.assign(length=named.length).sort_values(["length", "road_name"], ascending=[False, True])
        found = 0
        for _, seg in named.iterrows():
            line = seg.geometry
            for frac in (0.5, 0.3, 0.7):
                if found == 2:
                    break
                p = shapely.line_interpolate_point(line, frac, normalized=True)
                q = shapely.line_interpolate_point(line, min(frac + 0.01, 1.0), normalized=True)
                dx, dy = q.x - p.x, q.y - p.y
                norm = np.hypot(dx, dy) or 1.0
                for side in (15.0, -15.0):
                    cand = shapely.Point(p.x - dy / norm * side, p.y + dx / norm * side)
                    if inside.contains(cand) and not street.contains(cand):
                        number += 1
                        found += 1
                        kind = SHOP_KINDS[number % len(SHOP_KINDS)]
                        rows.append({"name": f"{seg['road_name']}{kind}（虚构{number}号）", "kind": "门前三包商户",
                                     "grid": gid, "address": f"{seg['road_name']}（虚构门牌）",
                                     "notes": "门前三包：门前市容、环境卫生、秩序；虚构示例商户", "geometry": cand})
                        break
            if found == 2:
                break
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=grids.crs)


# ---------------------------------------------------------------------------- the plan
ROAD_STYLE = {
    "stroke": "#9a9a9a", "width": 1.0, "label_field": "name",
    "rule": {"field": "highway",
             "width": {"motorway": 4.0, "trunk": 3.6, "primary": 3.0, "secondary": 2.4, "tertiary": 1.8,
                       "motorway_link": 2.0, "trunk_link": 1.8, "primary_link": 1.6},
             "stroke": {"motorway": "#d9822b", "trunk": "#e0a040", "primary": "#e8b85c",
                        "secondary": "#b8a05a", "tertiary": "#9a9a9a"},
             "default_width": 0.8},
}
DISTRICT_STYLE = {"stroke": "#8e44ad", "width": 2.0, "fill": "", "label_field": "name"}


def build_plan(roads_m: gpd.GeoDataFrame, geo: dict) -> Plan:
    """The sample plan: grids from :func:`build_grids`, FICTITIOUS units, people and
    roles, the real streets as segments, FICTITIOUS places and the base layers."""
    blocks, large_lab, small_lab = geo["blocks"], geo["large"], geo["small"]
    n_large = int(large_lab.max()) + 1
    n_small = int(small_lab.max()) + 1
    large_geoms = [shapely.coverage_union_all(blocks[large_lab == k]) for k in range(n_large)]
    small_geoms = [shapely.coverage_union_all(blocks[small_lab == k]) for k in range(n_small)]
    small_parent = [int(large_lab[np.flatnonzero(small_lab == k)[0]]) + 1 for k in range(n_small)]
    grids = gpd.GeoDataFrame({
        "level": ["large"] * n_large + ["small"] * n_small,
        "parent": pd.array([pd.NA] * n_large + small_parent, dtype="Int64"),
        "geometry": large_geoms + small_geoms,
    }, geometry="geometry", crs=PLAN_CRS, index=pd.Index(np.arange(1, n_large + n_small + 1), name="id"))
    plan = Plan.new(PLAN_NAME, crs=PLAN_CRS, admin_code=ADMIN_CODE, levels="two")
    plan = Plan(name=plan.name, crs=plan.crs, admin_code=plan.admin_code, levels=plan.levels,
                jurisdiction=geo["jurisdiction"], grids=grids)
    plan.auto_number(order=_sample_region_order)   # the published sample's codes
    g = plan.grids
    g = g.sort_values(["level", "code"], key=lambda c: c.map({"large": 0, "small": 1}) if c.name == "level" else c)
    large_ids = g.index[g["level"] == "large"].tolist()
    small_ids = g.index[g["level"] == "small"].tolist()
    sides = four_sides(plan.grids.geometry.values, roads_m)
    side_of = dict(zip(plan.grids.index.tolist(), sides))
    for k, gid in enumerate(large_ids, start=1):
        plan.grids.at[gid, "name"] = f"新安第{cn_number(k)}大网格"
    for k, gid in enumerate(small_ids, start=1):
        plan.grids.at[gid, "name"] = f"新安{cn_number(k)}网格"
    plan.grids["notes"] = [f"四至：{side_of[i]}" for i in plan.grids.index]
    plan.grids["valid_from"] = "2024-01-01"

    # units, people and roles (FICTITIOUS)
    units = pd.DataFrame(UNITS, columns=["name", "kind", "phone", "notes"],
                         index=pd.Index(np.arange(1, len(UNITS) + 1), name="id"))
    names = iter(fictitious_names(len(large_ids) + 3 * len(small_ids) + 2))
    people, roles = [], []

    def person(post, unit, notes="虚构人员"):
        people.append({"name": next(names), "post": post, "unit": unit,
                       "phone": fictitious_phone(len(people) + 1), "notes": notes})
        return len(people)

    def role(grid, kind, person=None, unit=None, duty=""):
        roles.append({"grid": grid, "role": kind, "person": person, "unit": unit, "duty": duty})

    posts = ("街道党工委委员", "街道办事处副主任", "街道党工委委员", "街道办事处副主任")
    for k, gid in enumerate(large_ids):
        leader = person(posts[k % len(posts)], U_STREET)
        role(gid, "leader", person=leader, duty=DUTY["large_leader"])
        role(gid, "lead_unit", unit=U_STREET if k % 2 == 0 else U_BUREAU, duty=DUTY["large_lead_unit"])
    for k, gid in enumerate(small_ids):
        role(gid, "leader", person=person("网格长", U_STREET), duty=DUTY["leader"])
        role(gid, "officer", person=person("城管执法队员", U_ENFORCE), duty=DUTY["officer_enforce"])
        role(gid, "officer", person=person("专职网格员", U_GRIDCENTRE), duty=DUTY["officer_grid"])
        role(gid, "lead_unit", unit=U_ENFORCE, duty=DUTY["lead_unit"])
        role(gid, "responsible_unit", unit=U_POLICE, duty=DUTY["police"])
        role(gid, "responsible_unit", unit=U_TRAFFIC, duty=DUTY["traffic"])
        role(gid, "responsible_unit", unit=(U_PM1, U_PM2, U_PM3)[k % 3], duty=DUTY["property"])
        role(gid, "responsible_unit", unit=U_SANIT, duty=DUTY["sanitation"])
        role(gid, "partner", unit=U_VOLUNTEER, duty=DUTY["volunteer"])
    plan.units = units
    plan.people = pd.DataFrame(people, index=pd.Index(np.arange(1, len(people) + 1), name="id"))
    plan.roles = pd.DataFrame(roles, index=pd.Index(np.arange(1, len(roles) + 1), name="id"))

    # the real streets, cut at the small-grid boundaries
    near = roads_m[shapely.intersects(roads_m.geometry.values, shapely.buffer(geo["jurisdiction"], 50.0))]
    small = plan.grids.loc[small_ids]
    links = near[near["highway"].str.endswith("_link")]
    seg = street_segments(geo["edges"], geo["streets"], links, small.geometry.values, small.index.to_numpy())
    first_officer = (plan.roles[plan.roles["role"] == "officer"].groupby("grid")["person"].first())
    seg["officer"] = seg["grid"].map(first_officer).astype("Int64")
    seg["from_desc"], seg["to_desc"] = segment_ends(seg, near)
    seg["notes"] = "OSM highway=" + seg["highway"]
    seg.index = pd.Index(np.arange(1, len(seg) + 1), name="id")
    plan.segments = seg.drop(columns=["highway"])

    places = make_places(plan.grids, plan.segments, near)
    places.index = pd.Index(np.arange(1, len(places) + 1), name="id")
    plan.places = places

    plan.add_base_layer("宝安区界（GCJ-02 已纠偏为 CGCS2000）", "baoan_district.gpkg", kind="vector",
                        layer="district", style=json.dumps(DISTRICT_STYLE, ensure_ascii=False, sort_keys=True))
    plan.add_base_layer("OSM 道路 © OpenStreetMap contributors (ODbL)", "baoan_roads.gpkg", kind="vector",
                        layer="roads", style=json.dumps(ROAD_STYLE, ensure_ascii=False, sort_keys=True))
    plan.settings.update({
        "description": "宝安区新安街道一带的网格化管理划分示例：网格边界沿 OpenStreetMap 真实道路划定，"
                       "辖区为新湖路、新安六路/五路/四路、前进一路、兴华一路/二路围合的街区。",
        "disclaimer": FICTITIOUS,
        "fictitious": "units, people, phones, places",
        "source.roads": "© OpenStreetMap contributors, ODbL 1.0 (via YUECHENCUI/baoan-chuangye-3d 99a80b6)",
        "source.district": "GaryBikini/ChinaAdminDivisonSHP 776a2f1 (MIT), GCJ-02 corrected",
        "generator": "tools/make_sample.py",
    })
    # normalise the tables assigned in bulk
    return Plan(name=plan.name, crs=plan.crs, admin_code=plan.admin_code, levels=plan.levels,
                jurisdiction=plan.jurisdiction, grids=plan.grids, units=plan.units, people=plan.people,
                roles=plan.roles, segments=plan.segments, places=plan.places,
                base_layers=plan.base_layers, settings=plan.settings)


# ---------------------------------------------------------------------------- checks of the result
def verify(plan: Plan) -> dict:
    """Raise ``SystemExit`` unless the plan is a clean sample: exact coverage on both
    levels, small grids nested in their large grid, every grid with people responsible,
    every segment and place assigned.  Returns a few numbers for the summary."""
    g = plan.grids
    problems = []
    jur = plan.jurisdiction
    for level in ("large", "small"):
        geoms = g.geometry.values[(g["level"] == level).to_numpy()]
        if not bool(shapely.coverage_is_valid(geoms)):
            problems.append(f"{level} grids: coverage has invalid edges")
        if not all(shapely.is_valid(geoms)) or any(shapely.get_type_id(geoms) != 3):
            problems.append(f"{level} grids: not all valid single polygons")
        union = shapely.coverage_union_all(geoms)
        if abs(union.area - jur.area) > 0.01 or shapely.difference(jur, union).area > 0.01:
            problems.append(f"{level} grids do not cover the jurisdiction exactly")
        if abs(shapely.area(geoms).sum() - jur.area) > 0.01:
            problems.append(f"{level} grids overlap")
    small = g[g["level"] == "small"]
    for pid, kids in small.groupby("parent"):
        union = shapely.coverage_union_all(kids.geometry.values)
        if shapely.symmetric_difference(union, g.geometry[int(pid)]).area > 0.01:
            problems.append(f"children of grid {g.at[int(pid), 'code']} do not cover it exactly")
    for gid in g.index:
        r = plan.roles[plan.roles["grid"] == gid]
        need = ("leader", "officer", "lead_unit") if g.at[gid, "level"] == "small" else ("leader", "lead_unit")
        for kind in need:
            if not (r["role"] == kind).any():
                problems.append(f"grid {g.at[gid, 'code']} has no {kind}")
    if plan.segments["grid"].isna().any() or plan.segments["officer"].isna().any():
        problems.append("a segment has no grid or officer")
    if plan.places["grid"].isna().any():
        problems.append("a place has no grid")
    if (plan.people["phone"] == "").any():
        problems.append("a person has no phone")
    if problems:
        raise SystemExit("make_sample: the sample is not clean: " + "; ".join(problems))
    areas = shapely.area(small.geometry.values)
    return {"small_grids": int(len(small)), "large_grids": int((g["level"] == "large").sum()),
            "area_km2": jur.area / 1e6, "small_min_ha": areas.min() / 1e4, "small_max_ha": areas.max() / 1e4,
            "segments": int(len(plan.segments)), "places": int(len(plan.places)),
            "people": int(len(plan.people))}


# ---------------------------------------------------------------------------- deliberate errors
def _siblings(plan: Plan, gid: int) -> dict[int, float]:
    """Sibling grids sharing an edge with ``gid``: {grid id: shared metres}."""
    g = plan.grids
    kids = g[(g["parent"] == g.at[gid, "parent"]) & (g.index != gid)]
    edge = shapely.intersection(shapely.boundary(g.geometry[gid]), shapely.boundary(kids.geometry.values))
    ln = shapely.length(edge)
    return {int(k): float(v) for k, v in zip(kids.index, ln) if v > 1.0}


def _shared_mid(a, b) -> shapely.Point:
    """The middle of the longest stretch of edge two grids share."""
    edge = shapely.line_merge(shapely.intersection(shapely.boundary(a), shapely.boundary(b)))
    parts = [p for p in shapely.get_parts(edge) if p.geom_type == "LineString"]
    longest = max(parts, key=lambda p: p.length)
    return shapely.line_interpolate_point(longest, 0.5, normalized=True)


def make_errors(plan: Plan, roads_m: gpd.GeoDataFrame) -> tuple[Plan, list[dict]]:
    """A copy of the sample with one deliberate error of each kind (see the README):
    overlap, gap, sliver, invalid (bow-tie), duplicate_code, bad_code, no_leader,
    segment_unassigned and multipart — each on its own grids."""

    p = plan.copy()
    p.name = PLAN_NAME.replace("（示例）", "（含错误的示例）")
    p.settings["errors"] = "本文件含故意设置的错误，供检查功能测试和演示，见 baoan_plan_errors.json"
    g = p.grids
    code = g["code"]
    kids = {int(k): sorted(v.index.tolist(), key=lambda i: code[i])
            for k, v in g[g["level"] == "small"].groupby("parent")}
    large = sorted(kids, key=lambda i: code[i])
    used: set[int] = set()
    errors: list[dict] = []

    def pick_pair(parent):
        for a in kids[parent]:
            if a in used:
                continue
            nb = {k: v for k, v in _siblings(p, a).items() if k not in used}
            if nb:
                b = max(nb, key=lambda k: (nb[k], -k))
                used.update((a, b))
                return a, b
        raise SystemExit("make_sample: no free pair of neighbouring grids for an error")

    def pick_one(parent):
        for a in kids[parent]:
            if a not in used:
                used.add(a)
                return a
        raise SystemExit("make_sample: no free grid for an error")

    def geom(i):
        return p.grids.geometry[i]

    def set_geom(i, value):
        p.grids.loc[[i], "geometry"] = gpd.GeoSeries([value], index=[i], crs=p.crs)

    # 1. overlap: A reaches 25 m into its neighbour B
    a, b = pick_pair(large[0])
    bite = shapely.intersection(geom(b), shapely.buffer(_shared_mid(geom(a), geom(b)), 25.0))
    set_geom(a, shapely.union(geom(a), bite))
    errors.append({"rule": "overlap", "grids": [code[a], code[b]], "area_m2": round(bite.area, 2),
                   "what": f"{code[a]} was extended 25 m into its neighbour {code[b]} (half disc) / "
                           f"网格 {code[a]} 向相邻网格 {code[b]} 多画出一块（半圆，半径 25 米）"})
    # 2. gap: a triangle cut out of C on one straight stretch of its edge with D (the
    #    stretch's own vertices are kept, so the rest of the edge still matches exactly)
    d, c = sorted(pick_pair(large[1]), key=lambda i: code[i])   # the edge's streets belong to d
    edge = shapely.line_merge(shapely.intersection(shapely.boundary(geom(c)), shapely.boundary(geom(d))))
    longest = max((q for q in shapely.get_parts(edge) if q.geom_type == "LineString"), key=lambda q: q.length)
    xy = np.asarray(longest.coords)
    k = int(np.argmax(np.hypot(*np.diff(xy, axis=0).T)))
    p0, p1 = xy[k], xy[k + 1]
    normal = np.array([-(p1 - p0)[1], (p1 - p0)[0]]) / np.hypot(*(p1 - p0))
    apex = (p0 + p1) / 2 + normal * 20.0
    if not geom(c).contains(shapely.Point(apex)):
        apex = (p0 + p1) / 2 - normal * 20.0
    notch = shapely.Polygon([p0, p1, apex])
    set_geom(c, shapely.difference(geom(c), notch))
    errors.append({"rule": "gap", "grids": [code[c], code[d]], "area_m2": round(notch.area, 2),
                   "what": f"a triangle (20 m deep, {np.hypot(*(p1 - p0)):.0f} m along the street) was cut out of "
                           f"{code[c]} along its edge with {code[d]}, leaving a gap / 网格 {code[c]} 与 {code[d]} "
                           f"之间留出三角形缝隙"})
    # 3. sliver: E overlaps F by a 0.3 m strip along 100 m of their shared edge
    e, f = pick_pair(large[2])
    mid = _shared_mid(geom(e), geom(f))
    edge = shapely.line_merge(shapely.intersection(shapely.boundary(geom(e)), shapely.boundary(geom(f))))
    longest = max((q for q in shapely.get_parts(edge) if q.geom_type == "LineString"), key=lambda q: q.length)
    at = shapely.line_locate_point(longest, mid)
    stretch = shapely.ops.substring(longest, max(at - 50.0, 0.0), min(at + 50.0, longest.length))
    strip = shapely.intersection(geom(f), shapely.buffer(stretch, 0.3, cap_style="flat"))
    set_geom(e, shapely.union(geom(e), strip))
    errors.append({"rule": "sliver", "grids": [code[e], code[f]], "area_m2": round(strip.area, 2),
                   "width_m": 0.3,
                   "what": f"{code[e]} overlaps {code[f]} by a 0.3 m wide strip along {stretch.length:.0f} m of "
                           f"their shared street (a drawing error) / 网格 {code[e]} 与 {code[f]} 沿公共边有 "
                           f"0.3 米宽的细重叠"})
    # 4. invalid: a bow-tie — two neighbouring vertices of H's outline swapped, at a place
    #    inside its large grid where the twist is some hundreds of m²
    best = None
    for h in kids[large[3]]:
        if h in used:
            continue
        old = geom(h)
        ring = np.asarray(shapely.get_coordinates(shapely.get_exterior_ring(old)))[:-1]
        n = len(ring)
        outer = shapely.boundary(p.grids.geometry[int(p.grids.at[h, "parent"])])
        inner = shapely.distance(shapely.points(ring), outer) > 1.0
        for i in range(n):
            if not all(inner[(i + k) % n] for k in (-1, 0, 1, 2)):
                continue
            twisted = ring.copy()
            twisted[[i, (i + 1) % n]] = twisted[[(i + 1) % n, i]]
            bowtie = shapely.Polygon(twisted, [q.coords for q in old.interiors])
            if shapely.is_valid(bowtie):
                continue
            change = shapely.symmetric_difference(shapely.make_valid(bowtie), old).area
            if change > 1.0 and (best is None or abs(change - 600.0) < best[0]):
                best = (abs(change - 600.0), h, bowtie)
    _, h, bowtie = best
    used.add(h)
    old = geom(h)
    set_geom(h, bowtie)
    fixed = shapely.make_valid(bowtie)
    uncovered = shapely.difference(old, fixed)
    doubled = shapely.difference(fixed, old)

    def kind(region, wide):
        parts = [q for q in shapely.get_parts(region) if q.area > 0.01]
        if not parts:
            return None
        width = max(2 * shapely.length(shapely.maximum_inscribed_circle(q)) for q in parts)
        return wide if width >= 0.5 else "sliver"

    errors.append({"rule": "invalid", "grids": [code[h]],
                   "what": f"two neighbouring vertices of {code[h]} were swapped, so its outline crosses "
                           f"itself (bow-tie) / 网格 {code[h]} 边界两个相邻顶点次序颠倒，形成自相交（蝴蝶结）",
                   "side_effects": sorted({r for r in (kind(uncovered, "gap"), kind(doubled, "overlap")) if r}),
                   "side_effect_area_m2": {"uncovered": round(uncovered.area, 2), "doubled": round(doubled.area, 2)}})
    # 5. duplicate code
    k1, k2 = pick_one(large[0]), pick_one(large[0])
    dup = code[k2]
    p.grids.at[k1, "code"] = dup
    errors.append({"rule": "duplicate_code", "grids": [dup], "names": [g.at[k1, "name"], g.at[k2, "name"]],
                   "what": f"{g.at[k1, 'name']} was given the code of {g.at[k2, 'name']} ({dup}) / "
                           f"{g.at[k1, 'name']} 与 {g.at[k2, 'name']} 编码重复"})
    # 6. bad code: one digit too many, not of the pattern {parent}{seq:02d}
    k = pick_one(large[1])
    was = code[k]
    bad = p.parent_code(k) + "007"
    p.grids.at[k, "code"] = bad
    errors.append({"rule": "bad_code", "grids": [bad], "was": was, "names": [g.at[k, "name"]],
                   "what": f"{g.at[k, 'name']} has the 15-digit code {bad} instead of a 14-digit one "
                           f"({was}) / {g.at[k, 'name']} 编码位数不符（应为 14 位）"})
    # 7. no leader: a large grid and one of its small grids lose their leaders
    big, k = large[2], pick_one(large[2])
    drop = p.roles.index[(p.roles["role"] == "leader") & p.roles["grid"].isin([big, k])]
    p.roles = p.roles.drop(index=drop)
    errors.append({"rule": "no_leader", "grids": [code[big], code[k]],
                   "what": f"the leader (挂点领导) of large grid {code[big]} and the 网格长 of {code[k]} were "
                           f"removed (leaders are inherited, so only these two lack one) / "
                           f"大网格 {code[big]} 与小网格 {code[k]} 未落实网格长/挂点领导"})
    # 8. a street segment without a grid
    k = pick_one(large[3])
    segs = p.segments[(p.segments["grid"] == k) & ~p.segments["road_name"].str.startswith("无名")]
    sid = int(segs.assign(length=segs.length).sort_values(["length"], ascending=False).index[0])
    p.segments.at[sid, "grid"] = pd.NA
    errors.append({"rule": "segment_unassigned", "grids": [], "segments": [sid],
                   "road_name": p.segments.at[sid, "road_name"],
                   "what": f"segment {sid} ({p.segments.at[sid, 'road_name']}, in {code[k]}) has no grid / "
                           f"路段 {sid}（{p.segments.at[sid, 'road_name']}）未分配网格"})
    # 9. multipart: an enclave of Q inside its sibling R, away from streets and places
    r = pick_one(large[1])
    q = next(x for x in kids[large[1]] if x not in used and x not in _siblings(p, r))
    used.add(q)
    keep_clear = shapely.union_all(np.concatenate([
        shapely.buffer(roads_m.geometry.values[shapely.intersects(roads_m.geometry.values, geom(r))], 15.0),
        shapely.buffer(p.places.geometry.values, 10.0)]))
    room = shapely.difference(shapely.buffer(geom(r), -15.0), keep_clear)
    centre = shapely.get_point(shapely.maximum_inscribed_circle(room), 0)
    enclave = shapely.intersection(shapely.buffer(centre, 30.0, quad_segs=8), geom(r))
    set_geom(r, shapely.difference(geom(r), enclave))
    set_geom(q, shapely.union(geom(q), enclave))
    errors.append({"rule": "multipart", "grids": [code[q]], "also_changed": [code[r]],
                   "area_m2": round(enclave.area, 2),
                   "what": f"a 30 m disc inside {code[r]} was given to {code[q]} (an enclave), so "
                           f"{code[q]} is in two parts / 网格 {code[q]} 在 {code[r]} 内有一块飞地，网格分成两块"})

    # streets whose grid changed shape go to the grid now covering them (not an error)
    seg = p.segments
    small = p.grids[p.grids["level"] == "small"]
    officer = p.roles[p.roles["role"] == "officer"].groupby("grid")["person"].first()
    valid = small[shapely.is_valid(small.geometry.values)]
    for sid in seg.index:
        gid = seg.at[sid, "grid"]
        if pd.isna(gid) or not shapely.is_valid(p.grids.geometry[int(gid)]):
            continue
        if shapely.covers(p.grids.geometry[int(gid)], seg.geometry[sid]):
            continue
        home = valid.index[shapely.covers(valid.geometry.values, seg.geometry[sid])]
        if len(home):
            seg.at[sid, "grid"] = int(home[0])
            seg.at[sid, "officer"] = officer.get(int(home[0]), pd.NA)
    return p, errors


# ---------------------------------------------------------------------------- main
def _write_layer(df: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    if path.exists():
        path.unlink()
    # GeoPackage 1.2, like the project files: opens without warnings in older GDAL/QGIS
    pyogrio.write_dataframe(df, path, layer=layer, driver="GPKG", layer_options={"SPATIAL_INDEX": "YES"},
                            dataset_options={"VERSION": "1.2"})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=default_data_dir(), help="the shared data folder")
    ap.add_argument("--out", type=Path, default=REPO / "sample_layers", help="output folder")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    roads = read_roads(args.data)
    _write_layer(roads, out / "baoan_roads.gpkg", "roads")
    raw, attrs = read_district_gcj02(args.data)
    district = district_frame(raw, attrs)
    _write_layer(district, out / "baoan_district.gpkg", "district")
    lic = args.data / "cn-counties-gcj02" / "LICENSE.upstream"
    (out / "LICENSE.ChinaAdminDivisonSHP").write_bytes(lic.read_bytes())
    shift = shift_report(raw, district.geometry.values[0], roads)

    roads_m = roads.to_crs(PLAN_CRS)
    geo = build_grids(roads_m)
    plan = build_plan(roads_m, geo)
    stats = verify(plan)
    save_plan(plan, out / "baoan_plan.gpkg")
    err_plan, errors = make_errors(open_plan(out / "baoan_plan.gpkg"), roads_m)
    save_plan(err_plan, out / "baoan_plan_errors.gpkg")
    (out / "baoan_plan_errors.json").write_text(json.dumps(errors, ensure_ascii=False, indent=2) + "\n",
                                                 encoding="utf-8")
    if not args.quiet:
        print(f"district: GCJ-02 → CGCS2000 moved the boundary {shift['offset_mean_m']:.0f} m on average "
              f"({shift['offset_min_m']:.0f}–{shift['offset_max_m']:.0f} m); Nanshan streets inside 宝安区: "
              f"raw {shift['nanshan_inside_raw_m']:.0f} m, converted {shift['nanshan_inside_converted_m']:.0f} m "
              f"of {shift['nanshan_streets_m']:.0f} m")
        print(f"plan: {stats['area_km2']:.2f} km², {stats['large_grids']} large and {stats['small_grids']} small "
              f"grids ({stats['small_min_ha']:.1f}–{stats['small_max_ha']:.1f} ha), {stats['segments']} segments, "
              f"{stats['places']} places, {stats['people']} people")
        print(f"errors: {', '.join(e['rule'] for e in errors)}")
        print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
