"""Filing particulars: parties' Chinese name, address, USCC and contact; parts' Chinese
name; licence-face fields of applications (issue 21).

Revision ID: 0012
Revises: 0007_rates_survey_workbooks
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0007_rates_survey_workbooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTY_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[str]], ...] = (
    ("name_zh", sa.Text()),
    ("address", sa.Text()),
    ("address_zh", sa.Text()),
    ("uscc", sa.String(length=18)),
    ("contact", sa.Text()),
    ("telephone", sa.String(length=64)),
)


def upgrade() -> None:
    with op.batch_alter_table("parties") as batch:
        for name, kind in _PARTY_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=""))
    with op.batch_alter_table("parts") as batch:
        batch.add_column(sa.Column("name_zh", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("licence_applications") as batch:
        batch.add_column(sa.Column("face", sa.Text(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("licence_applications") as batch:
        batch.drop_column("face")
    with op.batch_alter_table("parts") as batch:
        batch.drop_column("name_zh")
    with op.batch_alter_table("parties") as batch:
        for name, _ in reversed(_PARTY_COLUMNS):
            batch.drop_column(name)
