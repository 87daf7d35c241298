"""The bot's requests go to Telegram as JSON bodies and answers are parsed from bytes
(bot.outgoing.json_session); uploads stay multipart; errors raise what aiogram raises."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendMessage,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
)
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


async def test_the_body_is_what_aiogram_would_prepare(plain_bot: Bot) -> None:
    """Dumping without None fields (pydantic-core) gives what aiogram's own walk over
    the full dump gives, for a keyboard of every kind of button field the bot uses."""
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text="Открыть", url="https://example.org")
    keyboard.button(text="Готово", callback_data="ms:deficits:done")
    keyboard.button(text="Пусто", callback_data="")
    method = SendMessage(
        chat_id=42, text="x", reply_markup=keyboard.as_markup(), disable_notification=False
    )
    session = cast(JsonSession, plain_bot.session)
    body = session.json_body(plain_bot, method)
    assert body is not None
    assert json.loads(body) == _aiograms_walk(plain_bot, method)


def _aiograms_walk(bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
    """The body aiogram's own form would carry: its walk over the full dump, without
    None fields and empty strings."""
    session = cast(JsonSession, bot.session)
    files: dict[str, Any] = {}
    return {
        key: prepared
        for key, value in method.model_dump(warnings=False).items()
        if (prepared := session.prepare_value(value, bot, files, _dumps_json=False))
        not in (None, "")
    }


async def test_the_answers_keyboard_is_the_one_sent(plain_bot: Bot, fake_api: FakeBotAPI) -> None:
    """The keyboard of a sent or edited message is the object the request carried, not
    validated anew button by button; without one in the request, the answer's own."""
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text="☐ Дисциплина", callback_data="ms:deficits:1")
    markup = keyboard.as_markup()
    sent = await plain_bot.send_message(42, "Вопрос", reply_markup=markup)
    assert isinstance(sent, Message)
    assert sent.reply_markup is markup

    edited = await plain_bot.edit_message_reply_markup(
        chat_id=42, message_id=sent.message_id, reply_markup=None
    )
    assert isinstance(edited, Message)
    assert edited.reply_markup is None

    # An answer carrying a keyboard the request did not (the fake's edit of the text
    # alone keeps none, so a raw answer stands in): validated into aiogram's type.
    raw = (
        b'{"ok": true, "result": {"message_id": 7, "date": 0, "text": "x",'
        b' "chat": {"id": 42, "type": "private"},'
        b' "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}}}'
    )
    answer = session_parse(plain_bot, raw)
    assert isinstance(answer.reply_markup, InlineKeyboardMarkup)
    assert answer.reply_markup.inline_keyboard[0][0].callback_data == "b"
    assert answer.bot is plain_bot


def session_parse(bot: Bot, raw: bytes) -> Message:
    session = cast(JsonSession, bot.session)
    result = session.parse(bot, EditMessageText(text="x", chat_id=42, message_id=7), 200, raw)
    assert isinstance(result.result, Message)
    return result.result


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


async def test_defaults_nested_in_a_field_take_aiograms_walk(plain_bot: Bot) -> None:
    """The bot's defaults inside an object of the request (link preview options given
    without every flag) and empty texts come out as aiogram's own walk makes them."""
    session = cast(JsonSession, plain_bot.session)
    for method in (
        SendMessage(chat_id=42, text="x", link_preview_options=LinkPreviewOptions(url="https://a")),
        AnswerCallbackQuery(callback_query_id="q1", text=""),
        AnswerCallbackQuery(callback_query_id="q1", text="Готово", show_alert=True),
        SetMyCommands(
            commands=[BotCommand(command="my", description="Мои пары")],
            scope=BotCommandScopeChat(chat_id=42),
        ),
    ):
        body = session.json_body(plain_bot, method)
        assert body is not None
        assert json.loads(body) == _aiograms_walk(plain_bot, method), type(method).__name__
