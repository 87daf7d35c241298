from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, str_enum
from models.enums import AgeGroup, CatalogueKind, ParticipantStatus, QualificationCategory, Role
from models.geo import Municipality, School


class Participant(Base):
    """A person in the programme: the shared part of the base of mentors and mentees.

    Personal data lives only in the nullable columns marked PD; erasing a person sets
    them to NULL and the status to LEFT, so statistics stay and the person is gone.
    """

    __tablename__ = "participants"
    __table_args__ = (
        # One live row per Telegram account; erased rows have telegram_id NULL.
        Index("uq_participants_telegram_id", "telegram_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None]  # PD
    username: Mapped[str | None] = mapped_column(String(64))  # PD
    full_name: Mapped[str | None] = mapped_column(String(150))  # PD
    status: Mapped[ParticipantStatus] = mapped_column(
        str_enum(ParticipantStatus, "participant_status"), default=ParticipantStatus.REGISTERING
    )
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[str | None] = mapped_column(String(150))
    subject: Mapped[str | None] = mapped_column(String(150))
    experience_years: Mapped[int | None]
    age_group: Mapped[AgeGroup | None] = mapped_column(str_enum(AgeGroup, "age_group"))
    category: Mapped[QualificationCategory | None] = mapped_column(
        str_enum(QualificationCategory, "qualification_category")
    )
    # Roles asked for at self-registration, granted when the curator approves.
    requested_role: Mapped[Role | None] = mapped_column(str_enum(Role, "requested_role"))
    # The invite a registration started with, from «Согласен» until the questionnaire is
    # done: a /start mid-form or a restart (memory FSM) must not turn an invited teacher
    # into a self-registered one. A code, not a key: invites point at participants too.
    invite_code: Mapped[str | None] = mapped_column(String(32))
    blocked_bot: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    registered_at: Mapped[dt.datetime | None]
    erased_at: Mapped[dt.datetime | None]
    # The consent version the person agreed to or was last asked to renew: asked once,
    # never nagged (and no query per message while it is the current one).
    consent_asked_version: Mapped[str | None] = mapped_column(String(20))

    school: Mapped[School | None] = relationship(lazy="joined")
    roles: Mapped[list[RoleGrant]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="selectin"
    )
    mentee_profile: Mapped[MenteeProfile | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="selectin"
    )
    mentor_profile: Mapped[MentorProfile | None] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="selectin"
    )
    catalogue_marks: Mapped[list[CatalogueMark]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", lazy="selectin"
    )

    def has_role(self, role: Role) -> bool:
        return any(g.role == role for g in self.roles)

    def marks(self, kind: CatalogueKind) -> list[int]:
        return sorted(m.item_id for m in self.catalogue_marks if m.kind == kind)


class RoleGrant(Base):
    """A role with its scope: a school for mentors, mentees and curators, a municipality
    for coordinators, a region for regional coordinators."""

    __tablename__ = "role_grants"
    __table_args__ = (
        # One grant of a role per scope. On the scope's columns as they are, a unique
        # constraint never fired (every role leaves some of them NULL, and NULLs are
        # distinct), so two presses at once could grant a role twice; COALESCE makes a
        # missing scope a value (ids start at 1), on PostgreSQL and SQLite alike.
        Index(
            "uq_role_grants_scope",
            "participant_id",
            "role",
            text("coalesce(school_id, 0)"),
            text("coalesce(municipality_id, 0)"),
            text("coalesce(region_id, 0)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    # The scope of a regional coordinator.
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), index=True
    )
    granted_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    participant: Mapped[Participant] = relationship(back_populates="roles")
    school: Mapped[School | None] = relationship(lazy="joined")
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")


class MenteeProfile(Base):
    __tablename__ = "mentee_profiles"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    request_text: Mapped[str | None] = mapped_column(Text)  # PD (free text)

    participant: Mapped[Participant] = relationship(back_populates="mentee_profile")


class MentorProfile(Base):
    __tablename__ = "mentor_profiles"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    capacity: Mapped[int] = mapped_column(default=1)

    participant: Mapped[Participant] = relationship(back_populates="mentor_profile")


class CatalogueMark(Base):
    """A deficit ticked by a mentee or a competency ticked by a mentor."""

    __tablename__ = "catalogue_marks"
    __table_args__ = (UniqueConstraint("participant_id", "kind", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CatalogueKind] = mapped_column(str_enum(CatalogueKind, "catalogue_kind"))
    item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id", ondelete="RESTRICT"))

    participant: Mapped[Participant] = relationship(back_populates="catalogue_marks")


class Consent(Base):
    """Consent to personal-data processing (152-ФЗ): which text, when, by whom.

    On withdrawal the row stays as proof of the event, without the Telegram id: only
    ``subject_hmac`` (a keyed hash of the id) lets the operator find the records again
    when the person's id is presented (services.consent.proof_for).
    """

    __tablename__ = "consents"
    __table_args__ = (
        # One live consent per person and text version: a double press records one.
        Index(
            "uq_consents_live_version",
            "participant_id",
            "text_version",
            unique=True,
            postgresql_where=text("withdrawn_at IS NULL"),
            sqlite_where=text("withdrawn_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    telegram_id: Mapped[int | None]  # PD, cleared on withdrawal
    subject_hmac: Mapped[str | None] = mapped_column(String(64), index=True)
    text_version: Mapped[str] = mapped_column(String(20))
    text_sha256: Mapped[str] = mapped_column(String(64))
    given_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "invite_role"))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    expires_at: Mapped[dt.datetime]
    max_uses: Mapped[int]
    uses: Mapped[int] = mapped_column(default=0)
    revoked: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    school: Mapped[School | None] = relationship(lazy="joined")
    municipality: Mapped[Municipality | None] = relationship(lazy="joined")


class AuditEvent(Base):
    """Who did what to which object. Ids and codes only: never names or free text."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
