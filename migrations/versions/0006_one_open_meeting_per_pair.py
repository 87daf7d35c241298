"""one open meeting per pair: a unique partial index on meetings(pair_id) over the open
statuses, so two simultaneous proposals cannot both be saved

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "status IN ('proposed', 'confirmed')"
# Open meetings of a pair other than its first one (the race this index closes).
_EXTRA_OPEN = f"""
    SELECT m.id FROM meetings m
    WHERE m.{OPEN}
      AND EXISTS (SELECT 1 FROM meetings o
                  WHERE o.pair_id = m.pair_id AND o.{OPEN} AND o.id < m.id)
"""


def upgrade() -> None:
    # A database that already raced holds duplicates; cancel all but the first, with
    # their pending reminders, or the index could not be built.
    op.execute(
        f"UPDATE outbox SET status = 'cancelled' "
        f"WHERE status = 'pending' AND meeting_id IN ({_EXTRA_OPEN})"
    )
    op.execute(
        f"UPDATE meetings SET status = 'cancelled', logged_at = CURRENT_TIMESTAMP "
        f"WHERE id IN (SELECT id FROM ({_EXTRA_OPEN}) AS extra)"
    )
    op.create_index(
        "uq_meetings_open_pair_id",
        "meetings",
        ["pair_id"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_meetings_open_pair_id", table_name="meetings")
