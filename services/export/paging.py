"""Keyset pages read ahead: the next page's queries run while the rows of this one are
written. The database works on its own core (PostgreSQL is another process) while
openpyxl turns rows into XML here, so the two long sheets cost about the time of the
writing alone instead of writing plus waiting.

The connection is used by one page fetch at a time (the next one starts when the current
one has arrived), and the workbook's writer never touches it, so nothing overlaps on it.
A row generator gives the event loop a turn every YIELD_EVERY rows (``turn``): the read
ahead progresses only when the loop runs, and writing a row never awaits anything.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TypeVar

P = TypeVar("P")

YIELD_EVERY = 100


async def read_ahead(
    fetch: Callable[[int], Awaitable[P]], last_key: Callable[[P], int | None]
) -> AsyncGenerator[P, None]:
    """Pages from ``fetch(after)`` (after = the previous page's last key, 0 first) until
    ``last_key(page)`` is None (an empty page); the following page is already on its way
    when a page is handed out."""
    pending: asyncio.Future[P] = asyncio.ensure_future(fetch(0))
    try:
        while True:
            page = await pending
            last = last_key(page)
            if last is None:
                return
            pending = asyncio.ensure_future(fetch(last))
            yield page
    finally:
        if not pending.done():  # the reader stopped early (an error): drop the read ahead
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pending


async def turn(n: int) -> None:
    """Every YIELD_EVERY rows, let the loop move the read ahead along."""
    if n % YIELD_EVERY == 0:
        await asyncio.sleep(0)
