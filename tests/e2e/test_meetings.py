"""The meeting cycle through the bot: scheduling with the calendar, confirming, .ics
files, moving, cancelling, «Встреча состоялась?», logging in three taps, an
unscheduled meeting, /my and /meetings, and refusals of forged buttons.

The Dispatcher here keeps its FSM and dialog data in a storage that round-trips every
write through JSON, as Redis would."""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from typing import Any

import icalendar
import pytest
from aiogram import Bot
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.ui.callbacks import MeetingCb, MeetingDurationCb, PairMeetingCb, StageSkipCb
from models import (
    Feedback,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
    Role,
)
from services.clock import FixedClock
from services.outbox import Kind
from tests import arrange
from tests.arrange import PairSetup, meeting, mentor_and_mentees, school_in_zone
from tests.fakes.bot_api import BotMessage, FakeBotAPI
from tests.fakes.client import Deliver, Person, PersonFactory, Reply

MENTOR, MENTEE, MENTEE_2 = 701, 702, 703
OTHER_MENTOR, OTHER_MENTEE = 801, 802
UTC = dt.UTC
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class JsonMemoryStorage(MemoryStorage):
    """Memory storage that keeps only what survives json.dumps/loads."""

    async def set_data(self, key: StorageKey, data: Any) -> None:
        await super().set_data(key, json.loads(json.dumps(data)))


@pytest.fixture
def storage() -> JsonMemoryStorage:
    return JsonMemoryStorage()


# --- helpers -------------------------------------------------------------------------


async def tap(p: Person, label: str) -> Reply:
    """Press the button whose label is exactly ``label`` on the newest message with it
    (calendar days need an exact match: «3» is inside «23» and «2026»)."""
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                return await p.press(m, data)
    raise AssertionError(f"no button {label!r} in chat {p.user_id}")


def last(p: Person) -> BotMessage:
    return p.api.chat(p.user_id)[-1]


def documents(p: Person) -> list[BotMessage]:
    return [m for m in p.api.chat(p.user_id) if m.kind == "document"]


def vevent(doc: BotMessage) -> tuple[icalendar.Calendar, icalendar.Component]:
    assert doc.content is not None and doc.filename and doc.filename.endswith(".ics")
    cal = icalendar.Calendar.from_ical(doc.content)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


async def fresh(db: AsyncSession, model: Any, id_: int) -> Any:
    return await db.get(model, id_, populate_existing=True)


async def rows(db: AsyncSession, meeting_id: int, kind: str | None = None) -> list[Outbox]:
    q = select(Outbox).where(Outbox.meeting_id == meeting_id).order_by(Outbox.id)
    if kind:
        q = q.where(Outbox.kind == kind)
    return list((await db.scalars(q.execution_options(populate_existing=True))).all())


async def _setup(db: AsyncSession, mentees: int = 1) -> PairSetup:
    _, schools = await arrange.municipality_with_schools(db)
    return await mentor_and_mentees(
        db, schools[0], mentor_tg=MENTOR, mentee_tgs=(MENTEE, MENTEE_2)[:mentees]
    )


async def schedule_intro(mentor: Person, *, day: str = "30", time: str = "15:00") -> Reply:
    """/my → «Назначить встречу» → calendar (the stage has one kind: not asked) → time
    → очно → place → «Отправить»."""
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    await tap(mentor, day)
    await mentor.click("День")
    await tap(mentor, time)
    await mentor.click("Очно")
    await mentor.send("кабинет 12")
    return await mentor.click("Отправить")


# --- scheduling ----------------------------------------------------------------------


