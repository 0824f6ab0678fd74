"""Screening list entries keep their registration numbers (USCC, LEI, IMO, ...).

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ids", sa.Text(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.drop_column("ids")
