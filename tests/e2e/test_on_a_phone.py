"""The meeting cycle as a mentor, a mentee and a curator meet it on a phone: one
question at a time after a meeting, no choice with one option, a time picker that
opens where the school meets and names its city, a way from every alert to the pair,
texts that read well, and a past meeting logged in a few taps."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingKind, MeetingStatus, Role
from services.clock import FixedClock
from tests import arrange
from tests.e2e.flows import self_register_mentee
from tests.fakes.client import Deliver, Person, PersonFactory

UTC = dt.UTC
# NOW is 09:00 UTC: 14:00 in Yekaterinburg (UTC+5), 12:00 in Moscow.
YEKATERINBURG = "Asia/Yekaterinburg"


def chat(p: Person) -> list[str]:
    return [m.text for m in p.api.chat(p.user_id)]


async def _held_meeting(
    db: AsyncSession, kind: MeetingKind, *, zone: str = "Europe/Moscow"
) -> arrange.Arranged:
    """A pair whose confirmed meeting of ``kind`` was two hours ago (not yet logged)."""
    a = await arrange.school_with_pair(db, zone=zone, next_kind=kind)
    await arrange.meeting(db, a.pair, kind, arrange.NOW - dt.timedelta(hours=2))
    return a


async def _log_it(mentor: Person) -> None:
    await mentor.send("/my")
    await mentor.click("Состоялась")
    await mentor.tap("60 мин")


# --- 6: one question at a time ---------------------------------------------------------


async def test_after_logging_the_feedback_request_waits_for_the_topic(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await _held_meeting(db, MeetingKind.INTRO)
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)
    await _log_it(mentor)
    assert "О чём была встреча?" in chat(mentor)[-1]

    assert await deliver() == 1  # the mentee's request; the mentor is typing the topic
    assert "Как прошла встреча-знакомство" in chat(mentee)[-1]
    assert "О чём была встреча?" in chat(mentor)[-1]

    await mentor.send("Обсудили план адаптации")
    assert await deliver() == 1
    assert "Как прошла встреча-знакомство" in chat(mentor)[-1]
    await mentor.tap("4")
    meeting = await db.scalar(select(Meeting).execution_options(populate_existing=True))
    assert meeting is not None and meeting.topic == "Обсудили план адаптации"


async def test_an_unanswered_topic_does_not_hold_the_request_back_for_good(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    await _held_meeting(db, MeetingKind.INTRO)
    mentor = person("Иван", user_id=302)
    await _log_it(mentor)
    assert await deliver() == 1  # the mentee's
    clock.advance(dt.timedelta(minutes=31))
    assert await deliver() == 1
    assert "Как прошла встреча-знакомство" in chat(mentor)[-1]


async def test_after_the_trial_the_fit_comes_first_then_the_feedback_request(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await _held_meeting(db, MeetingKind.TRIAL)
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)
    await _log_it(mentor)
    await mentor.click("Пропустить")  # the topic

    assert await deliver() == 2  # the fit question to each, nothing else yet
    for p in (mentor, mentee):
        assert "Подходит ли вам пара?" in chat(p)[-1]
        assert not any("Как прошла" in text for text in chat(p))

    await mentee.click("Подходит")
    assert await deliver() == 1
    assert "Как прошла пробная рабочая встреча" in chat(mentee)[-1]
    await mentor.click("Подходит")
    assert await deliver() == 1
    assert "Как прошла пробная рабочая встреча" in chat(mentor)[-1]


# --- 7, 8: the date and time picker ----------------------------------------------------


async def test_a_stage_with_one_kind_goes_straight_to_the_calendar(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange.school_with_pair(db, next_kind=MeetingKind.INTRO)
    mentor = person("Иван", user_id=302)
    await mentor.send("/my")
    reply = await mentor.click("Назначить встречу")
    assert "Нажмите его" not in reply.text
    assert "Выберите дату" in reply.text or "дату" in reply.text
    assert "Встреча-знакомство" not in mentor.buttons()
    assert "Назад" not in " ".join(mentor.buttons())


async def test_time_picker_opens_on_the_afternoon_in_the_schools_own_city(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange.school_with_pair(db, zone=YEKATERINBURG, next_kind=MeetingKind.INTRO)
    mentor = person("Иван", user_id=302)
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    labels = mentor.buttons()
    assert "📍23" in labels  # today, marked
    assert "🔍" not in labels and "Другой месяц" in labels
    reply = await mentor.tap("30")
    assert "по времени школы (Екатеринбург)" in reply.text and "UTC" not in reply.text
    labels = mentor.buttons()
    assert "• День •" in labels and "15:00" in labels and "08:00" not in labels
    reply = await mentor.click("• День •")  # the part already shown: nothing to change
    assert reply.alert is None


async def test_time_picker_opens_on_the_part_of_the_day_the_school_meets_at(
    db: AsyncSession, person: PersonFactory
) -> None:
    a = await arrange.school_with_pair(db, zone=YEKATERINBURG, next_kind=MeetingKind.TRIAL)
    # Meetings at this school take place at 17:00 local (12:00 UTC).
    for days in (3, 10):
        when = dt.datetime(2026, 11, 23 - days, 12, 0, tzinfo=UTC)
        await arrange.meeting(db, a.pair, MeetingKind.INTRO, when, status=MeetingStatus.HELD)
    mentor = person("Иван", user_id=302)
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    await mentor.tap("30")
    labels = mentor.buttons()
    assert "• Вечер •" in labels and "17:00" in labels and "12:00" not in labels


# --- 11: a past meeting in a few taps --------------------------------------------------


async def test_a_meeting_never_scheduled_is_logged_in_three_actions(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await arrange.school_with_pair(db, zone=YEKATERINBURG, next_kind=MeetingKind.INTRO)
    mentor = person("Иван", user_id=302)
    actions = 0
    await mentor.send("/my")
    actions += 1
    reply = await mentor.click("Записать прошедшую встречу")
    actions += 1
    # Today (14:00 in Yekaterinburg has passed only just: the usual 15:00 has not, so
    # yesterday) at the usual time, and the usual 45 minutes, are already chosen.
    assert "вс, 22.11.2026 в 15:00" in reply.text and "Длительность: 45 мин" in reply.text
    reply = await mentor.click("Записать")
    actions += 1
    assert "Записал: встреча состоялась, 45 мин" in reply.text
    assert actions <= 4
    m = await db.scalar(select(Meeting).where(Meeting.pair_id == a.pair.id))
    assert m is not None and m.status == MeetingStatus.HELD and m.kind == MeetingKind.INTRO
    assert m.starts_at == dt.datetime(2026, 11, 22, 10, 0, tzinfo=UTC) and m.duration_min == 45


async def test_the_preselected_date_time_and_duration_can_be_changed(
    db: AsyncSession, person: PersonFactory
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.INTRO)
    mentor = person("Иван", user_id=302)
    await mentor.send("/my")
    await mentor.click("Записать прошедшую встречу")
    await mentor.click("Дата")
    await mentor.tap("20")
    await mentor.click("Утро")
    reply = await mentor.tap("10:00")
    assert "пт, 20.11.2026 в 10:00" in reply.text
    await mentor.click("Длительность")
    reply = await mentor.tap("90 мин")
    assert "Длительность: 90 мин" in reply.text
    await mentor.click("Записать")
    m = await db.scalar(select(Meeting).where(Meeting.pair_id == a.pair.id))
    assert m is not None and m.duration_min == 90
    assert m.starts_at == dt.datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


# --- 9: from an alert to the pair ------------------------------------------------------


async def test_the_low_rating_alert_has_a_button_to_the_pair_card(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a, _ = await arrange.trial_with_feedback_asked(db)
    await deliver()
    mentee, curator = person("Мария", user_id=303), person("Анна", user_id=301)
    await mentee.tap("2")
    await mentee.send("Не успели ничего обсудить")
    await deliver()
    alert = curator.api.chat(301)[-1]
    assert "Низкая оценка встречи" in alert.text
    reply = await curator.click("Карточка пары")
    assert f"Пара № {a.pair.id}" in reply.text


async def test_the_not_fit_alert_has_a_button_to_the_pair_card(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    a = await _held_meeting(db, MeetingKind.TRIAL)
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)
    await _log_it(mentor)
    await deliver()
    await mentee.click("Не подходит")
    await deliver()
    curator = person("Анна", user_id=301)
    assert "👥 Карточка пары" in curator.buttons()
    reply = await curator.click("Карточка пары")
    assert f"Пара № {a.pair.id}" in reply.text


# --- 10: texts -------------------------------------------------------------------------


async def test_role_texts_fit_women_and_men_and_quotes_are_not_nested(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[1], Role.MENTEE)
    anna = person("Анна")
    reply = await anna.send("/start INVITE12")
    assert "ваша роль — <b>наставляемый</b> (МБОУ «Гимназия № 3»)" in reply.text
    assert "как <b>" not in reply.text


async def test_a_request_to_a_curator_names_the_school_without_nested_quotes(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange.municipality_with_schools(db)
    reply = await self_register_mentee(person("Анна"), name="Петрова Анна Сергеевна")
    assert "куратору школы: МБОУ «Гимназия № 3»." in reply.text
    assert "»»" not in reply.text


async def test_invite_removes_the_role_buttons_once_the_link_is_made(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 101, "Козлова Анна Викторовна", Role.CURATOR, school=schools[0])
    curator = person("Анна", user_id=101)
    await curator.send("/invite")
    reply = await curator.click("наставляемый")
    assert "https://t.me/" in reply.text
    role_question = next(m for m in curator.api.chat(101) if "Для какой роли" in m.text)
    assert role_question.buttons == []
