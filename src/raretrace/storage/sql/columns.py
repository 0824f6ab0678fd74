"""Columnar read of the network tables (for the tracing engine), one SELECT per table.

Much faster than building domain objects row by row: values go straight into tuples
that ``analytics.tables.build_arrays`` turns into index arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from raretrace.analytics.tables import TableColumns

_QUERIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("SELECT party_id, country FROM parties", ("party_id", "party_country")),
    ("SELECT site_id, party_id, country FROM sites", ("site_id", "site_party", "site_country")),
    (
        "SELECT part_id, kind, uom, mass_kg, unit_value, currency, magnet_type FROM parts",
        (
            "part_id",
            "part_kind",
            "part_uom",
            "part_mass_kg",
            "part_value",
            "part_currency",
            "part_magnet_type",
        ),
    ),
    (
        "SELECT part_id, element, mass_fraction FROM composition",
        ("comp_part", "comp_element", "comp_fraction"),
    ),
    (
        "SELECT parent_part_id, child_part_id, quantity FROM bom_lines",
        ("bom_parent", "bom_child", "bom_qty"),
    ),
    (
        "SELECT supplier_site_id, part_id, buyer_site_id, share FROM supply_links",
        ("sup_supplier", "sup_part", "sup_buyer", "sup_share"),
    ),
    (
        "SELECT site_id, part_id, units_per_year FROM production",
        ("prod_site", "prod_part", "prod_units"),
    ),
)


def read_columns(session: Session) -> TableColumns:
    """Every network table as columns (unordered; ``build_arrays`` sorts).

    Reads through the DB-API cursor of the session's connection (same transaction):
    plain tuples, no SQLAlchemy row objects or type processing, then one ``zip`` per
    table to turn rows into columns.
    """
    cols = TableColumns()
    dbapi = session.connection().connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        for sql, names in _QUERIES:
            cursor.execute(sql)
            rows: Sequence[Any] = cursor.fetchall()
            transposed = list(zip(*rows, strict=True)) if rows else [() for _ in names]
            for name, values in zip(names, transposed, strict=True):
                setattr(cols, name, values)
    finally:
        cursor.close()
    return cols
