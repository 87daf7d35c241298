"""«Подходит ли вам пара?» after the trial meeting: both sides answer, «не подходит»
alerts the curator at once, an answer can be changed, outsiders are refused."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import FitCb
from models import MeetingKind, MeetingStatus, Outbox, OutboxStatus, Pair, PairMember
from services import fit, programmes
from services.outbox import Kind
from tests import arrange
from tests.fakes.client import Deliver, PersonFactory


async def _ask(db: AsyncSession, a: arrange.Arranged) -> None:
    m = await arrange.meeting(
        db,
        a.pair,
        MeetingKind.TRIAL,
        arrange.NOW - dt.timedelta(hours=2),
        status=MeetingStatus.HELD,
    )
    today = arrange.NOW.astimezone(zoneinfo.ZoneInfo(a.school.timezone)).date()
    rules = await programmes.send_rules(db, a.school.id, today)
    await fit.ask_after_trial(db, a.pair, m, now=arrange.NOW, rules=rules)
    await db.commit()


async def _answers(db: AsyncSession, pair_id: int) -> tuple[bool | None, list[bool | None]]:
    pair = await db.scalar(
        select(Pair).where(Pair.id == pair_id).execution_options(populate_existing=True)
    )
    assert pair is not None
    members = await db.scalars(
        select(PairMember)
        .where(PairMember.pair_id == pair_id)
        .order_by(PairMember.id)
        .execution_options(populate_existing=True)
    )
    return pair.mentor_fit, [m.fit for m in members]


async def test_not_fit_alerts_the_curator_and_answers_are_stored(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.PLANNING)
    pair_id = a.pair.id
    await _ask(db, a)
    mentee, mentor = person("Мария", user_id=303), person("Иван", user_id=302)
    assert await deliver() == 2
    question = mentee.api.chat(303)[-1]
    assert "Подходит ли вам пара?" in question.text
    assert "Наставник: Петров Иван Сергеевич" in question.text
    assert [b for b, _ in question.buttons] == ["Подходит", "Не подходит"]
    assert "Наставляемый: Иванова Мария Петровна" in mentee.api.chat(302)[-1].text

    reply = await mentee.click("Не подходит")
    assert "Куратор программы уже получил сообщение" in reply.text
    assert await deliver() == 1  # at once, not at the next morning
    alert = mentee.api.chat(301)[-1]
    assert "Пара может не подходить" in alert.text
    assert "Иванова Мария Петровна (наставляемый)" in alert.text
    assert "наставник Петров Иван Сергеевич — наставляемый Иванова Мария Петровна" in alert.text
    assert "/pairs" in alert.text

    reply = await mentor.click("Подходит")
    assert "пара подходит" in reply.text
    assert await _answers(db, pair_id) == (True, [False])

    # Answering again updates the answer; the question's buttons stay for that.
    await mentee.click("Подходит")
    assert await _answers(db, pair_id) == (True, [True])
    assert await deliver() == 0  # «подходит» alerts nobody


async def test_changed_mind_before_delivery_drops_the_alert(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.PLANNING)
    await _ask(db, a)
    mentor = person("Иван", user_id=302)
    await deliver()
    await mentor.click("Не подходит")
    await mentor.click("Подходит")  # before the sender ran
    assert await deliver() == 0
    statuses = list(
        await db.scalars(select(Outbox.status).where(Outbox.kind == Kind.PAIR_NOT_FIT_CURATOR))
    )
    assert statuses == [OutboxStatus.CANCELLED]
    # Changing it back to «не подходит» alerts the curator after all.
    await mentor.click("Не подходит")
    assert await deliver() == 1
    assert "Петров Иван Сергеевич (наставник)" in mentor.api.chat(301)[-1].text


async def test_only_members_may_answer(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.PLANNING)
    other = await arrange.school_with_pair(db, tg=400, next_kind=MeetingKind.PLANNING)
    await _ask(db, a)
    await _ask(db, other)
    await deliver()
    stranger = person("Чужой наставник", user_id=402)  # the mentor of the other pair
    own_question = stranger.api.chat(402)[-1]
    reply = await stranger.press(own_question, FitCb(pair_id=a.pair.id, fits=0).pack())
    assert reply.alert == "Это действие вам недоступно."
    assert await _answers(db, a.pair.id) == (None, [None])
    assert await deliver() == 0
