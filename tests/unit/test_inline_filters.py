"""The bot's dispatcher calls every filter in the event loop (aiogram would run the
synchronous ones, magic filters included, through a thread)."""

from __future__ import annotations

from aiogram import F, Router
from pydantic import SecretStr

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.inline_filters import run_sync_filters_inline
from models.db import create_engine, create_sessionmaker


def test_no_filter_of_the_bot_goes_through_a_thread() -> None:
    settings = Settings(
        _env_file=None, bot_token=SecretStr("1:x"), database_url="sqlite+aiosqlite://"
    )
    dp = create_dispatcher(settings, create_sessionmaker(create_engine(settings.database_url)))
    filters = [
        f
        for router in dp.chain_tail
        for observer in router.observers.values()
        for handler in [observer._handler, *observer.handlers]
        for f in handler.filters or []
    ]
    assert filters and all(f.awaitable for f in filters)


async def test_an_inlined_magic_filter_still_filters() -> None:
    router = Router()
    router.message.register(lambda: None, F.text == "да")
    assert run_sync_filters_inline(router) == 1
    check = router.message.handlers[0].filters[0]  # type: ignore[index]

    class Event:
        text = "да"

    assert await check.call(Event()) is True
    Event.text = "нет"
    assert await check.call(Event()) is False
