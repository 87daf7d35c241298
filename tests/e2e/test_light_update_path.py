"""An update costs one query for who sent it: /help from a registered curator makes
exactly one (the identity with its role grants), in autocommit (no BEGIN, no COMMIT);
the first message after a new consent text checks the renewal once, the next ones do
not."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from models import MeetingKind, MeetingStatus, Participant, Role
from tests import arrange
from tests.fakes.client import PersonFactory
from tests.statements import counting, counting_transactions


async def test_help_costs_one_query(
    db: AsyncSession, engine: AsyncEngine, person: PersonFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(
        db, 5101, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    olga = person("Ольга", user_id=5101)
    # The first message finds out that the consent on record is the current one, once.
    await olga.send("/help")
    await db.refresh(curator)
    assert curator.consent_asked_version == arrange.consent_version()

    begun = counting_transactions(monkeypatch)
    with counting(engine) as statements:
        reply = await olga.send("/help")
    assert "/pending" in reply.text  # the curator's commands: the roles were read
    assert len(statements) == 1, statements
    assert "role_grants" in statements[0]
    assert begun == []  # one round trip: no BEGIN before it, no COMMIT after


async def test_an_older_consent_is_asked_about_once(
    db: AsyncSession, engine: AsyncEngine, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    ivan = await arrange.teacher(db, 5102, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    await db.execute(
        update(Participant).where(Participant.id == ivan.id).values(consent_asked_version="0.9")
    )
    await db.commit()
    someone = person("Иван", user_id=5102)
    # His consent is to the current text: nothing to renew, and the check is recorded.
    first = await someone.send("/help")
    assert all("Кто видит мои данные" not in m.text for m in first.messages)
    with counting(engine) as statements:
        await someone.send("/help")
    assert len(statements) == 1


async def test_my_reads_what_is_there(
    db: AsyncSession, engine: AsyncEngine, person: PersonFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/my, half of what people send: the identity and the cards in two reads, and no
    transaction (BEGIN, COMMIT), for a pair with nothing open; a group's names one read
    more, an open meeting two (it and its reminders), and only then."""
    _, schools = await arrange.municipality_with_schools(db)
    lone = await arrange.mentor_and_mentees(
        db, schools[0], mentor_tg=5201, mentee_tgs=(5202,), mentee_names=("Иванова Мария Петровна",)
    )
    group = await arrange.mentor_and_mentees(
        db, schools[0], mentor_tg=5203, mentee_tgs=(5204, 5205), mentor_name="Орлов Пётр Ильич"
    )
    mentor, lead = person("Иван", user_id=5201), person("Пётр", user_id=5203)
    await mentor.send("/help")  # the consent's renewal checked once, as above
    await lead.send("/help")

    begun = counting_transactions(monkeypatch)
    with counting(engine) as statements:
        reply = await mentor.send("/my")
    assert "Иванова Мария Петровна" in reply.text
    assert len(statements) == 2, statements
    assert begun == []

    with counting(engine) as statements:
        reply = await lead.send("/my")
    assert "Иванова Мария Петровна" in reply.text and "Смирнова Анна Олеговна" in reply.text
    assert len(statements) == 3, statements  # the group's names

    await arrange.meeting(
        db,
        lone.pair,
        MeetingKind.INTRO,
        arrange.NOW + dt.timedelta(days=2),
        status=MeetingStatus.CONFIRMED,
    )
    with counting(engine) as statements:
        reply = await mentor.send("/my")
    assert "кабинет 5" in reply.text, reply.text
    assert len(statements) == 4, statements  # the open meeting, and its reminders
    assert group.pair.id != lone.pair.id
