"""An organiser with several places picks where a new club event goes: a curator of two
schools, a coordinator who also curates a school in another municipality. Before, the
event went to the lowest school id or the coordinator's municipality, whatever was
meant. The chosen place is checked on the button, at the form's start and on saving."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ClubChannelCb, ClubPlace, ClubPlaceCb
from models import ClubAnnouncement, ClubChannel, ClubEvent, Role, RoleGrant, School
from tests.arrange import club as arrange_club
from tests.arrange.import_files import xlsx
from tests.fakes.client import Deliver, Person, PersonFactory

PICK = "🎉 Где будет мероприятие? Клуб муниципалитета — для всех его школ, школа — только для неё:"
ORGANISERS_ONLY = (
    "Это могут только организаторы клуба: координатор муниципалитета, назначенный им "
    "организатор или куратор школы."
)


async def _curator_of_two_schools(db: AsyncSession) -> arrange_club.Club:
    """The club's world, its school A curator also curating school B (the gymnasium)."""
    w = await arrange_club.club_world(db)
    w.curator_a.roles.append(RoleGrant(role=Role.CURATOR, school_id=w.school_b.id))
    await db.commit()
    return w


async def _coordinator_curating_school_7(db: AsyncSession) -> tuple[arrange_club.Club, School]:
    """The club's world, its coordinator (Серпухов) also curating Новосибирск's school."""
    w = await arrange_club.club_world(db)
    school_7 = await db.scalar(select(School).where(School.municipality_id == w.other.id))
    assert school_7 is not None
    w.coordinator.roles.append(RoleGrant(role=Role.CURATOR, school_id=school_7.id))
    await db.commit()
    return w, school_7


async def _fill_and_save(p: Person, title: str) -> None:
    reply = await p.send(title)
    await p.click("мастер-класс")
    await p.tap("26")
    await p.click("15:00")
    await p.send("Актовый зал")
    await p.click("молодые специалисты")
    await p.send("20")
    reply = await p.click("Без описания")
    assert "Проверьте" in reply.text
    reply = await p.click("Сохранить черновик")
    assert "Черновик сохранён" in reply.text


