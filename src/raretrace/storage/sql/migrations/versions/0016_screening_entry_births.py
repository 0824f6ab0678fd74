"""Screening list entries keep their dates of birth (EDTF text: "1965-03-12", "1965",
"1965~", "1960/1962"), as a JSON list beside ``ids``.

Not inside ``ids`` (a JSON list too): every (scheme, value) there is a registration or
identity number, indexed for candidates and compared as evidence for or against a
match (``screening.ids``); a date of birth is neither (a shared birth year is no
candidate, and two dates that differ are not two different numbers).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("dates_of_birth", sa.Text(), server_default="[]", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("screening_entries", schema=None) as batch_op:
        batch_op.drop_column("dates_of_birth")
