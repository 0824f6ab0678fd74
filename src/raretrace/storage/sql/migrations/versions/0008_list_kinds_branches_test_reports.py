"""List kind on screening entries (China's Control / Watch lists, ...), a party's
branch-of relation (分公司), and recorded laboratory test reports (Dy + Tb).

Revision ID: 0008
Revises: 0013
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_entries") as batch:
        batch.add_column(
            sa.Column("list_kind", sa.String(length=32), server_default="", nullable=False)
        )
    with op.batch_alter_table("parties") as batch:
        batch.add_column(sa.Column("branch_of_party_id", sa.String(length=200), nullable=True))
        batch.create_foreign_key(
            op.f("fk_parties_branch_of_party_id_parties"),
            "parties",
            ["branch_of_party_id"],
            ["party_id"],
            deferrable=True,
            initially="DEFERRED",
        )
    op.create_table(
        "test_reports",
        sa.Column("report_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("part_id", sa.String(length=200), nullable=False),
        sa.Column("dy_tb_fraction", sa.String(length=64), nullable=False),
        sa.Column("laboratory", sa.Text(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("tested_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_test_reports")),
    )
    op.create_index(op.f("ix_test_reports_part_id"), "test_reports", ["part_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_test_reports_part_id"), table_name="test_reports")
    op.drop_table("test_reports")
    with op.batch_alter_table("parties") as batch:
        batch.drop_constraint(op.f("fk_parties_branch_of_party_id_parties"), type_="foreignkey")
        batch.drop_column("branch_of_party_id")
    with op.batch_alter_table("screening_entries") as batch:
        batch.drop_column("list_kind")
