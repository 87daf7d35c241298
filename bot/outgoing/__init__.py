"""What happens to every request the bot sends to Telegram, in this order: its answer's
parsing class kept (not rebuilt per request), the update's
database transaction ended if it only read (no connection held while Telegram answers),
long texts split into parts, «message is not modified» treated as success, and each part retried
on flood control and server hiccups."""

from __future__ import annotations

from aiogram import Bot

from bot.outgoing.long_messages import SplitLongMessages
from bot.outgoing.not_modified import IgnoreNotModified
from bot.outgoing.release_db import ReleaseDbConnection
from bot.outgoing.response_types import HoldResponseTypes
from bot.outgoing.retry import RetryDirectReplies, Sleep, sender_handles_retries

__all__ = ["install", "sender_handles_retries"]


def install(bot: Bot, *, max_wait: float, sleep: Sleep | None = None) -> None:
    # The first registered middleware is the outermost.
    bot.session.middleware(HoldResponseTypes())
    bot.session.middleware(ReleaseDbConnection())
    bot.session.middleware(SplitLongMessages())
    bot.session.middleware(IgnoreNotModified())
    retry = (
        RetryDirectReplies(max_wait=max_wait)
        if sleep is None
        else RetryDirectReplies(max_wait=max_wait, sleep=sleep)
    )
    bot.session.middleware(retry)
