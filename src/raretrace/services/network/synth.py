"""Synthetic networks out of the process: a CSV bundle, or a bulk load into a workspace.

``analytics.synth.generate`` builds the columns; this module turns them into rows of the
bundle tables (``docs/bundle.md``, columns from ``columns.SPECS``) in chunks, so that a
million-part network streams to disk or database without a second copy in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np

from raretrace.analytics.synth import (
    COUNTRIES,
    ELEMENTS,
    FORMS,
    KINDS,
    MAGNET_TYPES,
    ROLE_SETS,
    TIERS,
    UOMS,
    SynthNetwork,
    format_ids,
    generate,
)
from raretrace.domain.network import TABLES
from raretrace.domain.parts import PartKind
from raretrace.errors import NetworkError
from raretrace.services.formats.columns import SPECS
from raretrace.storage.ports import UnitOfWork

#: ``progress(table, rows_done, rows_total)``, called as each chunk of rows is consumed.
Progress = Callable[[str, int, int], None]
Row = tuple[object, ...]

_CHUNK = 50_000
SOURCE = "raretrace synth"
#: HS heading of permanent magnets of metal (a hint only, regime.md §1.2).
_MAGNET_HS = "8505.11"


@dataclass(frozen=True, slots=True)
class SynthLoadReport:
    """Rows written per table (``domain.network.TABLES`` order) and the new revision."""

    rows: dict[str, int]
    revision: int


def synthesise(
    n_parts: int, *, seed: int, bom_lines_per_part: float = 4.0, parts_per_site: float = 150.0
) -> SynthNetwork:
    """A synthetic network of ``n_parts`` parts; the same ``seed`` gives the same network."""
    rng = np.random.default_rng(seed)
    return generate(
        n_parts, rng=rng, bom_lines_per_part=bom_lines_per_part, parts_per_site=parts_per_site
    )


#: The optional filing columns of ``parties`` (after ``notes``): empty in a synthetic world.
_PARTY_FILING_COLUMNS = ("name_zh", "address", "address_zh", "uscc", "contact", "telephone")


def columns(table: str) -> list[str]:
    """The bundle columns of ``table``, in file order (identical to the SQL column names)."""
    return [spec.name for spec in SPECS[table]]


def write_bundle(
    synth: SynthNetwork, folder: Path, *, progress: Progress | None = None
) -> list[Path]:
    """Write ``synth`` as a CSV bundle folder (created if missing); return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = _Ids(synth)
    totals = synth.counts()
    written: list[Path] = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            out = csv.writer(fh, lineterminator="\n")
            out.writerow(columns(table))
            rows = _table_rows(synth, ids, table, for_csv=True)
            out.writerows(_reported(rows, table, totals[table], progress))
        written.append(path)
    return written


def load_into(
    uow: UnitOfWork, synth: SynthNetwork, progress: Progress | None = None
) -> SynthLoadReport:
    """Bulk-load ``synth`` into the EMPTY workspace of ``uow`` and bump its revision.

    Runs inside the caller's unit of work; the caller's ``with`` block commits. Raises
    ``NetworkError`` if the workspace already holds network rows (nothing is written).
    """
    present = {t: n for t, n in uow.network.counts().items() if n}
    if present:
        listed = ", ".join(f"{t}: {n}" for t, n in present.items())
        raise NetworkError(
            f"a synthetic network loads only into an empty workspace; it holds {listed}"
        )
    ids = _Ids(synth)
    totals = synth.counts()
    rows: dict[str, int] = {}
    for table in TABLES:
        stream = _reported(
            _table_rows(synth, ids, table, for_csv=False), table, totals[table], progress
        )
        rows[table] = uow.network.bulk_insert_rows(table, columns(table), stream)
    return SynthLoadReport(rows, uow.network.bump_revision())


# --- rows ----------------------------------------------------------------------------------


class _Ids:
    """String ids of parts, parties and sites, formatted once."""

    def __init__(self, synth: SynthNetwork) -> None:
        self.parts = format_ids("P", synth.n_parts)
        self.parties = format_ids("C", synth.n_parties, width=6)
        self.sites = format_ids("S", synth.n_sites, width=6)


def _reported(
    chunks: Iterator[list[Row]], table: str, total: int, progress: Progress | None
) -> Iterator[Row]:
    done = 0
    if progress is not None:
        progress(table, 0, total)
    for chunk in chunks:
        yield from chunk
        done += len(chunk)
        if progress is not None:
            progress(table, done, total)


def _spans(n: int) -> Iterator[slice]:
    for lo in range(0, n, _CHUNK):
        yield slice(lo, min(lo + _CHUNK, n))


