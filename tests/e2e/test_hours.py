"""Hours of mentoring work: held meetings (their duration) plus work logged in two taps
add up exactly in /hours, in the monthly table the curator gets on the 1st (in chat and
as xlsx, through the outbox) and on the export's sheet «Учёт работы наставников»."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.callbacks import HoursCb
from models import MeetingKind, MeetingStatus, Outbox, Role, School
from services import hours
from services.clock import FixedClock
from services.outbox import Kind
from tests import arrange
from tests.fakes.bot_api import BotMessage
from tests.fakes.client import Deliver, PersonFactory

UTC = dt.UTC


def _rows(content: bytes, sheet: str) -> list[dict[str, Any]]:
    ws = load_workbook(io.BytesIO(content))[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[1]]
    return [dict(zip(header, r, strict=True)) for r in rows[2:]]


def _document(messages: list[BotMessage]) -> BotMessage:
    return next(m for m in reversed(messages) if m.kind == "document")


async def test_meetings_and_logged_work_add_up_in_hours_the_monthly_table_and_the_export(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    held = MeetingStatus.HELD
    await arrange.meeting(
        db, p, MeetingKind.INTRO, arrange.NOW - dt.timedelta(days=2), status=held, duration_min=60
    )
    await arrange.meeting(
        db, p, MeetingKind.TRIAL, arrange.NOW - dt.timedelta(days=1), status=held, duration_min=45
    )
    # October's meeting and a cancelled one do not count in November.
    await arrange.meeting(
        db,
        p,
        MeetingKind.INTRO,
        dt.datetime(2026, 10, 20, 9, 0, tzinfo=UTC),
        status=held,
        duration_min=90,
    )
    await arrange.meeting(
        db,
        p,
        MeetingKind.PLANNING,
        arrange.NOW + dt.timedelta(days=1),
        status=MeetingStatus.CANCELLED,
    )
    mentor = person("Иван", user_id=arrange.PETROV)
    mentee = person("Мария", user_id=arrange.MENTEE)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    head = await arrange.staff(
        db,
        arrange.COORDINATOR,
        "Соколова Вера Павловна",
        Role.COORDINATOR,
        municipality=w.municipality,
    )
    coordinator = person("Вера", user_id=arrange.COORDINATOR)

    reply = await mentor.send("/hours")
    assert "Наставническая работа: ноябрь 2026" in reply.text
    assert "Встречи: 2 проведены, 1 ч 45 мин" in reply.text
    assert "Всего: 1 ч 45 мин" in reply.text
    await mentor.click("Посещение урока")
    assert mentor.buttons() == ["15 мин", "30 мин", "45 мин", "1 ч", "1 ч 30 мин"]
    reply = await mentor.click("45 мин")
    assert "Записано: Посещение урока, 45 мин." in reply.text
    assert "Всего: 2 ч 30 мин" in reply.text
    await mentor.click("Консультация")
    reply = await mentor.tap("1 ч 30 мин")
    assert "Консультация: 1 ч 30 мин" in reply.text and "Всего: 4 ч" in reply.text

    # Not a mentor: refused, by command and by a forged button.
    reply = await mentee.send("/hours")
    assert "Учёт часов ведут наставники" in reply.text
    forged = HoursCb(kind="consultation", minutes=60).pack()
    reply = await mentee.press(mentee.api.chat(arrange.MENTEE)[-1], forged)
    assert reply.alert is not None and "наставники" in reply.alert
    reply = await mentor.press(
        mentor.api.chat(arrange.PETROV)[-1], HoursCb(kind="consultation", minutes=7).pack()
    )
    assert reply.alert is not None

    # The export of November has the same figures.
    reply = await curator.send("/export")
    rows = _rows(_document(reply.messages).content or b"", "Учёт работы наставников")
    (petrov,) = [
        r for r in rows if r["Наставник"] == "Петров Иван Сергеевич" and r["Месяц"].month == 11
    ]
    assert petrov["Встреч проведено"] == 2 and petrov["Встречи, мин"] == 105
    assert petrov["Посещение урока, мин"] == 45 and petrov["Консультация, мин"] == 90
    assert petrov["Разбор конспекта/плана урока, мин"] == 0
    assert petrov["Всего, мин"] == 240 and petrov["Всего, ч"] == 4
    (october,) = [
        r for r in rows if r["Наставник"] == "Петров Иван Сергеевич" and r["Месяц"].month == 10
    ]
    assert october["Встречи, мин"] == 90 and october["Всего, мин"] == 90

    # 1 December, 09:00 in Moscow: last month's table to the curator, once.
    december = dt.datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    clock.at = december
    async with sessionmaker() as session:
        await hours.plan_monthly(session, december)
    async with sessionmaker() as session:
        await hours.plan_monthly(session, december + dt.timedelta(hours=2))
    n = await db.scalar(
        select(func.count(Outbox.id)).where(
            Outbox.kind == Kind.HOURS_MONTHLY, Outbox.recipient_id == w.curator_a.id
        )
    )
    assert n == 1
    per_school = await db.scalars(
        select(Outbox.payload).where(
            Outbox.kind == Kind.HOURS_MONTHLY, Outbox.recipient_id == head.id
        )
    )
    every_school = await db.scalars(
        select(School.id).where(School.municipality_id == w.municipality.id)
    )
    assert sorted(p["school_id"] for p in per_school) == sorted(every_school)
    await deliver()
    # The coordinator gets school A's table (the others recorded nothing: nothing sent).
    tables = [
        m.text
        for m in coordinator.api.chat(arrange.COORDINATOR)
        if "Итого по школе" in (m.text or "")
    ]
    assert len(tables) == 1 and "МБОУ «Средняя школа № 12»" in tables[0]
    chat = curator.api.chat(arrange.CURATOR_A)
    table = next(m.text for m in reversed(chat) if "Итого по школе" in (m.text or ""))
    assert "МБОУ «Средняя школа № 12», ноябрь 2026" in table
    assert (
        "<b>Петров Иван Сергеевич</b> — пар: 1; встреч: 2 (1 ч 45 мин); "
        "посещение урока 45 мин; консультация 1 ч 30 мин; <b>всего 4 ч</b>"
    ) in table
    print("\n" + table)  # pytest -s: the monthly table, for the notes
    sheet = _rows(_document(chat).content or b"", "Учёт работы наставников")
    (row,) = [r for r in sheet if r["Наставник"] == "Петров Иван Сергеевич"]
    assert row["Всего, мин"] == 240 and row["Встречи, мин"] == 105

    # In the middle of the month nothing is planned.
    async with sessionmaker() as session:
        assert await hours.plan_monthly(session, dt.datetime(2026, 12, 10, 6, 0, tzinfo=UTC)) == 0
