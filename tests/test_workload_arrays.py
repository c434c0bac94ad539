"""Officers' workloads with arrays (issue 21: the live check measures them after every
edit): the same figures as the pandas joins and groupbys, on random plans with missing
values, duplicate roles, roles on unknown grids, free and held segments, dense and
sparse ids."""

import numpy as np
import pandas as pd
import pytest

from gridmap.core.checks import workload as W


@pytest.mark.parametrize("scale", [1, 10 ** 9 + 7])
def test_arrays_give_the_frames_figures(scale):
    rng = np.random.default_rng(3)
    for trial in range(150):
        ng = int(rng.integers(1, 40))
        grid_ids = rng.permutation(np.arange(1, ng + 1) * 3) * scale
        if trial % 5 == 0:
            grid_ids = np.concatenate([grid_ids, [-2, -5]])         # removed grids' slots (live check)
        areas = rng.random(len(grid_ids)) * 100
        nr = int(rng.integers(1, 60))
        roles = pd.DataFrame({
            "grid": pd.array([None if rng.random() < .05 else int(rng.integers(0, ng * 3 + 6)) * scale
                              for _ in range(nr)], dtype="Int64"),
            "role": rng.choice(["officer", "member", "leader"], nr).astype(object),
            "person": pd.array([None if rng.random() < .05 else int(rng.integers(1, 9)) for _ in range(nr)],
                               dtype="Int64")})
        ns = int(rng.integers(0, 50))
        sg = rng.integers(-1, ng * 3 + 3, ns) * scale
        sl, so = rng.random(ns) * 10, rng.integers(-1, 9, ns)
        pg = rng.integers(0, ng * 3 + 3, int(rng.integers(0, 20))) * scale
        pop = rng.random(len(grid_ids)) * 1000 if trial % 2 else None
        for kw in ({}, dict(seg_grid=sg, seg_length=sl),
                   dict(seg_grid=sg, seg_length=sl, seg_officer=so, place_grid=pg, population=pop)):
            a = W.officer_workloads(grid_ids, areas, roles, **kw)
            b = W._workloads_frames(grid_ids, areas, roles, **kw).astype(float)
            b.index = b.index.astype(np.int64)
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)
            fa, fb = W.imbalance(a, 30), W.imbalance(b, 30)
            assert [f[:2] for f in fa] == [f[:2] for f in fb]
            assert [f[2:] for f in fa] == [pytest.approx(f[2:]) for f in fb]
