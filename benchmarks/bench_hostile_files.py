"""Hostile supplier files against every reader: time and peak memory per file.

Each case is a file an attacker (or a careless supplier) could send within the web
upload limit (20 MiB on disk): zip bombs, a 5 M-cell header row, a sheet of 3 M rows,
one 20 MB cell, an unterminated quote, a million duplicate rows, a 16 MiB IPC-1752A
file. Each is read in a fresh subprocess; we print wall time and peak resident memory
(``ru_maxrss``) next to a baseline measured in the same run (the same subprocess
reading a small valid file), and the target: <= 10 s and <= 500 MB.

Run: ``.venv/bin/python benchmarks/bench_hostile_files.py`` (``--only NAME`` for one
case; ``--check-memory`` exits 1 when a case exceeds 500 MB: the marked test
``tests/services/test_hostile_file_bounds.py`` uses it and asserts on memory only).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

MB = 1024 * 1024
LIMIT_MB = 500
LIMIT_S = 10.0
SHEET_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'

PARTIES = "party_id,name,country,roles,military_end_user,owner_party_id,ownership_pct\n"


# --------------------------------------------------------------------------- files


def _bundle_csv(folder: Path, body: Callable[[IO[Any]], Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "parties.csv").open("w", encoding="utf-8") as fh:
        fh.write(PARTIES)
        body(fh)
    return folder


def csv_duplicates(tmp: Path) -> tuple[str, Path]:
    line = "MAG,Again,JP,,,,\n"
    n = 19 * MB // len(line)
    return "bundle", _bundle_csv(tmp / "dupes", lambda fh: fh.write(line * n))


def csv_one_cell(tmp: Path) -> tuple[str, Path]:
    return "bundle", _bundle_csv(tmp / "cell", lambda fh: fh.write("X," + "y" * (19 * MB)))


def csv_unterminated_quote(tmp: Path) -> tuple[str, Path]:
    text = 'X,"never closed\n' + ("a,b,c\n" * (3 * MB))
    return "bundle", _bundle_csv(tmp / "quote", lambda fh: fh.write(text))


def _xlsx(path: Path, sheet_xml: Callable[[IO[Any]], Any], name: str = "parties") -> Path:
    """A minimal workbook with one sheet whose XML is streamed by ``sheet_xml``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml'
            '/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(SHEET_NS + b"<sheetData>")
            sheet_xml(fh)
            fh.write(b"</sheetData></worksheet>")
    return path


def xlsx_bomb(tmp: Path) -> tuple[str, Path]:
    pad = b" " * MB

    def body(fh: IO[Any]) -> None:
        for _ in range(300):
            fh.write(pad)

    return "bundle", _xlsx(tmp / "bomb.xlsx", body)


def xlsx_wide_header(tmp: Path) -> tuple[str, Path]:
    def body(fh: IO[Any]) -> None:
        fh.write(b'<row r="1">')
        for _ in range(50):
            fh.write(b"<c/>" * 100_000)
        fh.write(b"</row>")

    return "bundle", _xlsx(tmp / "wide.xlsx", body)


def _rows(fh: IO[Any], n: int) -> None:
    head = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>party_id</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>country</t></is></c></row>'
    )
    fh.write(head)
    for start in range(2, n + 2, 10_000):
        fh.write(
            b"".join(
                b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>P%d</t></is></c>'
                b'<c r="B%d" t="inlineStr"><is><t>Party</t></is></c>'
                b'<c r="C%d" t="inlineStr"><is><t>CN</t></is></c></row>' % (i, i, i, i, i)
                for i in range(start, min(start + 10_000, n + 2))
            )
        )


def xlsx_max_rows(tmp: Path) -> tuple[str, Path]:
    """The most rows a bundle workbook sheet may hold (bundle.MAX_XLSX_ROWS)."""
    return "bundle", _xlsx(tmp / "rows.xlsx", lambda fh: _rows(fh, 49_999))


def xlsx_far_corner(tmp: Path) -> tuple[str, Path]:
    """One value in A1 and one in XFD49999: a reader that builds the sheet's rectangle
    (calamine) would need 819 M cells."""

    def body(fh: IO[Any]) -> None:
        fh.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>party_id</t></is></c></row>')
        fh.write(b'<row r="49999"><c r="XFD49999"><v>1</v></c></row>')

    return "bundle", _xlsx(tmp / "corner.xlsx", body)


def xlsx_too_many_rows(tmp: Path) -> tuple[str, Path]:
    return "bundle", _xlsx(tmp / "3m.xlsx", lambda fh: _rows(fh, 3_000_000))


def survey_3m_rows(tmp: Path) -> tuple[str, Path]:
    return "survey", _xlsx(tmp / "survey3m.xlsx", lambda fh: _rows(fh, 3_000_000), "Parts")


def ipc_big(tmp: Path) -> tuple[str, Path]:
    ns = "http://webstds.ipc.org/175x/2.0"
    sub = (
        '<SubProduct unitType="Each" numberOfInstances="1"><ProductID itemNumber="P{i}">'
        '<Amount value="1" UOM="g"/></ProductID></SubProduct>'
    )
    path = tmp / "big.xml"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'<MainDeclaration xmlns="{ns}" version="2.0"><Product><ProductID itemNumber="T">')
        fh.write('<Amount value="1" UOM="g"/></ProductID>')
        i = 0
        while fh.tell() < 15 * MB:
            fh.write("".join(sub.format(i=i + k) for k in range(1000)))
            i += 1000
        fh.write("</Product></MainDeclaration>")
    return "ipc", path


