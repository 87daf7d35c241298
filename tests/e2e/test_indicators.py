"""/indicators and /headcount through the fake Bot API: without a headcount «нет
данных», the headcount typed in the bot (bad numbers get a hint and the same question),
two answers hidden and three shown, «Методика расчёта»; a coordinator across schools;
a curator of school A never sees school B, whatever button id they forge."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.surveys.callbacks import (
    HeadcountCb,
    IndicatorsCb,
    RoundDatesCb,
    RoundResultsCb,
    SurveysScopeCb,
    TargetAction,
    TargetCb,
)
from models import PairMember, Participant, Role, RoleGrant, School
from models.surveys import RoundKind
from tests import arrange
from tests.arrange import surveys as sv
from tests.fakes.client import Person, PersonFactory

CURATOR_A, CURATOR_B, COORDINATOR = 101, 102, 103
DENIED = "Это действие вам недоступно."


async def _school_with_a_pair(
    db: AsyncSession, school: School, tg: int, mentees: int = 2
) -> list[Participant]:
    mentor = await arrange.teacher(db, tg, "Петров Иван Сергеевич", Role.MENTOR, school)
    names = ["Иванова Мария Петровна", "Смирнова Анна Олеговна", "Кузнецова Ольга Игоревна"]
    people = [
        await arrange.teacher(db, tg + 1 + i, names[i], Role.MENTEE, school) for i in range(mentees)
    ]
    await arrange.pair(db, mentor, people, formed_at=dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC))
    return people


async def test_curator_indicators_no_data_then_headcount_then_enough_answers(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, (a, _, _) = await arrange.municipality_with_schools(db)
    await arrange.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    m1, m2 = await _school_with_a_pair(db, a, 200)
    midterm = await sv.round_of(db, a, RoundKind.MIDTERM)
    await sv.response(db, midterm, m1.id, Role.MENTEE, satisfaction=9)
    await sv.response(db, midterm, m2.id, Role.MENTEE, satisfaction=6)
    curator = person("Анна", user_id=CURATOR_A)

    reply = await curator.send("/indicators")
    text = reply.text
    assert "📊 <b>Показатели эффективности</b>\nМБОУ «Средняя школа № 12» · 2026/2027" in text
    assert "1-й год программы" in text
    assert (
        "<b>1. Доля учителей – молодых специалистов (с опытом работы от 0 до 3 лет), "
        "работающих в ОО, вошедших в программы наставничества в роли наставляемого, %</b>\n"
        "B — <b>нет данных</b> (численность не введена: /headcount) · цель 100 %"
    ) in text
    assert (
        "<b>3. Уровень удовлетворенности наставляемых участием в программах наставничества, "
        "% (опросный)</b>\nответили 2 из 2 — меньше 3 ответов, значение не показывается · цель 50 %"
    ) in text
    assert "<b>Показатели работы бота</b> (не входят в официальные):" in text
    assert "100 %</b>" not in text

    reply = await curator.send("/headcount")
    assert "Численность на этот учебный год не введена" in reply.text
    reply = await curator.click("Ввести")
    assert "Сколько педагогических работников в школе в 2026/2027 учебном году?" in reply.text
    reply = await curator.send("сорок")
    assert "Нужно число цифрами, например 42." in reply.text
    assert "Сколько педагогических работников" in reply.text
    reply = await curator.send("40")
    assert "Из них — в возрасте до 35 лет?" in reply.text
    reply = await curator.send("41")
    assert "До 35 лет не может быть больше, чем всего педагогов (40)." in reply.text
    assert "Из них — в возрасте до 35 лет?" in reply.text
    await curator.send("12")
    reply = await curator.send("5")
    assert "✅ Численность сохранена." in reply.text
    assert "Педагогических работников: <b>40</b>" in reply.text
    assert "из них молодых специалистов (стаж 0–3 года): <b>5</b>" in reply.text

    reply = await curator.send("/indicators")
    assert "A = 2, B = 5 → <b>40 %</b> ⚠️ · цель 100 %" in reply.text

    m3 = await arrange.teacher(db, 210, "Кузнецова Ольга Игоревна", Role.MENTEE, a)
    pair_id = await db.scalar(
        PairMember.__table__.select().with_only_columns(PairMember.pair_id).limit(1)
    )
    db.add(PairMember(pair_id=pair_id, mentee_id=m3.id, joined_at=sv.NOW))
    await db.commit()
    await sv.response(db, midterm, m3.id, Role.MENTEE, satisfaction=8)
    reply = await curator.send("/indicators")
    assert "A = 3, B = 5 → <b>60 %</b> ⚠️ · цель 100 %" in reply.text  # m3 is young too
    assert "A = 2, B = 3 → <b>67 %</b> ✅ · цель 50 % · ответили 3 из 3" in reply.text

    reply = await curator.click("Методика расчёта")
    method = reply.text
    assert "📐 <b>Методика расчёта показателей</b>" in method
    assert "оценён на 8 и выше из 10" in method
    assert "8 в анкете проекта по умолчанию — выбор проекта" in method
    assert "собственный выбор проекта «Наставник-бот»" in method
    assert "«общее количество учителей – молодых специалистов, работающих в» школе" in method


async def test_the_coordinator_sees_the_municipality_then_each_school(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, (a, _b, c) = await arrange.municipality_with_schools(db)
    await arrange.staff(
        db, COORDINATOR, "Орлова Елена Павловна", Role.COORDINATOR, municipality=mun
    )
    people = await _school_with_a_pair(db, a, 200, mentees=3)
    midterm = await sv.round_of(db, a, RoundKind.MIDTERM)
    for p, score in zip(people, (9, 8, 5), strict=True):
        await sv.response(db, midterm, p.id, Role.MENTEE, satisfaction=score)
    await sv.headcount(db, a, 40, 12, 5)
    await sv.headcount(db, c, 30, 10, 3)
    coordinator = person("Елена", user_id=COORDINATOR)

    reply = await coordinator.send("/indicators")
    screen = reply.text
    print(screen)  # `pytest -s`: the coordinator's screen as the fake saw it
    assert "📊 <b>Показатели эффективности</b>\nГородской округ Серпухов · 2026/2027" in screen
    assert "<b>Муниципальный уровень</b>" in screen
    assert (
        "<b>1. Доля педагогических работников в возрасте до 35 лет вовлеченных в деятельность "
        "по поддержке молодых специалистов и начинающих учителей</b>\n"
        "A = 4, B = 22 → <b>18 %</b> ⚠️ · цель 70 % · по 2 из 3 ОО, где введена численность"
    ) in screen
    assert (
        "<b>2. Доля школ, реализующих муниципальный проект по наставничеству</b>\n"
        "A = 1, B = 3 → <b>33 %</b> ⚠️ · цель 60 %"
    ) in screen
    assert (
        "<b>3. Доля благополучателей проекта удовлетворенных деятельностью в проекте</b>\n"
        "A = 2, B = 4 → <b>50 %</b> ⚠️ · цель 90 % · ответили 3 из 4"
    ) in screen
    assert (
        "<b>4. Доля молодых специалистов, вовлечённых в мероприятия клуба «Пеликаша» и "
        "Центра</b>\nA = 0, B = 8 → <b>0 %</b> ⚠️ · цель 80 %"
    ) in screen  # the club: nobody came to an event yet
    assert "<b>Показатели школ, всего по муниципалитету</b>" in screen
    assert "<b>По школам</b> (страница 1 из 1):" in screen
    assert (
        "<b>9. Доля молодых педагогов, у которых повысится профессиональный уровень</b>\n"
        "A = 0, B = 0 — не вычисляется · цель 80 %"  # nobody completed yet
    ) in screen
    assert (
        "<b>МБОУ «Гимназия № 3»</b>\nохват молодых специалистов: нет данных · "
        "рост уровня: B = 0 · удовлетворённость наставляемых: B = 0"
    ) in screen
    assert (
        "<b>МБОУ «Средняя школа № 12»</b>\nохват молодых специалистов 3/5 = 60 % ⚠️ · "
        "рост уровня: B = 0 · "
    ) in screen
    assert "удовлетворённость наставляемых 2/3 = 67 % ✅ (ответили 3)" in screen
    assert "удовлетворённость наставников: меньше 3 ответов" in screen
    reply = await coordinator.click("Методика расчёта")
    assert "Доля школ, реализующих муниципальный проект по наставничеству" in reply.text


async def _forge(p: Person, data: str) -> str | None:
    own = p.api.chat(p.user_id)[-1]
    return (await p.press(own, data)).alert


async def test_a_curator_of_school_a_never_sees_school_b(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, (a, b, _) = await arrange.municipality_with_schools(db)
    await arrange.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    await arrange.staff(db, CURATOR_B, "Белова Нина Петровна", Role.CURATOR, school=b)
    mentees_b = await _school_with_a_pair(db, b, 300, mentees=3)
    round_b = await sv.round_of(db, b, RoundKind.MIDTERM)
    for p in mentees_b:
        await sv.response(db, round_b, p.id, Role.MENTEE, satisfaction=9, texts={"M7": "Секрет Б"})
    await sv.headcount(db, b, 50, 20, 7)
    curator = person("Анна", user_id=CURATOR_A)

    reply = await curator.send("/indicators")
    assert "МБОУ «Средняя школа № 12»" in reply.text and "Гимназия" not in reply.text
    reply = await curator.send("/surveys")
    assert "МБОУ «Средняя школа № 12»" in reply.text and "Гимназия" not in reply.text
    reply = await curator.send("/headcount")
    assert "МБОУ «Средняя школа № 12»" in reply.text and "50" not in reply.text

    for forged in (
        IndicatorsCb(action="page", m=mun.id).pack(),
        IndicatorsCb(action="method", s=b.id).pack(),
        SurveysScopeCb(s=b.id).pack(),
        SurveysScopeCb(m=mun.id).pack(),
        RoundResultsCb(kind=RoundKind.MIDTERM, s=b.id).pack(),
        RoundResultsCb(kind=RoundKind.MIDTERM, m=mun.id).pack(),
        RoundDatesCb(round_id=round_b.id).pack(),
        HeadcountCb(action="edit", s=b.id).pack(),
        HeadcountCb(action="show", s=b.id).pack(),
        HeadcountCb(action="page", m=mun.id).pack(),
    ):
        assert await _forge(curator, forged) == DENIED, forged
    assert not any("Секрет Б" in m.text for m in curator.api.chat(CURATOR_A))

    # School B's own curator sees its results (three answers), texts without names.
    other = person("Нина", user_id=CURATOR_B)
    await other.send("/surveys")
    reply = await other.click("📊 промежуточная")
    assert "<b>Наставляемые</b>: ответили 3 из 3" in reply.text
    assert "• Секрет Б" in reply.text
    assert "Иванова" not in reply.text

    mentee = person("Мария", user_id=301)
    for command in ("/indicators", "/headcount", "/surveys"):
        reply = await mentee.send(command)
        assert "Эта команда доступна кураторам и координаторам программы." in reply.text


async def test_a_curator_of_two_schools_picks_one_and_never_sees_a_third(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, (a, b, c) = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    db.add(RoleGrant(participant_id=curator.id, role=Role.CURATOR, school_id=b.id))
    await db.commit()
    await sv.headcount(db, b, 50, 20, 7)
    await sv.headcount(db, c, 70, 30, 9)
    anna = person("Анна", user_id=CURATOR_A)

    reply = await anna.send("/indicators")
    assert "Вы куратор нескольких школ. Какую открыть (/indicators)?" in reply.text
    assert anna.buttons() == ["МБОУ «Гимназия № 3»", "МБОУ «Средняя школа № 12»"]
    reply = await anna.click("Гимназия № 3")
    assert "Гимназия № 3" in reply.text and "Средняя школа" not in reply.text
    assert "B = 7" in reply.text  # its headcount of young specialists
    reply = await anna.click("Другая школа")
    reply = await anna.click("Средняя школа № 12")
    assert "Средняя школа № 12" in reply.text and "нет данных" in reply.text

    reply = await anna.send("/headcount")
    assert "Какую открыть (/headcount)?" in reply.text
    reply = await anna.click("Гимназия № 3")
    assert "50" in reply.text and "20" in reply.text

    reply = await anna.send("/surveys")
    assert "Какую открыть (/surveys)?" in reply.text
    reply = await anna.click("Средняя школа № 12")
    assert "Средняя школа № 12" in reply.text and "Гимназия" not in reply.text

    # The third school of the municipality is not hers, whatever the button says.
    for forged in (
        IndicatorsCb(action="page", s=c.id).pack(),
        HeadcountCb(action="show", s=c.id).pack(),
        SurveysScopeCb(s=c.id).pack(),
    ):
        assert await _forge(anna, forged) == DENIED, forged
    assert not any("Лицей" in m.text for m in anna.api.chat(CURATOR_A))


async def test_the_coordinator_sets_a_target_and_the_curator_the_school_s_own(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, (a, _b, _c) = await arrange.municipality_with_schools(db)
    await arrange.staff(
        db, COORDINATOR, "Орлова Елена Павловна", Role.COORDINATOR, municipality=mun
    )
    await arrange.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    people = await _school_with_a_pair(db, a, 200, mentees=3)
    midterm = await sv.round_of(db, a, RoundKind.MIDTERM)
    for p, score in zip(people, (9, 8, 5), strict=True):
        await sv.response(db, midterm, p.id, Role.MENTEE, satisfaction=score)
    coordinator = person("Елена", user_id=COORDINATOR)

    await coordinator.send("/indicators")
    reply = await coordinator.click("🎯 Цели")
    assert "🎯 <b>Цели показателей</b> — Городской округ Серпухов, 2026/2027" in reply.text
    assert (
        "• Уровень удовлетворенности наставляемых участием в программах наставничества, % "
        "(опросный): <b>50 %</b> — по умолчанию для 1-го года (по годам: 50 / 75 / 85)"
    ) in reply.text
    reply = await coordinator.click("удовлетворённость наставляемых: 50 %")
    assert "сейчас 50 %. Выберите новое значение:" in reply.text
    assert "↩️ Как по умолчанию" not in coordinator.buttons()
    reply = await coordinator.click("70 %")
    assert "✅ Цель сохранена." in reply.text
    assert "<b>70 %</b> — задана координатором (по умолчанию по годам: 50 / 75 / 85)" in reply.text
    reply = await coordinator.click("📈 К показателям")
    assert "удовлетворённость наставляемых 2/3 = 67 % ⚠️ (ответили 3)" in reply.text

    # The school's curator sees the municipality's target at once and cannot change it;
    # the school may have its own.
    curator = person("Анна", user_id=CURATOR_A)
    reply = await curator.send("/indicators")
    assert "→ <b>67 %</b> ⚠️ · цель 70 % · ответили 3 из 3" in reply.text
    for action in (TargetAction.LIST, TargetAction.SET, TargetAction.RESET):
        forged = TargetCb(action=action, m=mun.id, c=2, v=10).pack()
        assert await _forge(curator, forged) == DENIED, action
        forged = TargetCb(action=action, s=_b.id, c=2, v=10).pack()
        assert await _forge(curator, forged) == DENIED, action
    await curator.send("/indicators")
    reply = await curator.click("🎯 Цели")
    assert "🎯 <b>Цели показателей</b> — МБОУ «Средняя школа № 12», 2026/2027" in reply.text
    assert "<b>70 %</b> — задана координатором" in reply.text
    assert "до 35 лет" not in " ".join(curator.buttons())  # municipal ones are not hers
    await curator.click("удовлетворённость наставляемых: 70 %")
    reply = await curator.click("60 %")
    assert "<b>60 %</b> — задана для школы" in reply.text
    reply = await curator.click("📈 К показателям")
    assert "→ <b>67 %</b> ✅ · цель 60 % · ответили 3 из 3" in reply.text
    await curator.click("🎯 Цели")
    await curator.click("удовлетворённость наставляемых: 60 %")
    reply = await curator.click("Как по умолчанию")
    assert "Своя цель школы убрана" in reply.text and "<b>70 %</b> — задана координатором" in (
        reply.text
    )

    # Back to the default.
    await coordinator.send("/indicators")
    await coordinator.click("🎯 Цели")
    await coordinator.click("удовлетворённость наставляемых: 70 %")
    reply = await coordinator.click("Как по умолчанию")
    assert "✅ Цель снова по умолчанию." in reply.text
    assert "<b>50 %</b> — по умолчанию для 1-го года" in reply.text
