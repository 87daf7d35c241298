"""The event loop the bot runs on: uvloop where it is installed (Linux and macOS, a
dependency there), else asyncio's own.

Every update is a chain of awaits (database round trips, requests to Telegram), and
each await is a trip through the loop: its scheduling and socket code are a fair part
of an update's CPU. uvloop does the same in C (libuv); asyncpg, aiohttp, aiogram and
APScheduler's asyncio scheduler all run on it unchanged."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T], *, fast: bool = True) -> T:
    """``asyncio.run(main)`` on uvloop (``fast=False``: asyncio's loop, for comparison)."""
    if fast:
        try:
            import uvloop
        except ImportError:  # Windows: no uvloop
            pass
        else:
            with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
                return runner.run(main)
    return asyncio.run(main)