def ipc_tiny(tmp: Path) -> tuple[str, Path]:
    """15 MB of the smallest elements lxml can be made to build."""
    path = tmp / "tiny.xml"
    ns = "http://webstds.ipc.org/175x/2.0"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'<MainDeclaration xmlns="{ns}">')
        fh.write("<a/>" * (15 * MB // 4))
        fh.write("</MainDeclaration>")
    return "ipc", path


def list_bad_rows(tmp: Path) -> tuple[str, Path]:
    path = tmp / "list.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,country,colour\n")
        fh.write(",CN,red\n" * (19 * MB // 8))
    return "list", path


def valid_small(tmp: Path) -> tuple[str, Path]:
    return "bundle", _bundle_csv(tmp / "ok", lambda fh: fh.write("MAG,Magnet,JP,,,,\n"))


CASES: dict[str, Callable[[Path], tuple[str, Path]]] = {
    "csv_duplicates": csv_duplicates,
    "csv_one_cell": csv_one_cell,
    "csv_unterminated_quote": csv_unterminated_quote,
    "xlsx_bomb": xlsx_bomb,
    "xlsx_wide_header": xlsx_wide_header,
    "xlsx_too_many_rows": xlsx_too_many_rows,
    "xlsx_max_rows": xlsx_max_rows,
    "xlsx_far_corner": xlsx_far_corner,
    "survey_3m_rows": survey_3m_rows,
    "ipc_16mib": ipc_big,
    "ipc_tiny_elements": ipc_tiny,
    "list_bad_rows": list_bad_rows,
}

# --------------------------------------------------------------------------- worker

WORKER = r"""
import json, resource, sys, time
kind, path = sys.argv[1], sys.argv[2]
from pathlib import Path
from typing import IO, Any
from raretrace.errors import InputError
t = time.perf_counter()
outcome = "read"
problems = 0
try:
    if kind == "bundle":
        from raretrace.services.formats.bundle import read_bundle
        read_bundle(Path(path))
    elif kind == "survey":
        from raretrace.services.survey import read_workbook
        read_workbook(Path(path))
    elif kind == "ipc":
        from raretrace.services.formats.ipc1752 import read_declaration
        read_declaration(Path(path))
    elif kind == "list":
        from raretrace.domain.screening import ListFormat
        from raretrace.services.formats.party_lists import read_list
        read_list(Path(path), ListFormat.INTERNAL)
except InputError as exc:
    outcome = "refused"
    problems = len(exc.problems)
    text = str(exc)
    first = exc.problems[0].message if exc.problems else text
else:
    text = ""
    first = ""
seconds = time.perf_counter() - t
use = resource.getrusage(resource.RUSAGE_SELF)
peak = use.ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "problems": problems, "seconds": seconds,
                  "cpu": use.ru_utime + use.ru_stime, "peak_mb": peak,
                  "message_chars": len(text), "first": first[:120]}))
"""


def measure(kind: str, path: Path) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", WORKER, kind, str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if out.returncode != 0:
        return {"outcome": f"crashed rc={out.returncode}", "error": out.stderr[-500:]}
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--check-memory", action="store_true")
    args = parser.parse_args()
    names = args.only or list(CASES)
    over = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        base = measure(*valid_small(tmp))
        base_s, base_mb = float(base["seconds"]), float(base["peak_mb"])  # type: ignore[arg-type]
        print(f"baseline (valid 1-row bundle): {base_s * 1000:.1f} ms, {base_mb:.0f} MB peak")
        print(
            f"{'case':24} {'disk MB':>8} {'outcome':>9} {'s':>7} {'x base':>7} {'CPU s':>6} "
            f"{'MB peak':>8}  load"
        )
        for name in names:
            kind, path = CASES[name](tmp)
            size = sum(f.stat().st_size for f in ([path] if path.is_file() else path.iterdir()))
            r = measure(kind, path)
            if "seconds" not in r:
                print(f"{name:24} {size / MB:8.1f} {r['outcome']}: {r.get('error')}")
                over.append(name)
                continue
            s, mb = float(r["seconds"]), float(r["peak_mb"])  # type: ignore[arg-type]
            flag = "" if s <= LIMIT_S and mb <= LIMIT_MB else "  <-- over target"
            print(
                f"{name:24} {size / MB:8.1f} {r['outcome']:>9} {s:7.2f} {s / base_s:7.0f} "
                f"{float(r['cpu']):6.2f} {mb:8.0f}  {os.getloadavg()[0]:.1f}{flag}   {r['first']}"  # type: ignore[arg-type]
            )
            if mb > LIMIT_MB:
                over.append(name)
            for f in [path] if path.is_file() else list(path.iterdir()):
                f.unlink()
    if args.check_memory and over:
        print(f"over {LIMIT_MB} MB: {', '.join(over)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
