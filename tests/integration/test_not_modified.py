"""An edit into what the message already is («message is not modified») answers the
message as it is, as Telegram's edit methods do, so callers that read the result
(aiogram-dialog keeps the Message it shows) go on."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import Message

from tests.fakes.bot_api import FakeBotAPI


async def test_an_edit_that_changes_nothing_answers_the_message(
    bot: Bot, fake_api: FakeBotAPI
) -> None:
    fake_api.reset()
    sent = await bot.send_message(820_000_100, "Выберите время")
    again = await bot.edit_message_text(
        "Выберите время", chat_id=820_000_100, message_id=sent.message_id
    )
    assert isinstance(again, Message)
    assert (again.chat.id, again.message_id, again.text) == (
        820_000_100,
        sent.message_id,
        "Выберите время",
    )
    assert again.audio is None and again.photo is None  # what aiogram-dialog looks at