async def test_mentor_schedules_intro_with_the_calendar_and_the_mentee_confirms(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    s = await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)

    reply = await mentor.send("/my")
    assert "Наставляемый: Иванова Мария Петровна" in reply.text
    assert "Этап: <b>Встреча-знакомство</b>" in reply.text
    assert "Встреча пока не назначена" in reply.text
    reply = await mentor.click("Назначить встречу")
    assert "<b>Встреча-знакомство</b>" in reply.text and "Выберите дату" in reply.text
    labels = [b for b, _ in last(mentor).buttons]
    assert "🗓 Ноябрь 2026" in labels and "Пн" in labels and "📍23" in labels

    # A date before today is refused, in Russian; the calendar stays.
    reply = await tap(mentor, "20")
    assert reply.alert is not None and "Эта дата уже прошла" in reply.alert
    await tap(mentor, "30")
    assert "пн, 30.11.2026" in last(mentor).text
    assert "по времени школы (Москва)" in last(mentor).text
    await mentor.click("День")
    await tap(mentor, "15:00")
    await mentor.click("Онлайн")
    reply = await mentor.send("в зуме")
    assert "не похоже на ссылку" in reply.text
    await mentor.click("Назад")
    await mentor.click("Очно")
    await mentor.send("кабинет 12")
    assert "📍 Очно: кабинет 12" in last(mentor).text
    reply = await mentor.click("Отправить")
    assert "Приглашение отправлено" in reply.text

    m = await db.scalar(select(Meeting))
    assert m is not None and m.kind == MeetingKind.INTRO
    assert m.status == MeetingStatus.PROPOSED
    # 15:00 in Moscow is 12:00 UTC.
    assert m.starts_at == dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert m.place == "кабинет 12" and m.created_by_id == s.mentor.id

    assert await deliver() == 1  # the proposal; reminders wait for their time
    reply_text = last(mentee).text
    assert "Петров Иван Сергеевич предлагает встречу" in reply_text
    assert "Встреча-знакомство" in reply_text and "пн, 30.11.2026 в 15:00" in reply_text
    reply = await mentee.click("Подтвердить")
    assert "Вы подтвердили встречу" in reply.text
    assert (await fresh(db, Meeting, m.id)).status == MeetingStatus.CONFIRMED

    # Both get the calendar file: the mentee at once, the mentor through the outbox.
    [mentee_doc] = documents(mentee)
    assert await deliver() == 1
    [mentor_doc] = documents(mentor)
    assert "Иванова Мария Петровна подтверждает встречу" in mentor_doc.text
    for doc in (mentee_doc, mentor_doc):
        cal, ev = vevent(doc)
        assert str(cal["method"]) == "PUBLISH"
        assert str(ev["uid"]) == f"meeting-{m.id}@nastavnik-bot"
        assert ev.decoded("dtstart") == dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        assert ev.decoded("dtend") == dt.datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
        assert str(ev["summary"]) == "Встреча-знакомство"
        assert str(ev["location"]) == "кабинет 12"
        assert ev.decoded("sequence") == 0

    # The mentee's /my shows the confirmed meeting with «Перенести» / «Отменить».
    reply = await mentee.send("/my")
    assert "Наставник: Петров Иван Сергеевич" in reply.text
    assert "Ближайшая встреча</b> (подтверждена)" in reply.text
    assert mentee.buttons() == ["🕒 Перенести", "✖️ Отменить", "⏹ Завершить досрочно"]


