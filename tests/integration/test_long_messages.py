"""Messages over Telegram's 4096 characters arrive as several, keyboard on the last."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.outgoing.long_messages import split_text
from tests.fakes.bot_api import FakeBotAPI


def test_split_at_line_breaks_and_hard_cut_for_one_long_line() -> None:
    text = "\n".join(f"<b>{i}</b> " + "а" * 90 for i in range(100))
    parts = split_text(text)
    assert all(len(p) <= 4096 for p in parts) and len(parts) == 3
    assert "\n".join(parts) == text
    assert all(p.count("<b>") == p.count("</b>") for p in parts)
    assert [len(p) for p in split_text("я" * 9000)] == [4096, 4096, 808]
    assert split_text("коротко") == ["коротко"]


async def test_long_message_is_sent_in_parts_with_the_keyboard_last(
    bot: Bot, fake_api: FakeBotAPI
) -> None:
    fake_api.reset()
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Дальше", callback_data="x")]]
    )
    text = "\n".join(f"строка номер {i} " + "б" * 80 for i in range(120))
    await bot.send_message(4242, text, reply_markup=markup)
    sent = fake_api.chat(4242)
    assert len(sent) == 3
    assert "\n".join(m.text for m in sent) == text
    assert [bool(m.buttons) for m in sent] == [False, False, True]


async def test_an_edit_past_the_limit_keeps_its_first_part_and_sends_the_rest(
    bot: Bot, fake_api: FakeBotAPI
) -> None:
    fake_api.reset()
    sent = await bot.send_message(4343, "короткое")
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Дальше", callback_data="x")]]
    )
    text = "\n".join(f"цель номер {i} " + "в" * 80 for i in range(120))
    await bot.edit_message_text(text, chat_id=4343, message_id=sent.message_id, reply_markup=markup)
    messages = fake_api.chat(4343)
    assert len(messages) == 3 and messages[0].message_id == sent.message_id
    assert "\n".join(m.text for m in messages) == text
    assert [bool(m.buttons) for m in messages] == [False, False, True]
