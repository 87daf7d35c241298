"""Feedback after a held meeting, through the fake Bot API: a rating in one tap, optional
texts, the low-rating comment and the curator's alert, who may read the texts, forged
and repeated presses, and the reminders that end in «не дана»."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import FeedbackRateCb, FeedbackStepCb
from models import Feedback, FeedbackStatus, MeetingKind, MeetingStatus, Outbox, OutboxStatus, Role
from services import feedback, nudges
from services.access import Actor
from services.clock import FixedClock
from services.outbox import Kind
from tests import arrange
from tests.fakes.client import Deliver, PersonFactory

# The trial meeting was held this morning, 10:00 Moscow time; the clock says 12:00.
HELD_AT = arrange.NOW - dt.timedelta(hours=2)


async def _feedback(db: AsyncSession, participant_id: int) -> Feedback:
    row = await db.scalar(
        select(Feedback)
        .where(Feedback.participant_id == participant_id)
        .execution_options(populate_existing=True)
    )
    assert row is not None
    return row


async def _arrange(db: AsyncSession, *, curator: bool = True) -> arrange.Arranged:
    arranged = await arrange.school_with_pair(db, next_kind=MeetingKind.PLANNING, curator=curator)
    m = await arrange.meeting(
        db, arranged.pair, MeetingKind.TRIAL, HELD_AT, status=MeetingStatus.HELD
    )
    await arrange.ask_feedback(db, arranged, m)
    return arranged


async def test_rating_in_one_tap_then_texts_skipped(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentee = person("Мария", user_id=303)
    assert await deliver() == 2  # the mentor's and the mentee's requests

    request = mentee.api.chat(303)[-1]
    assert "Как прошла пробная рабочая встреча 23.11.2026?" in request.text
    assert "Наставник: Петров Иван Сергеевич" in request.text
    assert [b for b, _ in request.buttons] == ["1", "2", "3", "4", "5"]
    mentor_request = mentee.api.chat(302)[-1]
    assert "Наставляемый: Иванова Мария Петровна" in mentor_request.text

    reply = await mentee.click("5")
    assert "Ваша оценка: <b>5 из 5</b>" in reply.text and "Что было полезно" in reply.text
    assert mentee.api.messages[(303, request.message_id)].buttons == []  # spent
    reply = await mentee.click("Пропустить")
    assert "Что осталось трудным" in reply.text
    reply = await mentee.click("Пропустить")
    assert "Спасибо за обратную связь" in reply.text

    row = await _feedback(db, a.mentee.id)
    assert (row.status, row.rating, row.helped, row.hard) == (FeedbackStatus.GIVEN, 5, None, None)
    assert row.given_at == arrange.NOW
    # A good rating alerts nobody.
    assert await db.scalar(select(Outbox).where(Outbox.kind == Kind.FEEDBACK_LOW_CURATOR)) is None


async def test_texts_shared_with_the_other_side_or_kept_for_the_curator(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentee, mentor = person("Мария", user_id=303), person("Иван", user_id=302)
    await deliver()

    await mentee.click("4")
    reply = await mentee.send("Разобрали, как начинать урок")
    assert "Что осталось трудным" in reply.text
    reply = await mentee.send("Шум в 7 «Б» на последнем уроке")
    assert "Кому показать ваши ответы" in reply.text
    assert mentee.buttons() == ["Показать наставнику", "Только куратору"]
    reply = await mentee.click("Показать наставнику")
    assert "увидят наставник и куратор" in reply.text

    await mentor.click("5")
    await mentor.send("Мария хорошо подготовилась")
    await mentor.click("Пропустить")
    assert mentor.buttons() == ["Показать наставляемому", "Только куратору"]
    reply = await mentor.click("Только куратору")
    assert "увидит только куратор" in reply.text

    row = await _feedback(db, a.mentee.id)
    assert (row.rating, row.helped, row.hard, row.shared) == (
        4,
        "Разобрали, как начинать урок",
        "Шум в 7 «Б» на последнем уроке",
        True,
    )
    assert (await _feedback(db, a.mentor.id)).shared is False

    # Who reads what: the mentor reads the mentee's shared texts, the mentee does not
    # read the mentor's private one; the curator reads both.
    meeting_id = row.meeting_id
    as_mentor = Actor(302, participant_id=a.mentor.id, roles=frozenset({Role.MENTOR}))
    as_mentee = Actor(303, participant_id=a.mentee.id, roles=frozenset({Role.MENTEE}))
    assert a.curator is not None
    as_curator = Actor(
        301, participant_id=a.curator.id, curator_school_ids=frozenset({a.school.id})
    )
    seen = {v.participant_id: v for v in await feedback.for_meeting(db, as_mentor, meeting_id)}
    assert seen[a.mentee.id].hard == "Шум в 7 «Б» на последнем уроке"
    seen = {v.participant_id: v for v in await feedback.for_meeting(db, as_mentee, meeting_id)}
    assert seen[a.mentor.id].helped is None and seen[a.mentor.id].hidden
    assert seen[a.mentor.id].rating == 5
    seen = {v.participant_id: v for v in await feedback.for_meeting(db, as_curator, meeting_id)}
    assert seen[a.mentor.id].helped == "Мария хорошо подготовилась"


async def test_low_rating_asks_for_a_comment_and_alerts_the_curator_at_once(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentee = person("Мария", user_id=303)
    await deliver()

    reply = await mentee.click("2")
    assert "Ваша оценка: <b>2 из 5</b>" in reply.text and "что пошло не так" in reply.text
    assert reply.last.buttons == []  # the comment cannot be skipped at first

    reply = await mentee.send_sticker()
    assert "ответьте текстом" in reply.text and "что пошло не так" in reply.text
    assert [b for b, _ in reply.last.buttons] == ["Пропустить"]
    reply = await mentee.send("Я" * 1001)
    assert "Слишком длинный ответ: 1001 символов, а можно до 1000" in reply.text
    reply = await mentee.send("...")
    assert "Напишите хотя бы несколько слов" in reply.text

    reply = await mentee.send("Встреча началась на 20 минут позже, ничего не успели")
    assert "Что было полезно" in reply.text
    assert await deliver() == 1
    alert = mentee.api.chat(301)[-1]
    assert "Низкая оценка встречи" in alert.text
    assert "Иванова Мария Петровна (наставляемый)" in alert.text
    assert "поставил(а) <b>2 из 5</b> за встречу: пробная рабочая встреча, 23.11.2026" in alert.text
    assert "Встреча началась на 20 минут позже, ничего не успели" in alert.text
    assert "Петров Иван Сергеевич" in alert.text

    await mentee.click("Пропустить")
    reply = await mentee.click("Только куратору")
    assert "увидит только куратор" in reply.text
    row = await _feedback(db, a.mentee.id)
    assert (row.rating, row.hard, row.shared) == (
        2,
        "Встреча началась на 20 минут позже, ничего не успели",
        False,
    )


async def test_low_rating_alert_goes_without_a_comment_and_to_the_coordinator(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    """No curator in the school: the municipality's coordinator is told. The person
    who never writes the comment still gets the alert sent, a little later."""
    a = await _arrange(db, curator=False)
    await arrange.staff(
        db, 399, "Орлова Елена Павловна", Role.COORDINATOR, municipality=a.municipality
    )
    mentor = person("Иван", user_id=302)
    await deliver()
    await mentor.click("1")
    assert await deliver() == 0  # waits for the comment
    clock.advance(dt.timedelta(minutes=15))
    assert await deliver() == 1
    alert = mentor.api.chat(399)[-1]
    assert (
        "Петров Иван Сергеевич (наставник)" in alert.text
        and "поставил(а) <b>1 из 5</b>" in alert.text
    )
    assert "Комментарий: не оставлен" in alert.text


async def test_forged_feedback_id_is_refused(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentor = person("Иван", user_id=302)
    await deliver()
    others = await _feedback(db, a.mentee.id)
    own_request = mentor.api.chat(302)[-1]
    forged = FeedbackRateCb(id=others.id, rating=1).pack()
    reply = await mentor.press(own_request, forged)
    assert reply.alert == "Это действие вам недоступно."
    row = await _feedback(db, a.mentee.id)
    assert row.status == FeedbackStatus.REQUESTED and row.rating is None
    missing = FeedbackRateCb(id=999_999, rating=5).pack()
    reply = await mentor.press(own_request, missing)
    assert reply.alert == "Не нашёл такой записи — возможно, её уже удалили."


async def test_rating_twice_is_refused_politely(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentee = person("Мария", user_id=303)
    await deliver()
    request = mentee.api.chat(303)[-1]
    buttons = dict(request.buttons)
    await mentee.click("5")
    reply = await mentee.press(request, buttons["3"])
    assert reply.alert is not None
    assert "Вы уже оценили эту встречу (5 из 5)" in reply.alert
    assert (await _feedback(db, a.mentee.id)).rating == 5


async def test_reminders_then_missing_and_no_reminder_once_given(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    a = await _arrange(db)
    mentee, mentor = person("Мария", user_id=303), person("Иван", user_id=302)
    await deliver()
    await mentor.click("4")  # the mentor answers at once; the mentee does not
    await mentor.click("Пропустить")
    await mentor.click("Пропустить")
    chat_before = len(mentor.api.chat(302))

    clock.advance(dt.timedelta(hours=47))
    assert await deliver() == 0
    clock.advance(dt.timedelta(hours=1))  # the 48-hour deadline: Wednesday 12:00 Moscow
    assert await deliver() == 1
    first = mentee.api.chat(303)[-1]
    assert "Напоминаем" in first.text and "пробная рабочая встреча 23.11.2026" in first.text
    assert [b for b, _ in first.buttons] == ["1", "2", "3", "4", "5"]
    # The mentor's reminder was dropped, not sent.
    assert len(mentor.api.chat(302)) == chat_before
    mentor_fb = await _feedback(db, a.mentor.id)
    statuses = await db.scalars(
        select(Outbox.status).where(
            Outbox.dedupe_key.in_([f"fb:{mentor_fb.id}:remind:1", f"fb:{mentor_fb.id}:remind:2"])
        )
    )
    assert set(statuses) == {OutboxStatus.CANCELLED, OutboxStatus.PENDING}

    clock.advance(dt.timedelta(hours=24))
    assert await nudges.mark_missing(db, clock.now()) == 0  # the second reminder is due first
    assert await deliver() == 1
    assert "Последнее напоминание" in mentee.api.chat(303)[-1].text
    assert await nudges.mark_missing(db, clock.now()) == 0  # not yet 48 h after the deadline

    clock.advance(dt.timedelta(hours=24))
    assert await nudges.mark_missing(db, clock.now()) == 1
    assert (await _feedback(db, a.mentee.id)).status == FeedbackStatus.MISSING
    assert (await _feedback(db, a.mentor.id)).status == FeedbackStatus.GIVEN
    assert await nudges.mark_missing(db, clock.now()) == 0
    # Late feedback is still taken from the reminder's buttons.
    reply = await mentee.click("3")
    assert "Ваша оценка: <b>3 из 5</b>" in reply.text
    assert (await _feedback(db, a.mentee.id)).status == FeedbackStatus.GIVEN


async def test_comment_step_cannot_be_skipped_by_a_forged_button(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _arrange(db)
    mentee = person("Мария", user_id=303)
    await deliver()
    reply = await mentee.click("1")
    fb = await _feedback(db, a.mentee.id)
    reply = await mentee.press(reply.last, FeedbackStepCb(id=fb.id, step="comment").pack())
    assert reply.alert == "Эта кнопка уже не действует. Отправьте команду ещё раз."
    assert (await _feedback(db, a.mentee.id)).hard is None


async def test_group_mentor_is_asked_about_the_group(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.REGULAR, mentees=2)
    m = await arrange.meeting(db, a.pair, MeetingKind.PLANNING, HELD_AT, status=MeetingStatus.HELD)
    assert len(await arrange.ask_feedback(db, a, m)) == 3
    assert await deliver() == 3
    mentor = person("Иван", user_id=302)
    request = mentor.api.chat(302)[-1]
    assert "Как прошла встреча-планирование 23.11.2026?" in request.text
    assert "Наставляемые: Иванова Мария Петровна, Смирнова Ольга Игоревна" in request.text
    await mentor.click("3")
    assert (await _feedback(db, a.mentor.id)).rating == 3