async def test_mentee_proposes_another_time_and_the_mentor_accepts_the_counter(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await schedule_intro(mentor)
    await deliver()
    await mentee.click("Предложить другое время")
    assert "Какая дата вам удобна" in last(mentee).text
    await mentee.click("Декабрь ▶️")
    assert "🗓 Декабрь 2026" in [b for b, _ in last(mentee).buttons]
    await tap(mentee, "1")
    await mentee.click("Утро")  # the afternoon is shown first
    await tap(mentee, "09:30")
    reply = await mentee.click("Отправить")
    assert "Новое время отправлено" in reply.text

    m = await db.scalar(select(Meeting))
    assert m is not None
    m = await fresh(db, Meeting, m.id)
    assert m.starts_at == dt.datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    assert m.status == MeetingStatus.PROPOSED

    assert await deliver() == 1
    assert "Иванова Мария Петровна предлагает другое время" in last(mentor).text
    # The proposer's own «Подтвердить» on the old proposal is not theirs to press now...
    reply = await mentee.press(last(mentee), MeetingCb(action="confirm", meeting_id=m.id).pack())
    assert reply.alert is not None and "ваше предложение" in reply.alert
    await mentor.click("Подтвердить")
    assert (await fresh(db, Meeting, m.id)).status == MeetingStatus.CONFIRMED
    [doc] = documents(mentor)
    _, ev = vevent(doc)
    assert ev.decoded("sequence") == 1  # the time changed once
    assert ev.decoded("dtstart") == dt.datetime(2026, 12, 1, 6, 30, tzinfo=UTC)


async def test_moving_cancels_old_reminders_writes_new_ones_and_notifies(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    s = await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await schedule_intro(mentor)
    await deliver()
    await mentee.click("Подтвердить")
    await deliver()
    mid = await db.scalar(select(Meeting.id))
    assert mid is not None
    before = await rows(db, mid)
    reminders = [r for r in before if r.kind in (Kind.MEETING_REMIND_DAY, Kind.MEETING_REMIND_HOUR)]
    assert len(reminders) == 4 and all(r.status == OutboxStatus.PENDING for r in reminders)

    await mentor.send("/my")
    await mentor.click("Перенести")
    assert "На какую дату перенести" in last(mentor).text
    await tap(mentor, "26")
    await mentor.click("Вечер")
    await tap(mentor, "17:30")
    await mentor.click("Отправить")

    after = await rows(db, mid)
    old_ids = {r.id for r in before if r.status == OutboxStatus.PENDING}
    assert all(r.status == OutboxStatus.CANCELLED for r in after if r.id in old_ids)
    new = [r for r in after if r.id not in {x.id for x in before}]
    due = {(r.kind, r.recipient_id): r.due_at for r in new}
    start = dt.datetime(2026, 11, 26, 14, 30, tzinfo=UTC)  # 17:30 Moscow
    for pid in (s.mentor.id, s.mentees[0].id):
        assert due[(Kind.MEETING_REMIND_DAY, pid)] == start - dt.timedelta(days=1)
        assert due[(Kind.MEETING_REMIND_HOUR, pid)] == start - dt.timedelta(hours=1)
    assert due[(Kind.MEETING_DID_IT_HAPPEN, s.mentor.id)] == start + dt.timedelta(hours=1)
    assert due[(Kind.MEETING_MOVED, s.mentees[0].id)] == dt.datetime(2026, 11, 23, 9, tzinfo=UTC)

    assert await deliver() == 1
    assert "Петров Иван Сергеевич переносит встречу" in last(mentee).text
    assert "чт, 26.11.2026 в 17:30" in last(mentee).text
    await mentee.click("Подтвердить")
    assert (await fresh(db, Meeting, mid)).status == MeetingStatus.CONFIRMED
    _, ev = vevent(documents(mentee)[-1])
    assert ev.decoded("sequence") == 1


async def test_cancel_notifies_the_other_side_with_a_cancelling_ics(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await schedule_intro(mentor)
    await deliver()
    await mentee.click("Подтвердить")
    await deliver()
    m = await db.scalar(select(Meeting))
    assert m is not None

    await mentee.send("/my")
    await mentee.click("Отменить")
    assert "Отменить встречу?" in last(mentee).text
    reply = await mentee.click("Да, отменить")
    assert "Встреча отменена" in reply.text
    assert (await fresh(db, Meeting, m.id)).status == MeetingStatus.CANCELLED
    pending = [r for r in await rows(db, m.id) if r.status == OutboxStatus.PENDING]
    assert [r.kind for r in pending] == [Kind.MEETING_CANCELLED]

    cal, ev = vevent(documents(mentee)[-1])  # the canceller's own calendar, cleaned too
    assert str(cal["method"]) == "CANCEL"
    assert await deliver() == 1
    assert "Иванова Мария Петровна отменяет встречу" in documents(mentor)[-1].text
    cal, ev = vevent(documents(mentor)[-1])
    assert str(cal["method"]) == "CANCEL" and str(ev["status"]) == "CANCELLED"
    assert str(ev["uid"]) == f"meeting-{m.id}@nastavnik-bot"
    assert ev.decoded("sequence") == 1

    # Nothing about the cancelled meeting is sent later.
    mentor.api.calls.clear()
    assert await deliver() == 0
    # A stale «Подтвердить» is refused.
    reply = await mentee.press(last(mentee), MeetingCb(action="confirm", meeting_id=m.id).pack())
    assert reply.alert is not None and "кнопка больше не действует" in reply.alert


# --- after the meeting ---------------------------------------------------------------


async def test_did_it_happen_then_logged_in_three_taps_requests_feedback(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
) -> None:
    s = await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await schedule_intro(mentor)
    await deliver()
    await mentee.click("Подтвердить")
    await deliver()
    m = await db.scalar(select(Meeting))
    assert m is not None

    # A day before (Sunday 15:00 Moscow: the person set the meeting, so no day off).
    clock.at = dt.datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert await deliver() == 2
    assert "Завтра встреча" in last(mentee).text and "Завтра встреча" in last(mentor).text
    clock.at = dt.datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert await deliver() == 2
    assert "Через час встреча" in last(mentee).text
    # An hour after the start the mentor is asked; not before.
    clock.at = dt.datetime(2026, 11, 30, 12, 59, tzinfo=UTC)
    assert await deliver() == 0
    clock.at = dt.datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    assert await deliver() == 1
    assert "Встреча состоялась?" in last(mentor).text
    assert mentor.buttons() == ["✅ Да", "🕒 Перенести", "Не состоялась"]

    # The mentee cannot log it, even with a forged button.
    reply = await mentee.press(last(mentee), MeetingDurationCb(meeting_id=m.id, minutes=60).pack())
    assert reply.alert is not None and "только наставник" in reply.alert

    await mentor.click("Да")  # 1
    reply = await mentor.click("60 мин")  # 2
    assert "Записал: встреча состоялась, 60 мин" in reply.text
    assert "Следующий этап — <b>Пробная рабочая встреча</b>" in reply.text
    m = await fresh(db, Meeting, m.id)
    assert m.status == MeetingStatus.HELD and m.duration_min == 60
    assert m.logged_at == clock.now()
    p = await fresh(db, Pair, s.pair.id)
    assert p.next_kind == MeetingKind.TRIAL and p.stage_since == clock.now()
    fb = (await db.scalars(select(Feedback).where(Feedback.meeting_id == m.id))).all()
    assert {f.participant_id for f in fb} == {s.mentor.id, s.mentees[0].id}
    assert all(f.due_at == clock.now() + dt.timedelta(hours=48) for f in fb)

    reply = await mentor.send("Знакомство, обсудили дефициты и расписание")  # optional
    assert "Тема встречи сохранена" in reply.text
    assert (await fresh(db, Meeting, m.id)).topic == "Знакомство, обсудили дефициты и расписание"

    # Logging again is refused; the feedback requests go out.
    reply = await mentor.press(last(mentor), MeetingDurationCb(meeting_id=m.id, minutes=45).pack())
    assert reply.alert is not None and "уже отмечена" in reply.alert
    requests = await rows(db, m.id, Kind.FEEDBACK_REQUEST)
    assert len(requests) == 2

    reply = await mentor.send("/meetings")
    assert "История встреч" in reply.text
    assert "Встреча-знакомство" in reply.text and "пн, 30.11.2026 в 15:00" in reply.text
    assert "состоялась, 60 мин" in reply.text and "Тема: Знакомство" in reply.text


async def test_trial_meeting_logged_asks_about_the_fit_and_not_held_keeps_the_stage(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    s = await _setup(db)
    p = await fresh(db, Pair, s.pair.id)
    p.next_kind = MeetingKind.TRIAL
    await db.commit()
    past = await meeting(
        db, s.pair, kind=MeetingKind.TRIAL, starts_at=clock.now() - dt.timedelta(hours=3)
    )
    mentor = person("Иван", user_id=MENTOR)

    reply = await mentor.send("/my")
    assert "Время встречи прошло — отметьте" in reply.text
    await mentor.click("Не состоялась")
    assert (await fresh(db, Meeting, past.id)).status == MeetingStatus.NOT_HELD
    assert (await fresh(db, Pair, s.pair.id)).next_kind == MeetingKind.TRIAL

    second = await meeting(
        db, s.pair, kind=MeetingKind.TRIAL, starts_at=clock.now() - dt.timedelta(hours=2)
    )
    await mentor.send("/my")
    await mentor.click("Состоялась")
    await mentor.click("45 мин")
    await mentor.click("Пропустить")
    assert "без темы" in last(mentor).text
    assert (await fresh(db, Meeting, second.id)).status == MeetingStatus.HELD
    fit = await rows(db, second.id, Kind.FIT_QUESTION)
    assert {r.recipient_id for r in fit} == {s.mentor.id, s.mentees[0].id}
    assert (await fresh(db, Pair, s.pair.id)).next_kind == MeetingKind.PLANNING


async def test_unscheduled_meeting_is_logged_with_a_past_date(
    db: AsyncSession, person: PersonFactory, clock: FixedClock
) -> None:
    s = await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await mentor.send("/my")
    await mentor.click("Записать прошедшую встречу")
    assert "Записываем прошедшую встречу" in last(mentor).text
    await mentor.click("Дата")
    reply = await tap(mentor, "25")
    assert reply.alert is not None and "только прошедшую" in reply.alert
    await tap(mentor, "📍23")  # today, Moscow
    await mentor.click("День")
    reply = await tap(mentor, "14:00")  # 14:00 Moscow has not come yet (12:00 now)
    assert reply.alert is not None and "ещё не наступило" in reply.alert
    await mentor.click("Назад")
    await tap(mentor, "20")
    await mentor.click("Утро")
    await tap(mentor, "10:00")
    assert "Длительность: 45 мин" in last(mentor).text
    reply = await mentor.click("✅ Записать")
    assert "Записал: встреча состоялась, 45 мин" in reply.text

    m = await db.scalar(select(Meeting))
    assert m is not None and m.status == MeetingStatus.HELD and m.kind == MeetingKind.INTRO
    assert m.starts_at == dt.datetime(2026, 11, 20, 7, 0, tzinfo=UTC) and m.duration_min == 45
    assert (await fresh(db, Pair, s.pair.id)).next_kind == MeetingKind.TRIAL
    fb = (await db.scalars(select(Feedback).where(Feedback.meeting_id == m.id))).all()
    assert len(fb) == 2

    # A mentee cannot log meetings.
    reply = await mentee.press(last(mentor), PairMeetingCb(action="log", pair_id=s.pair.id).pack())
    assert reply.alert is not None and "только наставник" in reply.alert

    reply = await mentee.send("/meetings")
    assert "Встреча-знакомство" in reply.text and "пт, 20.11.2026 в 10:00" in reply.text
    assert "Участники: Петров Иван Сергеевич" in reply.text


async def test_regular_meetings_then_final_completes_the_pair(
    db: AsyncSession, person: PersonFactory, clock: FixedClock
) -> None:
    s = await _setup(db)
    p = await fresh(db, Pair, s.pair.id)
    p.next_kind = MeetingKind.REGULAR
    await db.commit()
    mentor = person("Иван", user_id=MENTOR)
    reply = await mentor.send("/my")
    assert "Перейти к итоговой встрече" not in str(mentor.buttons())  # no regular one yet

    await meeting(
        db,
        s.pair,
        kind=MeetingKind.REGULAR,
        status=MeetingStatus.HELD,
        starts_at=clock.now() - dt.timedelta(days=10),
        duration_min=60,
    )
    reply = await mentor.send("/my")
    assert "Этап: <b>Регулярная встреча</b>" in reply.text
    await mentor.click("Перейти к итоговой встрече")
    await mentor.click("Да, перейти к итоговой")
    p = await fresh(db, Pair, s.pair.id)
    assert p.next_kind == MeetingKind.FINAL and p.stage_since == clock.now()

    await mentor.send("/my")
    await mentor.click("Записать прошедшую встречу")
    await mentor.click("Время")
    await mentor.click("Утро")
    await tap(mentor, "08:30")  # today
    await mentor.click("Длительность")
    await tap(mentor, "90 мин")
    reply = await mentor.click("✅ Записать")
    assert "программа пары завершена" in reply.text
    p = await fresh(db, Pair, s.pair.id)
    assert p.status == PairStatus.COMPLETED and p.next_kind is None
    reply = await mentor.send("/my")
    assert "Программа пары завершена" in reply.text
    assert last(mentor).buttons == []


# --- access --------------------------------------------------------------------------


async def test_forged_callbacks_for_another_pairs_meeting_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    mine = await _setup(db)
    other = await mentor_and_mentees(
        db,
        mine.school,
        mentor_tg=OTHER_MENTOR,
        mentee_tgs=(OTHER_MENTEE,),
        mentor_name="Орлов Павел Андреевич",
        mentee_names=("Зайцева Ольга Игоревна",),
    )
    theirs = await meeting(db, other.pair, status=MeetingStatus.PROPOSED, created_by=other.mentor)
    attacker = person("Иван", user_id=MENTOR)
    await attacker.send("/my")
    card = last(attacker)

    for data in (
        MeetingCb(action="cancel_ok", meeting_id=theirs.id).pack(),
        MeetingCb(action="confirm", meeting_id=theirs.id).pack(),
        MeetingCb(action="move", meeting_id=theirs.id).pack(),
        MeetingCb(action="no", meeting_id=theirs.id).pack(),
        MeetingDurationCb(meeting_id=theirs.id, minutes=60).pack(),
        PairMeetingCb(action="schedule", pair_id=other.pair.id).pack(),
        PairMeetingCb(action="final_ok", pair_id=other.pair.id).pack(),
    ):
        reply = await attacker.press(card, data)
        assert reply.alert is not None and "другой пары" in reply.alert, data
    after = await fresh(db, Meeting, theirs.id)
    assert after.status == MeetingStatus.PROPOSED and after.starts_at == theirs.starts_at
    assert (await db.scalar(select(Outbox.id).limit(1))) is None
    assert (await fresh(db, Pair, other.pair.id)).next_kind == MeetingKind.INTRO
    # Nor may a teacher skip a stage: that is the curator's, for their school only.
    reply = await attacker.press(card, StageSkipCb(pair_id=mine.pair.id).pack())
    assert reply.alert is not None and "недоступно" in reply.alert


async def test_curator_skips_a_stage_with_a_typed_reason(
    db: AsyncSession, person: PersonFactory, clock: FixedClock
) -> None:
    s = await _setup(db)
    await arrange.staff(db, 100, "Куратор Анна Львовна", Role.CURATOR, school=s.school)
    curator = person("Анна", user_id=100)
    await curator.send("/pairs")
    await curator.click("Петров И. С. → Иванова М. П.")
    reply = await curator.click("Пропустить этап")  # on the pair card
    assert "Пропускаем этап «Встреча-знакомство»" in reply.text
    reply = await curator.send("!")
    assert "причину словами" in reply.text
    reply = await curator.send("Пара давно знакома, работают в одном МО")
    assert "Этап «Встреча-знакомство» пропущен" in reply.text
    assert "Пробная рабочая встреча" in reply.text
    p = await fresh(db, Pair, s.pair.id)
    assert p.next_kind == MeetingKind.TRIAL and p.stage_since == clock.now()
    skipped = await db.scalar(select(Meeting).where(Meeting.pair_id == s.pair.id))
    assert skipped is not None and skipped.status == MeetingStatus.CANCELLED
    assert skipped.skip_reason == "Пара давно знакома, работают в одном МО"

    mentor = person("Иван", user_id=MENTOR)
    reply = await mentor.send("/meetings")
    assert "этап пропущен куратором" in reply.text and "Пара давно знакома" in reply.text

    # A curator of another school cannot skip this pair's stage.
    school_b = await school_in_zone(db, "Asia/Novosibirsk", "МАОУ «Школа № 7»")
    await arrange.staff(db, 200, "Куратор Олег Ильич", Role.CURATOR, school=school_b)
    stranger = person("Олег", user_id=200)
    await stranger.send("/help")
    reply = await stranger.press(last(stranger), StageSkipCb(pair_id=s.pair.id).pack())
    assert reply.alert is not None and "недоступно" in reply.alert
    assert (await fresh(db, Pair, s.pair.id)).next_kind == MeetingKind.TRIAL


async def test_group_proposal_goes_to_every_mentee_and_one_confirmation_is_enough(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    s = await _setup(db, mentees=2)
    mentor = person("Иван", user_id=MENTOR)
    maria, anna = person("Мария", user_id=MENTEE), person("Анна", user_id=MENTEE_2)
    reply = await mentor.send("/my")
    assert "Ваша группа</b>: 2 наставляемых" in reply.text
    await schedule_intro(mentor)
    assert await deliver() == 2
    await maria.click("Подтвердить")
    assert await deliver() == 2  # the mentor and the other mentee hear of it, with .ics
    assert len(documents(mentor)) == 1 and len(documents(anna)) == 1
    reply = await anna.click("Подтвердить")  # on her older proposal: already confirmed
    assert len(documents(anna)) == 2 and "уже подтверждена" in documents(anna)[-1].text
    assert await deliver() == 0
    mid = await db.scalar(select(Meeting.id))
    assert mid is not None
    assert {m.recipient_id for m in await rows(db, mid, Kind.MEETING_REMIND_DAY)} == {
        s.mentor.id,
        s.mentees[0].id,
        s.mentees[1].id,
    }


async def test_scheduling_dialog_runs_on_redis_storage(
    db: AsyncSession,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
    deliver: Deliver,
) -> None:
    """The date picker's state lives in Redis between taps (as with webhook workers)."""
    storage = RedisStorage.from_url(
        REDIS_URL,
        key_builder=DefaultKeyBuilder(prefix=f"test-{uuid.uuid4().hex}", with_destiny=True),
    )
    try:
        await storage.redis.ping()
    except Exception:
        await storage.close()
        pytest.skip("Redis is not running")
    try:
        fake_api.reset()
        redis_dp = create_dispatcher(
            settings, sessionmaker, clock=clock, storage=storage, i18n=i18n
        )
        await _setup(db)
        mentor = Person(redis_dp, bot, fake_api, MENTOR, "Иван")
        mentee = Person(redis_dp, bot, fake_api, MENTEE, "Мария")
        reply = await schedule_intro(mentor)
        assert "Приглашение отправлено" in reply.text
        await deliver()
        await mentee.click("Подтвердить")
        m = await db.scalar(select(Meeting))
        assert m is not None and m.status == MeetingStatus.CONFIRMED
        assert m.starts_at == dt.datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    finally:
        await storage.close()


async def test_date_picker_stray_text_stale_buttons_and_cancelling_a_proposal(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    calendar = last(mentor)
    [day_30] = [d for b, d in calendar.buttons if b == "30"]
    reply = await mentor.send("в понедельник")  # a typed date is not how dates are picked
    assert "Выберите вариант кнопкой" in reply.text
    assert "Выберите дату встречи" in last(mentor).text  # the calendar again, below
    reply = await mentor.click("Отмена")
    assert "ничего не меняем" in reply.text
    # The old calendar's buttons are dead now, with a clear popup.
    reply = await mentor.press(calendar, day_30)
    assert reply.alert is not None and "кнопка уже не действует" in reply.alert
    assert await db.scalar(select(Meeting.id)) is None

    # /my closes a forgotten picker too.
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    calendar = last(mentor)
    [day_30] = [d for b, d in calendar.buttons if b == "30"]
    await mentor.send("/my")
    reply = await mentor.press(calendar, day_30)
    assert reply.alert is not None and "кнопка уже не действует" in reply.alert

    # A proposal cancelled before anyone confirmed it: a notice, no calendar file.
    await schedule_intro(mentor)
    await mentor.send("/my")
    await mentor.click("Отменить")
    await mentor.click("Да, отменить")
    assert documents(mentor) == []
    assert await deliver() == 1  # the proposal itself is obsolete and not sent
    assert "отменяет предложенную встречу" in last(mentee).text
    assert documents(mentee) == []


async def test_forged_calendar_days_months_and_years_get_the_stale_button_popup(
    db: AsyncSession, person: PersonFactory
) -> None:
    """The calendar's buttons carry dates as numbers: made-up ones (a month 13, a month
    past any integer, a day before the epoch's end) are refused like stale buttons, and
    the calendar still works after them."""
    await _setup(db)
    mentor = person("Иван", user_id=MENTOR)
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    calendar = last(mentor)
    [day_30] = [d for b, d in calendar.buttons if b == "30"]
    widget = day_30.rsplit(":", 1)[0]  # the dialog's intent and the widget's id
    for forged in ("MONTH13", "MONTH2147483648", "YEAR99999999999", "99999999999999999999"):
        reply = await mentor.press(calendar, f"{widget}:{forged}")
        assert reply.alert is not None and "кнопка уже не действует" in reply.alert, forged
        assert "Что-то пошло не так" not in reply, forged
    await tap(mentor, "30")  # the calendar goes on: the day is taken, the time is next
    assert await mentor.click("День")


async def test_forged_durations_are_refused(db: AsyncSession, person: PersonFactory) -> None:
    """The duration buttons carry the minutes: a made-up length, a word or «²» (a digit
    to str.isdigit, not to int) gets a popup, not «Что-то пошло не так», and the
    offered lengths still work."""
    await _setup(db)
    mentor = person("Иван", user_id=MENTOR)
    await mentor.send("/my")
    await mentor.click("Записать прошедшую встречу")
    await mentor.click("Длительность")
    picker = last(mentor)
    [ninety] = [d for b, d in picker.buttons if b == "90 мин"]
    widget = ninety.rsplit(":", 1)[0]
    for forged in ("7", "abc", "4²", "9" * 30):
        reply = await mentor.press(picker, f"{widget}:{forged}")
        assert reply.alert is not None, forged
        assert "Что-то пошло не так" not in reply, forged
    await tap(mentor, "90 мин")
    assert "Длительность: 90 мин" in last(mentor).text


def _dump(path: str, people: list[Person]) -> None:
    """The chats as the fake Bot API holds them, in order (MEETINGS_TRANSCRIPT=path)."""
    api = people[0].api
    names = {p.user_id: p.first_name for p in people}
    lines = []
    for (chat, _), m in sorted(api.messages.items(), key=lambda kv: kv[0][1]):
        if chat not in names:
            continue
        buttons = " ".join(f"[{b}]" for b, _ in m.buttons if b.strip())
        file = f" 📎 {m.filename}" if m.kind == "document" else ""
        lines.append(f"→ {names[chat]}{file}: {m.text}" + (f"\n   {buttons}" if buttons else ""))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(lines) + "\n")


async def test_a_pair_goes_from_intro_to_completed_with_feedback_at_every_meeting(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    s = await _setup(db)
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    stages = [
        ("Встреча-знакомство", MeetingKind.TRIAL),
        ("Пробная рабочая встреча", MeetingKind.PLANNING),
        ("Встреча-планирование", MeetingKind.REGULAR),
        ("Регулярная встреча", MeetingKind.REGULAR),
        ("Регулярная встреча", MeetingKind.REGULAR),
        ("Итоговая встреча", None),
    ]
    for n, (label, after) in enumerate(stages, start=1):
        day = 23 + n  # one meeting a day, 24–29 November, 15:00 Moscow
        await mentor.send("/my")
        await mentor.click("Назначить встречу")
        if label in mentor.buttons():  # a stage with one kind does not ask
            await tap(mentor, label)
        await tap(mentor, str(day))
        await mentor.click("День")
        await tap(mentor, "15:00")
        await mentor.click("Онлайн")
        await mentor.send("https://telemost.yandex.ru/j/4821")
        await mentor.click("Отправить")
        await deliver()
        await mentee.click("Подтвердить")

        clock.at = dt.datetime(2026, 11, day, 13, 0, tzinfo=UTC)  # 16:00 Moscow
        await deliver()
        assert "Встреча состоялась?" in last(mentor).text
        await mentor.click("Да")
        await mentor.click("60 мин")
        await mentor.click("Пропустить")  # no topic
        await deliver()  # the feedback requests (after the trial, the fit question first)
        for p in (mentor, mentee):
            if label == "Пробная рабочая встреча":
                await p.click("Подходит")
                await deliver()  # then the feedback request
            await p.click("5")
            await p.click("Пропустить")
            reply = await p.click("Пропустить")
            assert "Спасибо" in reply.text
        pair = await fresh(db, Pair, s.pair.id)
        assert pair.next_kind == after, label

    pair = await fresh(db, Pair, s.pair.id)
    assert pair.status == PairStatus.COMPLETED
    held = (await db.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD))).all()
    assert [m.kind for m in sorted(held, key=lambda m: m.starts_at)] == [
        MeetingKind.INTRO,
        MeetingKind.TRIAL,
        MeetingKind.PLANNING,
        MeetingKind.REGULAR,
        MeetingKind.REGULAR,
        MeetingKind.FINAL,
    ]
    given = (await db.scalars(select(Feedback))).all()
    assert len(given) == 12 and all(f.rating == 5 for f in given)
    assert len(documents(mentor)) == 6 and len(documents(mentee)) == 6
    reply = await mentee.send("/my")
    assert "Программа пары завершена (проведено встреч: 6)" in reply.text
    reply = await mentor.send("/meetings")
    assert "всего: 6" in reply.text and "Итоговая встреча" in reply.text
    if path := os.environ.get("MEETINGS_TRANSCRIPT"):
        _dump(path, [mentor, mentee])
