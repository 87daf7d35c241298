"""«Мои достижения»: a participant's portfolio entries (contests, publications, open
lessons and talks, attestation), each with an optional file Telegram keeps. The texts
and files are the person's: deleted on withdrawal."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, str_enum


class AchievementKind(enum.StrEnum):
    CONTEST = "contest"
    PUBLICATION = "publication"
    OPEN_LESSON = "open_lesson"  # открытый урок, выступление
    ATTESTATION = "attestation"


class Achievement(Base):
    __tablename__ = "achievements"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AchievementKind] = mapped_column(str_enum(AchievementKind, "achievement_kind"))
    title: Mapped[str] = mapped_column(Text)  # the contest, the publication, the lesson
    level: Mapped[str | None] = mapped_column(String(20))  # contest: school … federal
    result: Mapped[str | None] = mapped_column(String(20))  # participant | prize | winner; category
    on_date: Mapped[dt.date] = mapped_column(Date)
    file_id: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]
