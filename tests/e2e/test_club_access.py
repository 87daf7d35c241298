"""Who may run club events: a mentee is refused the organiser's buttons, a curator of
school A cannot touch school B's event, another municipality's coordinator forging an
event id gets nothing, and a coordinator makes a teacher the club's organiser."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ClubAction, ClubCb
from models import ClubEvent, ClubEventStatus, ClubRsvp, Participant, Role
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory

ORGANISER_ACTIONS = (
    ClubAction.PUBLISH,
    ClubAction.EDIT,
    ClubAction.CANCEL,
    ClubAction.CANCEL_YES,
    ClubAction.WHO,
    ClubAction.REPOST,
)


async def _status(db: AsyncSession, event_id: int) -> ClubEventStatus:
    event = await db.get(ClubEvent, event_id, populate_existing=True)
    assert event is not None
    return event.status


async def test_a_mentee_pressing_the_organisers_buttons_is_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange_club.club_world(db)
    draft = await arrange_club.club_event(db, w.municipality, status=ClubEventStatus.DRAFT)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    reply = await maria.send("/club")
    assert "➕ Добавить мероприятие" not in maria.buttons()
    assert "Первый урок" not in " ".join(maria.buttons())  # a draft is not shown
    for action in (*ORGANISER_ACTIONS, ClubAction.ADD):
        data = ClubCb(action=action, event_id=draft.id).pack()
        reply = await maria.press(maria.api.chat(maria.user_id)[-1], data)
        assert reply.alert, action
        assert "организатор" in reply.alert or "не вы" in reply.alert
    assert await _status(db, draft.id) == ClubEventStatus.DRAFT
    # Nor can she answer a draft she was never shown.
    data = ClubCb(action=ClubAction.GOING, event_id=draft.id).pack()
    reply = await maria.press(maria.api.chat(maria.user_id)[-1], data)
    assert reply.alert == "Не нашёл такой записи — возможно, её уже удалили."
    assert await db.scalar(select(ClubRsvp)) is None


async def test_curator_of_school_a_cannot_touch_school_bs_event(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange_club.club_world(db)
    event_b = await arrange_club.club_event(
        db, w.municipality, school=w.school_b, title="Педсовет молодых гимназии"
    )
    anna = person("Анна", user_id=arrange_club.CURATOR_A)
    await anna.send("/club")
    assert "Педсовет" not in " ".join(anna.buttons())
    for action in ORGANISER_ACTIONS:
        data = ClubCb(action=action, event_id=event_b.id).pack()
        reply = await anna.press(anna.api.chat(anna.user_id)[-1], data)
        assert (
            reply.alert == "Это мероприятие ведёте не вы: менять его может только его организатор."
        )
    assert await _status(db, event_b.id) == ClubEventStatus.PUBLISHED
    # Her own school's event is hers; the municipality's coordinator may run it too.
    nina = person("Нина", user_id=arrange_club.CURATOR_B)
    await nina.send("/club")
    await nina.click("Педсовет")
    assert "✏️ Изменить" in nina.buttons()


async def test_another_municipalitys_coordinator_forging_an_event_id_gets_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality)
    vera = person("Вера", user_id=arrange_club.OTHER_COORDINATOR)
    await vera.send("/club")
    assert "Первый урок" not in " ".join(vera.buttons())
    for action in (*ORGANISER_ACTIONS, ClubAction.OPEN, ClubAction.GOING):
        data = ClubCb(action=action, event_id=event.id).pack()
        reply = await vera.press(vera.api.chat(vera.user_id)[-1], data)
        assert reply.alert in (
            "Это мероприятие ведёте не вы: менять его может только его организатор.",
            "Не нашёл такой записи — возможно, её уже удалили.",
        ), action
    assert await _status(db, event.id) == ClubEventStatus.PUBLISHED
    young_other = person("Ольга", user_id=arrange_club.YOUNG_OTHER)
    data = ClubCb(action=ClubAction.OPEN, event_id=event.id).pack()
    await young_other.send("/club")
    reply = await young_other.press(young_other.api.chat(young_other.user_id)[-1], data)
    assert reply.alert == "Не нашёл такой записи — возможно, её уже удалили."


async def test_a_coordinator_makes_a_teacher_the_clubs_organiser(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    await olga.send("/roles")
    await olga.send("Петров")
    reply = await olga.click("организатором клуба")
    assert "Городской округ Серпухов" in reply.text
    await deliver()
    petrov = person("Иван", user_id=arrange_club.MENTOR_A)
    assert any("организатор клуба «Пеликаша»" in m.text for m in petrov.api.chat(petrov.user_id))
    grants = await db.scalars(
        select(Participant)
        .where(Participant.id == w.mentor_a.id)
        .execution_options(populate_existing=True)
    )
    person_ = grants.one()
    assert Role.CLUB_ORGANISER in {g.role for g in person_.roles}
    # He now runs the municipality's club: his /club offers «Добавить».
    await petrov.send("/club")
    assert "➕ Добавить мероприятие" in petrov.buttons()
