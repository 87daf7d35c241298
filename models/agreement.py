"""Mentoring as work under art. 351.8 ТК РФ: the mentor's answer to a proposal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, str_enum
from models.enums import ActivityKind, EndingStatus, MentoringForm, ProposalStatus
from models.participants import Participant

WAITING_PROPOSAL = f"status = '{ProposalStatus.WAITING.value}'"
SCHEDULED_ENDING = f"status = '{EndingStatus.SCHEDULED.value}'"


class PairProposal(Base):
    """A curator's proposal to a mentor to take a mentee (alone or into their group).
    The pair is formed only when the mentor answers «Беру»: mentoring needs the
    mentor's consent. A declined proposal stays, so that mentee is not proposed to that
    mentor again."""

    __tablename__ = "pair_proposals"
    __table_args__ = (
        # One waiting proposal per mentee: two curators cannot propose her twice.
        Index(
            "uq_pair_proposals_waiting_mentee_id",
            "mentee_id",
            unique=True,
            postgresql_where=text(WAITING_PROPOSAL),
            sqlite_where=text(WAITING_PROPOSAL),
        ),
        Index("ix_pair_proposals_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    # The mentor's group the mentee would join; None for a pair of their own.
    group_pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    order_number: Mapped[str | None] = mapped_column(String(50))
    order_date: Mapped[dt.date | None] = mapped_column(Date)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.WAITING
    )
    created_at: Mapped[dt.datetime]
    # School-local dates, counted in working days when proposed (services.working_days).
    remind_on: Mapped[dt.date] = mapped_column(Date)
    return_on: Mapped[dt.date] = mapped_column(Date)
    reminded_at: Mapped[dt.datetime | None]
    answered_at: Mapped[dt.datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(Text)  # erased on withdrawal
    # The pair formed on «Беру».
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))

    mentee: Mapped[Participant] = relationship(foreign_keys=[mentee_id], lazy="joined")
    mentor: Mapped[Participant] = relationship(foreign_keys=[mentor_id], lazy="joined")


class PairEnding(Base):
    """Ending a pair early with notice: asked by the mentor, a mentee or the curator, with
    a reason; the pair ends on ends_on (at least three of the school's working days
    later) unless cancelled before."""

    __tablename__ = "pair_endings"
    __table_args__ = (
        # One scheduled ending per pair.
        Index(
            "uq_pair_endings_scheduled_pair_id",
            "pair_id",
            unique=True,
            postgresql_where=text(SCHEDULED_ENDING),
            sqlite_where=text(SCHEDULED_ENDING),
        ),
        Index("ix_pair_endings_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    by_role: Mapped[str] = mapped_column(String(20))  # mentor | mentee | curator
    reason: Mapped[str | None] = mapped_column(Text)  # erased on withdrawal
    requested_at: Mapped[dt.datetime]
    ends_on: Mapped[dt.date] = mapped_column(Date)  # school-local
    status: Mapped[EndingStatus] = mapped_column(
        str_enum(EndingStatus, "ending_status"), default=EndingStatus.SCHEDULED
    )
    cancelled_at: Mapped[dt.datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )


class MentoringActivity(Base):
    """Mentoring work besides meetings, logged by the mentor in two taps (a kind and the
    minutes), for the monthly hours table. Held meetings count from their duration."""

    __tablename__ = "mentoring_activities"
    __table_args__ = (Index("ix_mentoring_activities_school_id_on_date", "school_id", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    # The mentor's pair when they have exactly one; None for a mentor of several.
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind, "activity_kind"))
    minutes: Mapped[int] = mapped_column(SmallInteger)
    on_date: Mapped[dt.date] = mapped_column(Date)  # the school's local day
    created_at: Mapped[dt.datetime]


class PairAddendum(Base):
    """The addendum to the mentor's employment contract (дополнительное соглашение) as
    the curator records it: number, date, the mentoring period, the form, whether it is
    paid and the rate type as the school sets it. A new one (an extension) is a new row;
    the pair's current addendum is its latest."""

    __tablename__ = "pair_addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(ForeignKey("pairs.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    form: Mapped[MentoringForm] = mapped_column(str_enum(MentoringForm, "mentoring_form"))
    paid: Mapped[bool] = mapped_column(Boolean)
    rate_type: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime]
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
