"""The columnar read of the stored network (``storage.sql.columns``, the tracing
engine's cold start) builds the same ``NetworkArrays`` as the in-memory network does.

Reference rows (composition, BOM, supply, production) come back in the database's
order, which is not the in-memory one, so those tables are compared as sets of rows
(sorted by their index columns); every other array is compared as it is.
"""

from __future__ import annotations

import csv
import io
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, text

from factories import TINY, write_bundle_files
from raretrace.analytics.matrices import NetworkArrays
from raretrace.analytics.tables import build_arrays, columns_of
from raretrace.domain.clock import FixedClock
from raretrace.errors import NetworkError
from raretrace.services.network.synth import load_into, synthesise
from raretrace.settings import Settings
from raretrace.storage.sql import columns
from raretrace.storage.sql.engine import make_engine
from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory
from raretrace.workspace import Workspace

#: Reference tables: their arrays, the first ones being the row's key.
ROWS = {
    "composition": ("comp_part", "comp_element", "comp_fraction"),
    "bom": ("bom_parent", "bom_child", "bom_qty"),
    "supply": ("sup_supplier", "sup_part", "sup_buyer", "sup_share"),
    "production": ("prod_site", "prod_part", "prod_units"),
}
KEYS = {"composition": 2, "bom": 2, "supply": 3, "production": 2}

#: Ids that a CSV or a separator-based reader could get wrong.
AWKWARD = {
    "MINE": 'MINE, "the" mine',
    "SEP": "Sép ärator 株式会社",
    "S-MINE": "S-MINE; line|two",  # control characters are refused at import
    "S-SEP": "S,SEP",
    "DY2O3": 'Dy₂O₃ "oxide"',
    "MAGNET": "MAGNET 磁石, ndfeb",
    "MOTOR": "motor 'seat'",
    "CAR": "CAR 🚗",
}


def _awkward_bundle(folder: Path) -> Path:
    """TINY with awkward ids, a part without mass, value or currency, a kg part without
    mass (counts 1 kg per unit) and a value written with an exponent."""
    files = dict(TINY)
    files["parts.csv"] += (
        "BARE,Bare part,component,ea,,,,,other,none\n"
        "SCRAP,Scrap steel,raw_material,kg,,1E+3,EUR,,other,none\n"
    )
    files["bom.csv"] += "CAR,BARE,2\nCAR,SCRAP,0.5\n"
    out: dict[str, str] = {}
    for name, content in files.items():
        rows = list(csv.reader(io.StringIO(content)))
        header, body = rows[0], rows[1:]
        ids = [i for i, col in enumerate(header) if col.endswith("_id")]
        for row in body:
            for i in ids:
                row[i] = AWKWARD.get(row[i], row[i])
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows([header, *body])
        out[name] = buf.getvalue()
    return write_bundle_files(folder, out)


def _both(engine: Engine) -> tuple[NetworkArrays, NetworkArrays]:
    """(from the in-memory network, from the columnar read), in one unit of work."""
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        expected = build_arrays(columns_of(uow.network.load()))
        got = build_arrays(uow.network.columns())
    return expected, got


def _by_row(a: NetworkArrays, names: tuple[str, ...], keys: int) -> list[Any]:
    cols = [getattr(a, n) for n in names]
    order = np.lexsort(cols[:keys][::-1])
    return [c[order] for c in cols]


def assert_same_arrays(expected: NetworkArrays, got: NetworkArrays) -> None:
    in_rows = {n for names in ROWS.values() for n in names}
    for f in fields(NetworkArrays):
        want, have = getattr(expected, f.name), getattr(got, f.name)
        if f.name in in_rows:
            continue
        if isinstance(want, np.ndarray):
            assert have.dtype == want.dtype, f.name
            assert np.array_equal(have, want, equal_nan=want.dtype.kind == "f"), f.name
        else:
            assert have == want, f.name
    for table, names in ROWS.items():
        want_rows = _by_row(expected, names, KEYS[table])
        have_rows = _by_row(got, names, KEYS[table])
        for name, want, have in zip(names, want_rows, have_rows, strict=True):
            assert have.dtype == want.dtype, name
            assert np.array_equal(have, want, equal_nan=want.dtype.kind == "f"), name


