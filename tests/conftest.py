"""Fixtures: a fresh PostgreSQL database per test run (migrated by Alembic) on the
configured server or, when none answers, a throwaway one (tests/pg.py), a fake Bot API
server, and the bot's own Dispatcher wired to both."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Iterator
from types import FrameType
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from pydantic import SecretStr
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import ORMExecuteState, strategies

from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from bot.migrate import upgrade_async
from models import Base
from models.db import TrackedSession, create_engine, create_sessionmaker
from services import app_secrets, consent
from services.clock import FixedClock
from tests import pg
from tests.arrange.constants import ADMIN_ID, KEEP_TABLES, NOW
from tests.fakes.bot_api import TOKEN, FakeBotAPI
from tests.fakes.client import Deliver, Person, PersonFactory


class LazyLoad(AssertionError):
    """A relationship was loaded on attribute access: load it with the query instead
    (the models' eager loaders, or selectinload/joinedload options)."""


# An eager loader's own per-object load (selectin falls back to it when an object is
# refreshed) runs through the lazy loader too; it is loading with the query, not on access.
_EAGER_PER_OBJECT = strategies._ImmediateLoader._load_for_path.__code__


def _by_an_eager_loader() -> bool:
    frame: FrameType | None = sys._getframe(2)
    for _ in range(12):
        if frame is None:
            return False
        if frame.f_code is _EAGER_PER_OBJECT:
            return True
        frame = frame.f_back
    return False


@event.listens_for(TrackedSession, "do_orm_execute")
def _no_lazy_loads(state: ORMExecuteState) -> None:
    # Tests only: in the bot, a lazy load is one more query per object (or, outside the
    # session's greenlet, MissingGreenlet); here it fails the test that made it.
    source = state.lazy_loaded_from if state.is_select else None
    if source is not None and not _by_an_eager_loader():
        raise LazyLoad(f"lazy load from {source.class_.__name__}: {state.statement}")


@pytest.fixture(scope="session")
async def admin_url() -> AsyncIterator[str]:
    """The server's admin URL: TEST_DATABASE_URL if it answers, else a throwaway server
    started for this run and stopped at its end."""
    configured = pg.configured_url()
    if await pg.reachable(configured):
        yield configured
        return
    servers = pg.throwaway_server()
    url = await asyncio.to_thread(servers.__enter__)
    try:
        yield url
    finally:
        await asyncio.to_thread(servers.__exit__, None, None, None)


@pytest.fixture(scope="session")
async def database_url(admin_url: str) -> AsyncIterator[str]:
    """A database of its own for this run, so parallel runs never collide."""
    base = admin_url
    name = f"nastavnik_test_{os.getpid()}"
    conn = await pg.connect(base)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    await upgrade_async(url)
    yield url
    conn = await pg.connect(base)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def db(
    engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[AsyncSession]:
    """An empty database (reference data kept) and a session to arrange and assert with."""
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    # What the services keep of rows that are never changed once written.
    app_secrets.forget_read()
    consent.forget_stored_texts()
    async with sessionmaker() as session:
        yield session


@pytest.fixture(scope="session")
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    api = FakeBotAPI()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return create_i18n()


@pytest.fixture
def settings(fake_api: FakeBotAPI, database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        database_url=database_url,
        telegram_api_base=fake_api.base_url,
        admin_ids=[ADMIN_ID],
        operator_name="МОУ ДПО «Учебно-методический центр»",
        operator_address="г. Серпухов, ул. Советская, д. 1",
        throttle_rate=0,
    )


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[Bot]:
    bot = create_bot(settings)
    yield bot
    await bot.session.close()


@pytest.fixture
def storage() -> BaseStorage:
    """The Dispatcher's FSM storage; a test module overrides this fixture for another
    (JSON round trips as in Redis, a recording one)."""
    return MemoryStorage()


@pytest.fixture
def dp(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    db: AsyncSession,
    fake_api: FakeBotAPI,
    storage: BaseStorage,
) -> Dispatcher:
    fake_api.reset()
    return create_dispatcher(settings, sessionmaker, clock=clock, storage=storage, i18n=i18n)


@pytest.fixture
def person(dp: Dispatcher, bot: Bot, fake_api: FakeBotAPI) -> PersonFactory:
    counter = iter(range(1, 10_000))

    def make(first_name: str = "Тест", user_id: int | None = None, **kw: Any) -> Person:
        return Person(dp, bot, fake_api, user_id or 500_000_000 + next(counter), first_name, **kw)

    return make


@pytest.fixture
def in_locale(i18n: I18n) -> Iterator[None]:
    """Tests that call t() directly run inside the Russian locale."""
    token = I18n.set_current(i18n)
    yield
    I18n.reset_current(token)


@pytest.fixture
def deliver(
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: FixedClock,
    settings: Settings,
) -> Deliver:
    """Send the outbox rows due at the test clock's now, through the fake Bot API."""
    from scheduler.delivery import deliver_due

    async def run() -> int:
        return await deliver_due(sessionmaker, bot, i18n, clock, admin_ids=settings.admin_ids)

    return run
