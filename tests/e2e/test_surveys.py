"""Survey rounds through the fake Bot API: a round opens and reaches every active
participant (not the withdrawn, not the blocked, not staff) at the school's local
morning; a mentee answers one item per message, with bad input refused, stops half way,
the bot restarts and the mentee goes on; changing an answer before «Отправить»; a closed
round refuses kindly; reminders after 3 and 7 days; forged buttons are refused."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.ui.callbacks import MeetingDurationCb
from bot.ui.surveys.callbacks import SurveyAnswerCb, SurveyOpenCb
from models import (
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    PairStatus,
    ParticipantStatus,
    Role,
)
from models.surveys import RoundKind, SurveyAnswer, SurveyItem, SurveyResponse
from services.clock import FixedClock
from services.outbox import Kind
from services.surveys import planning
from tests import arrange
from tests.arrange import surveys as sv
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Deliver, Person, PersonFactory, Reply

# Tuesday 1 December 2026, 22:30 in Moscow: quiet hours (21:00–08:00).
LATE_EVENING = dt.datetime(2026, 12, 1, 19, 30, tzinfo=dt.UTC)
NEXT_MORNING = dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC)  # 08:00 in Moscow


async def _responses(db: AsyncSession) -> list[SurveyResponse]:
    return list(
        await db.scalars(
            select(SurveyResponse)
            .order_by(SurveyResponse.id)
            .execution_options(populate_existing=True)
        )
    )


async def _plan(db: AsyncSession, clock: FixedClock) -> int:
    return await planning.plan(db, clock.now())


async def test_round_opens_for_every_active_participant_at_the_local_morning(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    a = await arrange.school_with_pair(db, tg=300)  # curator 301, mentor 302, mentee 303
    school = a.school
    extra = await arrange.teacher(db, 304, "Зайцева Ольга Игоревна", Role.MENTEE, school)
    blocked = await arrange.teacher(db, 305, "Орлов Пётр Ильич", Role.MENTOR, school)
    blocked.blocked_bot = True
    gone = await arrange.teacher(db, 306, "Белов Сергей Андреевич", Role.MENTEE, school)
    gone.status, gone.telegram_id, gone.full_name = ParticipantStatus.LEFT, None, None
    await db.commit()

    clock.at = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)  # before the December round
    assert await _plan(db, clock) == 0
    clock.at = LATE_EVENING
    assert await _plan(db, clock) == 3  # the mentor, the mentee and the unpaired mentee
    assert await _plan(db, clock) == 0  # planning twice writes nothing new
    invited = {(r.participant_id, r.role) for r in await _responses(db)}
    assert invited == {
        (a.mentor.id, Role.MENTOR),
        (a.mentee.id, Role.MENTEE),
        (extra.id, Role.MENTEE),
    }
    assert await deliver() == 0  # 22:30 in Moscow: quiet hours
    clock.at = NEXT_MORNING
    assert await deliver() == 3
    api = person("x", user_id=301).api
    for chat, items in ((302, 6), (303, 7), (304, 7)):  # the mentor's midterm has 6 items
        message = api.chat(chat)[-1]
        assert "<b>Промежуточная анкета</b> программы наставничества" in message.text
        assert f"(их {items})" in message.text
        assert "Анкета открыта до 20.12.2026 включительно" in message.text
        assert [b for b, _ in message.buttons] == ["Начать опрос"]
    assert api.chat(301) == [] and api.chat(305) == [] and api.chat(306) == []


def _buttons(p: Person) -> list[list[str]]:
    """The newest keyboard, row by row."""
    for m in reversed(p.api.chat(p.user_id)):
        rows = (m.reply_markup or {}).get("inline_keyboard", [])
        if rows:
            return [[b["text"] for b in row] for row in rows]
    return []


async def test_mentee_answers_half_the_bot_restarts_and_the_mentee_goes_on(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    fake_api: FakeBotAPI,
    i18n: I18n,
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    clock.at = NEXT_MORNING
    await _plan(db, clock)
    await deliver()
    maria = person("Мария", user_id=303)

    reply = await maria.click("Начать опрос")
    assert "<b>Промежуточная анкета</b> · Вопрос 1 из 7" in reply.text
    assert "Насколько вы удовлетворены участием в программе наставничества?" in reply.text
    assert "1 — самый низкий балл, 10 — самый высокий" in reply.text
    assert _buttons(maria) == [["1", "2", "3", "4", "5"], ["6", "7", "8", "9", "10"]]

    reply = await maria.click("8")
    assert "Ваш ответ: <b>8</b>" in reply.messages[0].text  # the question keeps its answer
    assert reply.messages[0].buttons == []
    assert "Вопрос 2 из 7" in reply.last.text
    assert "Насколько комфортным было общение с наставником?" in reply.last.text
    assert _buttons(maria)[-1] == ["◀️ Назад"]

    # Bad input: a hint and the same item, each time.
    for bad, hint in (
        ("отлично", "Выберите оценку кнопкой — от 1 до 10"),
        ("0", "Оценка 0 не подходит: шкала от 1 до 10."),
        ("11", "Оценка 11 не подходит: шкала от 1 до 10."),
        ("5²", "Выберите оценку кнопкой — от 1 до 10"),  # «²»: a digit to isdigit only
    ):
        reply = await maria.send(bad)
        assert hint in reply.text and "Вопрос 2 из 7" in reply.text, bad
    reply = await maria.send_sticker()
    assert "Выберите оценку кнопкой" in reply.text and "Вопрос 2 из 7" in reply.text
    question = maria.api.chat(303)[-1]
    item_id = int(question.buttons[0][1].split(":")[2])
    response_id = int(question.buttons[0][1].split(":")[1])
    for value in (0, 11):
        forged = SurveyAnswerCb(r=response_id, i=item_id, d=0, v=value).pack()
        reply = await maria.press(question, forged)
        assert reply.alert == "Эта кнопка уже не действует. Отправьте команду ещё раз."

    reply = await maria.send("7")  # a typed score is an answer too
    assert "Ответ сохранён." in reply.text and "Вопрос 3 из 7" in reply.text
    await maria.click("9")
    await maria.click("10")
    reply = await maria.click("6")
    assert "Вопрос 6 из 7" in reply.last.text and "Что было особенно ценно?" in reply.last.text
    assert _buttons(maria) == [["Пропустить"], ["◀️ Назад"]]

    # The bot restarts mid-survey: a new Dispatcher with a fresh memory storage (the
    # survey keeps its place in the database, not in the chat's state).
    dp2 = create_dispatcher(settings, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n)
    maria2 = Person(dp2, bot, fake_api, 303, "Мария")
    reply = await maria2.send("Разбор урока в 7 «Б» с видеозаписью")
    assert "Ответ сохранён." in reply.text and "Вопрос 7 из 7" in reply.text
    reply = await maria2.send("/survey")
    assert "Вопрос 7 из 7" in reply.text  # /survey shows where she left off
    reply = await maria2.click("Пропустить")
    assert "<b>Промежуточная анкета</b> · проверьте ответы" in reply.text
    assert "2. Насколько комфортным было общение с наставником? — <b>7</b>" in reply.text
    assert "6. Что было особенно ценно? — <b>«Разбор урока в 7 «Б» с видеозаписью»</b>" in (
        reply.text
    )
    assert "7. Чего не хватило, что изменить? — <b>пропущено</b>" in reply.text

    # Changing an answer before the last step.
    reply = await maria2.click("✏️ 2")
    assert "Вопрос 2 из 7" in reply.text and "Сейчас: <b>7</b>" in reply.text
    assert "✓ 7" in [b for row in _buttons(maria2) for b in row]
    reply = await maria2.click("9")
    assert "проверьте ответы" in reply.last.text
    assert "2. Насколько комфортным было общение с наставником? — <b>9</b>" in reply.last.text
    reply = await maria2.click("Отправить ответы")
    assert "Спасибо! Промежуточная анкета заполнена, ответы отправлены." in reply.text

    r = next(x for x in await _responses(db) if x.participant_id == a.mentee.id)
    assert r.finished_at == NEXT_MORNING
    given = {
        code: (value, text, skipped)
        for code, value, text, skipped in await db.execute(
            select(SurveyItem.code, SurveyAnswer.value, SurveyAnswer.text, SurveyAnswer.skipped)
            .join(SurveyItem, SurveyItem.id == SurveyAnswer.item_id)
            .where(SurveyAnswer.response_id == r.id)
        )
    }
    assert given == {
        "M1": (8, None, False),
        "M2": (9, None, False),
        "M3": (9, None, False),
        "M4": (10, None, False),
        "M5": (6, None, False),
        "M7": (None, "Разбор урока в 7 «Б» с видеозаписью", False),
        "M8": (None, None, True),
    }
    # Finished: old buttons and typed text no longer touch it.
    reply = await maria2.press(question, SurveyAnswerCb(r=response_id, i=item_id, d=0, v=3).pack())
    assert reply.alert == "Вы уже отправили ответы на эту анкету — спасибо!"
    reply = await maria2.send("ещё одна мысль")
    assert "Не понял сообщение" in reply.text
    # `pytest -s` prints the conversation (the transcript in the guide comes from here).
    print("\n".join(maria.transcript + maria2.transcript))


async def tap(p: Person, label: str) -> Reply:
    """Press the button labelled exactly ``label`` (calendar days: «7» is in «2026»)."""
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                return await p.press(m, data)
    raise AssertionError(f"no button {label!r} in chat {p.user_id}")


async def test_a_closed_round_refuses_kindly(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    await arrange.school_with_pair(db, tg=300)
    clock.at = NEXT_MORNING
    await _plan(db, clock)
    await deliver()
    maria = person("Мария", user_id=303)
    await maria.click("Начать опрос")
    await maria.click("8")
    clock.at = dt.datetime(2026, 12, 21, 9, 0, tzinfo=dt.UTC)  # the round ended on the 20th
    polite = (
        "Промежуточная анкета была открыта до 20.12.2026 включительно — "
        "сейчас ответы уже не принимаются. Спасибо за готовность ответить!"
    )
    reply = await maria.click("9")
    assert reply.alert == polite
    reply = await maria.send("9")  # a typed answer to the open question: told once
    assert polite in reply.text
    reply = await maria.send("9")
    assert "Не понял сообщение" in reply.text
    reply = await maria.send("/survey")
    assert "срок ответов на вашу анкету уже закончился" in reply.text
    # Its reminders are dropped, not sent.
    clock.at = dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC)
    assert await deliver() == 0


async def test_reminders_after_three_and_seven_days_skip_rest_days_and_finished_people(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    clock.at = NEXT_MORNING  # Wednesday 2 December, 08:00 in Moscow
    await _plan(db, clock)
    assert await deliver() == 2
    maria = person("Мария", user_id=303)
    await maria.click("Начать опрос")
    await maria.click("8")
    await maria.click("7")
    mentor_response = next(r for r in await _responses(db) if r.role == Role.MENTOR)
    mentor_response.finished_at = NEXT_MORNING
    await db.commit()

    clock.at = dt.datetime(2026, 12, 5, 5, 0, tzinfo=dt.UTC)  # 3 days on: a Saturday
    assert await deliver() == 0
    clock.at = dt.datetime(2026, 12, 7, 5, 0, tzinfo=dt.UTC)  # Monday 08:00
    assert await deliver() == 1
    reminder = maria.api.chat(303)[-1]
    assert "Напоминаем: <b>Промежуточная анкета</b> ждёт ваших ответов" in reminder.text
    assert "отвечено 2 из 7" in reminder.text
    assert [b for b, _ in reminder.buttons] == ["Продолжить"]
    assert maria.api.chat(302)[-1].text.startswith("📋")  # the mentor finished: nothing new
    reply = await maria.click("Продолжить")
    assert "Вопрос 3 из 7" in reply.text
    clock.at = dt.datetime(2026, 12, 9, 5, 0, tzinfo=dt.UTC)  # 7 days on
    assert await deliver() == 1
    assert "отвечено 2 из 7" in maria.api.chat(303)[-1].text
    rows = list(
        await db.scalars(
            select(Outbox).where(
                Outbox.kind == Kind.SURVEY_REMINDER, Outbox.recipient_id == a.mentor.id
            )
        )
    )
    assert {r.status for r in rows} == {OutboxStatus.CANCELLED}


async def test_the_final_round_opens_at_the_final_meeting_and_repeats_the_deficits(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    held = dt.datetime(2027, 3, 2, 8, 0, tzinfo=dt.UTC)  # long before the May round
    a = await arrange.school_with_pair(
        db, tg=300, next_kind=None, status=PairStatus.COMPLETED, stage_since=held
    )
    await arrange.meeting(db, a.pair, MeetingKind.FINAL, held, status=MeetingStatus.HELD)
    clock.at = held + dt.timedelta(hours=3)
    assert await _plan(db, clock) == 2
    assert {r.pair_id for r in await _responses(db)} == {a.pair.id}
    assert await deliver() == 2
    maria = person("Мария", user_id=303)
    assert "<b>Итоговая анкета</b>" in maria.api.chat(303)[-1].text
    reply = await maria.click("Начать опрос")
    assert "Вопрос 1 из 11" in reply.text
    for score in ("9", "8", "9", "9", "8"):
        await tap(maria, score)
    reply = await tap(maria, "7")
    question = reply.last.text
    assert "Вопрос 7 из 11" in question and "Дефицит: <b>Дисциплина на уроке</b>" in question
    assert "Что изменилось за время программы?" in question
    assert _buttons(maria) == [["закрыт", "стало легче", "без изменений"], ["◀️ Назад"]]
    reply = await maria.send("закрыт")
    assert "Выберите ответ кнопкой: «закрыт», «стало легче» или «без изменений»." in reply.text
    assert "Вопрос 7 из 11" in reply.text
    reply = await maria.click("стало легче")
    assert "Вопрос 8 из 11" in reply.last.text and "Работа с родителями" in reply.last.text
    await maria.click("без изменений")
    await maria.click("Пропустить")
    reply = await maria.click("Пропустить")
    assert "Вопрос 11 из 11" in reply.last.text
    assert _buttons(maria) == [["Да", "Нет"], ["◀️ Назад"]]
    reply = await maria.click("Да")
    summary = reply.last.text
    assert "7. Дисциплина на уроке: Что изменилось за время программы? — <b>стало легче</b>" in (
        summary
    )
    assert "8. Работа с родителями: Что изменилось за время программы? — <b>без изменений</b>" in (
        summary
    )
    assert "11. Хотели бы вы продолжить работу с наставником или стать наставником в " in summary
    assert "в будущем? — <b>Да</b>" in summary
    reply = await maria.click("Отправить ответы")
    assert "Итоговая анкета заполнена" in reply.text


async def test_logging_the_final_meeting_opens_the_final_round_at_once_without_a_tick(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    starts = dt.datetime(2027, 3, 2, 8, 0, tzinfo=dt.UTC)  # long before the May round
    a = await arrange.school_with_pair(db, tg=310, next_kind=MeetingKind.FINAL)
    final = await arrange.meeting(db, a.pair, MeetingKind.FINAL, starts)
    clock.at = starts + dt.timedelta(hours=2)  # 13:00 in Moscow: not quiet hours
    ivan, maria = person("Иван", user_id=312), person("Мария", user_id=313)
    reply = await ivan.send("/meetings")
    # «Встреча состоялась?» → «Да» → «60 мин»: the duration button logs it.
    reply = await ivan.press(reply.last, MeetingDurationCb(meeting_id=final.id, minutes=60).pack())
    assert "Записал: встреча состоялась, 60 мин" in reply.text
    # No planning tick has run: the invitations are already in the outbox.
    invited = {(r.participant_id, r.role, r.pair_id) for r in await _responses(db)}
    assert invited == {
        (a.mentor.id, Role.MENTOR, a.pair.id),
        (a.mentees[0].id, Role.MENTEE, a.pair.id),
    }
    await deliver()
    assert any("<b>Итоговая анкета</b>" in m.text for m in maria.api.chat(313))
    assert any("<b>Итоговая анкета</b>" in m.text for m in ivan.api.chat(312))
    # A tick afterwards invites nobody twice.
    assert await _plan(db, clock) == 0


async def test_forged_survey_buttons_of_another_person_or_round_are_refused(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    clock.at = NEXT_MORNING
    await _plan(db, clock)
    await deliver()
    maria, ivan = person("Мария", user_id=303), person("Иван", user_id=302)
    await maria.click("Начать опрос")
    own = maria.api.chat(303)[-1]
    _, r, i, _, _ = own.buttons[0][1].split(":")
    mentor_response = next(x for x in await _responses(db) if x.role == Role.MENTOR)
    # Her own item on the mentor's response; the mentor's response opened by her.
    reply = await maria.press(own, SurveyAnswerCb(r=mentor_response.id, i=int(i), d=0, v=5).pack())
    assert reply.alert == "Это действие вам недоступно."
    reply = await maria.press(own, SurveyOpenCb(r=mentor_response.id).pack())
    assert reply.alert == "Это действие вам недоступно."
    # The mentor's item (another role's question) on her own response: not one of its steps.
    await ivan.click("Начать опрос")
    _, _, mentor_item, _, _ = ivan.api.chat(302)[-1].buttons[0][1].split(":")
    reply = await maria.press(own, SurveyAnswerCb(r=int(r), i=int(mentor_item), d=0, v=5).pack())
    assert reply.alert == "Эта кнопка уже не действует. Отправьте команду ещё раз."
    reply = await maria.press(own, SurveyOpenCb(r=999_999).pack())
    assert reply.alert == "Не нашёл такой записи — возможно, её уже удалили."
    assert (await db.scalar(select(SurveyAnswer.id).limit(1))) is None
    del a


async def test_the_curator_moves_a_round_with_the_calendar_and_sees_the_rate_live(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    curator = person("Анна", user_id=301)
    reply = await curator.send("/surveys")
    assert "📋 <b>Опросы удовлетворённости</b>" in reply.text
    assert "собственные вопросы проекта «Наставник-бот»" in reply.text
    assert "<b>Промежуточная анкета</b>: 01.12.2026–20.12.2026 · откроется 01.12.2026" in (
        reply.text
    )
    assert (
        "<b>Итоговая анкета</b>: 15.05.2027–30.06.2027 · откроется 15.05.2027 "
        "(для пары — сразу после итоговой встречи)"
    ) in reply.text

    reply = await curator.click("📅 промежуточная")
    assert "сейчас 01.12.2026–20.12.2026" in reply.text and "Декабрь 2026" in str(_buttons(curator))
    await tap(curator, "7")
    reply = await tap(curator, "5")
    assert reply.alert == "Последний день не может быть раньше дня открытия."
    reply = await tap(curator, "18")
    assert "<b>Промежуточная анкета</b>: 07.12.2026–18.12.2026. Сохранить?" in reply.text
    reply = await curator.click("Сохранить")
    assert "✅ Сохранено: Промежуточная анкета — 07.12.2026–18.12.2026" in reply.text

    clock.at = NEXT_MORNING  # 2 December: the round now opens on the 7th
    assert await _plan(db, clock) == 0
    clock.at = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    assert await _plan(db, clock) == 2
    await deliver()
    reply = await curator.send("/surveys")
    assert "<b>Промежуточная анкета</b>: 07.12.2026–18.12.2026 · идёт" in reply.text
    assert "ответили 0 из 2 приглашённых (0 %)" in reply.text
    maria = person("Мария", user_id=303)
    await maria.click("Начать опрос")
    await maria.click("9")
    reply = await curator.send("/surveys")
    assert "ответили 0 из 2 приглашённых (0 %); ещё 1 начал(а), но не закончил(а)" in reply.text
    for score in ("9", "9", "9", "9"):
        await tap(maria, score)
    await maria.click("Пропустить")
    await maria.click("Пропустить")
    await maria.click("Отправить ответы")
    reply = await curator.send("/surveys")
    assert "ответили 1 из 2 приглашённых (50 %)" in reply.text
    reply = await curator.click("📊 промежуточная")
    assert "<b>Наставляемые</b>: ответили 1 из 1" in reply.text
    assert "Меньше 3 ответов — итоги не показываются" in reply.text
    # A participant has no such command.
    reply = await maria.send("/surveys")
    assert "Эта команда доступна кураторам и координаторам программы." in reply.text
    del a


async def test_the_coordinator_sees_every_school_and_the_results_across_them(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    mun, (a, b, _) = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 103, "Орлова Елена Павловна", Role.COORDINATOR, municipality=mun)
    mentor_a = await arrange.teacher(db, 201, "Петров Иван Сергеевич", Role.MENTOR, a)
    mentees_a = [
        await arrange.teacher(db, 202 + i, name, Role.MENTEE, a)
        for i, name in enumerate(
            ["Иванова Мария Петровна", "Смирнова Анна Олеговна", "Кузнецова Ольга Игоревна"]
        )
    ]
    await arrange.teacher(db, 301, "Орлов Пётр Ильич", Role.MENTOR, b)
    await arrange.teacher(db, 302, "Волкова Нина Сергеевна", Role.MENTEE, b)
    midterm_a = await sv.round_of(db, a, RoundKind.MIDTERM)
    for p, score in zip(mentees_a, (9, 7, 8), strict=True):
        await sv.response(
            db, midterm_a, p.id, Role.MENTEE, satisfaction=score, texts={"M7": f"Отзыв {score}"}
        )
    clock.at = NEXT_MORNING
    assert await _plan(db, clock) == 3  # A's mentor, B's two; A's mentees have answered
    del mentor_a
    coordinator = person("Елена", user_id=103)

    reply = await coordinator.send("/surveys")
    text = reply.text
    assert "Городской округ Серпухов · 2026/2027 учебный год · 3 школы" in text
    assert "<b>Промежуточная анкета</b>: ответили 3 из 6 приглашённых (50 %)" in text
    assert "<b>Входная анкета</b>: приглашений пока нет" in text
    assert "МБОУ «Средняя школа № 12»: — · 3/4 · —" in text
    assert "МБОУ «Гимназия № 3»: — · 0/2 · —" in text

    reply = await coordinator.click("📊 промежуточная")
    res = reply.text
    assert "📊 <b>Итоги: Промежуточная анкета</b>\nГородской округ Серпухов" in res
    assert "<b>Наставляемые</b>: ответили 3 из 4" in res
    assert "<b>M1.</b> Насколько вы удовлетворены участием в программе наставничества?" in res
    assert "среднее <b>8,0</b> из 10 · 3 ответа" in res
    assert "<code> 9 ▇▇▇▇▇▇▇▇▇▇</code> 1" in res and "<code> 1 ·</code> 0" in res
    assert "• Отзыв 7\n• Отзыв 8\n• Отзыв 9" in res
    assert "<b>Наставники</b>: ответили 0 из 2" in res
    assert "Иванова" not in res

    await coordinator.send("/surveys")
    reply = await coordinator.click("МБОУ «Гимназия № 3»")
    assert "📋 <b>Опросы удовлетворённости</b>\nМБОУ «Гимназия № 3»" in reply.text
    assert "ответили 0 из 2 приглашённых (0 %)" in reply.text
