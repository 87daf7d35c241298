"""The registration services on their own (no Telegram): invites, consent, completion,
approval scope."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Consent, Invite, Participant, ParticipantStatus, Role
from services import approvals, consent, invites, registration
from services.access import Actor
from services.clock import FixedClock
from services.consent import ConsentDocument
from services.errors import AccessDenied
from services.invites import InviteError
from services.questionnaire import Answers
from tests import arrange

DOC = ConsentDocument(version="2026-11", text="Текст согласия")


async def _actor(db: AsyncSession, p: Participant) -> Actor:
    await db.refresh(p, ["roles"])
    return Actor.of(p.telegram_id or 0, p, is_admin=False)


async def test_curator_invites_only_teachers_of_their_own_school(
    db: AsyncSession, clock: FixedClock
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(db, 1, "Козлова Анна Викторовна", Role.CURATOR, school=schools[0])
    actor = await _actor(db, curator)
    info = await invites.create(
        db, actor, role=Role.MENTOR, school_id=schools[0].id, clock=clock, days=7, max_uses=3
    )
    assert info.expires_at == clock.now() + dt.timedelta(days=7) and info.max_uses == 3
    with pytest.raises(AccessDenied):
        await invites.create(
            db, actor, role=Role.MENTOR, school_id=schools[1].id, clock=clock, days=7, max_uses=3
        )
    with pytest.raises(AccessDenied):
        await invites.create(
            db, actor, role=Role.CURATOR, school_id=schools[0].id, clock=clock, days=7, max_uses=3
        )


async def test_coordinator_is_limited_to_the_municipality(
    db: AsyncSession, clock: FixedClock
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    coord = await arrange.staff(
        db, 2, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun
    )
    actor = await _actor(db, coord)
    info = await invites.create(
        db, actor, role=Role.CURATOR, school_id=schools[2].id, clock=clock, days=7, max_uses=1
    )
    assert info.role == Role.CURATOR
    other_school = (await db.scalars(select(Invite.school_id))).first()
    assert other_school == schools[2].id
    with pytest.raises(AccessDenied):
        await invites.create(
            db,
            actor,
            role=Role.COORDINATOR,
            municipality_id=other.id,
            clock=clock,
            days=7,
            max_uses=1,
        )


async def test_invite_check_reasons(db: AsyncSession, clock: FixedClock) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE, code="OK000001")
    await arrange.invite(db, schools[0], Role.MENTEE, code="FULL0001", max_uses=2, uses=2)
    await arrange.invite(
        db,
        schools[0],
        Role.MENTEE,
        code="OLD00001",
        expires_at=clock.now() - dt.timedelta(seconds=1),
    )
    assert (await invites.check(db, "OK000001", clock)).code == "OK000001"
    for code, reason in (
        ("FULL0001", "invite.used_up"),
        ("OLD00001", "invite.expired"),
        ("NOPE0001", "invite.unknown"),
    ):
        with pytest.raises(InviteError) as err:
            await invites.check(db, code, clock)
        assert err.value.code == reason


async def test_invite_used_up_while_filling_in_falls_back_to_approval(
    db: AsyncSession, clock: FixedClock
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(db, 3, "Козлова Анна Викторовна", Role.CURATOR, school=schools[0])
    inv = await arrange.invite(db, schools[0], Role.MENTEE, code="LAST0001", max_uses=1)
    first = await consent.give(db, telegram_id=10, username=None, document=DOC, clock=clock)
    second = await consent.give(db, telegram_id=11, username=None, document=DOC, clock=clock)
    answers = Answers(full_name="Иванова Мария Петровна", confirmed=["deficits", "request_text"])
    done = await registration.complete(
        db,
        first,
        answers=answers,
        role=Role.MENTEE,
        school_id=None,
        invite_code=inv.code,
        clock=clock,
    )
    assert done.status == ParticipantStatus.ACTIVE and not done.invite_fell_back
    late = await registration.complete(
        db,
        second,
        answers=answers,
        role=Role.MENTEE,
        school_id=None,
        invite_code=inv.code,
        clock=clock,
    )
    assert late.invite_fell_back and late.status == ParticipantStatus.PENDING
    assert late.notified_ids == [curator.id]


async def test_consent_records_version_hash_and_time(db: AsyncSession, clock: FixedClock) -> None:
    p = await consent.give(db, telegram_id=12, username="u", document=DOC, clock=clock)
    record = await db.scalar(select(Consent).where(Consent.participant_id == p.id))
    assert record is not None
    assert record.text_version == "2026-11" and record.given_at == clock.now()
    assert record.text_sha256 == DOC.sha256 and len(DOC.sha256) == 64
    changed = ConsentDocument(version="2026-11", text="Текст согласия, другой оператор")
    assert changed.sha256 != DOC.sha256


async def test_approval_is_refused_outside_scope(db: AsyncSession, clock: FixedClock) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    stranger = await arrange.staff(db, 4, "Орлова Вера Павловна", Role.CURATOR, school=schools[2])
    p = await consent.give(db, telegram_id=13, username=None, document=DOC, clock=clock)
    await registration.complete(
        db,
        p,
        answers=Answers(full_name="Иванова Мария Петровна"),
        role=Role.MENTEE,
        school_id=schools[0].id,
        invite_code=None,
        clock=clock,
    )
    with pytest.raises(AccessDenied):
        await approvals.approve(db, await _actor(db, stranger), p.id, clock)
    assert await registration.pending(db, await _actor(db, stranger)) == []
    admin = Actor(telegram_id=99, is_admin=True)
    assert [i.participant_id for i in await registration.pending(db, admin)] == [p.id]
    decision = await approvals.approve(db, admin, p.id, clock)
    assert decision.approved and decision.role == Role.MENTEE


async def test_two_newcomers_finishing_at_once_on_the_last_use(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    """The invite's use is taken in one statement at the end (no lock held through the
    completion): of two people finishing together on its last use, one is in and the
    other waits for the curator, never both in."""
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 3, "Козлова Анна Викторовна", Role.CURATOR, school=schools[0])
    inv = await arrange.invite(db, schools[0], Role.MENTEE, code="LAST0002", max_uses=1)
    answers = Answers(full_name="Иванова Мария Петровна", confirmed=["deficits", "request_text"])

    async def finish(telegram_id: int) -> registration.Completion:
        async with sessionmaker() as session:
            person = await consent.give(
                session, telegram_id=telegram_id, username=None, document=DOC, clock=clock
            )
            return await registration.complete(
                session,
                person,
                answers=answers,
                role=Role.MENTEE,
                school_id=None,
                invite_code=inv.code,
                clock=clock,
            )

    results = await asyncio.gather(finish(20), finish(21))
    assert sorted(r.status for r in results) == [
        ParticipantStatus.ACTIVE,
        ParticipantStatus.PENDING,
    ]
    assert [r.invite_fell_back for r in results].count(True) == 1
    await db.refresh(inv)
    assert inv.uses == 1