async def test_a_curator_of_two_schools_holds_the_event_at_the_second(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await _curator_of_two_schools(db)
    anna = person("Анна", user_id=arrange_club.CURATOR_A)

    await anna.send("/club")
    reply = await anna.click("Добавить мероприятие")
    assert reply.text == PICK
    assert [label for label, _ in reply.last.buttons] == [
        "🏫 МБОУ «Гимназия № 3»",
        "🏫 МБОУ «Средняя школа № 12»",
    ]
    reply = await anna.click("Гимназия № 3")
    assert "Как оно называется?" in reply.text
    await _fill_and_save(anna, "Открытый урок в гимназии")

    event = await db.scalar(select(ClubEvent))
    assert event is not None
    assert (event.municipality_id, event.school_id) == (w.municipality.id, w.school_b.id)


async def test_a_coordinator_who_curates_a_school_elsewhere_picks_that_school(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, school_7 = await _coordinator_curating_school_7(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)

    await olga.send("/club")
    reply = await olga.click("Добавить мероприятие")
    assert [label for label, _ in reply.last.buttons] == [
        "🏙 Городской округ Серпухов",
        "🏫 МАОУ «Школа № 7»",
    ]
    await olga.click("Школа № 7")
    await _fill_and_save(olga, "Встреча молодых педагогов школы")
    event = await db.scalar(select(ClubEvent))
    assert event is not None
    assert (event.municipality_id, event.school_id) == (w.other.id, school_7.id)
    assert event.starts_at.hour == 8  # 15:00 in Novosibirsk (UTC+7) is 08:00 UTC


async def test_forged_places_start_no_form(db: AsyncSession, person: PersonFactory) -> None:
    w = await arrange_club.club_world(db)

    async def forge(p: Person, cb: ClubPlaceCb) -> str | None:
        await p.send("/help")
        return (await p.press(p.api.chat(p.user_id)[-1], cb.pack())).alert

    nina = person("Нина", user_id=arrange_club.CURATOR_B)
    vera = person("Вера", user_id=arrange_club.OTHER_COORDINATOR)
    mentor = person("Иван", user_id=arrange_club.MENTOR_A)
    for p, cb in (
        (nina, ClubPlaceCb(what=ClubPlace.EVENT, lvl="s", id=w.school_a.id)),  # another school
        (
            nina,
            ClubPlaceCb(what=ClubPlace.EVENT, lvl="m", id=w.municipality.id),
        ),  # her municipality's club
        (
            vera,
            ClubPlaceCb(what=ClubPlace.EVENT, lvl="m", id=w.municipality.id),
        ),  # another municipality
        (vera, ClubPlaceCb(what=ClubPlace.EVENT, lvl="s", id=2**63 - 1)),
        (mentor, ClubPlaceCb(what=ClubPlace.EVENT, lvl="s", id=w.school_a.id)),
    ):
        assert await forge(p, cb) == ORGANISERS_ONLY, (p.first_name, cb)
        assert "Как оно называется?" not in p.api.chat(p.user_id)[-1].text
    assert await db.scalar(select(ClubEvent.id)) is None


async def test_a_curator_of_two_schools_announces_to_the_second_schools_people(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await _curator_of_two_schools(db)
    anna = person("Анна", user_id=arrange_club.CURATOR_A)

    reply = await anna.send("/announce")
    assert "Кому объявление?" in reply.text
    assert anna.buttons() == ["🏫 МБОУ «Гимназия № 3»", "🏫 МБОУ «Средняя школа № 12»"]
    reply = await anna.click("Гимназия № 3")
    assert "МБОУ «Гимназия № 3»" in reply.text
    await anna.click("Наставляемым")
    reply = await anna.send("Собрание наставляемых гимназии в пятницу")
    assert "Получит 1 человек (МБОУ «Гимназия № 3»)" in reply.text
    reply = await anna.click("Отправить (1)")
    assert "Объявление отправляется: 1 получатель" in reply.text
    note = await db.scalar(select(ClubAnnouncement))
    assert note is not None and note.school_id == w.school_b.id
    await deliver()
    got = person("x", user_id=arrange_club.YOUNG_B).api.chat(arrange_club.YOUNG_B)
    assert any("Собрание наставляемых гимназии" in m.text for m in got)
    for tg in (arrange_club.YOUNG_A, arrange_club.YOUNG_A2):  # school A's mentees: not theirs
        chat = person("x", user_id=tg).api.chat(tg)
        assert not any("Собрание наставляемых" in m.text for m in chat)

    # Another curator's school by a forged button: refused, no form begins.
    nina = person("Нина", user_id=arrange_club.CURATOR_B)
    await nina.send("/help")
    forged = ClubPlaceCb(what=ClubPlace.NOTE, lvl="s", id=w.school_a.id).pack()
    reply = await nina.press(nina.api.chat(nina.user_id)[-1], forged)
    assert reply.alert == ORGANISERS_ONLY


async def test_a_coordinator_who_curates_a_school_elsewhere_imports_a_plan_for_it(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, school_7 = await _coordinator_curating_school_7(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)

    reply = await olga.send("/club_import")
    assert "Куда загрузить план?" in reply.text
    assert not any(m.filename for m in reply.messages)  # the example comes after the choice
    reply = await olga.click("Школа № 7")
    assert any(m.filename for m in reply.messages)
    header = ["Наименование мероприятия", "Форма проведения", "Дата проведения", "Время"]
    plan = [header, ["Открытый урок", "мастер-класс", "17.12.2026", "15:00"]]
    reply = await olga.send_document("план.xlsx", xlsx(plan))
    assert "Будет добавлено 1 мероприятие" in reply.text
    reply = await olga.click("Загрузить 1 мероприятие")
    assert "Добавлено 1 мероприятие" in reply.text
    event = await db.scalar(select(ClubEvent))
    assert event is not None
    assert (event.municipality_id, event.school_id) == (w.other.id, school_7.id)
    assert event.starts_at.hour == 8  # 15:00 in Novosibirsk


async def _channels(db: AsyncSession) -> dict[int, int]:
    rows = await db.execute(select(ClubChannel.municipality_id, ClubChannel.chat_id))
    return dict(rows.all())


async def test_a_coordinator_of_two_clubs_picks_whose_channel(
    db: AsyncSession, person: PersonFactory
) -> None:
    """/club_channel set the first municipality's channel whatever was meant; now an
    organiser of two municipalities' clubs picks, and a forged button (a municipality
    not theirs, an id that is no channel's) changes nothing."""
    w = await arrange_club.club_world(db)
    grant = RoleGrant(
        participant_id=w.coordinator.id, role=Role.COORDINATOR, municipality_id=w.other.id
    )
    db.add(grant)
    await db.commit()
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)

    for hostile in ("-100123²", "-100" + "9" * 40, "-100١٢٣"):
        reply = await olga.send(f"/club_channel {hostile}")
        assert "Узнайте числовой id канала" in reply.text, hostile
    reply = await olga.send("/club_channel -1001234567890")
    assert "Чей это канал?" in reply.text
    assert [label for label, _ in reply.last.buttons] == [
        "🏙 Город Новосибирск",
        "🏙 Городской округ Серпухов",
    ]
    reply = await olga.click("Новосибирск")
    assert "Канал клуба для «Город Новосибирск» сохранён" in reply.text
    channels = await _channels(db)
    assert channels == {w.other.id: -1001234567890}

    # Forged: another coordinator's municipality, or a chat id that is no channel's.
    vera = person("Вера", user_id=arrange_club.OTHER_COORDINATOR)
    for p, cb in (
        (vera, ClubChannelCb(m=w.municipality.id, chat=1001234567891)),
        (olga, ClubChannelCb(m=w.municipality.id, chat=42)),
    ):
        await p.send("/help")
        reply = await p.press(p.api.chat(p.user_id)[-1], cb.pack())
        assert reply.alert is not None, cb
    channels = await _channels(db)
    assert channels == {w.other.id: -1001234567890}
