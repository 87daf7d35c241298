"""A curator's or coordinator's weekly digest: when it comes (a weekday and a time in
their local zone), whether it comes at all, and whether the Excel export goes with it.
No row: the defaults (Monday 08:30, on, without the export)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, SmallInteger, String, Time, false, true
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

DEFAULT_WEEKDAY = 1  # ISO: Monday
DEFAULT_TIME = dt.time(8, 30)


class DigestSetting(Base):
    __tablename__ = "digest_settings"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    weekday: Mapped[int] = mapped_column(SmallInteger, default=DEFAULT_WEEKDAY)
    at: Mapped[dt.time] = mapped_column(Time, default=DEFAULT_TIME)
    enabled: Mapped[bool] = mapped_column(Boolean, server_default=true(), default=True)
    with_export: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    # "YYYY-MM" of the monitoring month whose full export already went with a digest.
    monitoring_sent: Mapped[str | None] = mapped_column(String(7))
    updated_at: Mapped[dt.datetime]
