"""A connection PostgreSQL dropped (a restart, an idle timeout) costs nobody an update.

The pool does not ping before each checkout (models.db): the dropped connection is found
by the update's first query, the pool lets go of every connection as old as it, and the
query runs again on a fresh one. The person sees the usual answer."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.factory import create_dispatcher
from models import Role
from models.db import create_engine, create_sessionmaker
from services.clock import FixedClock
from tests import arrange, pg
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Person


async def test_a_dropped_connection_is_replaced_within_the_update(
    db: AsyncSession,
    admin_url: str,
    settings: Settings,
    bot: Bot,
    fake_api: FakeBotAPI,
    clock: FixedClock,
    i18n: I18n,
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 5201, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    # An engine of its own, so the connections dropped below are only this bot's.
    engine = create_engine(settings.database_url)
    try:
        dp = create_dispatcher(
            settings, create_sessionmaker(engine), clock=clock, storage=MemoryStorage(), i18n=i18n
        )
        olga = Person(dp, bot, fake_api, 5201, "Ольга")
        assert "/pending" in (await olga.send("/help")).text

        async with engine.connect() as conn:  # the pool's one connection, back in the pool
            pid = await conn.scalar(text("SELECT pg_backend_pid()"))
        admin = await pg.connect(admin_url)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()

        reply = await olga.send("/help")
        assert "/pending" in reply.text, reply.text
        assert "пошло не так" not in reply.text
        assert "/pending" in (await olga.send("/help")).text
    finally:
        await engine.dispose()
