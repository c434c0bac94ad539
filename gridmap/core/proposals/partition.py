"""Balanced, contiguous, compact partition of a block graph into k regions.

The blocks are the nodes of a graph whose edges are the shared block edges
(with their length).  A region's workload is the sum of its blocks'; its
perimeter is the sum of its blocks' perimeters minus twice the edges shared
inside it, so Polsby–Popper compactness 4πA/P² is known without building any
geometry.  The cost of a partition is

    Σ_r ((W_r − μ)/μ)²  +  α · Σ_r (1 − PP_r)²  +  area-bound penalties

(μ = total workload / k).  Two ways to start, one way to finish:

* ``"auto"`` (default): ``"metis"`` when there are at least 10 blocks per region, else ``"grow"``;
* ``"grow"``: agglomerative — every block starts as a region and the
  adjacent pair with the smallest merged workload (ties: the more compact result)
  is merged until k regions are left; never leaves a region empty or in pieces.
* ``"metis"``: pymetis (METIS multilevel k-way partitioning, balanced by the block
  workloads, cutting short shared edges); METIS may leave regions empty or in
  pieces on small graphs, so pieces go to a neighbouring region and empty regions
  are refilled from the heaviest one.

Both are finished by local search: a block on a region's edge moves to a
neighbouring region when that lowers the cost and leaves its region non-empty
and in one piece (connectivity checked by a walk inside the region).

>>> adj = {0: {1: 1.0}, 1: {0: 1.0, 2: 1.0}, 2: {1: 1.0, 3: 1.0}, 3: {2: 1.0}}   # a row of 4 unit squares
>>> partition(np.ones(4), adj, 2, areas=np.ones(4), perimeters=np.full(4, 4.0)).tolist()
[0, 0, 1, 1]
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from ..messages import bi

__all__ = ["partition", "PartitionError", "components", "METHODS"]

METHODS = ("auto", "grow", "metis")

# workload deviation from the mean beyond which the local search pays BAND_WEIGHT times more
BAND = 0.08
BAND_WEIGHT = 30.0


class PartitionError(ValueError):
    """The blocks cannot be divided as asked (fewer blocks or more pieces than regions)."""


def components(n: int, adj: dict) -> list[list[int]]:
    """Connected components of the block graph (each sorted), largest first.

    >>> components(4, {0: {1: 1}, 1: {0: 1}, 2: {}, 3: {}})
    [[0, 1], [2], [3]]
    """
    seen = np.zeros(n, dtype=bool)
    out = []
    for s in range(n):
        if seen[s]:
            continue
        stack, comp = [s], []
        seen[s] = True
        while stack:
            u = stack.pop()
            comp.append(u)
            for v in adj.get(u, {}):
                if not seen[v]:
                    seen[v] = True
                    stack.append(v)
        out.append(sorted(comp))
    return sorted(out, key=lambda c: (-len(c), c[0]))


class _State:
    """Labels with per-region sums, kept up to date by :meth:`move`."""

    def __init__(self, labels, k, w, areas, perims, adj, alpha, min_area, max_area):
        self.labels = np.asarray(labels, dtype=np.int64).copy()
        self.k = k
        self.w, self.areas, self.perims, self.adj = w, areas, perims, adj
        self.alpha, self.min_area, self.max_area = alpha, min_area, max_area
        self.mu = float(w.sum()) / k if k else 1.0
        self.W = np.bincount(self.labels, weights=w, minlength=k).astype(float)
        self.A = np.bincount(self.labels, weights=areas, minlength=k).astype(float)
        self.P = np.bincount(self.labels, weights=perims, minlength=k).astype(float)
        self.size = np.bincount(self.labels, minlength=k)
        for i, nbs in adj.items():
            for j, ln in nbs.items():
                if i < j and self.labels[i] == self.labels[j]:
                    self.P[self.labels[i]] -= 2 * ln
        self.members = [set() for _ in range(k)]
        for i, r in enumerate(self.labels.tolist()):
            self.members[r].add(i)

    def region_cost(self, W, A, P) -> float:
        mu = self.mu or 1.0
        d = (W - mu) / mu
        c = d * d
        # deviations beyond the band cost much more: the squared sum alone lets a few regions
        # stay 10–11 % off while the others are close (measured on the benchmark city)
        over = abs(d) - BAND
        if over > 0:
            c += BAND_WEIGHT * over * over
        pp = 4 * math.pi * A / max(P, 1e-9) ** 2 if A > 0 else 0.0
        c += self.alpha * (1 - min(pp, 1.0)) ** 2
        if self.min_area > 0 and A < self.min_area:
            c += 10 * ((self.min_area - A) / self.min_area) ** 2
        if self.max_area > 0 and A > self.max_area:
            c += 10 * ((A - self.max_area) / self.max_area) ** 2
        return c

    def shared_with(self, i, r) -> float:
        return sum(ln for j, ln in self.adj[i].items() if self.labels[j] == r)

    def delta(self, i, b) -> float:
        a = self.labels[i]
        sa, sb = self.shared_with(i, a), self.shared_with(i, b)
        wa, aa, pa = self.W[a] - self.w[i], self.A[a] - self.areas[i], self.P[a] - self.perims[i] + 2 * sa
        wb, ab, pb = self.W[b] + self.w[i], self.A[b] + self.areas[i], self.P[b] + self.perims[i] - 2 * sb
        before = self.region_cost(self.W[a], self.A[a], self.P[a]) + self.region_cost(self.W[b], self.A[b], self.P[b])
        return self.region_cost(wa, aa, pa) + self.region_cost(wb, ab, pb) - before

    def move(self, i, b) -> None:
        a = int(self.labels[i])
        sa, sb = self.shared_with(i, a), self.shared_with(i, b)
        self.W[a] -= self.w[i]; self.A[a] -= self.areas[i]; self.P[a] += -self.perims[i] + 2 * sa
        self.W[b] += self.w[i]; self.A[b] += self.areas[i]; self.P[b] += self.perims[i] - 2 * sb
        self.size[a] -= 1; self.size[b] += 1
        self.members[a].discard(i); self.members[b].add(i)
        self.labels[i] = b

    def stays_connected(self, i) -> bool:
        """Whether region of ``i`` is still one piece without ``i``."""
        r = self.labels[i]
        rest = self.members[r] - {i}
        if not rest:
            return False
        start = next(iter(rest))
        seen, stack = {start}, [start]
        while stack:
            u = stack.pop()
            for v in self.adj[u]:
                if v in rest and v not in seen:
                    seen.add(v)
                    stack.append(v)
        return len(seen) == len(rest)

    def cost(self) -> float:
        return sum(self.region_cost(self.W[r], self.A[r], self.P[r]) for r in range(self.k))


def _grow(n, k, w, areas, perims, adj) -> np.ndarray:
    """Agglomerative start: merge the adjacent pair with the smallest merged workload
    (then the more compact result) until k regions are left."""
    mu = float(w.sum()) / k
    rid = list(range(n))           # region of each block (union-find root)
    W = w.astype(float).copy(); A = areas.astype(float).copy(); P = perims.astype(float).copy()
    nb = {i: dict(adj[i]) for i in range(n)}
    version = [0] * n
    alive = set(range(n))

    def score(a, b):
        ln = nb[a][b]
        pp = 4 * math.pi * (A[a] + A[b]) / max(P[a] + P[b] - 2 * ln, 1e-9) ** 2
        return ((W[a] + W[b]) / mu) + 0.25 * (1 - min(pp, 1.0))

    heap = [(score(a, b), a, b, 0, 0) for a in range(n) for b in nb[a] if a < b]
    heapq.heapify(heap)
    while len(alive) > k and heap:
        _, a, b, va, vb = heapq.heappop(heap)
        if a not in alive or b not in alive or version[a] != va or version[b] != vb:
            continue
        ln = nb[a].pop(b)
        del nb[b][a]
        W[a] += W[b]; A[a] += A[b]; P[a] += P[b] - 2 * ln
        for c, l2 in nb.pop(b).items():
            del nb[c][b]
            nb[a][c] = nb[a].get(c, 0.0) + l2
            nb[c][a] = nb[a][c]
        alive.discard(b)
        rid[b] = a
        version[a] += 1
        for c in nb[a]:
            x, y = (a, c) if a < c else (c, a)
            heapq.heappush(heap, (score(x, y), x, y, version[x], version[y]))
    if len(alive) > k:
        raise PartitionError(bi(f"街区分成 {len(alive)} 片互不相连的区域，多于要划分的 {k} 个网格",
                                f"the blocks fall into {len(alive)} separate pieces, more than the {k} grids requested"))

    def root(i):
        while rid[i] != i:
            rid[i] = rid[rid[i]]
            i = rid[i]
        return i

    roots = sorted(alive)
    index = {r: j for j, r in enumerate(roots)}
    return np.asarray([index[root(i)] for i in range(n)], dtype=np.int64)


def _has_pymetis() -> bool:
    try:
        import pymetis  # noqa: F401
    except ImportError:
        return False
    return True


METIS_SEED = 17


def _metis(n, k, w, adj) -> np.ndarray:
    import pymetis

    xadj, adjncy, eweights = [0], [], []
    for i in range(n):
        for j, ln in sorted(adj[i].items()):
            adjncy.append(j)
            eweights.append(max(1, int(round(ln))))
        xadj.append(len(adjncy))
    scale = 1000.0 / max(float(w.max()), 1e-12)
    vweights = [max(1, int(round(x * scale))) for x in w]
    # METIS's own random choices (matching, initial partition, refinement order) from a fixed seed:
    # the same blocks give the same partition on every run (tests/test_proposals.py checks it)
    options = pymetis.Options(seed=METIS_SEED)
    if hasattr(pymetis, "CSRAdjacency"):
        _, parts = pymetis.part_graph(k, adjacency=pymetis.CSRAdjacency(xadj, adjncy), vweights=vweights,
                                      eweights=eweights, options=options)
    else:  # pymetis < 2025
        _, parts = pymetis.part_graph(k, xadj=xadj, adjncy=adjncy, vweights=vweights, eweights=eweights,
                                      options=options)
    return np.asarray(parts, dtype=np.int64)


def _pieces(idx, adj, labels, r) -> list[list[int]]:
    """The connected pieces of region ``r`` (its blocks ``idx``), each sorted (a walk
    over the region's own blocks only: was the whole graph once per region)."""
    seen, out = set(), []
    for s in idx:
        if s in seen:
            continue
        seen.add(s)
        stack, comp = [s], []
        while stack:
            u = stack.pop()
            comp.append(u)
            for v in adj[u]:
                if v not in seen and labels[v] == r:
                    seen.add(v)
                    stack.append(v)
        out.append(sorted(comp))
    return out


def _repair(labels, k, w, adj) -> np.ndarray:
    """Every region one piece and none empty: a region's smaller pieces go to the lightest
    neighbouring region; an empty region takes a block off the heaviest region (one whose
    removal keeps that region in one piece)."""
    labels = labels.copy()
    for r in range(k):
        idx = np.flatnonzero(labels == r).tolist()
        if len(idx) < 2:
            continue
        comps = sorted(_pieces(idx, adj, labels, r), key=lambda c: (-w[c].sum(), c[0]))
        for piece in comps[1:]:
            W = np.bincount(labels, weights=w, minlength=k)
            nbr = {int(labels[j]) for i in piece for j in adj[i] if labels[j] != r}
            if nbr:
                labels[piece] = min(nbr, key=lambda q: (W[q], q))
    for r in range(k):
        if (labels == r).any():
            continue
        W = np.bincount(labels, weights=w, minlength=k)
        for heavy in np.argsort(-W, kind="stable"):
            cand = np.flatnonzero(labels == heavy)
            if len(cand) < 2:
                continue
            state = {int(x) for x in cand}
            best = None
            for i in sorted(cand.tolist(), key=lambda x: -w[x]):
                rest = state - {i}
                start = next(iter(rest))
                seen, stack = {start}, [start]
                while stack:
                    u = stack.pop()
                    for v in adj[u]:
                        if v in rest and v not in seen:
                            seen.add(v)
                            stack.append(v)
                if len(seen) == len(rest):
                    best = i
                    break
            if best is not None:
                labels[best] = r
                break
    return labels


def partition(weights, adj: dict, k: int, areas=None, perimeters=None, method: str = "auto",
              alpha: float = 0.1, min_area: float = 0.0, max_area: float = 0.0, max_passes: int = 200) -> np.ndarray:
    """Region label (0…k−1) of every block: contiguous, non-empty, workload balanced.

    ``adj``: {block: {neighbour: shared edge length}} (edges not to be crossed left out);
    ``areas``/``perimeters`` of the blocks (for compactness and the area bounds).
    """
    w = np.asarray(weights, dtype=float)
    n = len(w)
    areas = np.ones(n) if areas is None else np.asarray(areas, dtype=float)
    perims = np.full(n, 4.0) if perimeters is None else np.asarray(perimeters, dtype=float)
    adj = {i: dict(adj.get(i, {})) for i in range(n)}
    if k < 1:
        raise PartitionError(bi("网格数必须至少为 1", "the number of grids must be at least 1"))
    if n < k:
        raise PartitionError(bi(f"只有 {n} 个街区，少于要划分的 {k} 个网格（每个网格至少一个街区）",
                                f"only {n} blocks, fewer than the {k} grids requested (each grid needs a block)"))
    pieces = components(n, adj)
    if len(pieces) > k:
        raise PartitionError(bi(f"街区分成 {len(pieces)} 片互不相连的区域，多于要划分的 {k} 个网格",
                                f"the blocks fall into {len(pieces)} separate pieces, more than the {k} grids requested"))
    if method not in METHODS:
        raise PartitionError(bi(f"未知的划分方法 {method}", f"unknown partition method {method}")
                             + f" ({', '.join(METHODS)})")
    if method == "auto":   # measured (benchmarks/bench_propose.py): METIS is better from ~10 blocks a grid
        method = "metis" if n >= 10 * k and _has_pymetis() else "grow"
    if method == "metis" and k > 1:
        labels = _repair(_metis(n, k, w, adj), k, w, adj)
    else:
        labels = _grow(n, k, w, areas, perims, adj)
    state = _State(labels, k, w, areas, perims, adj, alpha, min_area, max_area)
    _local_search(state, max_passes)
    return state.labels


def _local_search(state: _State, max_passes: int) -> None:
    n = len(state.labels)
    for _ in range(max_passes):
        improved = False
        for i in range(n):
            a = state.labels[i]
            targets = {int(state.labels[j]) for j in state.adj[i]} - {int(a)}
            if not targets or state.size[a] < 2:
                continue
            best, best_d = None, -1e-12
            for b in sorted(targets):
                d = state.delta(i, b)
                if d < best_d:
                    best, best_d = b, d
            if best is not None and state.stays_connected(i):
                state.move(i, best)
                improved = True
        if not improved:
            break
