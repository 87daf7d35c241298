"""FSM data survives Redis (JSON), and webhook mode checks Telegram's secret token."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest
from aiogram import Bot
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.utils.i18n import I18n
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.runner import build_webhook_app
from models import Role
from services.clock import FixedClock
from tests import arrange
from tests.e2e.flows import answer_mentee_questionnaire
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Person

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def test_registration_with_redis_fsm_storage(
    db: AsyncSession,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    storage = RedisStorage.from_url(
        REDIS_URL,
        # As in production (bot.factory): aiogram-dialog keeps its stacks under destinies.
        key_builder=DefaultKeyBuilder(prefix=f"test-{uuid.uuid4().hex}", with_destiny=True),
    )
    try:
        await storage.redis.ping()
    except Exception:
        await storage.close()
        pytest.skip("Redis is not running")
    fake_api.reset()
    dp = create_dispatcher(settings, sessionmaker, clock=clock, storage=storage, i18n=i18n)
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = Person(dp, bot, fake_api, 600_000_001, "Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await answer_mentee_questionnaire(maria)
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text
    await storage.close()


async def test_webhook_accepts_only_the_secret_token(
    db: AsyncSession,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    fake_api.reset()
    dp = create_dispatcher(settings, sessionmaker, clock=clock, i18n=i18n)
    secret = "s3cret_" + "x" * 32
    settings = settings.model_copy(update={"webhook_secret": SecretStr(secret)})
    app = build_webhook_app(bot, dp, settings)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 700_000_001, "type": "private"},
            "from": {"id": 700_000_001, "is_bot": False, "first_name": "Мария"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    async with TestClient(TestServer(app)) as client:
        wrong = await client.post(
            settings.webhook_route, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        )
        assert wrong.status == 401
        assert fake_api.chat(700_000_001) == []
        ok = await client.post(
            settings.webhook_route, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
        )
        assert ok.status == 200
        # The handler answers in the background; wait for it as Telegram would.
        for _ in range(100):
            if fake_api.chat(700_000_001):
                break
            await asyncio.sleep(0.02)
    assert "Согласие на обработку" in fake_api.chat(700_000_001)[-1].text
