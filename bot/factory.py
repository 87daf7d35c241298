"""Building the Bot and the Dispatcher. No globals: the CLI, the tests and the
benchmarks all build the very same objects through these functions."""

from __future__ import annotations

import datetime as dt

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.utils.i18n import ConstI18nMiddleware, I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import outgoing
from bot.config import Settings
from bot.i18n import DEFAULT_LOCALE, create_i18n
from bot.inline_filters import run_sync_filters_inline
from bot.middlewares import errors
from bot.middlewares.actor import ActorMiddleware
from bot.middlewares.clean_text import CleanText
from bot.middlewares.consent_renewal import ConsentRenewalMiddleware
from bot.middlewares.db import DbSessionMiddleware
from bot.middlewares.forget_erased import ForgetErasedMiddleware
from bot.middlewares.private_only import PrivateChatsOnly
from bot.middlewares.throttling import ThrottlingMiddleware
from bot.outgoing.json_session import JsonSession
from bot.outgoing.retry import Sleep
from bot.ui import dialogs_setup
from handlers import get_routers
from services.clock import Clock, SystemClock


def create_bot(settings: Settings, *, sleep: Sleep | None = None) -> Bot:
    """``sleep`` is what a reply waiting out flood control sleeps with (tests pass a
    fake that moves a fake clock)."""
    session = (
        JsonSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        if settings.telegram_api_base
        else JsonSession()
    )
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )
    outgoing.install(bot, max_wait=settings.reply_retry_max_wait, sleep=sleep)
    return bot


def create_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Memory by default; Redis (shared by webhook workers) when REDIS_URL is set,
    with one update per chat at a time across all workers."""
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage

        # A form left half-way must not keep its answers forever.
        ttl = dt.timedelta(days=settings.fsm_ttl_days)
        storage = RedisStorage.from_url(
            settings.redis_url,
            key_builder=DefaultKeyBuilder(with_destiny=True),
            state_ttl=ttl,
            data_ttl=ttl,
        )
        return storage, storage.create_isolation()
    return MemoryStorage(), SimpleEventIsolation()


def create_dispatcher(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    clock: Clock | None = None,
    storage: BaseStorage | None = None,
    i18n: I18n | None = None,
) -> Dispatcher:
    i18n = i18n or create_i18n()
    if storage is None:
        storage, isolation = create_storage(settings)
    else:
        isolation = SimpleEventIsolation()
    dp = Dispatcher(
        storage=storage,
        events_isolation=isolation,
        settings=settings,
        clock=clock or SystemClock(),
        i18n=i18n,
    )
    # On the update itself, first, so every later middleware and the error handlers
    # can speak Russian too.
    i18n_middleware = ConstI18nMiddleware(locale=DEFAULT_LOCALE, i18n=i18n)
    dp.update.outer_middleware(i18n_middleware)
    dp.errors.outer_middleware(i18n_middleware)  # errors are handled outside the update's
    # Private chats with people only: before throttling and before any database work.
    dp.update.outer_middleware(PrivateChatsOnly())
    dp.update.outer_middleware(
        ThrottlingMiddleware(settings.throttle_rate, settings.throttle_burst)
    )
    dp.update.outer_middleware(DbSessionMiddleware(sessionmaker))
    dp.update.outer_middleware(ActorMiddleware(settings.admin_ids))
    dp.update.outer_middleware(ForgetErasedMiddleware(storage))
    dp.message.outer_middleware(CleanText())
    dp.message.outer_middleware(ConsentRenewalMiddleware())
    dp.include_router(errors.create_router())
    for router in get_routers():
        dp.include_router(router)
    dialogs_setup.setup(dp)  # aiogram-dialog (date pickers and the club's forms)
    run_sync_filters_inline(dp)  # not a thread hop per magic filter per update
    return dp
