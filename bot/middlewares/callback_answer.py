"""Every button press is answered once, after its handler: aiogram's
CallbackAnswerMiddleware. A handler that wants a popup sets ``callback_answer.text``;
a refusal (DomainError) becomes a popup here instead of a second answer later."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram.types import CallbackQuery, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware

from bot.i18n import t
from services.errors import DomainError


class AnswerCallbacks(CallbackAnswerMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)

        async def refusals_as_popups(event: TelegramObject, data: dict[str, Any]) -> Any:
            answer: CallbackAnswer = data["callback_answer"]
            try:
                return await handler(event, data)
            except DomainError as err:
                answer.text = t(err.code, **err.params)
                answer.show_alert = True
                return None
            except Exception:
                answer.disabled = True  # the error handler answers, once
                raise

        return await super().__call__(refusals_as_popups, event, data)


def popup(answer: CallbackAnswer, text: str) -> None:
    """Show ``text`` as an alert when the press is answered."""
    answer.text = text
    answer.show_alert = True
