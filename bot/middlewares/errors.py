"""What the person sees when a handler fails, and what the log keeps (no personal data)."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.i18n import t
from services.errors import DomainError

log = logging.getLogger("bot.errors")


async def _reply(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def domain_error(event: ErrorEvent) -> None:
    assert isinstance(event.exception, DomainError)
    await _reply(event, t(event.exception.code, **event.exception.params))


async def telegram_unreachable(event: ErrorEvent) -> None:
    """A reply that stayed refused after its retries (bot/outgoing/retry.py): telling
    the person would hit the same wall, so the use case just stops here."""
    log.warning(
        "update %s (%s): Telegram kept refusing the reply: %s",
        event.update.update_id,
        event.update.event_type,
        type(event.exception).__name__,
    )


async def unexpected(event: ErrorEvent) -> None:
    # Update id and type only: the update itself holds names and texts.
    log.error(
        "update %s (%s) failed: %s",
        event.update.update_id,
        event.update.event_type,
        type(event.exception).__name__,
        exc_info=event.exception,
    )
    try:
        await _reply(event, t("error.unexpected"))
    except Exception:
        log.warning("could not tell the user about the failure")


def create_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(
        telegram_unreachable,
        ExceptionTypeFilter(TelegramRetryAfter, TelegramServerError, TelegramNetworkError),
    )
    router.errors.register(unexpected)
    return router
