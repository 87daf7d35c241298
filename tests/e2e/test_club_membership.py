"""Membership: young specialists are invited once after registering and join from the
invitation or /club; a mentor with fifteen years is not invited; the organiser sees the
members and the shares of young specialists who are members and who came."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubAttendance, ClubMember
from services import indicators
from services.access import Actor
from services.clock import FixedClock
from services.club import membership
from tests.arrange import NOW
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory


async def test_young_specialists_join_and_the_organiser_sees_the_shares(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    w = await arrange_club.club_world(db)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    reply = await maria.send("/club")
    assert "Вы молодой специалист — вступайте" in reply.text
    join = maria.find_button("Вступить в клуб")
    await maria.press(*join)
    await maria.press(*join)  # a double press: one membership
    assert "Вы член клуба «Пеликаша»" in maria.api.chat(maria.user_id)[-1].text
    assert "Выйти из клуба" in maria.buttons() and "🦩 Вступить в клуб" not in maria.buttons()
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)
    await ivan.send("/club")
    assert "🦩 Вступить в клуб" not in ivan.buttons()

    # The invitation after registration: once, to young specialists who are not members.
    assert await membership.plan_invites(db, clock.now()) == 4  # three others + the other MO
    assert await membership.plan_invites(db, clock.now()) == 4  # the keys keep it once
    await deliver()
    anna = person("Анна", user_id=arrange_club.YOUNG_B)
    assert "приглашает вас" in anna.api.chat(anna.user_id)[-1].text
    await anna.click("Вступить в клуб")
    assert not any("приглашает вас" in m.text for m in maria.api.chat(maria.user_id))
    assert not any("приглашает вас" in m.text for m in ivan.api.chat(ivan.user_id))
    members = set(await db.scalars(select(ClubMember.participant_id)))
    assert members == {w.young_a.id, w.young_b.id}

    event = await arrange_club.club_event(db, w.municipality, starts_at=NOW - dt.timedelta(days=1))
    db.add(ClubAttendance(event_id=event.id, participant_id=w.young_c.id, marked_at=NOW))
    await db.commit()
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    await olga.send("/club")
    reply = await olga.click("Члены клуба")
    assert "Молодых специалистов: 4." in reply.text
    assert "В клубе: 2 (50 %)." in reply.text
    assert "в этом учебном году: 1 (25 %)" in reply.text
    assert "• Иванова Мария Петровна" in reply.text and "• Кузнецова Анна Сергеевна" in reply.text
    # The municipal indicators from attendance: one school of three came to an event.
    report = await indicators.for_municipality(
        db, Actor(telegram_id=0, is_admin=True), w.municipality.id, NOW
    )
    values = {v.code: v for v in report.values}
    assert (values["schools_in_events"].a, values["schools_in_events"].b) == (1, 3)
    assert values["young_in_events"].known == 0  # no headcount entered: no data, not 100 %
