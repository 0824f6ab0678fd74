"""Survey campaign tables: requests sent to suppliers, responses applied.

Revision ID: 0004_survey
Revises: 0003_auth
Create Date: 2026-11-29 00:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_survey"
down_revision: str | None = "0003_auth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_requests",
        sa.Column("request_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supplier_party_id", sa.String(length=200), nullable=False),
        sa.Column("campaign", sa.String(length=200), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_survey_requests")),
    )
    with op.batch_alter_table("survey_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_requests_supplier_party_id"), ["supplier_party_id"], unique=False
        )
    op.create_table(
        "survey_responses",
        sa.Column("response_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supplier_party_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("held", sa.Integer(), nullable=False),
        sa.Column("assertions", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("response_id", name=op.f("pk_survey_responses")),
    )
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_responses_supplier_party_id"), ["supplier_party_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("survey_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_responses_supplier_party_id"))
    op.drop_table("survey_responses")
    with op.batch_alter_table("survey_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_requests_supplier_party_id"))
    op.drop_table("survey_requests")
