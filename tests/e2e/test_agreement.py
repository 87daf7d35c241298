"""The mentor agrees first (art. 351.8 ТК РФ): a proposal with «Беру» / «Не могу», the
reminder after three working days and the return to the curator after three more
(across a weekend and a holiday), a declined mentor never proposed that mentee again,
and the buttons refused to anyone but the mentor."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Pair, PairEnding, PairProposal, ProposalStatus
from services.clock import FixedClock
from services.pairs import proposals
from tests import arrange
from tests.fakes.client import Deliver, Person, PersonFactory

# Tuesday 3 November 2026, 12:00 in Moscow; Wednesday 4 November is a holiday.
TUESDAY = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)


def _transcript(*people: Person) -> str:
    """Every message each person's chat holds, as the fake Bot API saw them (pytest -s)."""
    lines = []
    for p in people:
        for m in p.api.chat(p.user_id):
            buttons = " ".join(f"[{b}]" for b, _ in m.buttons)
            lines.append(f"→ {p.first_name}: {m.text} {buttons}".rstrip())
    return "\n".join(lines)


async def _propose_petrov(curator: Person) -> str:
    await curator.send("/unmatched")
    await curator.click("Подобрать наставника: Иванова М. П.")
    await curator.click("1. Петров И. С.")
    await curator.click("Без приказа")
    return (await curator.click("Сформировать пару")).text


async def _proposal(db: AsyncSession) -> PairProposal:
    found = await db.scalar(
        select(PairProposal)
        .order_by(PairProposal.id.desc())
        .execution_options(populate_existing=True)
    )
    assert found is not None
    return found


async def _tick(sessionmaker: async_sessionmaker[AsyncSession], at: dt.datetime) -> int:
    async with sessionmaker() as session:
        return await proposals.tick(session, at)


