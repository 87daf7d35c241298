"""The curator's /pairs: statuses by the rules of docs/pair-status.md, the pair card
with meetings and feedback, pause and resume, and refusals outside one's scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    FeedbackStatus,
    GoalStatus,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairStatus,
    Participant,
    PlanGoal,
    Role,
)
from services import outbox
from services.outbox import Kind
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.e2e.flows import mentor_takes
from tests.fakes.client import Deliver, PersonFactory

NOW = arrange.NOW
DAY = dt.timedelta(days=1)


async def _pair(db: AsyncSession, pair_id: int) -> Pair:
    p = await db.get(Pair, pair_id, populate_existing=True)
    assert p is not None
    return p


def _block(text: str, start: str) -> str:
    """One numbered item of a list: from its first line to the next blank line."""
    begin = text.index(start)
    end = text.find("\n\n", begin)
    return text[begin : end if end >= 0 else None]


async def test_pairs_list_shows_stage_last_meeting_and_status_of_each_pair(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)  # Зайцев → Кузнецов, formed 3 days ago: в графике
    a = w.school_a
    # On track: the intro was held 5 days ago.
    m1 = await arrange.mentee(db, 211, "Алексеева Вера Ильинична", a)
    on_track = await arrange.pair(
        db, w.petrov, [m1], formed_at=NOW - 20 * DAY, next_kind=MeetingKind.TRIAL
    )
    await arrange.meeting(db, on_track, MeetingKind.INTRO, NOW - 5 * DAY, status=MeetingStatus.HELD)
    # Needs attention: 16 days since the last meeting (the rhythm is 14), and the
    # mentee has blocked the bot.
    m2 = await arrange.mentee(db, 212, "Борисова Дарья Олеговна", a)
    m2.blocked_bot = True
    overdue = await arrange.pair(
        db,
        w.sidorova,
        [m2],
        formed_at=NOW - 40 * DAY,
        next_kind=MeetingKind.TRIAL,
        stage_since=NOW - 16 * DAY,
    )
    await arrange.meeting(db, overdue, MeetingKind.INTRO, NOW - 16 * DAY, status=MeetingStatus.HELD)
    # Stalled: formed 25 days ago and never met.
    m3 = await arrange.mentee(db, 213, "Власова Ирина Андреевна", a)
    mentor3 = await arrange.mentor(db, 313, "Григорьев Пётр Ильич", a)
    await arrange.pair(db, mentor3, [m3], formed_at=NOW - 25 * DAY)
    # Paused, and one ended.
    m4 = await arrange.mentee(db, 214, "Дмитриева Анна Сергеевна", a)
    mentor4 = await arrange.mentor(db, 314, "Егоров Максим Павлович", a)
    await arrange.pair(
        db, mentor4, [m4], status=PairStatus.PAUSED, paused_until=dt.date(2026, 12, 10)
    )
    m5 = await arrange.mentee(db, 215, "Жукова Нина Петровна", a)
    await arrange.pair(db, mentor4, [m5], status=PairStatus.ENDED)
    # Another school's pair is not this curator's business.
    other = await arrange.mentee(db, 216, "Зуева Лидия Ивановна", w.school_b)
    await arrange.pair(db, w.orlov, [other])

    curator = person("Анна", user_id=arrange.CURATOR_A)
    reply = await curator.send("/pairs")
    text = reply.text
    assert "Пары и группы: 6" in text
    assert "🔴 застой: 1 · 🟡 нужно внимание: 1 · 🟢 в графике: 2" in text
    assert "Зуева" not in text and "Орлов" not in text

    stalled = _block(text, "1. Григорьев П. И. → Власова И. А.")
    assert "Этап: встреча-знакомство · встреч ещё не было" in stalled
    assert "🔴 застой" in stalled
    attention = _block(text, "2. Сидорова Е. П. → Борисова Д. О. 🚫")
    assert "последняя встреча 07.11.2026" in attention and "🟡 нужно внимание" in attention
    assert "Этап: пробная рабочая встреча" in attention
    on_track_line = _block(text, "Петров И. С. → Алексеева В. И.")
    assert "последняя встреча 18.11.2026" in on_track_line and "🟢 в графике" in on_track_line
    assert "⏸ пауза до 10.12.2026" in _block(text, "Егоров М. П. → Дмитриева А. С.")
    assert "⚪ завершена досрочно" in _block(text, "Егоров М. П. → Жукова Н. П.")
    assert "🚫 — заблокировал(а) бота" in text
    # The pairs that need the curator come first.
    assert text.index("Григорьев") < text.index("Сидорова") < text.index("Петров И. С.")

    reply = await curator.click("Сидорова Е. П. → Борисова Д. О.")
    assert "пора встретиться: 16 дней без встречи (ритм — раз в 14 дней)" in reply.text
    assert "1 участник заблокировал(а) бота" in reply.text
    reply = await curator.click("Григорьев П. И. → Власова И. А.")
    assert "пара сформирована 25 дней назад, встреч ещё не было" in reply.text


async def test_pairs_list_pages_by_eight(db: AsyncSession, person: PersonFactory) -> None:
    w = await arrange.world(db)
    for i in range(9):
        m = await arrange.mentee(db, 220 + i, f"Ученикова Ольга{'я' * i} Петровна", w.school_a)
        await arrange.pair(db, w.petrov, [m])
    curator = person("Анна", user_id=arrange.CURATOR_A)
    reply = await curator.send("/pairs")
    assert "Пары и группы: 10" in reply.text and "Страница 1 из 2" in reply.text
    assert len([b for b in curator.buttons() if " → " in b]) == 8
    reply = await curator.click("Вперёд")
    assert "Страница 2 из 2" in reply.text
    assert "9. " in reply.text and "10. " in reply.text


async def test_more_statuses_not_fit_unlogged_missing_feedback_and_stage_stuck(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(
        db,
        w.petrov,
        [w.mentee],
        formed_at=NOW - 12 * DAY,
        next_kind=MeetingKind.PLANNING,
        stage_since=NOW - 2 * DAY,
    )
    p.mentor_fit = False  # «не подходит» after the trial
    trial = await arrange.meeting(
        db, p, MeetingKind.TRIAL, NOW - 2 * DAY, status=MeetingStatus.HELD
    )
    await arrange.feedback(db, trial, w.petrov, rating=4)
    await arrange.feedback(db, trial, w.mentee, status=FeedbackStatus.MISSING)
    await arrange.meeting(
        db, p, MeetingKind.PLANNING, NOW - 3 * DAY, status=MeetingStatus.CONFIRMED
    )
    # A pair stuck at its stage (30 days) though it met recently.
    m2 = await arrange.mentee(db, 230, "Смирнова Ольга Игоревна", w.school_a)
    stuck = await arrange.pair(
        db,
        w.sidorova,
        [m2],
        formed_at=NOW - 45 * DAY,
        next_kind=MeetingKind.TRIAL,
        stage_since=NOW - 31 * DAY,
    )
    await arrange.meeting(db, stuck, MeetingKind.INTRO, NOW - 31 * DAY, status=MeetingStatus.HELD)
    await arrange.meeting(
        db, stuck, MeetingKind.TRIAL, NOW + 2 * DAY, status=MeetingStatus.CONFIRMED
    )

    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П.")
    assert "Статус: 🟡 нужно внимание" in reply.text
    assert "после пробной встречи ответ «не подходит»" in reply.text
    assert "нет 1 отзыва о последней встрече" in reply.text
    assert "встреча 20.11.2026 прошла, но не отмечена" in reply.text
    reply = await curator.click("Сидорова Е. П. → Смирнова О. И.")
    assert "Статус: 🔴 застой" in reply.text
    assert "этап «пробная рабочая встреча» не меняется 31 день" in reply.text


async def test_pair_card_shows_members_order_meetings_feedback_and_goals(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    await arrange.mentee(db, arrange.MENTEE_2, "Смирнова Ольга Игоревна", w.school_a)
    second = await db.scalar(select(Participant).where(Participant.telegram_id == arrange.MENTEE_2))
    assert second is not None
    p = await arrange.pair(
        db,
        w.petrov,
        [w.mentee, second],
        formed_at=NOW - 10 * DAY,
        next_kind=MeetingKind.PLANNING,
        stage_since=NOW - 2 * DAY,
        order=("45", dt.date(2026, 9, 1)),
    )
    intro = await arrange.meeting(
        db, p, MeetingKind.INTRO, NOW - 8 * DAY, status=MeetingStatus.HELD
    )
    await arrange.feedback(db, intro, w.petrov, rating=5, helped="Познакомились, наметили темы")
    await arrange.feedback(
        db, intro, w.mentee, rating=2, hard="Трудно с дисциплиной в 7 «Б»", shared=False
    )
    await arrange.feedback(db, intro, second, rating=4, helped="Понятно, куда идти", shared=True)
    trial = await arrange.meeting(
        db, p, MeetingKind.TRIAL, NOW - 2 * DAY, status=MeetingStatus.HELD
    )
    await arrange.feedback(db, trial, w.petrov, rating=4)
    await arrange.feedback(db, trial, w.mentee, due_at=NOW + DAY)  # still has time
    await arrange.feedback(db, trial, second, due_at=NOW - DAY)  # overdue
    await arrange.meeting(
        db, p, MeetingKind.PLANNING, NOW + 3 * DAY, status=MeetingStatus.CONFIRMED
    )
    skipped = await arrange.meeting(
        db, p, MeetingKind.TRIAL, NOW - 9 * DAY, status=MeetingStatus.CANCELLED
    )
    skipped.skip_reason = "Знакомы по прошлому году"
    for title, status in (("Дисциплина", GoalStatus.DONE), ("Родители", GoalStatus.PLANNED)):
        db.add(
            PlanGoal(
                pair_id=p.id,
                mentee_id=w.mentee.id,
                title=title,
                target_month=dt.date(2026, 12, 1),
                status=status,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    await db.commit()

    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П., Смирнова О. И.")
    card = reply.text
    assert f"Пара № {p.id}" in card and "МБОУ «Средняя школа № 12»" in card
    assert "Наставник: <b>Петров Иван Сергеевич</b>" in card
    assert "Наставляемые (2):" in card and "@ivanova_m" in card
    assert "Приказ: № 45 от 01.09.2026" in card
    assert "Следующий этап: встреча-планирование (с 21.11.2026)" in card
    assert "Статус: 🟡 нужно внимание" in card and "нет 1 отзыва" in card
    assert "Цели личного плана: 2, выполнено: 1" in card
    assert "Встречи (4):" in card
    assert (
        "• 14.11.2026 — пробная рабочая встреча, пропущена куратором: «Знакомы по прошлому году»"
        in card
    )
    assert "• 15.11.2026 — встреча-знакомство, состоялась" in card
    assert "Петров И. С. (наставник): оценка 5 из 5" in card
    assert "полезно: «Познакомились, наметили темы»" in card
    # The curator reads every comment; a private one is marked as such.
    assert "Иванова М. П.: оценка 2 из 5" in card
    assert "трудно: «Трудно с дисциплиной в 7 «Б»»" in card
    assert card.count("🔒 комментарий видит только куратор") == 2  # the mentor's and hers
    assert "• 21.11.2026 — пробная рабочая встреча, состоялась" in card
    assert "Иванова М. П.: ждём отзыв" in card and "Смирнова О. И.: отзыв не дан" in card
    assert "• 26.11.2026 — встреча-планирование, назначена" in card
    assert curator.buttons() == [
        "⏸ Пауза",
        "⏭ Пропустить этап: встреча-планирование",
        "⏹ Завершить пару",
        "📄 Доп. соглашение",
        "◀️ К списку пар",
    ]

    reply = await curator.click("К списку пар")
    assert "Пары и группы: 2" in reply.text


async def test_pause_for_weeks_or_until_a_typed_date_and_resume(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee], formed_at=NOW - 22 * DAY)
    await outbox.enqueue(
        db,
        recipient_id=w.petrov.id,
        kind=Kind.PAIR_SILENT,
        due_at=NOW + DAY,
        now=NOW,
        dedupe_key="test:silent",
        payload={"pair_id": p.id, "since": p.formed_at.isoformat()},
        pair_id=p.id,
    )
    await db.commit()
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П.")
    assert "🔴 застой" in reply.text
    reply = await curator.click("Пауза")
    assert curator.buttons()[:3] == [
        "1 неделя (до 30.11.2026)",
        "2 недели (до 07.12.2026)",
        "4 недели (до 21.12.2026)",
    ]
    reply = await curator.click("2 недели")
    assert "Пара на паузе до 07.12.2026" in reply.text
    assert "Статус: ⏸ пауза до 07.12.2026" in reply.text
    paused = await _pair(db, p.id)
    assert paused.status == PairStatus.PAUSED and paused.paused_until == dt.date(2026, 12, 7)
    nudge = await db.scalar(select(Outbox).where(Outbox.dedupe_key == "test:silent"))
    assert nudge is not None and nudge.status == OutboxStatus.CANCELLED

    reply = await curator.click("Снять паузу")
    assert "Пауза снята" in reply.text
    # The silence is counted from the end of the pause, so the pair is not «застой» now.
    assert "Статус: 🟢 в графике" in reply.text
    resumed = await _pair(db, p.id)
    assert resumed.status == PairStatus.ACTIVE and resumed.paused_until == dt.date(2026, 11, 23)

    await curator.click("Пауза")
    reply = await curator.click("До другой даты")
    assert "ДД.ММ.ГГГГ" in reply.text
    reply = await curator.send("до зимы")
    assert "Напишите дату в виде ДД.ММ.ГГГГ" in reply.text
    reply = await curator.send("31.02.2027")
    assert "Напишите дату в виде ДД.ММ.ГГГГ" in reply.text
    reply = await curator.send("01.11.2026")
    assert "уже наступила" in reply.text
    reply = await curator.send("01.11.2027")
    assert "не больше 183 дней" in reply.text
    reply = await curator.send("15.01.2027")
    assert "Пара на паузе до 15.01.2027" in reply.text
    assert (await _pair(db, p.id)).paused_until == dt.date(2027, 1, 15)


async def test_curator_of_another_school_and_a_mentee_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    stranger = person("Нина", user_id=arrange.CURATOR_B)
    reply = await stranger.send("/pairs")
    assert "Пар пока нет" in reply.text  # school B has none; school A's are not shown
    reply = await stranger.send("/unmatched")
    assert "Иванова" not in reply.text and "Кузнецов" not in reply.text
    anchor = stranger.api.chat(arrange.CURATOR_B)[-1]
    for data in (
        f"prc:card:{p.id}",
        f"prc:end:{p.id}",
        f"prc:pause:{p.id}",
        f"prz:{p.id}:2",
        f"mch:{w.mentee.id}:0",
        f"mpk:{w.mentee.id}:{w.orlov.id}",
        f"mor:none:{w.mentee.id}:{w.orlov.id}:0",
    ):
        reply = await stranger.press(anchor, data)
        assert reply.alert == "Это действие вам недоступно.", data
    assert (await _pair(db, p.id)).status == PairStatus.ACTIVE
    assert len(list(await db.scalars(select(Pair)))) == 2  # nothing formed by the stranger

    mentee = person("Мария", user_id=arrange.MENTEE)
    for command in ("/pairs", "/unmatched"):
        reply = await mentee.send(command)
        assert "доступна кураторам и координаторам" in reply.text
    await mentee.send("/help")
    anchor = mentee.api.chat(arrange.MENTEE)[-1]
    reply = await mentee.press(anchor, f"prc:card:{p.id}")
    assert reply.alert == "Это действие вам недоступно."
    reply = await mentee.press(anchor, f"prc:end:{p.id}")
    assert reply.alert == "Это действие вам недоступно."


async def test_coordinator_sees_every_school_of_the_municipality(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    await arrange.staff(
        db,
        arrange.COORDINATOR,
        "Морозова Елена Ивановна",
        Role.COORDINATOR,
        municipality=w.municipality,
    )
    other = await arrange.mentee(db, 216, "Зуева Лидия Ивановна", w.school_b)
    await arrange.pair(db, w.orlov, [other])
    coordinator = person("Елена", user_id=arrange.COORDINATOR)
    reply = await coordinator.send("/pairs")
    assert "Зайцев О. Ю. → Кузнецов П. А." in reply.text
    assert "Орлов Д. В. → Зуева Л. И." in reply.text
    assert "МБОУ «Гимназия № 3»" in reply.text  # several schools: each line names its own
    reply = await coordinator.send("/unmatched")
    assert "Иванова Мария Петровна" in reply.text and "МБОУ «Средняя школа № 12»" in reply.text


async def test_admin_sees_all_schools_and_may_form_a_pair(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    admin = person("Админ", user_id=ADMIN_ID)
    reply = await admin.send("/unmatched")
    assert "Иванова Мария Петровна" in reply.text
    await admin.click("Подобрать наставника")
    await admin.click("Орлов Д. В.")  # a mentor of another school of the municipality
    await admin.click("Без приказа")
    reply = await admin.click("Сформировать пару")
    assert "Предложение отправлено" in reply.text
    reply = await mentor_takes(person("Дмитрий", user_id=arrange.ORLOV), deliver)
    assert "Пара сформирована" in reply.text
    formed = await db.scalar(select(Pair).where(Pair.mentor_id == w.orlov.id))
    assert formed is not None and formed.formed_by_id is None
    assert formed.school_id == w.school_a.id  # the pair belongs to the mentee's school
    reply = await admin.send("/pairs")
    assert "Орлов Д. В. → Иванова М. П." in reply.text


async def test_a_new_command_drops_a_half_typed_reason(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/pairs")
    await curator.click("Петров И. С. → Иванова М. П.")
    await curator.click("Завершить пару")
    await curator.send("/pairs")
    reply = await curator.send("Просто сообщение")
    assert "Не понял сообщение" in reply.text
    assert (await _pair(db, p.id)).status == PairStatus.ACTIVE