def test_awkward_ids_and_missing_values(db_url: str, engine: Engine, tmp_path: Path) -> None:
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.import_bundle(_awkward_bundle(tmp_path / "awkward"))
    expected, got = _both(engine)
    assert_same_arrays(expected, got)
    # the awkward ids made it through, and the missing values are missing
    assert set(AWKWARD.values()) <= set(got.part_ids) | set(got.site_ids) | set(got.party_ids)
    for ids in (got.part_ids, got.site_ids, got.party_ids):  # in Python's order of str
        assert ids.tolist() == sorted(ids.tolist())
    bare = int(np.flatnonzero(got.part_ids == "BARE")[0])
    scrap = int(np.flatnonzero(got.part_ids == "SCRAP")[0])
    assert np.isnan(got.part_mass_kg[bare]) and np.isnan(got.part_value[bare])
    assert got.part_currency[bare] == -1
    assert got.part_mass_kg[scrap] == 1.0 and got.part_value[scrap] == 1000.0
    assert np.isnan(got.prod_units).sum() == 1


def test_sample_world(db_url: str, engine: Engine) -> None:
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.load_sample()
    assert_same_arrays(*_both(engine))


def test_synthetic_network(engine: Engine) -> None:
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(5_000, seed=3))
    expected, got = _both(engine)
    assert len(got.part_ids) == 5_000
    assert_same_arrays(expected, got)


def test_large_tables_are_read_in_row_groups(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL reads a table of more than ``_CHUNK_BYTES`` as several ranges of heap
    blocks, SQLite concatenates text over ranges of ``_ROWID_RANGE`` rowids."""
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(3_000, seed=5))
    expected, _ = _both(engine)
    monkeypatch.setattr(columns, "_CHUNK_BYTES", 3 * 8192)  # a few blocks per group
    monkeypatch.setattr(columns, "_ROWID_RANGE", 1_000)
    assert_same_arrays(expected, _both(engine)[1])


def test_text_as_converted_bytes(
    db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(PostgreSQL with a client encoding other than UTF-8 converts text in SQL.)"""
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.import_bundle(_awkward_bundle(tmp_path / "awkward"))
    monkeypatch.setattr(columns, "_text_bytes", lambda _dbapi: "convert_to({}, 'UTF8')")
    assert_same_arrays(*_both(engine))


def test_sqlite_text_holding_nul_is_read_too(tmp_path: Path) -> None:
    """SQLite text may hold NUL, the separator of the concatenated read: the count of
    values gives it away and that table's text is fetched as rows instead."""
    url = f"sqlite:///{tmp_path / 'nul.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    engine = make_engine(url)
    cols = (
        "name, kind, uom, mass_kg, unit_value, currency, hs_code, form, magnet_type, notes, source"
    )
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.session.execute(
            text(f"INSERT INTO parts (part_id, {cols}) SELECT :id, {cols} FROM parts LIMIT 1"),
            {"id": "NUL\x00PART"},
        )
        uow.session.execute(
            text("INSERT INTO bom_lines VALUES ('CAR', :id, 3)"), {"id": "NUL\x00PART"}
        )
    expected, got = _both(engine)
    assert "NUL\x00PART" in set(got.part_ids)
    assert_same_arrays(expected, got)
    engine.dispose()


def test_other_drivers_fetch_rows(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        load_into(uow, synthesise(1_000, seed=9))
    expected, _ = _both(engine)
    monkeypatch.setattr(columns, "_read_postgres", columns._read_rows)
    monkeypatch.setattr(columns, "_read_sqlite", columns._read_rows)
    assert_same_arrays(expected, _both(engine)[1])


def test_empty_network(engine: Engine) -> None:
    expected, got = _both(engine)
    assert len(got.part_ids) == 0
    assert_same_arrays(expected, got)


def test_dangling_references_name_the_ids(db_url: str, engine: Engine, tmp_path: Path) -> None:
    """Foreign keys are checked at commit, so a transaction can hold dangling rows."""
    with Workspace.open(Settings(database_url=db_url)) as ws:
        ws.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as uow:
        uow.session.execute(text("INSERT INTO bom_lines VALUES ('CAR', 'GHOST, \"the\"', 1.0)"))
        uow.session.execute(
            text("INSERT INTO supply_links VALUES ('S-NOWHERE', 'MOTOR', 'S-OEM', 1.0, NULL)")
        )
        read = uow.network.columns()
        uow.rollback()
    with pytest.raises(NetworkError) as err:
        build_arrays(read)
    assert str(err.value) == (
        "dangling references: unknown part(s) 'GHOST, \"the\"'; unknown site(s) 'S-NOWHERE'"
    )
    with SqlUnitOfWorkFactory(engine, clock=FixedClock())() as check:
        assert check.network.counts()["bom"] == 3
