"""«📊 Панель» in the chat: with WEBAPP_URL set, staff get it under the digest (/digest
and the weekly one from the outbox) and as the chat's menu button; a role granted sets
it, a role taken away resets it; a teacher never gets it. Without WEBAPP_URL nothing
changes: no button, no menu button call."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.ui import commands
from scheduler.delivery import deliver_due
from services.access import Actor
from services.clock import FixedClock
from services.digest import planning
from tests.arrange import digest as w
from tests.fakes.bot_api import BotMessage, FakeBotAPI
from tests.fakes.client import Person, PersonFactory

URL = "https://bot.example.ru/panel/"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webapp_url": URL})


def _web_apps(message: BotMessage) -> list[str]:
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [b["web_app"]["url"] for row in rows for b in row if "web_app" in b]


def _menus(api: FakeBotAPI, chat_id: int) -> list[dict[str, Any]]:
    return [
        c.params["menu_button"]
        for c in api.calls_of("setChatMenuButton")
        if str(c.params.get("chat_id")) == str(chat_id)
    ]


async def test_digest_command_has_the_panel_button_and_sets_the_menu(
    db: AsyncSession, person: PersonFactory, fake_api: FakeBotAPI
) -> None:
    await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)
    reply = await curator.send("/digest")
    text = next(m for m in reply.messages if m.kind == "text")
    assert _web_apps(text) == [URL]
    assert text.buttons[-1][0] == "📊 Панель"
    assert _menus(fake_api, w.CURATOR_A) == [
        {"type": "web_app", "text": "📊 Панель", "web_app": {"url": URL}}
    ]
    # A teacher is refused the digest and gets no panel anywhere.
    mentee = person("Мария", user_id=w.IVANOVA)
    refused = await mentee.send("/digest")
    assert all(_web_apps(m) == [] for m in refused.messages)
    assert _menus(fake_api, w.IVANOVA) == []


async def test_a_regional_coordinators_digest_has_the_panel_button(
    db: AsyncSession, person: PersonFactory, fake_api: FakeBotAPI
) -> None:
    """The panel opens on the region for them (tests/e2e/test_panel_api.py)."""
    world = await w.world(db)
    await w.region(db, world)
    regional = person("Вера", user_id=w.REGIONAL)
    reply = await regional.send("/digest")
    text = next(m for m in reply.messages if m.kind == "text")
    assert "Сводка по региону" in text.text
    assert _web_apps(text) == [URL]
    assert _menus(fake_api, w.REGIONAL)[-1]["type"] == "web_app"


async def test_the_weekly_digest_from_the_outbox_has_the_button_and_sets_the_menu(
    db: AsyncSession,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    fake_api: FakeBotAPI,
    dp: Dispatcher,  # a fresh fake Bot API
) -> None:
    await w.world(db)
    clock.at = w.at(23, hour=5).replace(minute=30)
    assert await planning.plan(db, clock.at) == 3
    sent = await deliver_due(sessionmaker, bot, i18n, clock, panel_url=URL)
    assert sent == 3
    for chat in (w.CURATOR_A, w.CURATOR_B, w.COORDINATOR):
        texts = [m for m in fake_api.chat(chat) if m.kind == "text"]
        assert [_web_apps(m) for m in texts] == [[URL]], chat
        assert _menus(fake_api, chat)[-1]["type"] == "web_app"


async def test_a_role_sets_the_menu_button_and_losing_it_resets_it(
    bot: Bot, fake_api: FakeBotAPI, i18n: I18n
) -> None:
    fake_api.reset()
    with i18n.context():
        staff = Actor(telegram_id=42, participant_id=1, curator_school_ids=frozenset({1}))
        await commands.sync(bot, 42, staff, URL)
        teacher = Actor(telegram_id=42, participant_id=1)
        await commands.sync(bot, 42, teacher, URL)
        await commands.sync(bot, 42, teacher)  # no panel configured: not touched
    assert [m["type"] for m in _menus(fake_api, 42)] == ["web_app", "default"]


async def test_without_webapp_url_nothing_changes(
    db: AsyncSession,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    await w.world(db)
    plain = settings.model_copy(update={"webapp_url": None})
    dp = create_dispatcher(plain, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n)
    fake_api.reset()
    curator = Person(dp, bot, fake_api, w.CURATOR_A, "Анна")
    reply = await curator.send("/digest")
    assert any(m.kind == "text" for m in reply.messages)
    assert all(_web_apps(m) == [] for m in reply.messages)
    clock.at = w.at(23, hour=5).replace(minute=30)
    await planning.plan(db, clock.at)
    assert await deliver_due(sessionmaker, bot, i18n, clock) == 3
    assert all(_web_apps(m) == [] for m in fake_api.chat(w.COORDINATOR))
    assert fake_api.calls_of("setChatMenuButton") == []
