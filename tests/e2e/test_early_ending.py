"""Ending a pair early with notice: the earliest date three working days ahead (across a
weekend and a holiday, exact), the other side and the curator told, cancelling it, the
pair ending on that date, and the refusals (a mentee pressing the curator's buttons,
another school's curator, someone else's cancel)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.callbacks import EndingAction, EndingCb, PairAction, PairCb
from models import EndingStatus, Pair, PairEnding, PairStatus
from services.clock import FixedClock
from services.pairs import early_end
from tests import arrange
from tests.fakes.client import Deliver, Person, PersonFactory

# Friday 30 October 2026, 12:00 in Moscow. Three working days: Mon 2.11, Tue 3.11 and,
# as 4.11 is a holiday, Thu 5.11.
FRIDAY = dt.datetime(2026, 10, 30, 9, 0, tzinfo=dt.UTC)


def _transcript(*people: Person) -> str:
    """Every message each person's chat holds, as the fake Bot API saw them (pytest -s)."""
    lines = []
    for p in people:
        for m in p.api.chat(p.user_id):
            buttons = " ".join(f"[{b}]" for b, _ in m.buttons)
            lines.append(f"→ {p.first_name}: {m.text} {buttons}".rstrip())
    return "\n".join(lines)


async def _ending(db: AsyncSession) -> PairEnding:
    found = await db.scalar(
        select(PairEnding).order_by(PairEnding.id.desc()).execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def _tick(sessionmaker: async_sessionmaker[AsyncSession], at: dt.datetime) -> int:
    async with sessionmaker() as session:
        return await early_end.tick(session, at)


async def test_mentor_gives_notice_across_a_weekend_and_a_holiday_then_cancels(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    clock.at = FRIDAY
    mentor = person("Иван", user_id=arrange.PETROV)
    mentee = person("Мария", user_id=arrange.MENTEE)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    stranger = person("Нина", user_id=arrange.CURATOR_B)

    await mentor.send("/my")
    reply = await mentor.click("Завершить досрочно")
    assert "Самая ранняя дата завершения: <b>05.11.2026</b>" in reply.text
    reply = await mentor.send("\u200b\u200b")
    assert "Напишите причину" in reply.text  # nothing typed is lost: asked again
    reply = await mentor.send("Перехожу на работу в другую школу")
    assert "Пара завершится <b>05.11.2026</b>" in reply.text
    assert mentor.buttons() == ["↩️ Отменить завершение"]
    ending = await _ending(db)
    assert ending.ends_on == dt.date(2026, 11, 5) and ending.by_role == "mentor"

    assert await deliver() == 2  # the mentee and the curator
    to_mentee = mentee.api.chat(arrange.MENTEE)[-1].text
    assert "Пара завершается досрочно" in to_mentee and "<b>05.11.2026</b>" in to_mentee
    assert "Инициатор: Петров Иван Сергеевич (наставник)" in to_mentee
    to_curator = curator.api.chat(arrange.CURATOR_A)[-1].text
    assert "Перехожу на работу в другую школу" in to_curator
    assert curator.buttons() == ["👥 Карточка пары"]

    # The mentee sees it in /my, without a cancel button (not hers) and cannot start another.
    reply = await mentee.send("/my")
    assert "⏳ <b>Пара завершится 05.11.2026</b>" in reply.text
    assert "Отменить завершение" not in " ".join(mentee.buttons())
    assert "Завершить досрочно" not in " ".join(mentee.buttons())
    message = mentee.api.chat(arrange.MENTEE)[-1]
    cancel = EndingCb(action=EndingAction.CANCEL, id=ending.id).pack()
    reply = await mentee.press(message, cancel)
    assert reply.alert is not None and "тот, кто его начал, или куратор" in reply.alert
    # A mentee pressing the curator's buttons, another school's curator: refused.
    for data in (
        PairCb(action=PairAction.END, pair_id=p.id).pack(),
        PairCb(action=PairAction.CARD, pair_id=p.id).pack(),
    ):
        reply = await mentee.press(message, data)
        assert reply.alert is not None and "недоступно" in reply.alert
    for data in (cancel, EndingCb(action=EndingAction.ASK, id=p.id).pack()):
        reply = await stranger.press(message, data)
        assert reply.alert == "Это действие вам недоступно."
    reply = await stranger.press(message, PairCb(action=PairAction.END, pair_id=p.id).pack())
    assert reply.alert is not None
    assert (await _ending(db)).status == EndingStatus.SCHEDULED

    # A second notice while one runs is refused.
    await mentor.send("/my")
    reply = await mentor.press(
        mentor.api.chat(arrange.PETROV)[-1], EndingCb(action=EndingAction.ASK, id=p.id).pack()
    )
    assert reply.alert is not None and "уже назначено" in reply.alert

    reply = await mentor.click("Отменить завершение")
    assert "Завершение отменено: пара продолжается" in reply.text
    assert (await _ending(db)).status == EndingStatus.CANCELLED
    assert await deliver() == 2
    assert "Досрочное завершение отменено" in mentee.api.chat(arrange.MENTEE)[-1].text
    assert await _tick(sessionmaker, dt.datetime(2026, 11, 5, 6, 0, tzinfo=dt.UTC)) == 0
    pair = await db.get(Pair, p.id, populate_existing=True)
    assert pair is not None and pair.status == PairStatus.ACTIVE
    print("\n" + _transcript(mentor, mentee, curator))  # pytest -s: the conversation, for the notes


async def test_mentee_gives_notice_the_curator_cancels_from_the_card_or_it_ends_on_the_date(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    clock.at = FRIDAY
    mentee = person("Мария", user_id=arrange.MENTEE)
    curator = person("Анна", user_id=arrange.CURATOR_A)

    await mentee.send("/my")
    await mentee.click("Завершить досрочно")
    await mentee.send("Ухожу в декретный отпуск")
    assert await deliver() == 2  # the mentor and the curator
    reply = await curator.click("Карточка пары")
    assert "⏳ <b>Пара завершится 05.11.2026</b> (досрочно, по инициативе: наставляемый)" in (
        reply.text
    )
    reply = await curator.click("Отменить завершение")
    assert "Завершение отменено" in reply.text
    assert await deliver() == 2  # the mentor and the mentee

    # Given again, it runs out: Wednesday 4.11 (a holiday) nothing, Thursday 5.11 ended.
    await mentee.send("/my")
    await mentee.click("Завершить досрочно")
    await mentee.send("Ухожу в декретный отпуск")
    assert await _tick(sessionmaker, dt.datetime(2026, 11, 4, 12, 0, tzinfo=dt.UTC)) == 0
    assert await _tick(sessionmaker, dt.datetime(2026, 11, 5, 5, 0, tzinfo=dt.UTC)) == 1
    pair = await db.get(Pair, p.id, populate_existing=True)
    assert pair is not None and pair.status == PairStatus.ENDED
    assert pair.end_reason == "Ухожу в декретный отпуск"
    assert (await _ending(db)).status == EndingStatus.DONE
