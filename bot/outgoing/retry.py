"""Direct replies survive flood control and hiccups.

A person who taps fast makes the bot send several messages to one chat within a
second; Telegram answers 429 with retry_after. Losing the reply would leave the person
without their next question, so the request waits retry_after and goes again; 5xx
answers and network errors are retried with a short backoff. Both are bounded: past
``max_wait`` seconds of waiting (or ``attempts`` tries) the error is raised, logged by
the error handler, and the use case stops before advancing.

The outbox sender has a policy of its own (a 429 pauses every send, a 5xx moves the
row back with a backoff), so inside ``sender_handles_retries()`` this stands aside.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]

_caller_retries: ContextVar[bool] = ContextVar("caller_retries", default=False)


@contextmanager
def sender_handles_retries() -> Iterator[None]:
    token = _caller_retries.set(True)
    try:
        yield
    finally:
        _caller_retries.reset(token)


class RetryDirectReplies(BaseRequestMiddleware):
    def __init__(
        self,
        *,
        max_wait: float = 20.0,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.max_wait = max_wait
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if _caller_retries.get():
            return await make_request(bot, method)
        waited = 0.0
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                delay = float(exc.retry_after)
                if not self._may_wait(method, attempt, waited, delay, "429"):
                    raise
            except (TelegramServerError, TelegramNetworkError) as exc:
                delay = self.backoff * 2 ** (attempt - 1)
                if not self._may_wait(method, attempt, waited, delay, type(exc).__name__):
                    raise
            await self.sleep(delay)
            waited += delay
            attempt += 1

    def _may_wait(
        self,
        method: TelegramMethod[TelegramType],
        attempt: int,
        waited: float,
        delay: float,
        error: str,
    ) -> bool:
        if attempt < self.attempts and waited + delay <= self.max_wait:
            return True
        log.warning(
            "%s gave up after %s attempts (%s, waited %.1f s)",
            type(method).__name__,
            attempt,
            error,
            waited,
        )
        return False
