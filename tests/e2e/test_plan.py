"""/plan: goals from the mentee's deficits and typed, a target month from buttons, the
plan seen by both sides, the mentor marking progress, and who may do what."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import GoalStatusCb, PlanCb
from models import GoalStatus, MeetingKind, PlanGoal
from services import plan
from services.access import Actor
from tests import arrange
from tests.fakes.client import PersonFactory

MONTHS = [
    "декабрь 2026",
    "январь 2027",
    "февраль 2027",
    "март 2027",
    "апрель 2027",
    "май 2027",
    "июнь 2027",
    "июль 2027",
    "август 2027",
]


async def _goals(db: AsyncSession, pair_id: int) -> list[tuple[str, dt.date, GoalStatus]]:
    rows = await db.scalars(
        select(PlanGoal)
        .where(PlanGoal.pair_id == pair_id)
        .order_by(PlanGoal.id)
        .execution_options(populate_existing=True)
    )
    return [(g.title, g.target_month, g.status) for g in rows]


async def test_goals_from_deficits_and_typed_seen_by_both_and_marked_by_the_mentor(
    db: AsyncSession, person: PersonFactory
) -> None:
    a = await arrange.school_with_pair(
        db, next_kind=MeetingKind.REGULAR
    )  # the planning meeting is held
    pair_id = a.pair.id
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)

    reply = await mentor.send("/plan")
    assert "Личный план" in reply.text and "Целей пока нет" in reply.text
    assert mentor.buttons() == ["➕ Добавить цель"]
    reply = await mentor.click("Добавить цель")
    assert "Выберите цель из профессиональных дефицитов" in reply.text
    assert mentor.buttons() == [
        "Дисциплина на уроке",
        "Работа с родителями",
        "✍️ Написать свою цель",
    ]
    reply = await mentor.click("Дисциплина на уроке")
    assert "К какому месяцу её достичь?" in reply.text
    assert mentor.buttons() == MONTHS
    reply = await mentor.click("март 2027")
    assert (
        "Цель добавлена в личный план: <b>Дисциплина на уроке</b> — срок: март 2027" in reply.text
    )

    # A second goal, typed, with hints for what does not fit.
    await mentor.click("Добавить ещё цель")
    assert "Дисциплина на уроке" not in mentor.buttons()  # already in the plan
    reply = await mentor.click("Написать свою цель")
    assert "Напишите цель одной фразой" in reply.text
    reply = await mentor.send("ок")
    assert "Слишком коротко" in reply.text and "Напишите цель одной фразой" in reply.text
    reply = await mentor.send("Я" * 301)
    assert "Слишком длинная цель: 301 символов, а можно до 300" in reply.text
    reply = await mentor.send_sticker()
    assert "напишите цель текстом" in reply.text
    reply = await mentor.send("Провести открытый урок для коллег")
    assert "К какому месяцу" in reply.text
    await mentor.click("май 2027")
    assert await _goals(db, pair_id) == [
        ("Дисциплина на уроке", dt.date(2027, 3, 1), GoalStatus.PLANNED),
        ("Провести открытый урок для коллег", dt.date(2027, 5, 1), GoalStatus.PLANNED),
    ]

    # Both sides see the plan; only the mentor has the progress buttons.
    reply = await mentee.send("/plan")
    assert "1. Дисциплина на уроке — срок: март 2027 — <i>запланировано</i>" in reply.text
    assert "2. Провести открытый урок для коллег — срок: май 2027" in reply.text
    assert "наставник Петров Иван Сергеевич" in reply.text
    assert mentee.buttons() == ["➕ Добавить цель"]
    reply = await mentor.send("/plan")
    assert mentor.buttons() == [
        "▶️ 1. В работе",
        "✅ 1. Выполнено",
        "▶️ 2. В работе",
        "✅ 2. Выполнено",
        "➕ Добавить цель",
    ]
    reply = await mentor.click("▶️ 2. В работе")
    assert reply.alert == "Цель 2: в работе"
    assert "2. Провести открытый урок для коллег — срок: май 2027 — <i>в работе</i>" in reply.text
    reply = await mentor.click("✅ 1. Выполнено")
    assert "1. Дисциплина на уроке — срок: март 2027 — <i>выполнено</i>" in reply.text
    assert mentor.buttons() == ["✅ 2. Выполнено", "➕ Добавить цель"]

    reply = await mentee.send("/plan")
    assert "<i>выполнено</i>" in reply.text and "<i>в работе</i>" in reply.text
    assert [s for *_, s in await _goals(db, pair_id)] == [GoalStatus.DONE, GoalStatus.IN_PROGRESS]


async def test_mentee_adds_own_goal_after_planning(db: AsyncSession, person: PersonFactory) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.REGULAR)
    mentee = person("Мария", user_id=303)
    await mentee.send("/plan")
    await mentee.click("Добавить цель")
    await mentee.click("Работа с родителями")
    reply = await mentee.click("декабрь 2026")
    assert "Работа с родителями" in reply.text and "декабрь 2026" in reply.text
    goals = await _goals(db, a.pair.id)
    assert goals == [("Работа с родителями", dt.date(2026, 12, 1), GoalStatus.PLANNED)]


async def test_before_planning_only_the_mentor_sets_goals(
    db: AsyncSession, person: PersonFactory
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.TRIAL)
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)
    reply = await mentee.send("/plan")
    assert "Цели ставятся вместе с наставником" in reply.text
    assert mentee.buttons() == []
    reply = await mentee.press(reply.last, PlanCb(action="add", pair_id=a.pair.id).pack())
    assert reply.alert is not None and "на встрече-планировании" in reply.alert

    await mentor.send("/plan")
    reply = await mentor.click("Добавить цель")
    assert "Дисциплина на уроке" in mentor.buttons()


async def test_only_the_pair_sees_and_edits_its_plan(
    db: AsyncSession, person: PersonFactory
) -> None:
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.REGULAR)
    await arrange.school_with_pair(db, tg=400, next_kind=MeetingKind.REGULAR)
    mentor, mentee = person("Иван", user_id=302), person("Мария", user_id=303)
    stranger = person("Другой наставник", user_id=402)
    await mentor.send("/plan")
    await mentor.click("Добавить цель")
    await mentor.click("Дисциплина на уроке")
    await mentor.click("март 2027")
    goal_id = (await db.scalars(select(PlanGoal.id).where(PlanGoal.pair_id == a.pair.id))).one()

    # The stranger's /plan shows their own pair only.
    reply = await stranger.send("/plan")
    assert "Дисциплина на уроке" not in reply.text and "Целей пока нет" in reply.text
    own = reply.last
    for data in (
        PlanCb(action="add", pair_id=a.pair.id).pack(),
        PlanCb(action="show", pair_id=a.pair.id).pack(),
        GoalStatusCb(goal_id=goal_id, status=GoalStatus.DONE).pack(),
    ):
        reply = await stranger.press(own, data)
        assert reply.alert == "Это действие вам недоступно."

    # The mentee sees the plan but does not mark progress, even with a forged button.
    reply = await mentee.send("/plan")
    forged = GoalStatusCb(goal_id=goal_id, status=GoalStatus.DONE).pack()
    reply = await mentee.press(reply.last, forged)
    assert reply.alert == "Отмечать ход работы по целям может только наставник."
    assert [s for *_, s in await _goals(db, a.pair.id)] == [GoalStatus.PLANNED]

    reply = await person("Без пары").send("/plan")
    assert "У вас пока нет пары" in reply.text


async def test_set_status_for_the_meeting_log(db: AsyncSession) -> None:
    """The service the meeting log's optional step calls."""
    a = await arrange.school_with_pair(db, next_kind=MeetingKind.REGULAR)
    as_mentor = Actor(302, participant_id=a.mentor.id)
    goal = await plan.add_goal(
        db, as_mentor, a.pair.id, target_month=dt.date(2027, 1, 1), now=arrange.NOW, title="Эссе"
    )
    assert [g.id for g in await plan.open_goals(db, as_mentor, a.pair.id, arrange.NOW)] == [goal.id]
    pair_id = await plan.set_status(db, as_mentor, goal.id, GoalStatus.DONE, arrange.NOW)
    assert pair_id == a.pair.id
    assert await plan.open_goals(db, as_mentor, a.pair.id, arrange.NOW) == []


