"""role_grants: one grant of a role per scope, NULL scopes included (uq_role_grants_scope
on coalesce()d scope columns, in place of a unique constraint that NULLs got past)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPE = (
    "participant_id, role, coalesce(school_id, 0), coalesce(municipality_id, 0),"
    " coalesce(region_id, 0)"
)


def upgrade() -> None:
    # Grants the old constraint let through twice (two presses at once): the first stays.
    op.execute(
        f"DELETE FROM role_grants WHERE id NOT IN"
        f" (SELECT min(id) FROM role_grants GROUP BY {SCOPE})"
    )
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.drop_constraint("uq_role_grants_participant_id", type_="unique")
    op.create_index(
        "uq_role_grants_scope",
        "role_grants",
        [
            "participant_id",
            "role",
            sa.text("coalesce(school_id, 0)"),
            sa.text("coalesce(municipality_id, 0)"),
            sa.text("coalesce(region_id, 0)"),
        ],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_role_grants_scope", table_name="role_grants")
    with op.batch_alter_table("role_grants", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_role_grants_participant_id",
            ["participant_id", "role", "school_id", "municipality_id"],
        )
