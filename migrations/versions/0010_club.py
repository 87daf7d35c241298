"""the young teachers' club «Пеликаша»: events with RSVPs (waiting list), attendance
with ratings, materials, membership, school announcements, the municipality's club channel;
portfolio achievements («Мои достижения»)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "achievements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "contest",
                "publication",
                "open_lesson",
                "attestation",
                name="achievement_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=True),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("file_name", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_achievements_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_achievements")),
    )
    op.create_index(
        op.f("ix_achievements_participant_id"), "achievements", ["participant_id"], unique=False
    )
    op.create_table(
        "club_announcements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("author_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("file_id", sa.String(length=200), nullable=True),
        sa.Column("file_kind", sa.String(length=10), nullable=True),
        sa.Column(
            "recipients", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["participants.id"],
            name=op.f("fk_club_announcements_author_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_club_announcements_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_club_announcements_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_announcements")),
    )
    op.create_index(
        op.f("ix_club_announcements_author_id"), "club_announcements", ["author_id"], unique=False
    )
    op.create_index(
        op.f("ix_club_announcements_school_id"), "club_announcements", ["school_id"], unique=False
    )
    op.create_table(
        "club_channels",
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("set_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_club_channels_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"],
            ["participants.id"],
            name=op.f("fk_club_channels_set_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("municipality_id", name=op.f("pk_club_channels")),
    )
    op.create_table(
        "club_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("school_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meeting",
                "seminar",
                "master_class",
                "round_table",
                "contest",
                "forum",
                "other",
                name="club_event_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column(
            "audience",
            sa.Enum(
                "all",
                "young",
                "mentors",
                "mentees",
                "curators",
                name="club_audience",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("capacity", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "cancelled",
                name="club_event_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column(
            "created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["participants.id"],
            name=op.f("fk_club_events_created_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_club_events_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_club_events_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_events")),
    )
    op.create_index(
        "ix_club_events_municipality_starts",
        "club_events",
        ["municipality_id", "starts_at"],
        unique=False,
    )
    op.create_index(op.f("ix_club_events_school_id"), "club_events", ["school_id"], unique=False)
    op.create_table(
        "club_attendance",
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("reflection", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["club_events.id"],
            name=op.f("fk_club_attendance_event_id_club_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_club_attendance_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "participant_id", name=op.f("pk_club_attendance")),
    )
    op.create_table(
        "club_members",
        sa.Column(
            "municipality_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["municipality_id"],
            ["municipalities.id"],
            name=op.f("fk_club_members_municipality_id_municipalities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_club_members_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("municipality_id", "participant_id", name=op.f("pk_club_members")),
    )
    op.create_index(
        op.f("ix_club_members_participant_id"), "club_members", ["participant_id"], unique=False
    )
    op.create_table(
        "club_materials",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("file_id", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column(
            "added_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["participants.id"],
            name=op.f("fk_club_materials_added_by_id_participants"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["club_events.id"],
            name=op.f("fk_club_materials_event_id_club_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_materials")),
    )
    op.create_index(
        op.f("ix_club_materials_event_id"), "club_materials", ["event_id"], unique=False
    )
    op.create_table(
        "club_rsvps",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "participant_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "status",
            sa.Enum(
                "going", "not_going", "waiting", name="rsvp_status", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["club_events.id"],
            name=op.f("fk_club_rsvps_event_id_club_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_club_rsvps_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_club_rsvps")),
        sa.UniqueConstraint("event_id", "participant_id", name=op.f("uq_club_rsvps_event_id")),
    )
    op.create_index(op.f("ix_club_rsvps_event_id"), "club_rsvps", ["event_id"], unique=False)
    op.create_index(
        op.f("ix_club_rsvps_participant_id"), "club_rsvps", ["participant_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_achievements_participant_id"), table_name="achievements")
    op.drop_table("achievements")
    op.drop_index(op.f("ix_club_rsvps_participant_id"), table_name="club_rsvps")
    op.drop_index(op.f("ix_club_rsvps_event_id"), table_name="club_rsvps")
    op.drop_table("club_rsvps")
    op.drop_index(op.f("ix_club_members_participant_id"), table_name="club_members")
    op.drop_table("club_members")
    op.drop_index(op.f("ix_club_materials_event_id"), table_name="club_materials")
    op.drop_table("club_materials")
    op.drop_table("club_attendance")
    op.drop_index(op.f("ix_club_events_school_id"), table_name="club_events")
    op.drop_index("ix_club_events_municipality_starts", table_name="club_events")
    op.drop_table("club_events")
    op.drop_table("club_channels")
    op.drop_index(op.f("ix_club_announcements_school_id"), table_name="club_announcements")
    op.drop_index(op.f("ix_club_announcements_author_id"), table_name="club_announcements")
    op.drop_table("club_announcements")
