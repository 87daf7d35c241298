"""After a club event: the organiser marks attendance (toggle, a walk-in found by name),
«Готово» asks the attendees for a rating, an attendee rates and reflects; a material
reaches the attendees and stays on the card; a mentee's forged toggle is refused."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ClubMarkCb
from models import Achievement, AchievementKind, ClubAttendance
from services.clock import FixedClock
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory


async def _attendance(db: AsyncSession) -> dict[int, tuple[int | None, str | None]]:
    rows = await db.scalars(select(ClubAttendance).execution_options(populate_existing=True))
    return {a.participant_id: (a.rating, a.reflection) for a in rows}


async def test_attendance_ratings_and_materials_after_the_event(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality, created_by=w.coordinator)
    await arrange_club.rsvp(db, event, w.young_a)
    await arrange_club.rsvp(db, event, w.young_a2)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)

    await olga.send("/club")
    await olga.click("Первый урок")
    assert "✅ Отметить присутствие" not in olga.buttons()  # not started yet
    clock.at = arrange_club.STARTS + dt.timedelta(hours=2)
    await olga.send("/club")
    await olga.click("Первый урок")
    reply = await olga.click("Отметить присутствие")
    assert "Отмечено: 0 из 2" in reply.text
    assert olga.buttons()[:2] == ["▫️ Иванова Мария Петровна", "▫️ Смирнова Дарья Олеговна"]
    reply = await olga.click("Иванова Мария Петровна")
    assert "Отмечено: 1 из 2" in reply.text and "✅ Иванова Мария Петровна" in olga.buttons()
    await olga.click("Добавить пришедшего")
    reply = await olga.send("Кузнец")
    assert olga.buttons() == ["Кузнецова Анна Сергеевна"]
    reply = await olga.click("Кузнецова Анна Сергеевна")
    assert "Отмечено: 2 из 3" in reply.text
    reply = await olga.click("Готово")
    assert "Просьба оценить мероприятие уйдёт 2 участникам" in reply.text

    await deliver()
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    assert "Оцените мероприятие от 1 до 5" in maria.api.chat(maria.user_id)[-1].text
    assert maria.buttons() == ["1", "2", "3", "4", "5"]
    reply = await maria.tap("4")
    assert "Ваша оценка «Мастер-класс «Первый урок»»: 4" in reply.text
    await maria.send("Возьму приём с карточками для 5 «А»")
    dasha = person("Дарья", user_id=arrange_club.YOUNG_A2)
    assert not any("Оцените" in m.text for m in dasha.api.chat(dasha.user_id))
    assert await _attendance(db) == {
        w.young_a.id: (4, "Возьму приём с карточками для 5 «А»"),
        w.young_b.id: (None, None),
    }

    # A material: to the attendees, and on the card.
    await olga.send("/club")
    await olga.click("Первый урок")
    await olga.click("Добавить материалы")
    reply = await olga.send("вот")
    assert "файлом-документом" in reply.text
    reply = await olga.send_document("Памятка.pdf", b"%PDF-1.4 memo")
    assert "уйдёт 2 участникам" in reply.text
    await deliver()
    got = maria.api.chat(maria.user_id)[-1]
    assert got.kind == "document" and "Памятка.pdf" in got.text
    await maria.send("/club")
    await maria.click("Первый урок")
    reply = await maria.click("Материалы (1)")
    assert reply.messages[-1].kind == "document"


async def test_a_mentee_cannot_mark_attendance(
    db: AsyncSession, person: PersonFactory, clock: FixedClock
) -> None:
    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality)
    clock.at = arrange_club.STARTS + dt.timedelta(hours=2)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    await maria.send("/club")
    data = ClubMarkCb(event_id=event.id, participant_id=w.young_a.id).pack()
    reply = await maria.press(maria.api.chat(maria.user_id)[-1], data)
    assert reply.alert and "ведёте не вы" in reply.alert
    assert await _attendance(db) == {}


async def test_the_weekly_digest_lists_the_clubs_coming_events(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality, capacity=20)
    await arrange_club.rsvp(db, event, w.young_a)
    await arrange_club.club_event(db, w.other, title="Чужой семинар")
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    await olga.send("/digest")
    text = "\n".join(m.text for m in olga.api.chat(olga.user_id))
    assert "Клуб «Пеликаша» — ближайшие две недели" in text
    assert "26.11 15:00 — Мастер-класс «Первый урок» (придут: 1/20)" in text
    assert "Чужой семинар" not in text


async def test_the_export_has_the_clubs_events_sheet(db: AsyncSession, in_locale: None) -> None:
    import io

    from openpyxl import load_workbook

    from bot.ui.digest.export import plain
    from services import export
    from services.access import Actor
    from services.export import scope as export_scope
    from tests.arrange import NOW

    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality, capacity=20)
    await arrange_club.rsvp(db, event, w.young_a)
    db.add(ClubAttendance(event_id=event.id, participant_id=w.young_a.id, marked_at=NOW, rating=5))
    db.add(
        Achievement(
            participant_id=w.young_a.id,
            kind=AchievementKind.CONTEST,
            title="Конкурс «Дебют»",
            level="municipal",
            result="winner",
            on_date=dt.date(2026, 11, 20),
            created_at=NOW,
        )
    )
    await db.commit()
    admin = Actor(telegram_id=0, is_admin=True)
    scope = await export_scope.municipality(db, admin, w.municipality.id, NOW)
    buffer = io.BytesIO()
    await export.export(db, admin, scope, plain, buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue()))["Мероприятия"]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert rows[1][:3] == ("Мероприятие", "Форма", rows[1][2])
    assert rows[2][0] == "Мастер-класс «Первый урок»"
    assert rows[2][1] == "мастер-класс" and rows[2][3] == "клуб муниципалитета"
    assert rows[2][-4:] == (1, 0, 1, 5)
    contests = [r for r in load_workbook(io.BytesIO(buffer.getvalue()))["Конкурсы и достижения"]
                .iter_rows(values_only=True) if any(r)]  # fmt: skip
    assert contests[2][1:6] == (
        "Иванова Мария Петровна",
        "Конкурс",
        "Конкурс «Дебют»",
        "муниципальный уровень",
        "победитель",
    )
