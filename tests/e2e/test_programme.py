"""/programme through the fake Bot API: a curator changes their school's rhythm with a
button (the other schools keep theirs); a coordinator changes a setting for the whole
municipality, and each school keeps its other settings; forged ids, another school,
another municipality, a curator reaching for the municipality and teachers get
nothing, and the programmes stay as they were."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ProgrammeAction, ProgrammeCb
from models import AuditEvent, Participant, Role, RoleGrant
from services import programmes, working_days
from tests import arrange
from tests.fakes.client import Person, PersonFactory

CURATOR, COORDINATOR, OTHER_COORDINATOR, MENTOR = 101, 103, 104, 201
DENIED = "Это действие вам недоступно."
STALE = "Эта кнопка уже не действует"
TODAY = dt.date(2026, 11, 23)


async def _world(db: AsyncSession) -> tuple[int, list[int], int]:
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    await arrange.staff(db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.staff(db, COORDINATOR, "Орлова Вера Павловна", Role.COORDINATOR, municipality=mun)
    await arrange.staff(
        db, OTHER_COORDINATOR, "Титова Нина Львовна", Role.COORDINATOR, municipality=other
    )
    await arrange.teacher(db, MENTOR, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    await db.commit()
    return mun.id, [s.id for s in schools], other.id


async def _rules(db: AsyncSession, school_id: int) -> tuple[int, int, dt.time, dt.time]:
    db.expire_all()
    p = await programmes.for_school(db, school_id, TODAY)
    found = (p.meeting_interval_days, p.feedback_deadline_hours, p.quiet_from, p.quiet_to)
    await db.commit()
    return found


async def test_a_curator_changes_their_schools_rhythm(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools, _ = await _world(db)
    olga = person("Ольга", user_id=CURATOR)

    reply = await olga.send("/programme")
    assert "⚙️ <b>Программа наставничества</b> — МБОУ «Средняя школа № 12», 2026/2027" in (
        reply.text
    )
    assert "• Регулярные встречи пары: каждые 14 дней" in reply.text
    assert "• Отзыв после встречи: в течение 48 часов" in reply.text
    assert "• Тихие часы (сообщения не приходят): 21:00–08:00" in reply.text
    assert "• Выходные дни: сб, вс (пятидневка)" in reply.text
    reply = await olga.click("Регулярные встречи")
    assert "Сейчас: каждые 14 дней" in reply.text
    assert "✓ каждые 14 дней" in olga.buttons()
    reply = await olga.click("каждые 7 дней")
    assert "✅ Сохранено: Регулярные встречи — каждые 7 дней." in reply.text
    assert "• Регулярные встречи пары: каждые 7 дней" in reply.text
    reply = await olga.click("Тихие часы")
    reply = await olga.click("22:00–07:00")
    assert "• Тихие часы (сообщения не приходят): 22:00–07:00" in reply.text

    assert await _rules(db, schools[0]) == (7, 48, dt.time(22, 0), dt.time(7, 0))
    assert await _rules(db, schools[1]) == (14, 48, dt.time(21, 0), dt.time(8, 0))
    rules = await programmes.send_rules(db, schools[0], TODAY)
    assert (rules.quiet_from, rules.quiet_to) == (dt.time(22, 0), dt.time(7, 0))
    changes = list(
        await db.scalars(select(AuditEvent).where(AuditEvent.action == "programme.change"))
    )
    assert [(e.object_type, e.object_id) for e in changes] == [("school", schools[0])] * 2


async def test_a_coordinators_change_reaches_every_school_and_keeps_their_other_settings(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools, _ = await _world(db)
    olga = person("Ольга", user_id=CURATOR)
    await olga.send("/programme")
    await olga.click("Регулярные встречи")
    await olga.click("каждые 10 дней")  # school № 12's own choice
    vera = person("Вера", user_id=COORDINATOR)

    reply = await vera.send("/programme")
    assert "— Городской округ Серпухов, 2026/2027" in reply.text
    assert "для всех его школ (3 школы)" in reply.text
    await vera.click("Срок отзыва")
    reply = await vera.click("в течение 72 часов")
    assert "• Отзыв после встречи: в течение 72 часов" in reply.text

    for school_id in schools:
        interval, feedback, _, _ = await _rules(db, school_id)
        assert feedback == 72
        assert interval == (10 if school_id == schools[0] else 14)  # kept, not replaced


async def test_forged_buttons_and_other_scopes_change_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, schools, other = await _world(db)

    async def forge(p: Person, cb: ProgrammeCb | str) -> str | None:
        await p.send("/help")
        own = p.api.chat(p.user_id)[-1]
        return (await p.press(own, cb if isinstance(cb, str) else cb.pack())).alert

    def set_(lvl: str, id_: int, f: str = "interval", i: int = 0) -> ProgrammeCb:
        return ProgrammeCb(action=ProgrammeAction.SET, lvl=lvl, id=id_, f=f, i=i)

    olga = person("Ольга", user_id=CURATOR)
    nina = person("Нина", user_id=OTHER_COORDINATOR)
    ivan = person("Иван", user_id=MENTOR)
    for p, cb in (
        (olga, set_("s", schools[1])),  # another school of the municipality
        (olga, set_("m", mun)),  # the municipality: not a curator's
        (nina, set_("m", mun)),  # another municipality's coordinator
        (nina, set_("s", schools[0])),
        (ivan, set_("s", schools[0])),  # a teacher: the staff's buttons are not theirs
    ):
        assert await forge(p, cb) == DENIED, (p.first_name, cb)
    stale: tuple[ProgrammeCb | str, ...] = (
        set_("s", schools[0], f="nonsense"),
        set_("s", schools[0], i=99),
        set_("z", schools[0]),
        "prg:s:s:" + "9" * 30 + ":interval:0",
    )
    for data in stale:
        alert = await forge(olga, data)
        assert alert is not None and STALE in alert, data
    assert await forge(olga, set_("s", 2**63 - 1)) is not None  # no such school: refused

    for school_id in schools:
        assert await _rules(db, school_id) == (14, 48, dt.time(21, 0), dt.time(8, 0))
    reply = await ivan.send("/programme")
    assert reply.text == "Эта команда доступна кураторам и координаторам программы."
    reply = await nina.send("/programme")
    assert "Город Новосибирск" in reply.text
    assert other != mun


async def test_a_curator_of_two_schools_picks_which_programme(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools, _ = await _world(db)
    curator = await db.scalar(select(Participant).where(Participant.telegram_id == CURATOR))
    assert curator is not None
    db.add(RoleGrant(participant_id=curator.id, role=Role.CURATOR, school_id=schools[1]))
    await db.commit()
    olga = person("Ольга", user_id=CURATOR)

    reply = await olga.send("/programme")
    assert "Вы куратор нескольких школ. Какую открыть (/programme)?" in reply.text
    assert olga.buttons() == ["МБОУ «Гимназия № 3»", "МБОУ «Средняя школа № 12»"]
    reply = await olga.click("МБОУ «Гимназия № 3»")
    assert "— МБОУ «Гимназия № 3», 2026/2027" in reply.text
    await olga.click("Регулярные встречи")
    reply = await olga.click("каждый 21 день")
    assert "• Регулярные встречи пары: каждый 21 день" in reply.text
    assert (await _rules(db, schools[1]))[0] == 21  # the gymnasium's only
    assert (await _rules(db, schools[0]))[0] == 14


async def test_a_six_day_school_sets_sunday_as_its_only_rest_day(
    db: AsyncSession, person: PersonFactory
) -> None:
    """Schools that teach on Saturdays: the reminders and the working-day periods
    (art. 351.8 notices) follow."""
    _, schools, _ = await _world(db)
    olga = person("Ольга", user_id=CURATOR)
    await olga.send("/programme")
    reply = await olga.click("Выходные дни")
    assert "Сейчас: сб, вс (пятидневка)" in reply.text
    assert olga.buttons()[:2] == ["✓ сб, вс (пятидневка)", "вс (шестидневка)"]
    reply = await olga.click("шестидневка")
    assert "✅ Сохранено: Выходные дни — вс (шестидневка)." in reply.text
    assert "• Выходные дни: вс (шестидневка)" in reply.text
    db.expire_all()
    saturday = dt.date(2026, 11, 28)
    assert (await working_days.for_school(db, schools[0], TODAY)).is_working(saturday)
    assert not (await working_days.for_school(db, schools[1], TODAY)).is_working(saturday)
    rules = await programmes.send_rules(db, schools[0], TODAY)
    assert rules.rest_days == frozenset({7})


async def test_a_curator_sets_the_programmes_period_in_the_calendar(
    db: AsyncSession, person: PersonFactory
) -> None:
    """Never typed: the first and the last day from the calendar; a last day before the
    first or outside the academic year is refused and the step kept; the справка then
    shows the new period."""
    _, schools, _ = await _world(db)
    olga = person("Ольга", user_id=CURATOR)
    reply = await olga.send("/programme")
    assert "Сроки: 01.09.2026–30.06.2027" in reply.text
    reply = await olga.click("Сроки программы")
    assert "(сейчас 01.09.2026–30.06.2027). Выберите <b>первый день</b>" in reply.text
    reply = await olga.send("1 сентября")  # typed: a hint, the calendar stays
    assert "Дату выберите в календаре" in reply.text
    await olga.click("Октябрь ▶️")  # the calendar opens on the current first day's month
    reply = await olga.tap("1")
    assert "Первый день — 01.10.2026. Выберите <b>последний день</b>" in reply.text
    await olga.click("◀️ Май")  # it opens on the current last day's month, June
    await olga.click("◀️ Апрель")
    await olga.click("◀️ Март")
    await olga.click("◀️ Февраль")
    await olga.click("◀️ Январь")
    await olga.click("◀️ Декабрь")
    await olga.click("◀️ Ноябрь")
    await olga.click("◀️ Октябрь")
    reply = await olga.tap("1")  # the same day as the first: refused, the step kept
    assert reply.alert == "Дата окончания должна быть позже даты начала."
    for month in ("Ноябрь", "Декабрь", "Январь", "Февраль", "Март", "Апрель", "Май"):
        await olga.click(f"{month} ▶️")
    reply = await olga.tap("31")
    assert "Сроки программы: <b>01.10.2026–31.05.2027</b>. Сохранить?" in reply.text
    reply = await olga.click("Сохранить")
    assert "✅ Сохранено: 🗓 Сроки программы — 01.10.2026–31.05.2027." in reply.text
    assert "Сроки: 01.10.2026–31.05.2027" in reply.text
    db.expire_all()
    p = await programmes.for_school(db, schools[0], TODAY)
    assert (p.starts_on, p.ends_on) == (dt.date(2026, 10, 1), dt.date(2027, 5, 31))
    p = await programmes.for_school(db, schools[1], TODAY)
    assert (p.starts_on, p.ends_on) == (dt.date(2026, 9, 1), dt.date(2027, 6, 30))
    await db.commit()
    reply = await olga.send("/spravka")
    doc = olga.api.chat(CURATOR)[-1]
    assert doc.kind == "document" and doc.content is not None
    body = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert "01.10.2026" in body and "31.05.2027" in body

    # Outside the academic year: refused.
    await olga.send("/programme")
    await olga.click("Сроки программы")
    months = ("Ноябрь", "Декабрь", "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь")
    for month in (*months, "Июль", "Август", "Сентябрь"):  # from October, the first day's
        await olga.click(f"{month} ▶️")
    reply = await olga.tap("1")  # 1 September 2027: the next year's
    assert reply.alert is not None and "с 01.09.2026 по 31.08.2027" in reply.alert


async def test_the_period_button_forged_for_another_scope_opens_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, schools, _ = await _world(db)

    async def forge(p: Person, cb: ProgrammeCb) -> str | None:
        await p.send("/help")
        own = p.api.chat(p.user_id)[-1]
        return (await p.press(own, cb.pack())).alert

    def period(lvl: str, id_: int) -> ProgrammeCb:
        return ProgrammeCb(action=ProgrammeAction.PERIOD, lvl=lvl, id=id_)

    olga = person("Ольга", user_id=CURATOR)
    for p, cb in (
        (olga, period("s", schools[1])),
        (olga, period("m", mun)),
        (person("Нина", user_id=OTHER_COORDINATOR), period("m", mun)),
        (person("Иван", user_id=MENTOR), period("s", schools[0])),
    ):
        assert await forge(p, cb) == DENIED, (p.first_name, cb)
        assert "Выберите <b>первый день</b>" not in p.api.chat(p.user_id)[-1].text
