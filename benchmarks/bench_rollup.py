"""Full rollup: raretrace vs a networkx topological traversal vs a DuckDB recursive CTE.

    .venv/bin/python benchmarks/bench_rollup.py 10000 100000 [--no-baselines]

Same synthetic network (``analytics.synth``), same process; checks agreement (max
relative error) and prints times, peak memory (tracemalloc) and ratios.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace

import duckdb
import networkx as nx
import numpy as np
from common import arrays_from_synth, peak_mb, rel_err, row, timed

from raretrace.analytics.matrices import CompiledNetwork, NetworkArrays, compile_network
from raretrace.analytics.rollup import rollup
from raretrace.services.synth import synthesise


def edges(c: CompiledNetwork) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = np.repeat(np.arange(c.n_nodes), np.diff(c.fwd_indptr))
    return rows, c.fwd_indices.astype(np.int64), c.fwd_data


def leaf_kg(c: CompiledNetwork) -> np.ndarray:
    out = np.zeros((len(c.net.part_ids), len(c.net.elements)))
    np.add.at(out, (c.net.comp_part, c.net.comp_element),
              c.net.comp_fraction * c.net.part_mass_kg[c.net.comp_part])  # fmt: skip
    out[c.part_has_bom] = 0
    return out[c.node_part]


def networkx_rollup(c: CompiledNetwork) -> np.ndarray:
    g = nx.DiGraph()
    g.add_nodes_from(range(c.n_nodes))
    r, k, w = edges(c)
    g.add_weighted_edges_from(zip(k.tolist(), r.tolist(), w.tolist(), strict=True))
    x = leaf_kg(c)
    for n in nx.topological_sort(g):
        for _, parent, data in g.out_edges(n, data=True):
            x[parent] += data["weight"] * x[n]
    return x


def duckdb_rollup(c: CompiledNetwork) -> np.ndarray:
    con = duckdb.connect()
    r, k, w = edges(c)
    con.register("edges", {"parent": r, "child": k, "w": w})
    lk = leaf_kg(c)
    leaf = np.flatnonzero(lk.sum(axis=1) > 0)
    li, le = np.nonzero(lk[leaf])
    con.register("leaf", {"node": leaf[li], "el": le, "kg": lk[leaf][li, le]})
    # explode every path from each node to the leaves (a bill explosion), then sum
    sql = """
    WITH RECURSIVE paths(top, node, qty) AS (
        SELECT parent, child, w FROM edges
        UNION ALL
        SELECT p.top, e.child, p.qty * e.w FROM paths p JOIN edges e ON e.parent = p.node
    )
    SELECT top, el, SUM(qty * kg) FROM paths JOIN leaf ON leaf.node = paths.node GROUP BY 1, 2
    """
    out = lk.copy()
    top, el, kg = (np.asarray(a) for a in zip(*con.execute(sql).fetchall(), strict=True))
    out[top.astype(np.int64), el.astype(np.int64)] += kg
    return out


def bom_only(net: NetworkArrays) -> NetworkArrays:
    """``net`` without the declared compositions of parts that have BOM lines.

    raretrace keeps at least the declared content of such a part (the residual above
    its BOM enters there, a per-node max); a bill explosion by recursive CTE cannot
    express that, so the side-by-side comparison is on the pure BOM rollup.
    """
    has_bom = np.zeros(len(net.part_ids), bool)
    has_bom[net.bom_parent] = True
    keep = ~has_bom[net.comp_part]
    return replace(
        net,
        comp_part=net.comp_part[keep],
        comp_element=net.comp_element[keep],
        comp_fraction=net.comp_fraction[keep],
    )


def main(sizes: list[int], baselines: bool) -> None:
    for n in sizes:
        full = arrays_from_synth(synthesise(n, seed=42))
        c_full = compile_network(full)
        rollup(c_full, parallel=False)
        r_full, t_full = timed(lambda c=c_full: rollup(c, parallel=False), repeat=5)
        _, t_full_par = timed(lambda c=c_full: rollup(c, parallel=True), repeat=5)
        print(f"\n{n:,} parts as generated: {len(r_full.residual_node):,} nodes declare more "
              f"than their BOM explains; rollup {t_full:.4f} s (1 thread), "
              f"{t_full_par:.4f} s (prange)")  # fmt: skip
        del c_full, r_full
        net = bom_only(full)
        c, t_compile = timed(lambda net=net: compile_network(net), repeat=1)
        rollup(c, parallel=False), rollup(c, parallel=True)  # load the kernels
        ours, t_ours = timed(lambda c=c: rollup(c, parallel=False).content_kg, repeat=5)
        par, t_par = timed(lambda c=c: rollup(c, parallel=True).content_kg, repeat=5)
        assert np.array_equal(ours, par), "parallel rollup differs"
        mem = peak_mb(lambda c=c: rollup(c))
        print(f"{n:,} parts, BOM only: {c.n_nodes:,} nodes, {c.nnz:,} edges, {c.n_levels} levels, "
              f"{len(net.elements)} elements; compile {t_compile:.2f} s")  # fmt: skip
        print(row("engine", "time s", "peak MB", "rel err"))
        print(row("raretrace (1 thread)", f"{t_ours:.4f}", f"{mem:.0f}", "-"))
        print(row("raretrace (prange, all threads)", f"{t_par:.4f}", "", "identical"))
        print(f"load average {os.getloadavg()[0]:.1f}")
        if not baselines:
            continue
        for name, fn in (("networkx topological", networkx_rollup),
                         ("duckdb recursive CTE", duckdb_rollup)):  # fmt: skip
            other, t = timed(lambda fn=fn, c=c: fn(c), repeat=1)
            m = peak_mb(lambda fn=fn, c=c: fn(c)) if n <= 20_000 else float("nan")
            err = rel_err(np.asarray(ours), other)
            print(row(name, f"{t:.3f}", f"{m:.0f}", f"{err:.1e}"), f"x{t / t_ours:,.0f} slower")
            assert err < 1e-9, f"{name} disagrees: {err}"


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main([int(a) for a in args] or [10_000], "--no-baselines" not in sys.argv)
