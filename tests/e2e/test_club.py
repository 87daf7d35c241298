"""The young teachers' club through the bot: the coordinator adds an event with the
calendar and publishes it to young specialists (others get nothing), people answer
«✅ Приду», the last place goes once, the waiting list moves up on a cancellation, a
change reaches only those coming, a cancellation too."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent, ClubEventStatus, ClubRsvp, RsvpStatus
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory


def _texts(person: object, needle: str) -> list[str]:
    api = person.api  # type: ignore[attr-defined]
    return [m.text for m in api.chat(person.user_id) if needle in (m.text or "")]  # type: ignore[attr-defined]


async def _rsvps(db: AsyncSession, event_id: int) -> dict[int, RsvpStatus]:
    rows = await db.execute(
        select(ClubRsvp.participant_id, ClubRsvp.status)
        .where(ClubRsvp.event_id == event_id)
        .execution_options(populate_existing=True)
    )
    return dict(rows.all())


async def test_organiser_adds_an_event_with_the_calendar_and_publishes_it_to_young_specialists(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)

    reply = await olga.send("/club")
    assert "Клуб молодых педагогов «Пеликаша»" in reply.text
    reply = await olga.click("Добавить мероприятие")
    assert "Как оно называется?" in reply.text
    reply = await olga.send("ок")  # too short: asked again, nothing lost
    assert "Слишком коротко" in reply.text or "коротк" in reply.text.lower()
    await olga.send("Мастер-класс «Первый урок»")
    reply = await olga.click("мастер-класс")
    assert "Выберите день" in reply.text
    reply = await olga.tap("20")  # a past day: refused, the calendar stays
    assert reply.alert and "уже прошёл" in reply.alert
    await olga.tap("26")
    reply = await olga.click("15:00")
    assert "Где пройдёт?" in reply.text
    await olga.send("МБОУ «Гимназия № 3», каб. 12")
    reply = await olga.click("молодые специалисты")
    assert "Сколько мест?" in reply.text
    for hostile in ("много", "2²", "٣"):  # «²» and Arabic-Indic digits are digits to isdigit
        reply = await olga.send(hostile)
        assert "Напишите число мест" in reply.text, hostile
    await olga.send("2")
    reply = await olga.click("Без описания")
    assert "Проверьте" in reply.text
    assert "чт, 26.11.2026 в 15:00" in reply.text and "🎟 2 места" in reply.text
    reply = await olga.click("Опубликовать")
    assert "Приглашение получат 4 человека" in reply.text

    event = await db.scalar(select(ClubEvent))
    assert event is not None and event.status == ClubEventStatus.PUBLISHED
    await deliver()
    for young in (w.young_a, w.young_a2, w.young_b, w.young_c):
        got = person("x", user_id=young.telegram_id)
        assert _texts(got, "Клуб «Пеликаша» приглашает"), young.full_name
        assert got.buttons() == ["✅ Приду", "Не смогу"]
    for outsider in (w.mentor_a, w.young_other, w.curator_a):
        assert not _texts(person("x", user_id=outsider.telegram_id), "приглашает")

    # Answers: two places, a double press, the third in the waiting list.
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    reply = await maria.click("✅ Приду")
    assert "Вы записаны на «<b>Мастер-класс «Первый урок»</b>»" in reply.text
    docs = [m for m in maria.api.chat(maria.user_id) if m.filename]
    assert docs and docs[-1].filename == f"club-{event.id}.ics"
    assert reply.alert is None  # the message is the answer: no popup besides
    reply = await maria.click("✅ Приду")
    assert "Вы уже записаны" in (reply.alert or "") and not reply.messages
    dasha = person("Дарья", user_id=arrange_club.YOUNG_A2)
    await dasha.click("✅ Приду")
    anna = person("Анна", user_id=arrange_club.YOUNG_B)
    reply = await anna.click("✅ Приду")
    assert "Вы в листе ожидания: 1-й в очереди" in reply.text
    assert await _rsvps(db, event.id) == {
        w.young_a.id: RsvpStatus.GOING,
        w.young_a2.id: RsvpStatus.GOING,
        w.young_b.id: RsvpStatus.WAITING,
    }

    # Maria cannot come after all: Anna moves up and is told.
    reply = await maria.click("Не смогу")
    assert "вы не придёте" in reply.text
    assert (await _rsvps(db, event.id))[w.young_b.id] == RsvpStatus.GOING
    await deliver()
    assert _texts(anna, "Освободилось место — оно ваше!")
    assert any(m.filename == f"club-{event.id}.ics" for m in anna.api.chat(anna.user_id))

    # A change of place reaches only those coming (Дарья, Анна), not Maria.
    await olga.send("/club")
    await olga.click("Первый урок")
    assert "Придут: 2, в листе ожидания: 0." in olga.api.chat(olga.user_id)[-1].text
    await olga.click("Изменить")
    await olga.click("Место")
    await olga.send("МОУ ДПО УМЦ, актовый зал")
    reply = await olga.click("Сохранить изменения")
    assert "получит сообщение" in reply.text
    await deliver()
    assert _texts(dasha, "Мероприятие изменилось") and _texts(anna, "Мероприятие изменилось")
    assert not _texts(maria, "Мероприятие изменилось")
    assert "актовый зал" in _texts(anna, "Мероприятие изменилось")[0]

    # Cancelled: the same two are told; nobody can answer any more.
    await olga.click("Отменить мероприятие")
    reply = await olga.click("Да, отменить")
    assert "отменено" in reply.text
    await deliver()
    assert _texts(dasha, "Мероприятие отменено") and not _texts(maria, "Мероприятие отменено")
    reply = await maria.click("✅ Приду")
    assert reply.alert == "Мероприятие отменено."


async def test_the_last_place_pressed_by_two_at_once_goes_to_one(
    db: AsyncSession, person: PersonFactory
) -> None:
    import asyncio

    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality, capacity=1)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    anna = person("Анна", user_id=arrange_club.YOUNG_B)
    for p in (maria, anna):
        await p.send("/club")
        await p.click("Первый урок")
    await asyncio.gather(maria.click("✅ Приду"), anna.click("✅ Приду"))
    statuses = sorted((await _rsvps(db, event.id)).values())
    assert statuses == [RsvpStatus.GOING, RsvpStatus.WAITING]
    rows = await db.scalar(select(func.count()).select_from(ClubRsvp))
    assert rows == 2
