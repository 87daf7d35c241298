"""Consent to personal-data processing (152-ФЗ) and its withdrawal."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models import Consent, Invite, Participant, ParticipantStatus, Role
from services import audit, outbox
from services.clock import Clock
from services.participants import approvers_of, find_live, release_declined


@dataclass(frozen=True)
class ConsentDocument:
    """The consent text exactly as shown, with the version and hash that get recorded."""

    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


async def give(
    session: AsyncSession,
    *,
    telegram_id: int,
    username: str | None,
    document: ConsentDocument,
    clock: Clock,
) -> Participant:
    """Record «Согласен». This is the first moment anything about the person is stored."""
    now = clock.now()
    participant = await find_live(session, telegram_id)
    if participant is None:
        await release_declined(session, telegram_id)
        participant = Participant(
            telegram_id=telegram_id, username=username, status=ParticipantStatus.REGISTERING
        )
        session.add(participant)
        await session.flush()
    session.add(
        Consent(
            participant_id=participant.id,
            telegram_id=telegram_id,
            text_version=document.version,
            text_sha256=document.sha256,
            given_at=now,
        )
    )
    audit.record(
        session,
        now,
        "consent.given",
        actor_id=participant.id,
        object_type="participant",
        object_id=participant.id,
    )
    await session.commit()
    return participant


async def latest(session: AsyncSession, participant_id: int) -> Consent | None:
    return await session.scalar(
        select(Consent)
        .where(Consent.participant_id == participant_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Withdrawal:
    """What the bot needs after erasure to tell the curators; the row itself is blank."""

    full_name: str | None
    roles: list[Role]
    school_name: str | None
    notify_ids: list[int]


async def withdraw(session: AsyncSession, participant: Participant, clock: Clock) -> Withdrawal:
    """Withdraw consent: erase personal data now, keep an anonymous row for statistics."""
    now = clock.now()
    result = Withdrawal(
        full_name=participant.full_name,
        roles=[g.role for g in participant.roles],
        school_name=participant.school.name if participant.school else None,
        notify_ids=(
            await approvers_of(session, participant.school_id)
            if participant.school_id and participant.status == ParticipantStatus.ACTIVE
            else []
        ),
    )
    await erase_person(session, participant, now)
    audit.record(
        session,
        now,
        "consent.withdrawn",
        actor_id=participant.id,
        object_type="participant",
        object_id=participant.id,
    )
    await session.commit()
    return result


async def erase_person(session: AsyncSession, participant: Participant, now: dt.datetime) -> None:
    """Erase the person everywhere: their row, their consent records' Telegram id, and
    the invite links they made (those name a person who is no longer here)."""
    _blank(participant, now)
    await session.execute(
        update(Consent).where(Consent.participant_id == participant.id).values(telegram_id=None)
    )
    await session.execute(
        update(Consent)
        .where(Consent.participant_id == participant.id, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    await session.execute(
        update(Invite).where(Invite.created_by_id == participant.id).values(revoked=True)
    )
    await outbox.cancel_for_recipient(session, participant.id)


def _blank(participant: Participant, now: dt.datetime) -> None:
    """Blank every personal field. Experience, age group and category stay: without the
    name and Telegram id they are anonymous and feed the programme's indicators."""
    participant.telegram_id = None
    participant.username = None
    participant.full_name = None
    participant.position = None
    participant.subject = None
    if participant.mentee_profile is not None:
        participant.mentee_profile.request_text = None
    participant.status = ParticipantStatus.LEFT
    participant.erased_at = now
