"""mentoring under art. 351.8 ТК РФ: the mentor's answer to a proposal (pair_proposals),
ending a pair early with notice (pair_endings), mentoring work logged besides meetings
(mentoring_activities), the addendum (pair_addenda)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WAITING = "status = 'waiting'"
SCHEDULED = "status = 'scheduled'"


def upgrade() -> None:
    op.create_table(
        "pair_proposals",
        sa.Column("id", ID, nullable=False),
        sa.Column("school_id", ID, nullable=False),
        sa.Column("mentee_id", ID, nullable=False),
        sa.Column("mentor_id", ID, nullable=False),
        sa.Column("group_pair_id", ID, nullable=True),
        sa.Column("order_number", sa.String(length=50), nullable=True),
        sa.Column("order_date", sa.Date(), nullable=True),
        sa.Column("proposed_by_id", ID, nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "waiting",
                "accepted",
                "declined",
                "returned",
                "withdrawn",
                name="proposal_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remind_on", sa.Date(), nullable=False),
        sa.Column("return_on", sa.Date(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("pair_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_pair_proposals_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentee_id"],
            ["participants.id"],
            name=op.f("fk_pair_proposals_mentee_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["participants.id"],
            name=op.f("fk_pair_proposals_mentor_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_pair_id"],
            ["pairs.id"],
            name=op.f("fk_pair_proposals_group_pair_id_pairs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_id"],
            ["participants.id"],
            name=op.f("fk_pair_proposals_proposed_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pairs.id"],
            name=op.f("fk_pair_proposals_pair_id_pairs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_proposals")),
    )
    op.create_index(
        op.f("ix_pair_proposals_school_id"), "pair_proposals", ["school_id"], unique=False
    )
    op.create_index(
        op.f("ix_pair_proposals_mentor_id"), "pair_proposals", ["mentor_id"], unique=False
    )
    op.create_index("ix_pair_proposals_status", "pair_proposals", ["status"], unique=False)
    op.create_index(
        "uq_pair_proposals_waiting_mentee_id",
        "pair_proposals",
        ["mentee_id"],
        unique=True,
        postgresql_where=sa.text(WAITING),
        sqlite_where=sa.text(WAITING),
    )

    op.create_table(
        "pair_endings",
        sa.Column("id", ID, nullable=False),
        sa.Column("pair_id", ID, nullable=False),
        sa.Column("requested_by_id", ID, nullable=True),
        sa.Column("by_role", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "scheduled",
                "cancelled",
                "done",
                name="ending_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_by_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pairs.id"],
            name=op.f("fk_pair_endings_pair_id_pairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["participants.id"],
            name=op.f("fk_pair_endings_requested_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["cancelled_by_id"],
            ["participants.id"],
            name=op.f("fk_pair_endings_cancelled_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_endings")),
    )
    op.create_index("ix_pair_endings_status", "pair_endings", ["status"], unique=False)
    op.create_index(
        "uq_pair_endings_scheduled_pair_id",
        "pair_endings",
        ["pair_id"],
        unique=True,
        postgresql_where=sa.text(SCHEDULED),
        sqlite_where=sa.text(SCHEDULED),
    )

    op.create_table(
        "mentoring_activities",
        sa.Column("id", ID, nullable=False),
        sa.Column("mentor_id", ID, nullable=False),
        sa.Column("school_id", ID, nullable=False),
        sa.Column("pair_id", ID, nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "lesson_visit",
                "plan_review",
                "consultation",
                "event_prep",
                name="activity_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("minutes", sa.SmallInteger(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["mentor_id"],
            ["participants.id"],
            name=op.f("fk_mentoring_activities_mentor_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_mentoring_activities_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pairs.id"],
            name=op.f("fk_mentoring_activities_pair_id_pairs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentoring_activities")),
    )
    op.create_index(
        op.f("ix_mentoring_activities_mentor_id"),
        "mentoring_activities",
        ["mentor_id"],
        unique=False,
    )
    op.create_index(
        "ix_mentoring_activities_school_id_on_date",
        "mentoring_activities",
        ["school_id", "on_date"],
        unique=False,
    )

    op.create_table(
        "pair_addenda",
        sa.Column("id", ID, nullable=False),
        sa.Column("pair_id", ID, nullable=False),
        sa.Column("number", sa.String(length=50), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "form",
            sa.Enum("individual", "group", name="mentoring_form", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("rate_type", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["pairs.id"],
            name=op.f("fk_pair_addenda_pair_id_pairs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["participants.id"],
            name=op.f("fk_pair_addenda_created_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_addenda")),
    )
    op.create_index(op.f("ix_pair_addenda_pair_id"), "pair_addenda", ["pair_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pair_addenda_pair_id"), table_name="pair_addenda")
    op.drop_table("pair_addenda")
    op.drop_index("ix_mentoring_activities_school_id_on_date", table_name="mentoring_activities")
    op.drop_index(op.f("ix_mentoring_activities_mentor_id"), table_name="mentoring_activities")
    op.drop_table("mentoring_activities")
    op.drop_index("uq_pair_endings_scheduled_pair_id", table_name="pair_endings")
    op.drop_index("ix_pair_endings_status", table_name="pair_endings")
    op.drop_table("pair_endings")
    op.drop_index("uq_pair_proposals_waiting_mentee_id", table_name="pair_proposals")
    op.drop_index("ix_pair_proposals_status", table_name="pair_proposals")
    op.drop_index(op.f("ix_pair_proposals_mentor_id"), table_name="pair_proposals")
    op.drop_index(op.f("ix_pair_proposals_school_id"), table_name="pair_proposals")
    op.drop_table("pair_proposals")
