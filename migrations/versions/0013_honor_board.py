"""the club's «Доска почёта»: honor_entries (a mentor, the coordinator's citation, and
the mentor's consent to its distribution)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "honor_entries",
        sa.Column("id", ID, nullable=False),
        sa.Column("municipality_id", ID, nullable=False),
        sa.Column("participant_id", ID, nullable=False),
        sa.Column("nominated_by_id", ID, nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("asked", "published", name="honor_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("nominated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_honor_entries_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_honor_entries_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["nominated_by_id"],
            ["participants.id"],
            name=op.f("fk_honor_entries_nominated_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_honor_entries")),
        sa.UniqueConstraint(
            "municipality_id", "participant_id", name=op.f("uq_honor_entries_municipality_id")
        ),
    )
    with op.batch_alter_table("honor_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_honor_entries_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("honor_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_honor_entries_participant_id"))
    op.drop_table("honor_entries")
