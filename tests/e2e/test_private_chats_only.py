"""The bot talks to people in private chats only: nothing personal is posted into a
group, and accounts that stand for someone else (the anonymous group admin, a channel,
another bot) are never treated as a person."""

from __future__ import annotations

import itertools
import time
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.middlewares.private_only import GROUP_ANONYMOUS_BOT
from models import Participant, Role
from tests import arrange
from tests.fakes.client import Person, PersonFactory

GROUP_ID = -100_555_000_111
_ids = itertools.count(50_000_000)


def _group_message(
    user: dict[str, Any], text: str, *, sender_chat: dict[str, Any] | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": GROUP_ID, "type": "supergroup", "title": "Учителя школы № 12"},
        "from": user,
        "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/")
        else [],
    }
    if sender_chat is not None:
        message["sender_chat"] = sender_chat
    return {"update_id": next(_ids), "message": message}


async def _in_group(person: Person, text: str, **kw: Any) -> None:
    await person._feed(_group_message(person._user(), text, **kw))


async def _curator_with_a_pending_request(db: AsyncSession, person: PersonFactory) -> Person:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.invite(db, schools[0], Role.MENTEE)
    return person("Ольга", user_id=111)


async def test_staff_commands_in_a_group_post_nothing_personal(
    db: AsyncSession, person: PersonFactory
) -> None:
    olga = await _curator_with_a_pending_request(db, person)
    for command in ("/pairs", "/unmatched", "/pending", "/profile", "/invite", "/help"):
        await _in_group(olga, command)

    said = olga.api.chat(GROUP_ID)
    # One line, once, pointing to the private chat; no names, no links, no lists.
    assert len(said) == 1
    assert "только в личных сообщениях" in said[0].text
    assert "Смирнова" not in said[0].text and "start=" not in said[0].text
    assert said[0].buttons == []
    # Nothing went to anybody else either.
    assert olga.api.chat(111) == []


async def test_start_in_a_group_stores_nobody(db: AsyncSession, person: PersonFactory) -> None:
    await arrange.municipality_with_schools(db)
    stranger = person("Гость")
    await _in_group(stranger, "/start INVITE12")
    await _in_group(stranger, "Иванов Иван Иванович")
    assert await db.scalar(select(func.count()).select_from(Participant)) == 0
    assert all("Согласие" not in m.text for m in stranger.api.chat(GROUP_ID))


async def test_the_anonymous_group_admin_is_never_a_person(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _curator_with_a_pending_request(db, person)
    anonymous = person("Group", user_id=GROUP_ANONYMOUS_BOT)
    group = {"id": GROUP_ID, "type": "supergroup", "title": "Учителя школы № 12"}
    await _in_group(anonymous, "/profile", sender_chat=group)
    await _in_group(anonymous, "/delete_me", sender_chat=group)
    # Even a private-chat update claiming that account is not a person's.
    reply = await anonymous.send("/start INVITE12")
    assert reply.messages == []
    assert (
        await db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(Participant.telegram_id == GROUP_ANONYMOUS_BOT)
        )
        == 0
    )
    assert all("Смирнова" not in m.text for m in anonymous.api.chat(GROUP_ID))


async def test_a_channel_and_another_bot_get_no_answer(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange.municipality_with_schools(db)
    robot = person("Робот")
    user = robot._user() | {"is_bot": True}
    update = robot._message(text="/start INVITE12")
    update["message"]["from"] = user
    assert (await robot._feed(update)).messages == []

    channel_voice = person("Канал")
    channel = {"id": -100_777, "type": "channel", "title": "Пеликаша"}
    update = channel_voice._message(text="/start")
    update["message"]["sender_chat"] = channel
    assert (await channel_voice._feed(update)).messages == []
    assert await db.scalar(select(func.count()).select_from(Participant)) == 0


async def test_a_button_pressed_under_a_group_message_does_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    olga = await _curator_with_a_pending_request(db, person)
    update = {
        "update_id": next(_ids),
        "callback_query": {
            "id": "cbq-group",
            "from": olga._user(),
            "chat_instance": "g",
            "data": "pv:confirm",  # «Да, удалить мои данные»
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": GROUP_ID, "type": "supergroup", "title": "Учителя"},
                "text": "…",
            },
        },
    }
    await olga._feed(update)
    db.expire_all()
    olga_row = await db.scalar(select(Participant).where(Participant.telegram_id == 111))
    assert olga_row is not None and olga_row.full_name == "Смирнова Ольга Ивановна"
