"""Licence applications, licences and the append-only licence ledger.

Revision ID: 0005_licences
Revises: 0004_survey
Create Date: 2026-11-29 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_licences"
down_revision: str | None = "0004_survey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "licence_applications",
        sa.Column("application_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exporter", sa.String(length=200), nullable=False),
        sa.Column("importer", sa.String(length=200), nullable=False),
        sa.Column("end_user", sa.String(length=200), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("contract_ref", sa.String(length=200), nullable=False),
        sa.Column("end_use", sa.Text(), nullable=False),
        sa.Column("licence_type", sa.String(length=20), nullable=False),
        sa.Column("rule_pack", sa.String(length=100), nullable=False),
        sa.Column("review_working_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_licence_applications")),
    )
    for table in ("licence_application_status", "licence_application_documents"):
        extra: list[sa.schema.SchemaItem] = (
            [
                sa.Column("status", sa.String(length=30), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("actor", sa.String(length=200), nullable=False),
                sa.Column("note", sa.Text(), nullable=False),
            ]
            if table == "licence_application_status"
            else [
                sa.Column("key", sa.String(length=50), nullable=False),
                sa.Column("state", sa.String(length=20), nullable=False),
                sa.Column("reference", sa.Text(), nullable=False),
                sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("actor", sa.String(length=200), nullable=False),
            ]
        )
        op.create_table(
            table,
            sa.Column("event_id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("application_id", sa.Integer(), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(
                ["application_id"],
                ["licence_applications.application_id"],
                name=op.f(f"fk_{table}_application_id_licence_applications"),
            ),
            sa.PrimaryKeyConstraint("event_id", name=op.f(f"pk_{table}")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{table}_application_id"), ["application_id"], unique=False
            )
    op.create_table(
        "licences",
        sa.Column("licence_id", sa.String(length=100), nullable=False),
        sa.Column("licence_type", sa.String(length=20), nullable=False),
        sa.Column("exporter", sa.String(length=200), nullable=False),
        sa.Column("importer", sa.String(length=200), nullable=False),
        sa.Column("end_users", sa.Text(), nullable=False),
        sa.Column("destinations", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("licence_id", name=op.f("pk_licences")),
    )
    op.create_table(
        "licence_items",
        sa.Column("licence_id", sa.String(length=100), nullable=False),
        sa.Column("item_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("control_code", sa.String(length=50), nullable=False),
        sa.Column("mass_mg", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["licences.licence_id"],
            name=op.f("fk_licence_items_licence_id_licences"),
        ),
        sa.PrimaryKeyConstraint("licence_id", "item_no", name=op.f("pk_licence_items")),
    )
    op.create_table(
        "licence_ledger",
        sa.Column("entry_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("licence_id", sa.String(length=100), nullable=False),
        sa.Column("item_no", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mass_mg", sa.BigInteger(), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("shipment_id", sa.String(length=200), nullable=False),
        sa.Column("shipped_on", sa.Date(), nullable=True),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("end_user", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reverses", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["licences.licence_id"],
            name=op.f("fk_licence_ledger_licence_id_licences"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses"],
            ["licence_ledger.entry_id"],
            name=op.f("fk_licence_ledger_reverses_licence_ledger"),
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_licence_ledger")),
        sa.UniqueConstraint("reverses", name=op.f("uq_licence_ledger_reverses")),
    )
    with op.batch_alter_table("licence_ledger", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_licence_ledger_licence_id"), ["licence_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_licence_ledger_shipment_id"), ["shipment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("licence_ledger", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_licence_ledger_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_licence_ledger_licence_id"))
    op.drop_table("licence_ledger")
    op.drop_table("licence_items")
    op.drop_table("licences")
    for table in ("licence_application_documents", "licence_application_status"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_application_id"))
        op.drop_table(table)
    op.drop_table("licence_applications")
