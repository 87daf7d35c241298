"""Satisfaction surveys and the programme's indicators: the instrument (versioned items),
survey rounds per school and year, responses with their answers, the schools'
headcounts and the indicators' targets.

The instrument is data, not code: the project ships a default (our own items, the seeds
quote none) and a municipality may load its own; a response keeps the version it was
given under, so changing the instrument never rewrites old answers.
"""

from __future__ import annotations

import datetime as dt
import enum

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
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, str_enum
from models.enums import Role


class RoundKind(enum.StrEnum):
    ENTRY = "entry"  # входная
    MIDTERM = "midterm"  # промежуточная
    FINAL = "final"  # итоговая


ROUND_ORDER = (RoundKind.ENTRY, RoundKind.MIDTERM, RoundKind.FINAL)


class ItemKind(enum.StrEnum):
    SCALE = "scale"  # 1–10
    YES_NO = "yes_no"
    TEXT = "text"  # typed, may be skipped
    DEFICIT_SCALE = "deficit_scale"  # 1–10 for each of the mentee's deficits
    DEFICIT_CHANGE = "deficit_change"  # закрыт / стало легче / без изменений, per deficit


class Measure(enum.StrEnum):
    """What an item feeds, so indicators never depend on an instrument's item codes."""

    SATISFACTION = "satisfaction"  # the mandatory overall satisfaction item
    DEFICIT_CHANGE = "deficit_change"


class DeficitChange(enum.IntEnum):
    """Stored as the answer's value."""

    CLOSED = 1  # закрыт
    EASIER = 2  # стало легче
    UNCHANGED = 3  # без изменений


class SurveyInstrument(Base):
    """One version of a questionnaire. ``municipality_id`` NULL: the project's default."""

    __tablename__ = "survey_instruments"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "default:<version>" or "<municipality id>:<version>": one row per scope and version.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    source_note: Mapped[str] = mapped_column(Text)
    # The lowest score of the satisfaction item that counts as «удовлетворён».
    satisfied_from: Mapped[int] = mapped_column(SmallInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    imported_at: Mapped[dt.datetime]


class SurveyItem(Base):
    __tablename__ = "survey_items"
    __table_args__ = (UniqueConstraint("instrument_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("survey_instruments.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    role: Mapped[Role] = mapped_column(str_enum(Role, "survey_item_role"))
    kind: Mapped[ItemKind] = mapped_column(str_enum(ItemKind, "survey_item_kind"))
    text: Mapped[str] = mapped_column(Text)
    # The rounds that ask it, comma-separated RoundKind values ("entry,midterm,final").
    rounds: Mapped[str] = mapped_column(String(40))
    position: Mapped[int]
    measure: Mapped[Measure | None] = mapped_column(str_enum(Measure, "survey_measure"))

    def in_round(self, kind: RoundKind) -> bool:
        return kind.value in self.rounds.split(",")


class SurveyRound(Base):
    """A round of a school's programme in one academic year; its dates are the order's."""

    __tablename__ = "survey_rounds"
    __table_args__ = (UniqueConstraint("school_id", "academic_year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(9))
    kind: Mapped[RoundKind] = mapped_column(str_enum(RoundKind, "survey_round_kind"))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class SurveyResponse(Base):
    """One person's answers to one round, in one role. Created with the invitation;
    ``asked_*`` is the item last put to the person (a typed answer goes there, also
    after a restart, since it is here and not in the chat's FSM)."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("round_id", "participant_id", "role"),
        Index("ix_survey_responses_participant_id", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "survey_response_role"))
    instrument_id: Mapped[int] = mapped_column(
        ForeignKey("survey_instruments.id", ondelete="RESTRICT")
    )
    # Set when the round was opened for this person by their pair's final meeting.
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id", ondelete="SET NULL"))
    invited_at: Mapped[dt.datetime]
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    asked_item_id: Mapped[int | None]
    asked_sub: Mapped[int | None]
    asked_at: Mapped[dt.datetime | None]


class SurveyAnswer(Base):
    """One answer. ``sub`` is the catalogue item for the per-deficit items, else 0.
    ``text`` is erased when the person withdraws consent; the value stays, anonymous."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "item_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(
        ForeignKey("survey_items.id", ondelete="RESTRICT"), index=True
    )
    sub: Mapped[int] = mapped_column(default=0)
    value: Mapped[int | None] = mapped_column(SmallInteger)
    text: Mapped[str | None] = mapped_column(Text)
    skipped: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    answered_at: Mapped[dt.datetime]


class Headcount(Base):
    """A school's real headcount for an academic year: the B of the coverage indicators
    (never the bot's own registrations)."""

    __tablename__ = "headcounts"
    __table_args__ = (UniqueConstraint("school_id", "academic_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(9))
    teachers: Mapped[int]  # численность педагогических работников
    under_35: Mapped[int]  # из них до 35 лет
    young_specialists: Mapped[int]  # из них молодых специалистов (стаж 0–3 года)
    source: Mapped[str] = mapped_column(String(10))  # bot | cli | import
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    entered_at: Mapped[dt.datetime]


class IndicatorTarget(Base):
    """An indicator's target for a year, set for a municipality (``school_id`` NULL) or
    one school; without one the definition's default for the programme's year applies."""

    __tablename__ = "indicator_targets"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "<municipality>:<school or 0>:<year>:<code>": one target per scope, year, indicator.
    key: Mapped[str] = mapped_column(String(100), unique=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    academic_year: Mapped[str] = mapped_column(String(9))
    code: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(SmallInteger)
