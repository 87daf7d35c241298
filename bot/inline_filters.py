"""Synchronous filters run inline, not in a thread.

aiogram awaits a filter that is a coroutine function and runs any other callable through
``asyncio.to_thread``: every magic filter (``F.text``, ``F.action == …``, ``F.data``) and
every plain function, on every update it is checked against. That is a hand-off to the
thread pool and back for a check of microseconds: about eight per update in
bench.open_loop's profile (6,115 thread submissions for 800 updates). The filters here are
pure and quick, so they are called directly in the event loop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _inline(f: FilterObject) -> None:
    check: Callable[..., Any] = f.callback

    async def call(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    f.callback = call
    f.awaitable = True


def run_sync_filters_inline(root: Router) -> int:
    """Make every synchronous filter of `root` and its sub-routers awaitable; how many."""
    changed = 0
    for router in root.chain_tail:
        for observer in router.observers.values():
            for handler in [observer._handler, *observer.handlers]:
                for f in handler.filters or []:
                    if not f.awaitable:
                        _inline(f)
                        changed += 1
    return changed
