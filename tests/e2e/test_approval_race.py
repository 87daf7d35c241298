"""A curator's «Подтвердить» and a coordinator's «Отклонить» on the same request at the
same moment: one decision wins, the other presser is told politely, one notice."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Outbox, Participant, ParticipantStatus, Role
from services import approvals, consent, registration
from services.access import Actor
from services.clock import FixedClock
from services.consent import ConsentDocument
from services.errors import DomainError
from services.outbox import Kind
from services.questionnaire import Answers
from tests import arrange
from tests.e2e.flows import self_register_mentee
from tests.fakes.client import Deliver, PersonFactory


async def test_simultaneous_approve_and_decline_make_one_decision(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    await arrange.staff(db, 555, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun)
    curator, coordinator = person("Анна", user_id=222), person("Ольга", user_id=555)
    maria = person("Мария")
    await self_register_mentee(maria)
    await deliver()
    await coordinator.send("/pending")
    approve_on = curator.find_button("Подтвердить")
    decline_on = coordinator.find_button("Отклонить")
    alerts_before = len(maria.api.alerts)

    await asyncio.gather(curator.press(*approve_on), coordinator.press(*decline_on))

    refusals = [a for a in maria.api.alerts[alerts_before:] if a[1]]
    assert [a[1] for a in refusals] == ["По этой заявке уже принято решение."]
    db.expire_all()
    decisions = await db.scalar(
        select(func.count())
        .select_from(Outbox)
        .where(Outbox.kind.in_([Kind.REG_APPROVED, Kind.REG_DECLINED]))
    )
    assert decisions == 1
    await deliver()
    told = [
        m.text
        for m in maria.api.chat(maria.user_id)
        if "подтвердил вашу регистрацию" in m.text or "отклонил заявку" in m.text
    ]
    assert len(told) == 1
    row = await db.scalar(
        select(Participant).where(
            Participant.status.in_([ParticipantStatus.ACTIVE, ParticipantStatus.DECLINED]),
            Participant.id > 2,
        )
    )
    assert row is not None
    await db.refresh(row, ["roles"])
    if "подтвердил" in told[0]:
        assert row.status == ParticipantStatus.ACTIVE and [g.role for g in row.roles] == [
            Role.MENTEE
        ]
    else:
        assert row.status == ParticipantStatus.DECLINED and row.roles == []


async def test_approve_and_decline_on_two_sessions_decide_once(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    """Deterministic: the approver's commit waits until the decliner has read the request
    (old code) or is blocked on its row lock (PostgreSQL), so the two really overlap."""
    mun, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(db, 222, "Козлова Анна", Role.CURATOR, school=schools[1])
    coordinator = await arrange.staff(db, 555, "Соколова Ольга", Role.COORDINATOR, municipality=mun)
    actors = []
    for p in (curator, coordinator):
        await db.refresh(p, ["roles"])
        actors.append(Actor.of(p.telegram_id or 0, p, is_admin=False))
    maria = await consent.give(
        db, telegram_id=77, username=None, document=ConsentDocument("1", "т"), clock=clock
    )
    await registration.complete(
        db,
        maria,
        answers=Answers(full_name="Иванова Мария Петровна"),
        role=Role.MENTEE,
        school_id=schools[1].id,
        invite_code=None,
        clock=clock,
    )
    read = asyncio.Event()

    async def overlapped() -> None:
        for _ in range(500):
            if read.is_set():
                return
            async with sessionmaker() as probe:
                if await probe.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                    return
            await asyncio.sleep(0.01)
        raise AssertionError("the second decision never reached the database")

    async with sessionmaker() as first, sessionmaker() as second:
        first_commit, second_scalar = first.commit, second.scalar

        async def commit_after_overlap() -> None:
            await overlapped()
            await first_commit()

        async def scalar_then_flag(*args: Any, **kw: Any) -> Any:
            result = await second_scalar(*args, **kw)
            read.set()
            return result

        first.commit = commit_after_overlap  # type: ignore[method-assign]
        second.scalar = scalar_then_flag  # type: ignore[method-assign]
        results = await asyncio.gather(
            approvals.approve(first, actors[0], maria.id, clock),
            approvals.decline(second, actors[1], maria.id, clock),
            return_exceptions=True,
        )
    refused = [r for r in results if isinstance(r, DomainError)]
    assert [r.code for r in refused] == ["approval.already_decided"], results
    db.expire_all()
    decisions = await db.scalar(
        select(func.count())
        .select_from(Outbox)
        .where(Outbox.kind.in_([Kind.REG_APPROVED, Kind.REG_DECLINED]))
    )
    assert decisions == 1
