from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, Time, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Programme(Base):
    """A school's (or, with school_id NULL, a whole municipality's) programme for one
    academic year, with the rhythm and thresholds the reminders follow."""

    __tablename__ = "programmes"
    __table_args__ = (UniqueConstraint("school_id", "municipality_id", "academic_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    academic_year: Mapped[str] = mapped_column(String(9))  # "2026/2027"
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    meeting_interval_days: Mapped[int] = mapped_column(default=14)
    feedback_deadline_hours: Mapped[int] = mapped_column(default=48)
    silent_after_days: Mapped[int] = mapped_column(default=21)
    stage_stuck_days: Mapped[int] = mapped_column(default=30)
    quiet_from: Mapped[dt.time] = mapped_column(Time, default=dt.time(21, 0))
    quiet_to: Mapped[dt.time] = mapped_column(Time, default=dt.time(8, 0))
    # ISO weekdays with no messages, comma-separated ("6,7" = Saturday and Sunday).
    rest_days: Mapped[str] = mapped_column(String(20), default="6,7")
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Holiday(Base):
    """School holidays of a municipality: no reminders are sent on these dates."""

    __tablename__ = "holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
