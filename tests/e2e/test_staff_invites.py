"""Curator and coordinator invites: one person, 72 hours, the inviter is told who used
it; forged invite buttons with an unknown role are refused politely."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, Participant, Role
from tests import arrange
from tests.arrange import NOW
from tests.fakes.client import Deliver, PersonFactory


async def test_curator_invite_is_for_one_person_and_72_hours(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    mun, _ = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 555, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun)
    olga = person("Ольга", user_id=555)
    await olga.send("/invite")
    await olga.click("куратор")
    reply = await olga.click("Лицей")
    assert "Ссылка действует 72 часа, на одного человека" in reply.text
    code = reply.text.split("?start=")[1].split()[0]
    db.expire_all()
    invite = await db.scalar(select(Invite).where(Invite.code == code))
    assert invite is not None
    assert (invite.max_uses, invite.expires_at) == (1, NOW + dt.timedelta(hours=72))

    ivan = person("Иван")
    await ivan.send(f"/start {code}")
    await ivan.click("Согласен")
    await ivan.send("Петров Иван Сергеевич")
    await ivan.send("заместитель директора")
    reply = await ivan.click("Всё верно")
    assert "куратор" in reply.text
    assert not any("Петров" in m.text for m in olga.api.chat(555))  # only via the outbox
    await deliver()
    told = olga.api.chat(555)[-1].text
    assert "Петров Иван Сергеевич" in told and "на одного человека" in told

    # The link forwarded further makes nobody a curator.
    stranger = person("Чужой")
    reply = await stranger.send(f"/start {code}")
    assert "ссылка-приглашение уже использована" in reply.text
    assert "зарегистрируйтесь без неё" in reply.text
    db.expire_all()
    assert (
        await db.scalar(select(Participant).where(Participant.telegram_id == stranger.user_id))
    ) is None


async def test_teacher_invite_keeps_the_long_limits(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    curator = person("Анна", user_id=222)
    await curator.send("/invite")
    reply = await curator.click("наставник")
    assert "не более 50 регистраций" in reply.text


async def test_forged_invite_buttons_with_an_unknown_role_are_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 555, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun)
    olga = person("Ольга", user_id=555)
    await olga.send("/invite")
    menu = olga.api.chat(555)[-1]
    for data in ("ir:hacker", f"is:hacker:{schools[0].id}:0", "gr:hacker:1"):
        reply = await olga.press(menu, data)
        assert reply.alert is not None and "кнопка уже не действует" in reply.alert, data
    assert (await db.scalar(select(Invite))) is None
