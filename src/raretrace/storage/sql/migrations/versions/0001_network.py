"""Network tables: parties, sites, parts, composition, BOM lines, supply links, production.

Revision ID: 0001_network
Revises:
Create Date: 2026-11-29 00:03:54.853039
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_network"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "parties",
        sa.Column("party_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("roles", sa.Text(), nullable=False),
        sa.Column("military_end_user", sa.Boolean(), nullable=False),
        sa.Column("owner_party_id", sa.String(length=200), nullable=True),
        sa.Column("ownership_pct", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_party_id"],
            ["parties.party_id"],
            name=op.f("fk_parties_owner_party_id_parties"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_parties")),
    )
    op.create_table(
        "parts",
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("uom", sa.String(length=16), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=True),
        sa.Column("unit_value", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("hs_code", sa.String(length=32), nullable=False),
        sa.Column("form", sa.String(length=32), nullable=False),
        sa.Column("magnet_type", sa.String(length=16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("part_id", name=op.f("pk_parts")),
    )
    op.create_table(
        "rt_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rt_meta")),
    )
    op.create_table(
        "bom_lines",
        sa.Column("parent_part_id", sa.String(length=200), nullable=False),
        sa.Column("child_part_id", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_part_id"],
            ["parts.part_id"],
            name=op.f("fk_bom_lines_child_part_id_parts"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["parent_part_id"],
            ["parts.part_id"],
            name=op.f("fk_bom_lines_parent_part_id_parts"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("parent_part_id", "child_part_id", name=op.f("pk_bom_lines")),
    )
    with op.batch_alter_table("bom_lines", schema=None) as batch_op:
        batch_op.create_index("ix_bom_lines_child", ["child_part_id"], unique=False)

    op.create_table(
        "composition",
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("element", sa.String(length=3), nullable=False),
        sa.Column("mass_fraction", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.part_id"],
            name=op.f("fk_composition_part_id_parts"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("part_id", "element", name=op.f("pk_composition")),
    )
    op.create_table(
        "sites",
        sa.Column("site_id", sa.String(length=200), nullable=False),
        sa.Column("party_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("city", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.party_id"],
            name=op.f("fk_sites_party_id_parties"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("site_id", name=op.f("pk_sites")),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sites_party_id"), ["party_id"], unique=False)

    op.create_table(
        "production",
        sa.Column("site_id", sa.String(length=200), nullable=False),
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("units_per_year", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.part_id"],
            name=op.f("fk_production_part_id_parts"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["site_id"],
            ["sites.site_id"],
            name=op.f("fk_production_site_id_sites"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint("site_id", "part_id", name=op.f("pk_production")),
    )
    with op.batch_alter_table("production", schema=None) as batch_op:
        batch_op.create_index("ix_production_part", ["part_id"], unique=False)

    op.create_table(
        "supply_links",
        sa.Column("supplier_site_id", sa.String(length=200), nullable=False),
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("buyer_site_id", sa.String(length=200), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("lead_time_days", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["buyer_site_id"],
            ["sites.site_id"],
            name=op.f("fk_supply_links_buyer_site_id_sites"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["parts.part_id"],
            name=op.f("fk_supply_links_part_id_parts"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.ForeignKeyConstraint(
            ["supplier_site_id"],
            ["sites.site_id"],
            name=op.f("fk_supply_links_supplier_site_id_sites"),
            initially="DEFERRED",
            deferrable=True,
        ),
        sa.PrimaryKeyConstraint(
            "supplier_site_id", "part_id", "buyer_site_id", name=op.f("pk_supply_links")
        ),
    )
    with op.batch_alter_table("supply_links", schema=None) as batch_op:
        batch_op.create_index("ix_supply_links_buyer", ["buyer_site_id", "part_id"], unique=False)
        batch_op.create_index("ix_supply_links_part", ["part_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("supply_links", schema=None) as batch_op:
        batch_op.drop_index("ix_supply_links_part")
        batch_op.drop_index("ix_supply_links_buyer")

    op.drop_table("supply_links")
    with op.batch_alter_table("production", schema=None) as batch_op:
        batch_op.drop_index("ix_production_part")

    op.drop_table("production")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_party_id"))

    op.drop_table("sites")
    op.drop_table("composition")
    with op.batch_alter_table("bom_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_bom_lines_child")

    op.drop_table("bom_lines")
    op.drop_table("rt_meta")
    op.drop_table("parts")
    op.drop_table("parties")