def _lookup(names: list[str], index: np.ndarray) -> list[str]:
    return [names[i] for i in index.tolist()]


def _optional(values: np.ndarray) -> list[float | None]:
    """Floats with NaN as None (an empty cell, or SQL NULL)."""
    return [None if x != x else x for x in values.tolist()]


def _table_rows(
    synth: SynthNetwork, ids: _Ids, table: str, *, for_csv: bool
) -> Iterator[list[Row]]:
    """Rows of ``table`` in chunks, values in ``columns(table)`` order."""
    s = synth
    bools: tuple[object, object] = ("false", "true") if for_csv else (False, True)
    match table:
        case "parties":
            for sl in _spans(s.n_parties):
                owner = s.party_owner[sl].tolist()
                yield list(
                    zip(
                        ids.parties[sl],
                        [f"Synthetic party {p}" for p in ids.parties[sl]],
                        _lookup(list(COUNTRIES), s.party_country[sl]),
                        _lookup(list(ROLE_SETS), s.party_roles[sl]),
                        [bools[b] for b in s.party_military[sl].tolist()],
                        [None if o < 0 else ids.parties[o] for o in owner],
                        _optional(s.party_ownership_pct[sl]),
                        repeat(""),
                        *(repeat("") for _ in _PARTY_FILING_COLUMNS),
                        repeat(None),  # branch_of_party_id
                        strict=False,
                    )
                )
        case "sites":
            for sl in _spans(s.n_sites):
                yield list(
                    zip(
                        ids.sites[sl],
                        _lookup(ids.parties, s.site_party[sl]),
                        [f"Synthetic site {x}" for x in ids.sites[sl]],
                        _lookup(list(COUNTRIES), s.site_country[sl]),
                        repeat(""),
                        repeat(""),
                        strict=False,
                    )
                )
        case "parts":
            yield from _part_rows(s, ids)
        case "composition":
            for sl in _spans(s.comp_part.shape[0]):
                yield list(
                    zip(
                        _lookup(ids.parts, s.comp_part[sl]),
                        _lookup(list(ELEMENTS), s.comp_element[sl]),
                        s.comp_fraction[sl].tolist(),
                        repeat(SOURCE),
                        strict=False,
                    )
                )
        case "bom":
            for sl in _spans(s.bom_parent.shape[0]):
                yield list(
                    zip(
                        _lookup(ids.parts, s.bom_parent[sl]),
                        _lookup(ids.parts, s.bom_child[sl]),
                        s.bom_quantity[sl].tolist(),
                        strict=True,
                    )
                )
        case "supply":
            for sl in _spans(s.supply_part.shape[0]):
                yield list(
                    zip(
                        _lookup(ids.sites, s.supply_supplier[sl]),
                        _lookup(ids.parts, s.supply_part[sl]),
                        _lookup(ids.sites, s.supply_buyer[sl]),
                        s.supply_share[sl].tolist(),
                        s.supply_lead_time_days[sl].tolist(),
                        strict=True,
                    )
                )
        case "production":
            for sl in _spans(s.production_part.shape[0]):
                yield list(
                    zip(
                        _lookup(ids.sites, s.production_site[sl]),
                        _lookup(ids.parts, s.production_part[sl]),
                        _optional(s.production_units_per_year[sl]),
                        strict=True,
                    )
                )
        case _:
            raise ValueError(f"unknown table {table!r}")


def _part_rows(s: SynthNetwork, ids: _Ids) -> Iterator[list[Row]]:
    labels = [t.label for t in TIERS]
    kinds = [k.value for k in KINDS]
    forms = [f.value for f in FORMS]
    magnet_types = [m.value for m in MAGNET_TYPES]
    hs_codes = ["" if t.kind is not PartKind.MAGNET else _MAGNET_HS for t in TIERS]
    for sl in _spans(s.n_parts):
        level = s.part_level[sl]
        cents = s.part_unit_value_cents[sl].tolist()
        yield list(
            zip(
                ids.parts[sl],
                [f"{labels[lv]} {p}" for lv, p in zip(level.tolist(), ids.parts[sl], strict=True)],
                _lookup(kinds, s.part_kind[sl]),
                _lookup(list(UOMS), s.part_uom[sl]),
                s.part_mass_kg[sl].tolist(),
                [f"{c // 100}.{c % 100:02d}" for c in cents],
                repeat("USD"),
                _lookup(hs_codes, level),
                _lookup(forms, s.part_form[sl]),
                _lookup(magnet_types, s.part_magnet_type[sl]),
                repeat(""),
                repeat(SOURCE),
                repeat(""),  # name_zh
                strict=False,
            )
        )
