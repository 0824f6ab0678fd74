"""The session-signing key leaves the database (it is kept in a key file now): the
key an older raretrace stored in ``rt_meta`` is deleted, so a copy of the database
cannot forge a login.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM rt_meta WHERE key = 'web_session_key'")


def downgrade() -> None:
    pass  # an older raretrace creates a new key in the database when it needs one
