"""Replying to a pressed button: replace the message it sits on, or add a new one."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message


async def edit_or_send(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Replace the pressed message with ``text``; a file's message (a caption cannot
    become a text) loses its buttons and the text comes below. A second press of the
    same button changes nothing («message is not modified» is ignored by bot/outgoing)."""
    message = query.message
    if not isinstance(message, Message):
        return
    if message.document is not None:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(text, reply_markup=markup)
    else:
        await message.edit_text(text, reply_markup=markup)


async def send_below(
    query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """A new message under the pressed one, which stays as it was."""
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


async def drop_buttons(query: CallbackQuery) -> None:
    """The pressed keyboard is spent: remove it so it cannot be pressed twice."""
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
