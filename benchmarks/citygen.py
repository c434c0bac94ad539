"""City-scale synthetic grid plans for benchmarks (and small smoke tests).

A plan is a jittered lattice of unit grids with wiggly, *shared* edges (every
edge's vertices are computed once and used by both neighbours, so the clean
lattice is an exact polygonal coverage), grouped into blocks that form the
large grids (two levels, GB15 code scheme: up to 999 large grids of up to 999
unit grids).  Everything is built with numpy in bulk and handed to the
:class:`~gridmap.core.plan.Plan` constructor in one go.

Each unit grid has ``4 + 4*m`` vertices (m = 8: 36).  A road network runs along
the middle of 3 rows out of 4, one segment per crossed grid (≈0.75 segments per
grid), its ends on the grids' shared vertices.

Injected problems (``inject=True``), a fixed fraction of the grids each, listed
in ``CityPlan.injected`` as ``{"rule": …, "grids": [codes], "what": …}``:

* overlaps (an edge pushed 1–3 m into the neighbour) and overlap slivers (0.2 m);
* gaps (an edge pulled 1–3 m back) and gap slivers (0.2 m); a few missing grids;
* invalid rings (two consecutive vertices swapped: a self-intersection);
* duplicate codes; grids without an officer; segments without a grid.

>>> city = generate(500, seed=1)
>>> len(city.plan.grids_of_level("small")), len(city.plan.grids_of_level("large"))   # one grid removed
(499, 20)
>>> 0.7 < len(city.plan.segments) / 500 < 0.8
True
>>> sorted({e["rule"] for e in city.injected})[:3]
['duplicate_code', 'gap', 'invalid']

Run ``python benchmarks/citygen.py 100000 out.gpkg`` to write a plan file.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.core.levels import preset
from gridmap.core.plan import Plan

__all__ = ["CityPlan", "lattice", "generate", "layout"]

ORIGIN = (480_000.0, 2_490_000.0)   # EPSG:4547 (CGCS2000 / 3° GK CM 114°E), Shenzhen area
CRS = "EPSG:4547"
ADMIN = "440306"


@dataclass
class Lattice:
    """Lattice geometry as arrays: corner nodes and edge vertices."""

    nodes: np.ndarray   # (nx+1, ny+1, 2)
    H: np.ndarray       # (nx, ny+1, m, 2): vertices of the edge node(i,j) → node(i+1,j)
    V: np.ndarray       # (nx+1, ny, m, 2): vertices of the edge node(i,j) → node(i,j+1)
    size: float

    @property
    def shape(self) -> tuple[int, int]:
        return self.H.shape[0], self.V.shape[1]

    def rings(self, i0, j0, w: int, h: int) -> np.ndarray:
        """Closed rings (k, 4 + 4m·… + 1, 2) of the w×h blocks whose lower-left cells are (i0, j0),
        counter-clockwise, built from the shared edge vertices."""
        i0 = np.asarray(i0)[:, None]
        j0 = np.asarray(j0)[:, None]
        m = self.H.shape[2]
        parts = []
        a = np.arange(w)[None, :]
        b = np.arange(h)[None, :]
        # bottom: node(i0+a, j0), H[i0+a, j0, :]
        parts.append(np.concatenate([self.nodes[i0 + a, j0][:, :, None, :], self.H[i0 + a, j0]], axis=2)
                     .reshape(len(i0), w * (m + 1), 2))
        # right: node(i0+w, j0+b), V[i0+w, j0+b, :]
        parts.append(np.concatenate([self.nodes[i0 + w, j0 + b][:, :, None, :], self.V[i0 + w, j0 + b]], axis=2)
                     .reshape(len(i0), h * (m + 1), 2))
        # top, right to left: node(i0+a+1, j0+h), reversed H[i0+a, j0+h]
        ar = a[:, ::-1]
        parts.append(np.concatenate([self.nodes[i0 + ar + 1, j0 + h][:, :, None, :],
                                     self.H[i0 + ar, j0 + h][:, :, ::-1]], axis=2)
                     .reshape(len(i0), w * (m + 1), 2))
        # left, top to bottom: node(i0, j0+b+1), reversed V[i0, j0+b]
        br = b[:, ::-1]
        parts.append(np.concatenate([self.nodes[i0, j0 + br + 1][:, :, None, :],
                                     self.V[i0, j0 + br][:, :, ::-1]], axis=2)
                     .reshape(len(i0), h * (m + 1), 2))
        parts.append(self.nodes[i0[:, 0], j0[:, 0]][:, None, :])
        return np.concatenate(parts, axis=1)

    def polygons(self, i0, j0, w: int = 1, h: int = 1) -> np.ndarray:
        """Polygons of the w×h blocks at (i0, j0)."""
        return shapely.polygons(self.rings(i0, j0, w, h))


def lattice(nx: int, ny: int, size: float = 140.0, m: int = 8, seed: int = 0,
            origin=ORIGIN) -> Lattice:
    """A jittered nx×ny lattice whose edges have ``m`` wiggly vertices each.

    >>> lat = lattice(3, 2, seed=0)
    >>> cells = lat.polygons(*np.divmod(np.arange(6), 2))
    >>> bool(shapely.coverage_is_valid(cells)), len(shapely.get_coordinates(cells[0]))
    (True, 37)
    """
    rng = np.random.default_rng(seed)
    ii, jj = np.meshgrid(np.arange(nx + 1), np.arange(ny + 1), indexing="ij")
    nodes = np.stack([ii * size, jj * size], -1).astype(float)
    nodes += rng.uniform(-0.1 * size, 0.1 * size, nodes.shape)
    nodes += np.asarray(origin, dtype=float)
    t = np.arange(1, m + 1) / (m + 1)

    def edges(a, b):
        d = b - a
        normal = np.stack([-d[..., 1], d[..., 0]], -1) / np.hypot(d[..., 0], d[..., 1])[..., None]
        shape = a.shape[:-1]
        # a smooth random wiggle: two sine modes, zero at the corners
        c1 = rng.uniform(-0.06, 0.06, shape)[..., None] * size
        c2 = rng.uniform(-0.03, 0.03, shape)[..., None] * size
        off = c1 * np.sin(np.pi * t) + c2 * np.sin(2 * np.pi * t)
        pts = a[..., None, :] + d[..., None, :] * t[:, None] + normal[..., None, :] * off[..., None]
        return pts

    H = edges(nodes[:-1, :], nodes[1:, :])
    V = edges(nodes[:, :-1], nodes[:, 1:])
    return Lattice(nodes=nodes, H=H, V=V, size=size)


@dataclass
class CityPlan:
    """A generated plan, its geometry arrays and the list of injected problems."""

    plan: Plan
    lattice: Lattice
    cells: np.ndarray            # unit-grid polygons, row-major (i * ny + j), after injection
    clean_cells: np.ndarray      # the same before injection (an exact coverage)
    cell_ids: np.ndarray         # grid id of each cell (0 for a removed cell)
    injected: list = field(default_factory=list)
    block: int = 10


def layout(n_grids: int) -> tuple[int, int, int]:
    """(blocks in x, blocks in y, block size) for about ``n_grids`` unit grids,
    with at most 999 large grids of at most 999 unit grids (GB15 codes).

    >>> layout(100_000)
    (31, 32, 10)
    >>> layout(500)
    (4, 5, 5)
    """
    block = 10 if n_grids >= 2000 else 5 if n_grids >= 100 else 2
    nblocks = max(1, min(999, round(n_grids / block ** 2)))
    nbx = max(1, int(math.sqrt(nblocks)))
    nby = max(1, round(nblocks / nbx))
    if nbx * nby > 999:
        nby -= 1
    return nbx, nby, block


def _reading_codes(prefix_codes, local_seq, width) -> list[str]:
    return [f"{p}{s:0{width}d}" for p, s in zip(prefix_codes, local_seq)]


def generate(n_grids: int = 10_000, seed: int = 0, inject: bool = True, rate: float = 0.001,
             size: float = 140.0, m: int = 8, noisy: bool = False) -> CityPlan:
    """A two-level plan of about ``n_grids`` unit grids (see the module docstring).

    ``noisy``: the unit grids of about 12 % of the large grids and 1 % of the others are
    densified and round-tripped through lon/lat *each on its own* (:func:`add_float_noise`),
    so their shared edges differ from their neighbours' by float noise (~13 % of the grids
    then have an edge ``coverage_invalid_edges`` flags)."""
    nbx, nby, block = layout(n_grids)
    nx, ny = nbx * block, nby * block
    lat = lattice(nx, ny, size=size, m=m, seed=seed)
    rng = np.random.default_rng(seed + 1)

    # ---------------------------------------------------------------- geometry
    ci, cj = np.divmod(np.arange(nx * ny), ny)          # cell (i, j) of each row-major index
    clean = lat.polygons(ci, cj)
    cells = clean.copy()
    bi, bj = np.divmod(np.arange(nbx * nby), nby)
    blocks = lat.polygons(bi * block, bj * block, block, block)
    jurisdiction = lat.polygons([0], [0], nx, ny)[0]

    # ---------------------------------------------------------------- ids and codes
    n_cells = nx * ny
    n_blocks = nbx * nby
    # large grids numbered in reading order: rows north→south, west→east
    block_seq = (nby - 1 - bj) * nbx + bi + 1
    block_codes = np.array([f"{ADMIN}{s:03d}000" for s in block_seq], dtype=object)
    block_ids = np.arange(1, n_blocks + 1)
    cell_block = (ci // block) * nby + (cj // block)
    a, b = ci % block, cj % block
    local_seq = (block - 1 - b) * block + a + 1
    cell_codes = np.array(_reading_codes(block_codes[cell_block], local_seq, 3), dtype=object)
    cell_ids = n_blocks + 1 + np.arange(n_cells)

    injected: list[dict] = []
    keep = np.ones(n_cells, dtype=bool)
    names = np.array([f"网格{c[-5:]}" for c in cell_codes], dtype=object)

    if inject:
        k = max(1, int(round(rate * n_cells)))
        # interior cells only, far apart: every chosen cell gets one problem
        interior = np.flatnonzero((ci > 0) & (ci < nx - 2) & (cj > 0) & (cj < ny - 2)
                                  & (ci % 3 == 1) & (cj % 3 == 1))
        chosen = rng.permutation(interior)
        kinds = (["overlap"] * k + ["overlap_sliver"] * k + ["gap"] * k + ["gap_sliver"] * k
                 + ["invalid"] * k + ["missing"] * max(1, k // 4))
        chosen = chosen[:len(kinds)]
        t = np.arange(1, m + 1) / (m + 1)
        taper = np.sin(np.pi * t)
        for kind, c in zip(kinds, chosen):
            right = c + ny                      # neighbour (i+1, j): shares the right edge
            if kind == "missing":
                keep[c] = False
                injected.append({"rule": "gap", "grids": [], "what": f"grid {cell_codes[c]} removed",
                                 "cell": int(c)})
                continue
            ring = shapely.get_coordinates(cells[c])
            # right edge vertices are ring[m+2 : 2m+2] (after node(i+1, j))
            sl = slice(m + 2, 2 * m + 2)
            if kind == "invalid":
                # a small loop drawn inwards at a vertex of the right edge: the ring crosses itself
                q = ring[m + 5]
                loop = np.array([q + (-3.0, 3.0), q + (-3.0, -3.0), q])
                ring = np.concatenate([ring[: m + 6], loop, ring[m + 6:]])
                cells[c] = shapely.polygons(ring)
                injected.append({"rule": "invalid", "grids": [cell_codes[c]],
                                 "what": "a loop at a vertex: self-intersection", "cell": int(c)})
                continue
            d = {"overlap": rng.uniform(1, 3), "overlap_sliver": 0.2,
                 "gap": -rng.uniform(1, 3), "gap_sliver": -0.2}[kind]
            ring[sl, 0] += d * taper
            cells[c] = shapely.polygons(ring)
            rule = "overlap" if kind == "overlap" else "gap" if kind == "gap" else "sliver"
            injected.append({"rule": rule, "grids": [cell_codes[c], cell_codes[right]],
                             "what": f"right edge moved {d:+.2f} m", "cell": int(c)})
        # duplicate codes: a few cells take the code of their northern neighbour
        free = np.setdiff1d(interior, chosen)
        for c in rng.permutation(free)[:k]:
            if cj[c] % block == block - 1:
                continue
            cell_codes[c] = cell_codes[c + 1]
            injected.append({"rule": "duplicate_code", "grids": [cell_codes[c]],
                             "what": "code of the neighbour to the north", "cell": int(c)})

    if noisy:
        nrng = np.random.default_rng(seed + 2)
        in_block = np.isin(cell_block, nrng.permutation(n_blocks)[: max(1, round(0.12 * n_blocks))])
        scattered = nrng.random(n_cells) < 0.01
        touched = in_block | scattered
        touched[[e["cell"] for e in injected if "cell" in e]] = False   # injected problems stay as listed
        cells = cells.copy()
        cells[touched] = add_float_noise(cells[touched])

    # ---------------------------------------------------------------- tables
    sel = np.flatnonzero(keep)
    grids = gpd.GeoDataFrame(
        {
            "code": np.concatenate([block_codes, cell_codes[sel]]),
            "name": np.concatenate([np.array([f"第{s}大网格" for s in block_seq], dtype=object), names[sel]]),
            "level": np.array(["large"] * n_blocks + ["small"] * len(sel), dtype=object),
            "parent": pd.array(np.concatenate([np.full(n_blocks, -1), block_ids[cell_block[sel]]]),
                               dtype="Int64"),
            "population": np.concatenate([np.zeros(n_blocks, dtype=np.int64),
                                          rng.integers(800, 1200, len(sel))]),
        },
        geometry=np.concatenate([blocks, cells[sel]]),
        index=pd.Index(np.concatenate([block_ids, cell_ids[sel]]), name="id"),
        crs=CRS,
    )
    grids.loc[grids["level"] == "large", "parent"] = pd.NA
    grids.loc[grids["level"] == "large", "population"] = 0
    ids_of_cell = np.where(keep, cell_ids, 0)

    # people: one officer per strip of 5 cells (a column of half a block), one leader and
    # one unit per block
    officer_of_cell = ci * (ny // 5 + 1) + cj // 5
    uniq_off, officer_of_cell = np.unique(officer_of_cell, return_inverse=True)
    n_off = len(uniq_off)
    person_ids = np.arange(1, n_off + n_blocks + 1)
    phones = np.array([f"138{p:08d}" for p in person_ids], dtype=object)
    units = pd.DataFrame({"name": [f"第{s}社区工作站" for s in block_seq], "kind": "社区",
                          "phone": "0755-00000000", "notes": ""},
                         index=pd.Index(block_ids, name="id"))
    people = pd.DataFrame({"name": [f"网格员{p}" for p in range(1, n_off + 1)]
                           + [f"网格长{s}" for s in block_seq],
                           "post": ["网格员"] * n_off + ["社区书记"] * n_blocks,
                           "unit": pd.array(np.concatenate([block_ids[cell_block[np.unique(officer_of_cell, return_index=True)[1]]],
                                                            block_ids]), dtype="Int64"),
                           "phone": phones, "notes": ""},
                          index=pd.Index(person_ids, name="id"))
    leader_of_block = n_off + 1 + np.arange(n_blocks)
    has_officer = keep.copy()
    if inject:
        no_off = rng.choice(np.flatnonzero(keep), size=max(1, int(rate * n_cells)), replace=False)
        has_officer[no_off] = False
        for c in no_off:
            injected.append({"rule": "no_officer", "grids": [cell_codes[c]], "what": "no officer", "cell": int(c)})
    oc = np.flatnonzero(has_officer)
    role_grid = np.concatenate([cell_ids[oc], block_ids, block_ids])
    role_kind = np.array(["officer"] * len(oc) + ["leader"] * n_blocks + ["lead_unit"] * n_blocks, dtype=object)
    role_person = pd.array(np.concatenate([officer_of_cell[oc] + 1, leader_of_block, np.full(n_blocks, -1)]),
                           dtype="Int64")
    role_person[len(oc) + n_blocks:] = pd.NA
    role_unit = pd.array(np.concatenate([np.full(len(oc) + n_blocks, -1), block_ids]), dtype="Int64")
    role_unit[: len(oc) + n_blocks] = pd.NA
    roles = pd.DataFrame({"grid": pd.array(role_grid, dtype="Int64"), "role": role_kind, "person": role_person,
                          "unit": role_unit, "duty": ""},
                         index=pd.Index(np.arange(1, len(role_grid) + 1), name="id"))

    # roads: along the middle of 3 rows out of 4, one segment per cell, ends on shared vertices
    mid = m // 2
    road_cells = np.flatnonzero(cj % 4 != 3)
    ri, rj = ci[road_cells], cj[road_cells]
    start = lat.V[ri, rj, mid]
    end = lat.V[ri + 1, rj, mid]
    centre = (lat.nodes[ri, rj] + lat.nodes[ri + 1, rj + 1] + lat.nodes[ri + 1, rj] + lat.nodes[ri, rj + 1]) / 4
    q1 = (start + centre) / 2
    q3 = (centre + end) / 2
    seg_coords = np.stack([start, q1, centre, q3, end], axis=1)
    segs = shapely.linestrings(seg_coords)
    seg_grid = pd.array(ids_of_cell[road_cells], dtype="Int64")
    seg_grid[ids_of_cell[road_cells] == 0] = pd.NA
    seg_officer = pd.array(officer_of_cell[road_cells] + 1, dtype="Int64")
    if inject:
        k = max(1, int(rate * len(segs)))
        lost = rng.choice(len(segs), size=k, replace=False)
        seg_grid[lost] = pd.NA
        for s in lost:
            injected.append({"rule": "segment_unassigned", "grids": [], "what": f"segment {s + 1} has no grid",
                             "segment": int(s + 1)})
    segments = gpd.GeoDataFrame(
        {"road_name": [f"第{j // 4 * 3 + j % 4 + 1}路" for j in rj], "from_desc": "", "to_desc": "",
         "grid": seg_grid, "officer": seg_officer, "notes": ""},
        geometry=segs, index=pd.Index(np.arange(1, len(segs) + 1), name="id"), crs=CRS)

    # places: one in every 5th cell (one per officer)
    pc = np.flatnonzero(keep & (cj % 5 == 0))
    places = gpd.GeoDataFrame(
        {"name": [f"小区{c}" for c in pc], "kind": "小区", "grid": pd.array(cell_ids[pc], dtype="Int64"),
         "address": "", "notes": ""},
        geometry=shapely.points(centre_of(lat, ci[pc], cj[pc])),
        index=pd.Index(np.arange(1, len(pc) + 1), name="id"), crs=CRS)

    plan = Plan(name=f"合成城市 {len(sel)} 网格", crs=CRS, admin_code=ADMIN, levels=preset("two", "GB15"),
                jurisdiction=jurisdiction, grids=grids, units=units, people=people, roles=roles,
                segments=segments, places=places)
    return CityPlan(plan=plan, lattice=lat, cells=cells, clean_cells=clean, cell_ids=ids_of_cell,
                    injected=injected, block=block)


def add_float_noise(polys, max_segment: float = 5.0) -> np.ndarray:
    """Each polygon as exported data arrives: densified on its own (a vertex every
    ``max_segment`` m, interpolated along *its* ring direction) and round-tripped through
    CGCS2000 lon/lat (EPSG:4490) and back.  Shared edges of two such neighbours (or of one
    and an untouched neighbour) then differ by float noise (~1e-9 m), not by any visible amount.

    >>> a, b = lattice(2, 1, seed=0).polygons(np.array([0, 1]), np.array([0, 0]))
    >>> na, nb = add_float_noise(np.array([a, b]))[0], b
    >>> bool(shapely.coverage_is_valid([na, nb])), float(shapely.area(shapely.intersection(na, nb))) < 1e-6
    (False, True)
    """
    from pyproj import Transformer

    dense = shapely.segmentize(np.asarray(polys, dtype=object), max_segment)
    fwd = Transformer.from_crs(CRS, "EPSG:4490", always_xy=True)
    back = Transformer.from_crs("EPSG:4490", CRS, always_xy=True)

    def trip(xy):
        lon, lat = fwd.transform(xy[:, 0], xy[:, 1])
        x, y = back.transform(lon, lat)
        return np.stack([x, y], axis=1)

    return shapely.transform(dense, trip)


def write_layers(city: CityPlan, path: str) -> None:
    """A plain GeoPackage of the city as other systems export it: layer ``grids`` (the unit
    grids: code, name) and layer ``jurisdiction`` (for ``gridmap check --layer grids
    --code-field code --boundary PATH:jurisdiction``)."""
    import pyogrio

    g = city.plan.grids
    small = g[g["level"] == "small"]
    grids = gpd.GeoDataFrame({"code": small["code"].to_numpy(dtype=object),
                              "name": small["name"].to_numpy(dtype=object)},
                             geometry=np.asarray(small.geometry.values, dtype=object), crs=CRS)
    pyogrio.write_dataframe(grids, path, layer="grids", driver="GPKG")
    jur = gpd.GeoDataFrame({"name": ["辖区"]}, geometry=[city.plan.jurisdiction], crs=CRS)
    pyogrio.write_dataframe(jur, path, layer="jurisdiction", driver="GPKG", append=True)


def centre_of(lat: Lattice, i, j) -> np.ndarray:
    """A point well inside cell (i, j): the mean of its corners, nudged off the road."""
    c = (lat.nodes[i, j] + lat.nodes[i + 1, j + 1] + lat.nodes[i + 1, j] + lat.nodes[i, j + 1]) / 4
    return c + np.array([0.0, 0.2 * lat.size])


if __name__ == "__main__":  # pragma: no cover
    import time

    from gridmap.core.storage import save_plan

    import argparse

    ap = argparse.ArgumentParser(description="write a generated city")
    ap.add_argument("n", nargs="?", type=int, default=10_000, help="about this many unit grids")
    ap.add_argument("out", nargs="?", help="output .gpkg")
    ap.add_argument("--noisy", action="store_true", help="shared edges of ~13 %% of the grids differ by float noise")
    ap.add_argument("--layers", action="store_true",
                    help="write plain layers grids + jurisdiction (as exported data), not a gridmap plan")
    args = ap.parse_args()
    t0 = time.perf_counter()
    city = generate(args.n, noisy=args.noisy)
    print(f"{len(city.plan.grids)} grids in {time.perf_counter() - t0:.1f} s")
    if args.out:
        if args.layers:
            write_layers(city, args.out)
        else:
            save_plan(city.plan, args.out)
        print(f"written to {args.out}")
