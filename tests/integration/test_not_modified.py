"""An edit into what the message already is («message is not modified») answers True,
as Telegram's edit methods do, so callers that read the result (aiogram-dialog) go on."""

from __future__ import annotations

from aiogram import Bot

from tests.fakes.bot_api import FakeBotAPI


async def test_an_edit_that_changes_nothing_returns_true(bot: Bot, fake_api: FakeBotAPI) -> None:
    fake_api.reset()
    sent = await bot.send_message(820_000_100, "Выберите время")
    again = await bot.edit_message_text(
        "Выберите время", chat_id=820_000_100, message_id=sent.message_id
    )
    assert again is True
