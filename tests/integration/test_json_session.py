"""The bot's requests go to Telegram as JSON bodies and answers are parsed from bytes
(bot.outgoing.json_session); uploads stay multipart; errors raise what aiogram raises."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.types import BufferedInputFile
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.outgoing.json_session import JsonSession
from tests.fakes.bot_api import TOKEN, Failure, FakeBotAPI


@pytest.fixture
async def plain_bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    """The session alone, none of bot.outgoing's middlewares (no retries)."""
    fake_api.reset()
    bot = Bot(
        TOKEN,
        session=JsonSession(api=TelegramAPIServer.from_base(fake_api.base_url)),
        default=DefaultBotProperties(parse_mode="HTML", link_preview_is_disabled=True),
    )
    yield bot
    await bot.session.close()


async def test_a_message_with_buttons_goes_as_json(plain_bot: Bot, fake_api: FakeBotAPI) -> None:
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text="✅ Согласен", callback_data="consent:yes")
    sent = await plain_bot.send_message(
        42, "Текст <b>жирный</b>", reply_markup=keyboard.as_markup()
    )

    (call,) = fake_api.calls_of("sendMessage")
    assert call.params["chat_id"] == 42  # a JSON number, not a form's string
    assert call.params["parse_mode"] == "HTML"  # the bot's defaults filled in
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "✅ Согласен", "callback_data": "consent:yes"}]]
    }
    assert "disable_notification" not in call.params  # unset fields left out
    # The answer parsed into aiogram's types, bound to the bot.
    assert sent.chat.id == 42
    assert sent.reply_markup is not None
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "consent:yes"
    assert sent.bot is plain_bot


async def test_a_file_still_goes_as_multipart(plain_bot: Bot, fake_api: FakeBotAPI) -> None:
    await plain_bot.send_document(42, BufferedInputFile(b"PK\x03\x04", filename="export.xlsx"))
    (call,) = fake_api.calls_of("sendDocument")
    assert call.params["document"]["filename"] == "export.xlsx"
    assert call.params["document"]["content"] == b"PK\x03\x04"


async def test_errors_are_aiograms(plain_bot: Bot, fake_api: FakeBotAPI) -> None:
    fake_api.failures.append(Failure("sendMessage", None, 429, "Too Many Requests", 7))
    with pytest.raises(TelegramRetryAfter) as flood:
        await plain_bot.send_message(42, "раз")
    assert flood.value.retry_after == 7

    fake_api.failures.append(Failure("sendMessage", None, 400, "Bad Request: chat not found"))
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await plain_bot.send_message(42, "два")

    assert (await plain_bot.send_message(42, "три")).text == "три"
