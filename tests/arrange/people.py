"""Participants: staff, teachers, mentees with deficits, mentors with competencies.
Everyone arranged has agreed to the consent the bot shows now."""

from __future__ import annotations

import functools

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LOCALES_DIR, load_po_locales
from models import (
    AgeGroup,
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    Consent,
    MenteeProfile,
    MentorProfile,
    Municipality,
    Participant,
    ParticipantStatus,
    QualificationCategory,
    Role,
    RoleGrant,
    School,
)
from tests.arrange.constants import NOW

DISCIPLINE, PARENTS, ASSESS = "psy_discipline", "comm_parents", "meth_assess"


@functools.cache
def consent_version() -> str:
    """The consent version the bot shows now: arranged people agreed to it, so they are
    not asked to renew it (tests of renewal arrange an older one)."""
    return load_po_locales(LOCALES_DIR)["ru"].gettext("consent.version")


async def _consent(db: AsyncSession, p: Participant, version: str | None = None) -> None:
    await db.flush()
    db.add(
        Consent(
            participant_id=p.id,
            telegram_id=p.telegram_id,
            text_version=version or consent_version(),
            text_sha256="0" * 64,
            given_at=NOW,
        )
    )
    await db.commit()


async def staff(
    db: AsyncSession,
    telegram_id: int,
    name: str,
    role: Role,
    *,
    school: School | None = None,
    municipality: Municipality | None = None,
) -> Participant:
    p = Participant(
        telegram_id=telegram_id,
        full_name=name,
        status=ParticipantStatus.ACTIVE,
        school_id=school.id if school else None,
        position="заместитель директора",
        registered_at=NOW,
    )
    p.roles = [
        RoleGrant(
            role=role,
            school_id=school.id if role != Role.COORDINATOR and school else None,
            municipality_id=municipality.id if role == Role.COORDINATOR and municipality else None,
        )
    ]
    db.add(p)
    await _consent(db, p)
    return p


async def teacher(
    db: AsyncSession, telegram_id: int, name: str, role: Role, school: School
) -> Participant:
    p = Participant(
        telegram_id=telegram_id,
        full_name=name,
        status=ParticipantStatus.ACTIVE,
        school_id=school.id,
        position="учитель",
        subject="математика",
        experience_years=1,
        age_group=AgeGroup.UNDER_35,
        category=QualificationCategory.NONE,
        registered_at=NOW,
    )
    p.roles = [RoleGrant(role=role, school_id=school.id)]
    db.add(p)
    await _consent(db, p)
    return p


async def _mark(
    db: AsyncSession, p: Participant, kind: CatalogueKind, codes: tuple[str, ...]
) -> None:
    items = await db.scalars(select(CatalogueItem.id).where(CatalogueItem.code.in_(codes)))
    for item in items:
        db.add(CatalogueMark(participant_id=p.id, kind=kind, item_id=item))


async def mentee(
    db: AsyncSession,
    tg: int,
    name: str,
    school: School,
    *,
    deficits: tuple[str, ...] = (DISCIPLINE, PARENTS),
    request: str | None = "Хочу научиться держать дисциплину в 7 «Б»",
    username: str | None = None,
    subject: str = "математика",
) -> Participant:
    p = await teacher(db, tg, name, Role.MENTEE, school)
    p.username = username
    p.subject = subject
    # Added as a row: assigning p.mentee_profile would make the flush load the old
    # (never loaded) value, a lazy load.
    db.add(MenteeProfile(participant_id=p.id, request_text=request))
    await _mark(db, p, CatalogueKind.DEFICIT, deficits)
    await db.commit()
    return p


async def mentor(
    db: AsyncSession,
    tg: int,
    name: str,
    school: School,
    *,
    subject: str = "математика",
    years: int = 15,
    competencies: tuple[str, ...] = (DISCIPLINE, PARENTS),
    capacity: int = 2,
    username: str | None = None,
) -> Participant:
    p = await teacher(db, tg, name, Role.MENTOR, school)
    p.subject = subject
    p.experience_years = years
    p.username = username
    db.add(MentorProfile(participant_id=p.id, capacity=capacity))  # as in mentee()
    await _mark(db, p, CatalogueKind.COMPETENCY, competencies)
    await db.commit()
    return p
