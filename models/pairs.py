from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, str_enum
from models.enums import (
    FeedbackStatus,
    GoalStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OutboxStatus,
    PairStatus,
)
from models.participants import Participant

# Open = proposed or confirmed (services.meetings.reading.OPEN); one per pair at most.
OPEN_MEETING = f"status IN ('{MeetingStatus.PROPOSED.value}', '{MeetingStatus.CONFIRMED.value}')"


class Pair(Base):
    """A mentoring unit: one mentor and one mentee (a pair) or several (a group)."""

    __tablename__ = "pairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PairStatus] = mapped_column(
        str_enum(PairStatus, "pair_status"), default=PairStatus.ACTIVE
    )
    # The kind of meeting that comes next; None once completed.
    next_kind: Mapped[MeetingKind | None] = mapped_column(
        str_enum(MeetingKind, "next_kind"), default=MeetingKind.INTRO
    )
    stage_since: Mapped[dt.datetime]
    order_number: Mapped[str | None] = mapped_column(String(50))  # приказ
    order_date: Mapped[dt.date | None] = mapped_column(Date)
    formed_at: Mapped[dt.datetime]
    formed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    ended_at: Mapped[dt.datetime | None]
    end_reason: Mapped[str | None] = mapped_column(Text)
    paused_until: Mapped[dt.date | None] = mapped_column(Date)
    mentor_fit: Mapped[bool | None] = mapped_column(Boolean)  # after the trial meeting

    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id], lazy="joined")
    members: Mapped[list[PairMember]] = relationship(
        back_populates="pair", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def active_members(self) -> list[PairMember]:
        return [m for m in self.members if m.left_at is None]


class PairMember(Base):
    __tablename__ = "pair_members"
    __table_args__ = (
        UniqueConstraint("pair_id", "mentee_id"),
        Index("ix_pair_members_mentee_id", "mentee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    joined_at: Mapped[dt.datetime]
    left_at: Mapped[dt.datetime | None]
    fit: Mapped[bool | None] = mapped_column(Boolean)  # the mentee's answer after the trial

    pair: Mapped[Pair] = relationship(back_populates="members")
    mentee: Mapped[Participant] = relationship(lazy="joined")


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        # At most one open (proposed or confirmed) meeting per pair: two simultaneous
        # «Отправить» presses cannot both be saved (see services.meetings.scheduling).
        Index(
            "uq_meetings_open_pair_id",
            "pair_id",
            unique=True,
            postgresql_where=text(OPEN_MEETING),
            sqlite_where=text(OPEN_MEETING),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(str_enum(MeetingKind, "meeting_kind"))
    status: Mapped[MeetingStatus] = mapped_column(str_enum(MeetingStatus, "meeting_status"))
    starts_at: Mapped[dt.datetime]
    duration_min: Mapped[int | None] = mapped_column(SmallInteger)
    format: Mapped[MeetingFormat | None] = mapped_column(str_enum(MeetingFormat, "meeting_format"))
    place: Mapped[str | None] = mapped_column(String(300))  # a room, or an online link
    topic: Mapped[str | None] = mapped_column(String(300))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    # A kind skipped by the curator records why.
    skip_reason: Mapped[str | None] = mapped_column(Text)
    logged_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Feedback(Base):
    """One person's feedback on one held meeting. Requested when the meeting is logged."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[FeedbackStatus] = mapped_column(
        str_enum(FeedbackStatus, "feedback_status"), default=FeedbackStatus.REQUESTED
    )
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    helped: Mapped[str | None] = mapped_column(Text)  # что было полезно
    hard: Mapped[str | None] = mapped_column(Text)  # что осталось трудным
    # Whether the other side may read the comment (the curator always can).
    shared: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    requested_at: Mapped[dt.datetime]
    due_at: Mapped[dt.datetime]
    given_at: Mapped[dt.datetime | None]


class PlanGoal(Base):
    """A goal of the personal plan (ИОМ), set at the planning meeting."""

    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    catalogue_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogue_items.id", ondelete="SET NULL")
    )
    target_month: Mapped[dt.date] = mapped_column(Date)  # the first day of the month
    status: Mapped[GoalStatus] = mapped_column(
        str_enum(GoalStatus, "goal_status"), default=GoalStatus.PLANNED
    )
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class Outbox(Base):
    """Everything the bot must send later: a row written in the same transaction as its
    cause. Payload holds ids only, never names or texts; the text is rendered at send time."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "due_at"),
        Index("ix_outbox_claimed_until", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    due_at: Mapped[dt.datetime]
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(200))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    # What caused the row, so moving or cancelling it cancels the row.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime]
    sent_at: Mapped[dt.datetime | None]
    # The sender's lease: a batch claims rows in a committed step; a sender killed mid-batch
    # leaves them claimed until the lease runs out, then another (or a restarted) one takes them.
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_until: Mapped[dt.datetime | None]


class LeaderLock(Base):
    """The scheduler leader on SQLite (PostgreSQL uses an advisory lock instead)."""

    __tablename__ = "leader_locks"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[dt.datetime]