async def test_group_goals_name_their_mentee(db: AsyncSession, person: PersonFactory) -> None:
    a = await arrange.school_with_pair(
        db, next_kind=MeetingKind.REGULAR, mentees=2, deficits=("psy_discipline",)
    )
    mentor, second = person("Иван", user_id=302), person("Ольга", user_id=304)
    await mentor.send("/plan")
    await mentor.click("Добавить цель")
    assert mentor.buttons() == [
        "Дисциплина на уроке — Иванова Мария Петровна",
        "Дисциплина на уроке — Смирнова Ольга Игоревна",
        "✍️ Написать свою цель",
    ]
    await mentor.click("Смирнова Ольга Игоревна")
    await mentor.click("январь 2027")
    await mentor.click("Добавить ещё цель")
    await mentor.click("Написать свою цель")
    await mentor.send("Общий проект группы: неделя математики")
    await mentor.click("апрель 2027")
    reply = await second.send("/plan")
    assert "группа: Иванова Мария Петровна, Смирнова Ольга Игоревна" in reply.text
    assert "1. Дисциплина на уроке (Смирнова Ольга Игоревна) — срок: январь 2027" in reply.text
    assert "2. Общий проект группы: неделя математики — срок: апрель 2027" in reply.text
    # Each mentee picks from their own deficits only.
    await second.click("Добавить цель")
    assert second.buttons() == ["✍️ Написать свою цель"]  # hers is already in the plan
    mentee_ids = [m.id for m in a.mentees]
    rows = await db.scalars(select(PlanGoal.mentee_id).where(PlanGoal.pair_id == a.pair.id))
    assert sorted(rows, key=lambda x: x or 0) == [None, mentee_ids[1]]