async def test_unanswered_proposal_is_reminded_then_returned_in_working_days(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    clock.at = TUESDAY
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentor = person("Иван", user_id=arrange.PETROV)

    text = await _propose_petrov(curator)
    assert "Предложение отправлено наставнику" in text
    # Three working days after Tuesday 3.11: Thu 5, Fri 6, Mon 9 (4.11 is a holiday,
    # 7–8.11 a weekend); three more: Tue 10, Wed 11, Thu 12.
    assert "напомню ему 09.11.2026, а 12.11.2026 верну" in text
    assert await db.scalar(select(Pair).where(Pair.mentor_id == w.petrov.id)) is None

    assert await deliver() == 1
    offer = mentor.api.chat(arrange.PETROV)[-1]
    assert "Предложение стать наставником" in offer.text
    assert "Иванова Мария Петровна" in offer.text and "Козлова Анна Викторовна" in offer.text
    assert "Хочу научиться держать дисциплину" in offer.text
    assert "Планируемый период: с 03.11.2026 по 30.06.2027" in offer.text
    assert mentor.buttons() == ["✅ Беру", "❌ Не могу"]

    reply = await curator.send("/unmatched")
    assert "Ждёт ответа наставника: 1 предложение" in reply.text
    assert "Иванова М. П. → Петров И. С.: с 03.11.2026, вернётся вам 12.11.2026" in reply.text
    assert "Подобрать наставника: Иванова" not in " ".join(curator.buttons())

    # Friday: not yet. Monday 9.11 in the morning: the reminder, once.
    assert await _tick(sessionmaker, dt.datetime(2026, 11, 6, 12, 0, tzinfo=dt.UTC)) == 0
    monday = dt.datetime(2026, 11, 9, 6, 0, tzinfo=dt.UTC)
    assert await _tick(sessionmaker, monday) == 1
    assert await _tick(sessionmaker, monday + dt.timedelta(hours=1)) == 0
    clock.at = monday
    assert await deliver() == 1
    reminder = mentor.api.chat(arrange.PETROV)[-1].text
    assert "Напоминание: предложение ждёт вашего ответа" in reminder
    assert "12.11.2026 предложение вернётся куратору" in reminder

    # Wednesday: still waits; Thursday 12.11: back to the curator.
    assert await _tick(sessionmaker, dt.datetime(2026, 11, 11, 12, 0, tzinfo=dt.UTC)) == 0
    thursday = dt.datetime(2026, 11, 12, 6, 0, tzinfo=dt.UTC)
    assert await _tick(sessionmaker, thursday) == 1
    assert (await _proposal(db)).status == ProposalStatus.RETURNED
    clock.at = thursday
    assert await deliver() == 1
    returned = curator.api.chat(arrange.CURATOR_A)[-1].text
    assert "Петров Иван Сергеевич" in returned and "Предложение вернулось к вам" in returned
    assert curator.buttons() == ["🔁 Подобрать другого наставника"]

    # The old «Беру» no longer forms anything.
    reply = await mentor.click("Беру")
    assert reply.alert is not None and "Срок ответа прошёл" in reply.alert
    assert await db.scalar(select(Pair).where(Pair.mentor_id == w.petrov.id)) is None
    reply = await curator.send("/unmatched")
    assert "Ждёт ответа" not in reply.text and "Иванова Мария Петровна" in reply.text
    print("\n" + _transcript(curator, mentor))  # pytest -s: the conversation, for the notes


async def test_declined_with_a_typed_reason_the_curator_is_told_and_the_mentor_not_offered_again(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentor = person("Иван", user_id=arrange.PETROV)
    await _propose_petrov(curator)
    await deliver()
    offer, take = mentor.find_button("Беру")

    reply = await mentor.click("Не могу")
    assert "Почему не получится" in reply.text
    assert "Нет свободного времени" in " ".join(mentor.buttons())
    reply = await mentor.click("Напишу причину")
    assert "Напишите причину" in reply.text
    reply = await mentor.send("ok")
    assert "Напишите причину словами" in reply.text
    reply = await mentor.send("<b>Веду</b> три выпускных класса")
    assert "Куратор узнает причину" in reply.text
    proposal = await _proposal(db)
    assert proposal.status == ProposalStatus.DECLINED
    assert proposal.decline_reason == "<b>Веду</b> три выпускных класса"

    assert await deliver() == 1
    told = curator.api.chat(arrange.CURATOR_A)[-1].text
    assert "не может взять наставляемого" in told
    assert "&lt;b&gt;Веду&lt;/b&gt; три выпускных класса" in told  # shown, not markup
    reply = await curator.click("Подобрать другого наставника")
    assert "Подбор наставника" in reply.text
    assert "Петров Иван" not in reply.text and "Сидорова" in reply.text

    # A press on the old «Беру» changes nothing.
    reply = await mentor.press(offer, take)
    assert reply.alert is not None and "уже ответили «Не могу»" in reply.alert


async def test_a_reason_from_the_buttons_and_a_double_press_of_take(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentor = person("Иван", user_id=arrange.PETROV)
    await _propose_petrov(curator)
    await deliver()
    message, take = mentor.find_button("Беру")
    reply = await mentor.press(message, take)
    assert "Пара сформирована" in reply.text
    reply = await mentor.press(message, take)
    assert reply.alert is not None and "уже ответили «Беру»" in reply.alert
    pairs = list(await db.scalars(select(Pair).where(Pair.mentor_id == w.petrov.id)))
    assert len(pairs) == 1
    assert await deliver() == 3  # two introductions and the curator's news
    assert "согласился(-ась) быть наставником" in curator.api.chat(arrange.CURATOR_A)[-1].text
    assert curator.buttons() == ["👥 Карточка пары"]


async def test_only_the_mentor_may_answer_a_proposal(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentor = person("Иван", user_id=arrange.PETROV)
    await _propose_petrov(curator)
    await deliver()
    message, take = mentor.find_button("Беру")
    _, decline = mentor.find_button("Не могу")
    proposal = await _proposal(db)
    reason = f"ppa:rs:{proposal.id}:1"
    for intruder in (
        person("Мария", user_id=arrange.MENTEE),  # the mentee herself
        person("Елена", user_id=arrange.SIDOROVA),  # another mentor
        person("Нина", user_id=arrange.CURATOR_B),  # another school's curator
        curator,  # even the curator who proposed
    ):
        for data in (take, decline, reason):
            reply = await intruder.press(message, data)
            assert reply.alert is not None and "Не нашёл такой записи" in reply.alert
    assert (await _proposal(db)).status == ProposalStatus.WAITING
    assert await db.scalar(select(Pair).where(Pair.mentor_id == w.petrov.id)) is None
    # A forged reason code is refused too.
    reply = await mentor.press(message, f"ppa:rs:{proposal.id}:9")
    assert reply.alert is not None
    assert (await _proposal(db)).status == ProposalStatus.WAITING


async def test_withdrawal_erases_the_reasons_typed_for_a_decline_and_an_early_ending(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentor = person("Иван", user_id=arrange.PETROV)
    maria = person("Мария", user_id=arrange.MENTEE)
    kuznetsov = person("Павел", user_id=299)  # in Зайцев's pair
    await _propose_petrov(curator)
    await deliver()
    await mentor.click("Не могу")
    await mentor.click("Напишу причину")
    await mentor.send("Марию знаю лично, лучше не мне")
    await kuznetsov.send("/my")
    await kuznetsov.click("Завершить досрочно")
    await kuznetsov.send("Павлу трудно с наставником")

    await maria.send("/delete_me")
    assert "данные удалены" in (await maria.click("Да, удалить")).text
    await kuznetsov.send("/delete_me")
    assert "данные удалены" in (await kuznetsov.click("Да, удалить")).text
    db.expire_all()
    assert (await _proposal(db)).decline_reason is None
    ending = await db.scalar(select(PairEnding))
    assert ending is not None and ending.reason is None
