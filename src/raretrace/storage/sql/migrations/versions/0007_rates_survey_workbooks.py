"""Exchange-rate tables stored by users; survey requests keep the workbook as sent.

Revision ID: 0007_rates_survey_workbooks
Revises: 0006_jobs
Create Date: 2026-11-30 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_rates_survey_workbooks"
down_revision: str | None = "0006_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rates",
        sa.Column("rates_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("base", sa.String(length=3), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("rates", sa.Text(), nullable=False),
        sa.Column("stored_by", sa.String(length=200), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("rates_id", name=op.f("pk_exchange_rates")),
    )
    with op.batch_alter_table("survey_requests") as batch:
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("workbook", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("survey_requests") as batch:
        batch.drop_column("workbook")
        batch.drop_column("sha256")
    op.drop_table("exchange_rates")
