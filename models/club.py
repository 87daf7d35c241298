"""The young teachers' club «Пеликаша» of a municipality: its events (the year's plan),
who said they would come (with a waiting list when an event is full), who came, the
organisers' announcements and the club's channel.

An event belongs to a municipality; one with a school is that school's own event (its
curator runs it, its people are its audience)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, str_enum


class ClubEventKind(enum.StrEnum):
    MEETING = "meeting"  # заседание клуба
    SEMINAR = "seminar"
    MASTER_CLASS = "master_class"
    ROUND_TABLE = "round_table"
    CONTEST = "contest"
    FORUM = "forum"
    OTHER = "other"


class ClubAudience(enum.StrEnum):
    ALL = "all"
    YOUNG = "young"  # молодые специалисты: стаж до 3 лет
    MENTORS = "mentors"
    MENTEES = "mentees"
    CURATORS = "curators"  # кураторы и координаторы


class ClubEventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RsvpStatus(enum.StrEnum):
    GOING = "going"
    NOT_GOING = "not_going"
    WAITING = "waiting"  # the event was full: in line by `queued_at`


class ClubEvent(Base):
    __tablename__ = "club_events"
    __table_args__ = (Index("ix_club_events_municipality_starts", "municipality_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE")
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ClubEventKind] = mapped_column(str_enum(ClubEventKind, "club_event_kind"))
    starts_at: Mapped[dt.datetime]
    place: Mapped[str | None] = mapped_column(String(300))  # a room or a link
    audience: Mapped[ClubAudience] = mapped_column(str_enum(ClubAudience, "club_audience"))
    capacity: Mapped[int | None]  # None: no limit
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ClubEventStatus] = mapped_column(
        str_enum(ClubEventStatus, "club_event_status"), default=ClubEventStatus.DRAFT
    )
    # Grows with every change people are told about: the .ics SEQUENCE.
    version: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime]
    published_at: Mapped[dt.datetime | None]


class ClubRsvp(Base):
    """One person's answer to one event; pressing again changes it, never adds a row."""

    __tablename__ = "club_rsvps"
    __table_args__ = (UniqueConstraint("event_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("club_events.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RsvpStatus] = mapped_column(str_enum(RsvpStatus, "rsvp_status"))
    queued_at: Mapped[dt.datetime]  # when the person joined the list they are on
    updated_at: Mapped[dt.datetime]


class ClubAttendance(Base):
    """Who came, marked by the organiser after the event (walk-ins included)."""

    __tablename__ = "club_attendance"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("club_events.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    marked_at: Mapped[dt.datetime]
    # The attendee's one-tap rating (1–5) and optional reflection (free text: erased on
    # withdrawal, the rating stays anonymous).
    rating: Mapped[int | None] = mapped_column(SmallInteger)
    reflection: Mapped[str | None] = mapped_column(Text)


class ClubMember(Base):
    """A member of the municipality's club (young specialists are invited to join at
    registration and from /club)."""

    __tablename__ = "club_members"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[dt.datetime]


class ClubMaterial(Base):
    """A presentation or памятка the organiser sent for an event: the attendees get it,
    and it stays on the card. Telegram keeps the file; we keep its id and name."""

    __tablename__ = "club_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("club_events.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(200))
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    added_at: Mapped[dt.datetime]


class ClubAnnouncement(Base):
    """A plain announcement: a school curator's to their school's people, or a club
    organiser's to the club's audience in the municipality, with an optional photo or
    document. The text and the file are the author's: erased when the author withdraws."""

    __tablename__ = "club_announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE")
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    audience: Mapped[str] = mapped_column(String(20))  # a ClubAudience value
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(200))
    file_kind: Mapped[str | None] = mapped_column(String(10))  # photo | document
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime]


class ClubChannel(Base):
    """The municipality's club channel: published events are posted there too."""

    __tablename__ = "club_channels"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    # Who set it: they are told when the bot cannot post there.
    set_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime]


class HonorStatus(enum.StrEnum):
    ASKED = "asked"  # nominated; the mentor has not answered yet
    PUBLISHED = "published"  # the mentor agreed to its distribution: on the board


class HonorEntry(Base):
    """A mentor on the municipality's «Доска почёта муниципальных наставников»: the
    coordinator's words about their achievements and professional fields. Shown only
    once the mentor agreed to this text being shown to the programme's participants of
    the municipality (a consent of its own, 152-ФЗ ст. 10.1); a refusal, a withdrawal or
    the mentor's erasure deletes the row, text and all."""

    __tablename__ = "honor_entries"
    __table_args__ = (UniqueConstraint("municipality_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE")
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    citation: Mapped[str] = mapped_column(Text)
    status: Mapped[HonorStatus] = mapped_column(str_enum(HonorStatus, "honor_status"))
    nominated_at: Mapped[dt.datetime]
    # When the mentor agreed to the distribution of exactly this citation.
    consented_at: Mapped[dt.datetime | None]
