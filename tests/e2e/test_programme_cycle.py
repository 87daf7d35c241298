"""The whole programme for one pair, as the people do it in Telegram: the curator's
invite links, registration with consent, matching, the introduction, every meeting of
the cycle with feedback from both sides, the fit question, the personal plan, a low
rating that alerts the curator, and completion.

Set CYCLE_TRANSCRIPT=path to write the chats as the fake Bot API saw them."""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Pair,
    PairStatus,
    PlanGoal,
    Role,
)
from services.clock import FixedClock
from tests import arrange
from tests.e2e.flows import (
    answer_mentee_questionnaire,
    answer_mentor_questionnaire,
    mentor_takes,
)
from tests.fakes.client import Deliver, Person, PersonFactory, Reply

CURATOR, MENTOR, MENTEE = 111, 222, 333


async def _exact(p: Person, label: str) -> Reply:
    """Press a button whose label is exactly ``label`` (calendar days: «4» is in «24»)."""
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                return await p.press(m, data)
    raise AssertionError(f"no button {label!r} for {p.first_name}")


async def _register(p: Person, link: str, questionnaire: str) -> None:
    await p.send("/start " + link.split("?start=")[1].split()[0])
    await p.click("Согласен")
    if questionnaire == "mentor":
        await answer_mentor_questionnaire(p, "Петров Иван Сергеевич")
    else:
        await answer_mentee_questionnaire(p, "Иванова Мария Петровна")
    reply = await p.click("Всё верно")
    assert "Ваша роль в программе" in reply.text


async def _feedback(p: Person, rating: str, comment: str | None = None) -> None:
    await p.click(rating)
    if comment is not None:
        await p.send(comment)
        await p.click("Пропустить")  # что было полезно
        reply = await p.click("Только куратору")
    else:
        await p.click("Пропустить")
        reply = await p.click("Пропустить")
    assert "Спасибо" in reply.text or "увидит только куратор" in reply.text


def _transcript(path: str, people: list[Person]) -> None:
    api = people[0].api
    names = {p.user_id: p.first_name for p in people}
    lines = []
    for (chat, _), m in sorted(api.messages.items(), key=lambda kv: kv[0][1]):
        if chat in names:
            buttons = " ".join(f"[{b}]" for b, _ in m.buttons if b.strip())
            file = f" 📎 {m.filename}" if m.kind == "document" else ""
            lines.append(
                f"→ {names[chat]}{file}: {m.text}" + (f"\n   {buttons}" if buttons else "")
            )
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(lines) + "\n")


async def test_one_pair_from_invitation_to_completion(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    curator = person("Куратор", user_id=CURATOR)
    mentor = person("Наставник", user_id=MENTOR)
    mentee = person("Наставляемая", user_id=MENTEE, username="maria_t")

    # 1. Invitation and registration.
    await curator.send("/invite")
    mentor_link = (await curator.click("наставник")).text
    await curator.send("/invite")
    mentee_link = (await curator.click("наставляемый")).text
    await _register(mentor, mentor_link, "mentor")
    await _register(mentee, mentee_link, "mentee")

    # 2. Matching and the introduction.
    reply = await curator.send("/unmatched")
    assert "Иванова Мария Петровна" in reply.text
    reply = await curator.click("Подобрать наставника: Иванова М. П.")
    assert "1. Петров Иван Сергеевич" in reply.text and "та же школа" in reply.text
    await curator.click("1. Петров И. С.")
    await curator.click("Указать приказ")
    await curator.send("№ 17 от 01.09.2026")
    reply = await curator.click("Сформировать пару")
    assert "Предложение отправлено" in reply.text
    assert "Пара сформирована" in (await mentor_takes(mentor, deliver)).text
    await deliver()
    assert "Назначьте встречу-знакомство: /my" in mentor.api.chat(MENTOR)[-1].text
    assert "@maria_t" in mentor.api.chat(MENTOR)[-1].text

    # 3. The meeting cycle, one meeting a day at 15:00 Moscow time.
    stages = [
        "Встреча-знакомство",
        "Пробная рабочая встреча",
        "Встреча-планирование",
        "Регулярная встреча",
        "Регулярная встреча",
        "Итоговая встреча",
    ]
    for n, label in enumerate(stages, start=1):
        day = 23 + n
        reply = await mentor.send("/my")
        assert label.lower().split()[0][:6] in reply.text.lower()  # the bot proposes it
        await mentor.click("Назначить встречу")
        if label in mentor.buttons():  # a stage with one kind does not ask
            await _exact(mentor, label)
        await _exact(mentor, str(day))
        await mentor.click("День")
        await _exact(mentor, "15:00")
        await mentor.click("Онлайн")
        await mentor.send("https://telemost.yandex.ru/j/4821")
        await mentor.click("Отправить")
        await deliver()
        await mentee.click("Подтвердить")
        await deliver()

        clock.at = dt.datetime(2026, 11, day, 13, 0, tzinfo=dt.UTC)  # 16:00 in Moscow
        await deliver()
        assert "Встреча состоялась?" in mentor.api.chat(MENTOR)[-1].text
        await mentor.click("Да")
        await mentor.click("60 мин")
        reply = await mentor.click("Пропустить")  # no topic
        if n >= 4:  # the plan has a goal: the log offers to mark its progress
            assert "цели личного плана" in reply.text
            if n == 4:
                await mentor.click("1. В работе")
            elif n == 6:  # the final meeting completes the pair; results still go in
                reply = await mentor.click("1. Выполнено")
                assert "<i>выполнено</i>" in reply.text
        await deliver()
        if label == "Пробная рабочая встреча":  # one question at a time: the fit first
            await mentor.click("Подходит")
            await mentee.click("Подходит")
            await deliver()
        await _feedback(mentor, "5")
        if n == 4:
            # The first regular meeting went badly for the mentee: the curator hears at once.
            await _feedback(mentee, "2", "Не успели разобрать мой урок, наставник торопился")
            await deliver()
            alert = curator.api.chat(CURATOR)[-1].text
            assert "Низкая оценка встречи" in alert and "наставник торопился" in alert
        else:
            await _feedback(mentee, "5")
        if label == "Встреча-планирование":
            await mentor.send("/plan")
            await mentor.click("Добавить цель")
            await mentor.click("Дисциплина на уроке")
            reply = await mentor.click("март 2027")
            assert "Цель добавлена в личный план" in reply.text
            reply = await mentee.send("/plan")
            assert "Дисциплина на уроке — срок: март 2027" in reply.text

    # 4. Completed: in the bases and in the curator's view.
    pair = await db.scalar(select(Pair).execution_options(populate_existing=True))
    assert pair is not None and pair.status == PairStatus.COMPLETED
    assert pair.order_number == "17" and pair.mentor_fit is True
    held = await db.scalar(
        select(func.count()).select_from(Meeting).where(Meeting.status == MeetingStatus.HELD)
    )
    given = await db.scalar(
        select(func.count()).select_from(Feedback).where(Feedback.status == FeedbackStatus.GIVEN)
    )
    assert (held, given) == (6, 12)
    goal = await db.scalar(select(PlanGoal).execution_options(populate_existing=True))
    assert goal is not None and goal.status == GoalStatus.DONE
    reply = await mentee.send("/my")
    assert "завершена" in reply.text
    reply = await curator.send("/pairs")
    assert "Петров" in reply.text and "Иванова" in reply.text

    if path := os.environ.get("CYCLE_TRANSCRIPT"):
        _transcript(path, [curator, mentor, mentee])
