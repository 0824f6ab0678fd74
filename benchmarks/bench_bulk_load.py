"""Bulk-load a large synthetic network into a fresh SQLite (or PostgreSQL) database.

    .venv/bin/python benchmarks/bench_bulk_load.py                # 1,000,000 parts
    .venv/bin/python benchmarks/bench_bulk_load.py --parts 200000 --baseline-parts 20000
    .venv/bin/python benchmarks/bench_bulk_load.py --postgres postgresql+psycopg://...

Prints rows/s per table, the seconds for parts + BOM lines and for the whole network,
and the speed-up over the path a user would otherwise take: SQLAlchemy ORM
``session.add_all`` of row objects, measured in the same run on a smaller network and
extrapolated linearly to the same number of rows.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from raretrace.analytics.synth import TIERS, SynthNetwork, format_ids
from raretrace.domain.clock import FixedClock
from raretrace.services.network.synth import load_into, synthesise
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.migrate import upgrade
from raretrace.storage.sql.tables import BomRow, PartRow
from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory


class Timer:
    """A ``progress`` callback that records when each table started and finished."""

    def __init__(self) -> None:
        self.start: dict[str, float] = {}
        self.end: dict[str, float] = {}

    def __call__(self, table: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == 0:
            self.start[table] = now
        if done == total:
            self.end[table] = now

    def seconds(self, table: str, stop: float) -> float:
        """From the table's first row to ``stop`` (the next table's start, or the end of
        the load), so that the index rebuild after its last row is counted."""
        return stop - self.start[table]


def fast_load(engine: Engine, synth: SynthNetwork) -> tuple[dict[str, float], float, float]:
    """Seconds per table, seconds for the whole load, seconds of the commit."""
    uows = SqlUnitOfWorkFactory(engine, clock=FixedClock())
    timer = Timer()
    t0 = time.perf_counter()
    with uows(bulk_load=True) as uow:
        report = load_into(uow, synth, timer)
        t_commit = time.perf_counter()  # the load is done; the commit follows
    total = time.perf_counter() - t0
    tables = list(report.rows)
    per_table = {
        t: timer.seconds(t, timer.start[tables[i + 1]] if i + 1 < len(tables) else t_commit)
        for i, t in enumerate(tables)
    }
    return per_table, total, time.perf_counter() - t_commit


def orm_baseline(engine: Engine, synth: SynthNetwork) -> tuple[int, float]:
    """Parts and BOM lines through ``Session.add_all``: (rows, seconds incl. commit)."""
    ids = format_ids("P", synth.n_parts)
    labels = [t.label for t in TIERS]
    t0 = time.perf_counter()
    with Session(engine) as session:
        session.add_all(
            PartRow(
                part_id=ids[i],
                name=f"{labels[lv]} {ids[i]}",
                kind="component",
                uom="ea",
                mass_kg=float(m),
                unit_value=None,
                currency=None,
                hs_code="",
                form="other",
                magnet_type="none",
                notes="",
                source="",
            )
            for i, (lv, m) in enumerate(
                zip(synth.part_level.tolist(), synth.part_mass_kg.tolist(), strict=True)
            )
        )
        session.add_all(
            BomRow(parent_part_id=ids[p], child_part_id=ids[c], quantity=q)
            for p, c, q in zip(
                synth.bom_parent.tolist(),
                synth.bom_child.tolist(),
                synth.bom_quantity.tolist(),
                strict=True,
            )
        )
        session.commit()
    rows = synth.n_parts + int(synth.bom_parent.shape[0])
    return rows, time.perf_counter() - t0


def fresh_sqlite(folder: Path, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade(engine)
    return engine


def fresh_postgres(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        counts = [
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("parts", "bom_lines")
        ]
    if any(counts):
        raise SystemExit(f"{url}: the database is not empty; give a fresh one")
    return engine


def run(label: str, make: Callable[[], Engine], synth: SynthNetwork, base_rate: float) -> None:
    engine = make()
    per_table, total, commit = fast_load(engine, synth)
    engine.dispose()
    counts = synth.counts()
    print(f"\n[{label}] bulk load (load_into -> bulk_insert_rows)")
    for table, secs in per_table.items():
        rate = counts[table] / secs
        print(f"  {table:<12} {counts[table]:>10,} rows {secs:7.2f} s {rate:>11,.0f} rows/s")
    pb_rows = counts["parts"] + counts["bom"]
    pb_secs = per_table["parts"] + per_table["bom"]
    all_rows = sum(counts.values())
    print(f"  commit       {commit:7.2f} s")
    print(f"  parts + BOM  {pb_rows:>10,} rows {pb_secs:7.2f} s {pb_rows / pb_secs:>11,.0f} rows/s")
    print(f"  whole load   {all_rows:>10,} rows {total:7.2f} s {all_rows / total:>11,.0f} rows/s")
    est = pb_rows / base_rate
    print(
        f"  ORM add_all would take ~{est:,.0f} s for the parts + BOM lines: "
        f"bulk load is {est / pb_secs:,.1f}x faster"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parts", type=float, default=1e6, help="parts to generate (1e6)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--baseline-parts", type=float, default=5e4, help="ORM baseline size")
    ap.add_argument("--postgres", metavar="URL", help="also load into this empty database")
    ap.add_argument("--dir", type=Path, help="folder for the SQLite files (a temp folder)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    synth = synthesise(int(args.parts), seed=args.seed)
    gen = time.perf_counter() - t0
    counts = synth.counts()
    print(
        f"generated {int(args.parts):,} parts in {gen:.2f} s: "
        + ", ".join(f"{t} {n:,}" for t, n in counts.items())
    )

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        small = synthesise(int(args.baseline_parts), seed=args.seed)
        engine = fresh_sqlite(folder, "baseline.db")
        rows, secs = orm_baseline(engine, small)
        engine.dispose()
        base_rate = rows / secs
        print(
            f"\n[baseline] ORM session.add_all: {small.n_parts:,} parts + "
            f"{small.counts()['bom']:,} BOM lines = {rows:,} rows in {secs:.2f} s "
            f"({base_rate:,.0f} rows/s)"
        )
        run("sqlite", lambda: fresh_sqlite(folder, "bulk.db"), synth, base_rate)
        size = (folder / "bulk.db").stat().st_size / 2**20
        print(f"  database file {size:,.0f} MiB")
    if args.postgres:
        run("postgresql", lambda: fresh_postgres(args.postgres), synth, base_rate)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory (max RSS) {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
