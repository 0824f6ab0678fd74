"""The largest bundle workbook an upload may hold, read by calamine and by openpyxl.

A bundle sheet may hold ``bundle.MAX_XLSX_ROWS`` (50,000) rows. Two workbooks of that
size are read with ``read_bundle`` (the streamed pre-scan, then the reader, then parsing
each cell against ``columns.SPECS``), each in a fresh subprocess, alternately with the
current reader (calamine) and with the baseline: the openpyxl read-only reader that
``bundle`` used before, measured in the same run (it is kept below, not in ``src``):

- ``parts``: 49,999 parts in the 13 columns of the parts sheet, as ``write_bundle``
  writes them (shared strings, numbers, a percentage-formatted column would be the same);
- ``parties-inline``: 49,999 rows of 3 inline-string cells (``bench_hostile_files``'s
  ``xlsx_max_rows`` case).

``--preview`` times what the web import page does instead (``uploads.check_bundle``:
read, validate and diff against an empty SQLite workspace).

Prints wall time, CPU time (``resource.getrusage``: user + system of the worker, which
the machine's load inflates less than wall time) and peak RSS, with the load average.

    .venv/bin/python benchmarks/bench_bundle_xlsx.py [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from raretrace.domain.network import Network
from raretrace.domain.parts import Form, MagnetType, Part, PartKind
from raretrace.services.formats.bundle import MAX_XLSX_ROWS, write_bundle

ROWS = MAX_XLSX_ROWS - 1  # and the header row

OPENPYXL_SOURCES = r'''
def openpyxl_sources(file):
    """bundle._xlsx_sources as it was before calamine (openpyxl, read-only)."""
    import openpyxl
    from raretrace.errors import Problem
    from raretrace.domain.network import TABLES
    from raretrace.services.formats import bundle as b
    from raretrace.services.formats.file_bounds import scan_xlsx

    log = []
    scan = scan_xlsx(file, str(file), log, sheets=TABLES, max_rows=b.MAX_XLSX_ROWS)
    if scan is None:
        yield "parties", str(file), log[0]
        return
    book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        for table in TABLES:
            if table in names:
                sheet = book[names[table]]
                yield table, f"{file} [sheet {names[table]}]", rows(sheet.iter_rows(), b)
    finally:
        book.close()


def rows(sheet_rows, b):
    for row in sheet_rows:
        index = 0
        cells = []
        for c in row:
            index = getattr(c, "row", None) or index
            v = getattr(c, "value", None)
            if v is None:
                cells.append("")
                continue
            numeric = isinstance(v, (int, float)) and not isinstance(v, bool)
            text = repr(v) if isinstance(v, float) else str(v)
            if numeric and "%" in (getattr(c, "number_format", "") or ""):
                cells.append(b.PercentText(text))
                continue
            cells.append(text)
        if not any(c.strip() for c in cells) or not index:
            continue
        yield index, cells
'''

WORKER = (
    r"""
import json, resource, sys, time
from pathlib import Path
from raretrace.services.formats import bundle
reader, path = sys.argv[1], Path(sys.argv[2])
"""
    + OPENPYXL_SOURCES
    + r"""
if reader == "openpyxl":
    bundle.xlsx_sources = openpyxl_sources
records = 0
if sys.argv[3] == "preview":  # what the web import page does: check against a workspace
    import tempfile
    from raretrace.domain.clock import FixedClock
    from raretrace.services.formats.uploads import check_bundle
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace
    db = Path(tempfile.mkdtemp()) / "ws.db"
    ws = Workspace.open(Settings(database_url=f"sqlite:///{db}"), clock=FixedClock())
    t = time.perf_counter()
    with ws._uow() as uow:
        checked = check_bundle(uow, path, replace=False)
    assert checked.ok, checked.problems[:3]
    records = sum(checked.rows.values())
else:
    t = time.perf_counter()
    records = sum(bundle.read_bundle(path).network.counts().values())
seconds = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "cpu": use.ru_utime + use.ru_stime,
                  "peak_mb": use.ru_maxrss / 1024, "records": records}))
"""
)


def parts_workbook(folder: Path) -> Path:
    net = Network()
    net.parts.extend(
        Part(
            f"P{i:07d}",
            f"Part number {i} of the big bill",
            PartKind.COMPONENT if i % 3 else PartKind.MAGNET,
            "ea",
            0.001 * (i % 997 + 1),
            Decimal(f"{i % 5000}.25"),
            "USD",
            "850511",
            Form.MAGNET if i % 3 == 0 else Form.OTHER,
            MagnetType.NDFEB if i % 3 == 0 else MagnetType.NONE,
            "",
            "supplier list 2026",
        )
        for i in range(ROWS)
    )
    return write_bundle(net, folder / "parts.xlsx")[0]


def parties_inline_workbook(folder: Path) -> Path:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_hostile_files import _rows, _xlsx

    return _xlsx(folder / "parties.xlsx", lambda fh: _rows(fh, ROWS))


def measure(reader: str, path: Path, what: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, reader, str(path), what],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{reader} on {path.name} failed:\n{out.stderr[-2000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--preview",
        action="store_true",
        help="time the web import preview (read + validate + diff against an empty "
        "SQLite workspace) instead of the read alone",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = {
            "parts": parts_workbook(folder),
            "parties-inline": parties_inline_workbook(folder),
        }
        head = f"{'workbook':16} {'MB':>5} {'reader':9} {'wall s':>7} {'CPU s':>6} {'MB peak':>8}"
        print(head + "  load")
        for _ in range(args.rounds):
            for name, path in books.items():
                for reader in ("openpyxl", "calamine"):
                    r = measure(reader, path, "preview" if args.preview else "read")
                    load = os.getloadavg()[0]
                    print(
                        f"{name:16} {path.stat().st_size / 2**20:5.1f} {reader:9} "
                        f"{r['seconds']:7.2f} {r['cpu']:6.2f} {r['peak_mb']:8.0f}  {load:.1f}"
                        f"   ({r['records']:,.0f} records)"
                    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
