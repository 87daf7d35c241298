"""The export's keyset pages are read ahead: the next page is already asked for while
the rows of this one are written, the pages come in order, and a reader that stops
early leaves no query running."""

from __future__ import annotations

import asyncio

from services.export.paging import read_ahead

PAGES = {0: [1, 2, 3], 3: [4, 5], 5: []}


async def test_the_next_page_is_on_its_way_while_this_one_is_written() -> None:
    asked: list[int] = []

    async def fetch(after: int) -> list[int]:
        asked.append(after)
        await asyncio.sleep(0)
        return PAGES[after]

    seen: list[list[int]] = []
    async for page in read_ahead(fetch, lambda p: p[-1] if p else None):
        await asyncio.sleep(0)  # the writer gives the loop a turn
        assert asked[-1] == page[-1]  # the following page was already asked for
        seen.append(page)
    assert seen == [[1, 2, 3], [4, 5]]
    assert asked == [0, 3, 5]


async def test_stopping_early_cancels_the_read_ahead() -> None:
    started = asyncio.Event()
    finished: list[int] = []

    async def fetch(after: int) -> list[int]:
        if after:
            started.set()
            await asyncio.sleep(3600)  # a slow page
        finished.append(after)
        return PAGES[after]

    pages = read_ahead(fetch, lambda p: p[-1] if p else None)
    assert await anext(pages) == [1, 2, 3]
    await started.wait()
    await pages.aclose()
    assert finished == [0]
