"""/holidays through the fake Bot API: a coordinator adds the winter holidays with the
calendar (never a typed date) and removes them after a confirmation; the municipality's
curator sees the list without buttons; the days really are days off for the reminders;
a last day before the first is refused and the step kept; double presses, forged ids,
another municipality's coordinator and teachers get nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import HolidayAction, HolidayCb
from models import AuditEvent, Holiday, Municipality, Region, Role, RoleGrant, School
from services import programmes
from tests import arrange
from tests.fakes.client import Person, PersonFactory, Reply

CURATOR, COORDINATOR, OTHER_COORDINATOR, MENTOR = 101, 103, 104, 201
DENIED = "Это действие вам недоступно."


async def _world(db: AsyncSession) -> list[int]:
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    await arrange.staff(db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.staff(db, COORDINATOR, "Орлова Вера Павловна", Role.COORDINATOR, municipality=mun)
    await arrange.staff(
        db, OTHER_COORDINATOR, "Титова Нина Львовна", Role.COORDINATOR, municipality=other
    )
    await arrange.teacher(db, MENTOR, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    await db.commit()
    return [s.id for s in schools]


async def _add_winter(vera: Person) -> None:
    await vera.send("/holidays")
    reply = await vera.click("Добавить каникулы")
    assert "Выберите <b>первый день</b>" in reply.text
    await vera.click("Декабрь ▶️")  # the calendar opens on today's month, November
    reply = await vera.tap("29")
    assert "Первый день — 29.12.2026" in reply.text
    await vera.click("Январь ▶️")
    reply = await vera.tap("11")
    assert "Каникулы 29.12.2026–11.01.2027. Какие это каникулы?" in reply.text
    reply = await vera.click("Зимние каникулы")
    assert "Добавить: <b>Зимние каникулы</b>, 29.12.2026–11.01.2027?" in reply.text
    reply = await vera.click("Сохранить")
    assert "✅ Добавлено: Зимние каникулы: 29.12.2026–11.01.2027." in reply.text


async def test_a_coordinator_adds_and_removes_the_winter_holidays(
    db: AsyncSession, person: PersonFactory
) -> None:
    school_ids = await _world(db)
    vera = person("Вера", user_id=COORDINATOR)

    reply = await vera.send("/holidays")
    assert "🏖 <b>Каникулы</b> — Городской округ Серпухов, 2026/2027 учебный год" in reply.text
    assert "Каникулы на этот учебный год не внесены." in reply.text
    await _add_winter(vera)
    assert "• Зимние каникулы: 29.12.2026–11.01.2027" in vera.api.chat(COORDINATOR)[-1].text

    saved = list(await db.scalars(select(Holiday)))
    assert [(h.title, h.starts_on, h.ends_on) for h in saved] == [
        ("Зимние каникулы", dt.date(2026, 12, 29), dt.date(2027, 1, 11))
    ]
    rules = await programmes.send_rules(db, school_ids[0], dt.date(2026, 11, 23))
    assert rules.is_day_off(dt.date(2027, 1, 5)) and not rules.is_day_off(dt.date(2027, 1, 12))
    await db.commit()

    # The curator of a school of the municipality sees the list, and no buttons.
    reply = await person("Ольга", user_id=CURATOR).send("/holidays")
    assert "• Зимние каникулы: 29.12.2026–11.01.2027" in reply.text
    assert "Каникулы вносит муниципальный координатор." in reply.text
    assert reply.last.buttons == []

    reply = await vera.click("🗑 Зимние каникулы 29.12–11.01")
    assert "Удалить каникулы «Зимние каникулы: 29.12.2026–11.01.2027»?" in reply.text
    confirm = vera.api.chat(COORDINATOR)[-1]
    remove = next(data for label, data in confirm.buttons if "Да, удалить" in label)
    reply = await vera.click("Да, удалить")
    assert reply.alert == "Каникулы удалены"
    assert "Каникулы на этот учебный год не внесены." in reply.text
    assert list(await db.scalars(select(Holiday))) == []
    # The same confirmation pressed again (its data, as a slow second tap sends it):
    # nothing left to remove, no error.
    reply = await vera.press(confirm, remove)
    assert reply.alert == "Этих каникул уже нет"

    actions = [
        (e.action, e.object_type)
        for e in await db.scalars(select(AuditEvent).order_by(AuditEvent.id))
        if e.action.startswith("holidays.")
    ]
    assert actions == [("holidays.add", "holiday"), ("holidays.remove", "holiday")]


async def test_a_last_day_before_the_first_is_refused_and_the_step_kept(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _world(db)
    vera = person("Вера", user_id=COORDINATOR)
    await vera.send("/holidays")
    await vera.click("Добавить каникулы")
    await vera.tap("26")  # 26 November

    reply = await vera.tap("24")
    assert reply.alert is not None and "не может быть раньше первого" in reply.alert
    reply = await vera.tap("30")
    assert "Каникулы 26.11.2026–30.11.2026" in reply.text
    reply = await vera.send("30.11.2026")  # typed instead of a button: a hint, nothing lost
    assert "кнопками календаря" in reply.text
    await vera.click("Осенние каникулы")
    reply = await vera.click("Отмена")
    assert "Каникулы не добавлены." in reply.text
    assert list(await db.scalars(select(Holiday))) == []


async def test_forged_buttons_other_municipalities_and_teachers_get_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _world(db)
    vera = person("Вера", user_id=COORDINATOR)
    await _add_winter(vera)
    holiday = await db.scalar(select(Holiday))
    assert holiday is not None
    mun_id = holiday.municipality_id

    async def forge(p: Person, cb: HolidayCb) -> str | None:
        await p.send("/help")
        own = p.api.chat(p.user_id)[-1]
        return (await p.press(own, cb.pack())).alert

    nina = person("Нина", user_id=OTHER_COORDINATOR)
    olga = person("Ольга", user_id=CURATOR)
    ivan = person("Иван", user_id=MENTOR)
    remove = HolidayCb(action=HolidayAction.REMOVE, h=holiday.id)
    ask = HolidayCb(action=HolidayAction.ASK, h=holiday.id)
    add = HolidayCb(action=HolidayAction.ADD, m=mun_id)
    for p, cb in ((nina, remove), (nina, ask), (nina, add), (olga, remove), (olga, add)):
        assert await forge(p, cb) == DENIED, (p.first_name, cb)
    assert await forge(ivan, remove) == DENIED  # a teacher: the staff's buttons are not theirs
    for huge in (HolidayCb(action=HolidayAction.REMOVE, h=2**63 - 1), HolidayCb(action="r", h=0)):
        assert await forge(vera, huge) == "Этих каникул уже нет"
    await db.commit()
    assert await db.scalar(select(Holiday.id)) == holiday.id  # still there

    reply = await ivan.send("/holidays")
    assert reply.text == "Эта команда доступна кураторам и координаторам программы."
    # Nina's own /holidays is her municipality's, empty: Серпухов's are not shown to her.
    reply = await nina.send("/holidays")
    assert "Город Новосибирск" in reply.text and "Зимние" not in reply.text


TWO_PLACES, REGIONAL, OUTSIDER = 105, 106, 107
PICK = "🏖 <b>Каникулы</b>. Какого муниципалитета?"


async def _two_municipalities(db: AsyncSession) -> tuple[int, int, int]:
    """Серпухов and Новосибирск in «Московская область» (for the test's sake), a third
    municipality outside it; Новосибирск's winter holidays; a coordinator of both, a
    regional coordinator of the region, a curator of a school in each, and the third
    municipality's coordinator."""
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    third = await arrange.school_in_zone(db, "Asia/Yekaterinburg", "Школа № 1")
    region = Region(name="Московская область")
    db.add(region)
    await db.flush()
    mun.region_id = other.region_id = region.id
    db.add(
        Holiday(
            municipality_id=other.id,
            title="Зимние каникулы",
            starts_on=dt.date(2026, 12, 29),
            ends_on=dt.date(2027, 1, 11),
        )
    )
    both = await arrange.staff(
        db, TWO_PLACES, "Орлова Вера Павловна", Role.COORDINATOR, municipality=mun
    )
    both.roles.append(RoleGrant(role=Role.COORDINATOR, municipality_id=other.id))
    watcher = await arrange.teacher(db, REGIONAL, "Зайцева Вера Андреевна", Role.MENTOR, schools[0])
    watcher.roles.append(RoleGrant(role=Role.REGIONAL_COORDINATOR, region_id=region.id))
    curator = await arrange.staff(
        db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    other_school = await db.scalar(select(School).where(School.municipality_id == other.id))
    assert other_school is not None
    curator.roles.append(RoleGrant(role=Role.CURATOR, school_id=other_school.id))
    await arrange.staff(
        db,
        OUTSIDER,
        "Титова Нина Львовна",
        Role.COORDINATOR,
        municipality=await db.get(Municipality, third.municipality_id),
    )
    await db.commit()
    return mun.id, other.id, third.municipality_id


async def test_a_coordinator_of_two_municipalities_picks_one_and_stays_in_it(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, novosibirsk, _ = await _two_municipalities(db)
    vera = person("Вера", user_id=TWO_PLACES)

    reply = await vera.send("/holidays")
    assert reply.text == PICK
    assert [label for label, _ in reply.last.buttons] == [
        "🏙 Город Новосибирск",
        "🏙 Городской округ Серпухов",
    ]
    reply = await vera.click("Город Новосибирск")
    assert "— Город Новосибирск, 2026/2027 учебный год" in reply.text
    assert "• Зимние каникулы: 29.12.2026–11.01.2027" in reply.text
    assert "🏙 Другой муниципалитет" in [label for label, _ in reply.last.buttons]

    await vera.click("🗑 Зимние каникулы")
    confirm = vera.api.chat(TWO_PLACES)[-1]
    remove = next(data for label, data in confirm.buttons if "Да, удалить" in label)
    reply = await vera.click("Да, удалить")
    # Back to the list it was removed from, not to the first municipality.
    assert reply.alert == "Каникулы удалены"
    assert "— Город Новосибирск" in reply.text
    assert "Каникулы на этот учебный год не внесены." in reply.text
    reply = await vera.press(confirm, remove)  # a slow second tap
    assert reply.alert == "Этих каникул уже нет"
    assert "— Город Новосибирск" in vera.api.chat(TWO_PLACES)[-1].text

    reply = await vera.click("Другой муниципалитет")
    assert reply.text == PICK
    reply = await vera.click("Городской округ Серпухов")
    assert "— Городской округ Серпухов" in reply.text
    reply = await vera.click("Добавить каникулы")  # she edits either
    assert "Выберите <b>первый день</b>" in reply.text
    assert await db.scalar(select(Holiday.id).where(Holiday.municipality_id == novosibirsk)) is None


async def test_readers_of_several_municipalities_pick_and_forged_ones_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    serpukhov, novosibirsk, third = await _two_municipalities(db)

    async def forge(p: Person, cb: HolidayCb) -> Reply:
        await p.send("/help")
        return await p.press(p.api.chat(p.user_id)[-1], cb.pack())

    # A regional coordinator reads the region's municipalities: no «Добавить», no «🗑».
    zaitseva = person("Вера", user_id=REGIONAL)
    reply = await zaitseva.send("/holidays")
    assert reply.text == PICK
    reply = await zaitseva.click("Город Новосибирск")
    assert "• Зимние каникулы: 29.12.2026–11.01.2027" in reply.text
    assert "Каникулы вносит муниципальный координатор." in reply.text
    assert [label for label, _ in reply.last.buttons] == ["🏙 Другой муниципалитет"]
    # A curator of a school in each: the same choice, read only.
    olga = person("Ольга", user_id=CURATOR)
    reply = await olga.send("/holidays")
    assert reply.text == PICK
    reply = await olga.click("Городской округ Серпухов")
    assert "— Городской округ Серпухов" in reply.text
    assert [label for label, _ in reply.last.buttons] == ["🏙 Другой муниципалитет"]

    # Another municipality's list by a forged id: refused, nothing shown.
    for p in (zaitseva, olga):
        reply = await forge(p, HolidayCb(action=HolidayAction.LIST, m=third))
        assert reply.alert == DENIED, p.first_name
        assert "Каникулы" not in reply.text
    nina = person("Нина", user_id=OUTSIDER)
    for m in (serpukhov, novosibirsk, 2**63 - 1):
        reply = await forge(nina, HolidayCb(action=HolidayAction.LIST, m=m))
        assert reply.alert == DENIED, m
    reply = await forge(zaitseva, HolidayCb(action=HolidayAction.ADD, m=novosibirsk))
    assert reply.alert == DENIED
    # Her own: one municipality, no choice; an old «Назад» (no municipality) opens it.
    reply = await nina.send("/holidays")
    assert "— Муниципалитет Школа № 1" in reply.text
    assert "Другой муниципалитет" not in str(reply.last.buttons)
    reply = await forge(nina, HolidayCb(action=HolidayAction.LIST))
    assert "— Муниципалитет Школа № 1" in reply.text
    reply = await forge(zaitseva, HolidayCb(action=HolidayAction.PICK))
    assert PICK in reply.text
