"""Arranging data directly in the database (tests act through the bot; they set up here)."""

from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LOCALES_DIR, load_po_locales
from models import (
    AgeGroup,
    Consent,
    Invite,
    Municipality,
    Participant,
    ParticipantStatus,
    QualificationCategory,
    Role,
    RoleGrant,
    School,
)

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


async def municipality_with_schools(db: AsyncSession) -> tuple[Municipality, list[School]]:
    mun = Municipality(name="Городской округ Серпухов", timezone="Europe/Moscow")
    db.add(mun)
    await db.flush()
    schools = [
        School(municipality_id=mun.id, name="МБОУ «Средняя школа № 12»", timezone="Europe/Moscow"),
        School(municipality_id=mun.id, name="МБОУ «Гимназия № 3»", timezone="Europe/Moscow"),
        School(municipality_id=mun.id, name="МБОУ «Лицей»", timezone="Europe/Moscow"),
    ]
    db.add_all(schools)
    await db.commit()
    return mun, schools


async def municipality_other(db: AsyncSession) -> Municipality:
    """A second municipality with one school in another time zone."""
    mun = Municipality(name="Город Новосибирск", timezone="Asia/Novosibirsk")
    db.add(mun)
    await db.flush()
    db.add(School(municipality_id=mun.id, name="МАОУ «Школа № 7»", timezone="Asia/Novosibirsk"))
    await db.commit()
    return mun


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


async def invite(
    db: AsyncSession,
    school: School,
    role: Role,
    *,
    code: str = "INVITE12",
    expires_at: dt.datetime | None = None,
    max_uses: int = 10,
    uses: int = 0,
    created_by: Participant | None = None,
) -> Invite:
    inv = Invite(
        code=code,
        role=role,
        school_id=school.id,
        municipality_id=school.municipality_id,
        expires_at=expires_at or NOW + dt.timedelta(days=30),
        max_uses=max_uses,
        uses=uses,
        created_by_id=created_by.id if created_by else None,
    )
    db.add(inv)
    await db.commit()
    return inv
