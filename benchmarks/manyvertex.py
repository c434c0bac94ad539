"""A layer of few polygons with very many vertices (issue 11), for benchmarks.

``generate(nx, ny, vertices)`` builds an nx×ny jittered lattice of districts (default 10×5 = 50) whose
edges are smooth random wiggles with shared vertices (``citygen.lattice``), each district with about
``vertices`` vertices (default 20,000).  Injected: one district's east edge pushed 3 m into its
neighbour (an overlap) and another's north edge pulled 3 m back (a gap).  ``noisy=True``: every
other district (a checkerboard) is round-tripped through CGCS2000 lon/lat (``citygen.add_float_noise``),
so all shared edges differ by float noise, as exported data arrives.

>>> polys, jur = generate(3, 2, 400)
>>> len(polys), len(shapely.get_coordinates(polys[0]))
(6, 401)

    .venv/bin/python benchmarks/manyvertex.py out.gpkg [--noisy] [--nx 10 --ny 5 --vertices 20000]

writes layer ``grids`` (code, name) and layer ``jurisdiction`` (the clean union).
"""

from __future__ import annotations

import os
import sys

import numpy as np
import shapely

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import citygen  # noqa: E402

__all__ = ["generate", "write"]


def generate(nx: int = 10, ny: int = 5, vertices: int = 20_000, size: float = 5_000.0, seed: int = 0,
             noisy: bool = False, inject: bool = True):
    """(district polygons, jurisdiction polygon)."""
    m = max(1, (vertices - 4) // 4)
    lat = citygen.lattice(nx, ny, size=size, m=m, seed=seed)
    i, j = np.divmod(np.arange(nx * ny), ny)
    rings = lat.rings(i, j, 1, 1)
    jurisdiction = shapely.coverage_union_all(shapely.polygons(rings))
    if inject and nx > 1 and ny > 1:
        # ring layout (w = h = 1): bottom 0..m, right m+1..2m+1, top 2m+2..3m+2, left …
        over = 0                              # district (0, 0): east edge 3 m into (1, 0)
        rings[over, m + 2: 2 * m + 2, 0] += 3.0
        gap = ny + 1                          # district (1, 1): north edge 3 m back from (1, 2)
        rings[gap, 2 * m + 3: 3 * m + 3, 1] -= 3.0
    polys = shapely.polygons(rings)
    if noisy:
        # every other district (a checkerboard): its shared vertices differ from its neighbours' by float noise
        odd = (i + j) % 2 == 0
        polys[odd] = citygen.add_float_noise(polys[odd], max_segment=1e9)
    return polys, jurisdiction


def write(polys, jurisdiction, path: str) -> None:
    import geopandas as gpd
    import pyogrio

    codes = [f"{citygen.ADMIN}{k + 1:06d}" for k in range(len(polys))]
    grids = gpd.GeoDataFrame({"code": codes, "name": [f"片区{k + 1}" for k in range(len(polys))]},
                             geometry=np.asarray(polys, dtype=object), crs=citygen.CRS)
    pyogrio.write_dataframe(grids, path, layer="grids", driver="GPKG")
    jur = gpd.GeoDataFrame({"name": ["辖区"]}, geometry=[jurisdiction], crs=citygen.CRS)
    pyogrio.write_dataframe(jur, path, layer="jurisdiction", driver="GPKG", append=True)


if __name__ == "__main__":  # pragma: no cover
    import argparse

    ap = argparse.ArgumentParser(description="write a layer of few polygons with very many vertices")
    ap.add_argument("out")
    ap.add_argument("--nx", type=int, default=10)
    ap.add_argument("--ny", type=int, default=5)
    ap.add_argument("--vertices", type=int, default=20_000)
    ap.add_argument("--noisy", action="store_true")
    a = ap.parse_args()
    if os.path.exists(a.out):
        os.remove(a.out)
    write(*generate(a.nx, a.ny, a.vertices, noisy=a.noisy), a.out)
    print(f"written to {a.out}")
