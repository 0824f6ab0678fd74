"""Import a 10,000-part IPC-1752A Class D declaration; print the rate against a baseline.

Baseline (same run, same file): parsing alone with the stdlib ``xml.etree`` and no
validation, i.e. the floor any importer pays. Run: ``.venv/bin/python benchmarks/bench_ipc1752.py``.
"""

from __future__ import annotations

import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from raretrace.settings import Settings
from raretrace.workspace import Workspace

NS = "http://webstds.ipc.org/175x/2.0"
N = 10_000


def substance(name: str, cas: str, pct: float) -> str:
    return (
        f'<Substance name="{name}"><SubstanceID identity="{cas}" authority="CAS"/>'
        f'<Amount value="{pct}" UOM="massPercent"/></Substance>'
    )


def build(n: int) -> str:
    magnet = "".join(substance(*s) for s in (("Nd", "7440-00-8", 25), ("Pr", "7440-10-0", 6),
                                              ("Dy", "7429-91-6", 4), ("Fe", "7439-89-6", 64),
                                              ("B", "7440-42-8", 1)))  # fmt: skip
    steel = substance("Fe", "7439-89-6", 99) + substance("C", "7440-44-0", 1)
    subs = []
    for i in range(n):
        subs.append(
            '<SubProduct unitType="Each" numberOfInstances="2">'
            f'<ProductID itemNumber="MAG-{i:05d}" '
            f'itemName="Magnet {i}"><Amount value="10" UOM="g"/></ProductID><MaterialInfo>'
            '<HomogeneousMaterialList><HomogeneousMaterial name="NdFeB">'
            '<Amount value="8" UOM="g"/>'
            f"<SubstanceCategoryList><SubstanceCategory>{magnet}</SubstanceCategory></SubstanceCategoryList>"
            f'</HomogeneousMaterial><HomogeneousMaterial name="Steel"><Amount value="2" UOM="g"/>'
            f"<SubstanceCategoryList><SubstanceCategory>{steel}</SubstanceCategory></SubstanceCategoryList>"
            "</HomogeneousMaterial></HomogeneousMaterialList></MaterialInfo></SubProduct>"
        )
    return (f'<?xml version="1.0" encoding="UTF-8"?><MainDeclaration xmlns="{NS}" version="2.0">'
            '<Product unitType="Each"><ProductID itemNumber="MOTOR" itemName="Motor">'
            f'<Amount value="{20 * n + 500}" UOM="g"/></ProductID>{"".join(subs)}</Product>'
            "</MainDeclaration>")  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xml"
        path.write_text(build(N), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        root = ET.parse(path).getroot()
        count = sum(1 for _ in root.iter(f"{{{NS}}}SubProduct"))
        base = time.perf_counter() - t0
        ws = Workspace.open(Settings(database_url=f"sqlite:///{Path(tmp) / 'b.db'}"))
        try:
            t0 = time.perf_counter()
            result = ws.import_declaration(path)
            full = time.perf_counter() - t0
        finally:
            ws.close()
    parts = result.products
    print(f"declaration: {parts} parts ({count} sub-products), {size_mb:.1f} MB")
    print(f"baseline  stdlib ElementTree parse only : {base:6.2f} s  {parts / base:9.0f} parts/s")
    print(
        f"raretrace parse+XSD+map+validate+write  : {full:6.2f} s  {parts / full:9.0f} parts/s"
        f"  ({full / base:.1f}x the baseline)"
    )
    print(f"records written: {result.changes.counts()}")


if __name__ == "__main__":
    main()
