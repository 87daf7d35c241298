"""Running the bot: polling by default, a webhook server when WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import heap
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from bot.migrate import current_revision, head_revision
from bot.panel.app import Panel, add_panel, build_panel_app
from bot.ui import commands
from models.db import create_engine, create_sessionmaker
from scheduler.app import Scheduler

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    pass


class PanelPortBusy(RuntimeError):
    """The panel's port cannot be listened on (polling mode): said in one line."""


async def check_schema(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        current = await current_revision(engine)
    finally:
        await engine.dispose()
    head = head_revision()
    if current != head:
        raise SchemaOutdated(
            f"База данных не обновлена (версия схемы {current or 'нет'}, нужна {head}). "
            "Выполните: python -m bot migrate"
        )


async def run(settings: Settings) -> None:
    await check_schema(settings)
    engine = create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    sessionmaker = create_sessionmaker(engine)
    i18n = create_i18n()
    bot = create_bot(settings)
    dp = create_dispatcher(settings, sessionmaker, i18n=i18n)
    # Every process ticks; only the elected leader sends (see scheduler/leader.py).
    scheduler = Scheduler(
        engine=engine, sessionmaker=sessionmaker, bot=bot, i18n=i18n, settings=settings
    )
    heap.settle()
    try:
        scheduler.start()
        with i18n.context():
            await commands.set_default(bot)
        if settings.webhook_url:
            await _run_webhook(bot, dp, settings, sessionmaker)
        else:
            panel = await _start_panel(dp, settings, sessionmaker)
            try:
                log.info("polling started")
                await bot.delete_webhook(drop_pending_updates=False)
                await dp.start_polling(bot, handle_signals=True)
            finally:
                if panel is not None:
                    await panel.cleanup()
    finally:
        await scheduler.shutdown()
        await bot.session.close()
        await engine.dispose()


def _secret(settings: Settings) -> str:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        # Settings refuse this already; never serve updates unauthenticated regardless.
        raise RuntimeError("webhook mode needs WEBHOOK_SECRET")
    return secret


def panel_of(
    dp: Dispatcher, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> Panel:
    """The panel with the Dispatcher's clock and texts (tests inject theirs there)."""
    return Panel(settings, sessionmaker, dp["clock"], dp["i18n"])


def build_webhook_app(
    bot: Bot,
    dp: Dispatcher,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession] | None = None,
) -> web.Application:
    """The aiohttp app that receives updates; Telegram's secret token is checked. With
    WEBAPP_URL set (and a database to read), the panel is served by it too (/panel/)."""
    app = web.Application()
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=_secret(settings)).register(
        app, path=settings.webhook_route
    )
    setup_application(app, dp, bot=bot)
    if settings.webapp_url and sessionmaker is not None:
        add_panel(app, panel_of(dp, settings, sessionmaker))
    return app


async def _start_panel(
    dp: Dispatcher, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> web.AppRunner | None:
    """Polling mode: the panel on WEBAPP_PORT of its own, when WEBAPP_URL is set."""
    if not settings.webapp_url:
        return None
    runner = web.AppRunner(build_panel_app(panel_of(dp, settings, sessionmaker)))
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webapp_port).start()
    except OSError as exc:
        await runner.cleanup()
        raise PanelPortBusy(
            f"Ошибка настройки: WEBAPP_PORT: панель не может слушать порт "
            f"{settings.webapp_port} ({exc.strerror or type(exc).__name__}); "
            "укажите свободный порт"
        ) from None
    log.info("panel listening on port %s", settings.webapp_port)
    return runner


async def _run_webhook(
    bot: Bot, dp: Dispatcher, settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    assert settings.webhook_url is not None
    await bot.set_webhook(
        settings.webhook_url.rstrip("/") + settings.webhook_route,
        secret_token=_secret(settings),
        allowed_updates=dp.resolve_used_update_types(),
    )
    runner = web.AppRunner(build_webhook_app(bot, dp, settings, sessionmaker))
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info("webhook server listening on port %s", settings.webhook_port)
    # SIGTERM (docker stop, a scale-down) ends the wait, so that the scheduler finishes
    # the messages in flight and gives up leadership, as polling mode does.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
        log.info("webhook server stopping")
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
        await runner.cleanup()
