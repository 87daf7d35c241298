"""Webhook mode: only Telegram, which knows the secret, may post updates. A forged
update "from" an admin is refused before anything runs, and the path is not the token."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot
from aiogram.utils.i18n import I18n
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.factory import create_dispatcher
from bot.runner import build_webhook_app
from bot.ui.callbacks import InviteScopeCb
from models import Invite, Role
from services.clock import FixedClock
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.fakes.bot_api import TOKEN, FakeBotAPI

SECRET = "Zq8_wV3-nT6yH1bK9mC4xR7pL2sD5fG0"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _forged_invite_update(municipality_id: int) -> dict[str, Any]:
    """A press of «create a coordinator invite» as if by the admin (ids are public)."""
    user = {"id": ADMIN_ID, "is_bot": False, "first_name": "Админ"}
    data = InviteScopeCb(role=Role.COORDINATOR, municipality_id=municipality_id).pack()
    return {
        "update_id": 77,
        "callback_query": {
            "id": "cb-77",
            "from": user,
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 5,
                "date": 0,
                "chat": {"id": ADMIN_ID, "type": "private"},
                "from": {"id": 1, "is_bot": True, "first_name": "bot"},
                "text": "Выберите",
            },
        },
    }


async def _invites(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(Invite)) or 0


async def test_webhook_refuses_updates_without_the_secret_and_creates_nothing(
    db: AsyncSession,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
    fake_api: FakeBotAPI,
) -> None:
    fake_api.reset()
    mun, _ = await arrange.municipality_with_schools(db)
    settings = Settings(
        **{
            **settings.model_dump(),
            "webhook_url": "https://bot.example.ru",
            "webhook_secret": SecretStr(SECRET),
        },
        _env_file=None,
    )
    dp = create_dispatcher(settings, sessionmaker, clock=clock, i18n=i18n)
    app = build_webhook_app(bot, dp, settings)
    update = _forged_invite_update(mun.id)
    route = settings.webhook_route
    async with TestClient(TestServer(app)) as client:
        for headers in ({}, {HEADER: ""}, {HEADER: "nope"}, {HEADER: SECRET[:-1]}):
            refused = await client.post(route, json=update, headers=headers)
            assert refused.status == 401, headers
        # The old guessable paths and the token lead nowhere.
        for path in ("/telegram/webhook", f"/{TOKEN}", f"/telegram/{TOKEN}", "/"):
            assert (await client.post(path, json=update, headers={HEADER: SECRET})).status in (
                404,
                405,
            )
        await asyncio.sleep(0.1)  # a background handler, had one been started, would run now
        assert await _invites(db) == 0
        assert fake_api.chat(ADMIN_ID) == []

        # Telegram itself (with the secret) gets through: the check above could fail.
        ok = await client.post(route, json=update, headers={HEADER: SECRET})
        assert ok.status == 200
        for _ in range(100):
            if await _invites(db):
                break
            await asyncio.sleep(0.02)
    assert await _invites(db) == 1
    assert TOKEN not in route and TOKEN.split(":")[0] not in route


async def test_webhook_app_is_not_built_without_a_secret(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FixedClock,
    i18n: I18n,
    bot: Bot,
) -> None:
    dp = create_dispatcher(settings, sessionmaker, clock=clock, i18n=i18n)
    # Settings refuse this combination; a copy made without validation must still fail.
    unsafe = settings.model_copy(update={"webhook_url": "https://bot.example.ru"})
    with pytest.raises(RuntimeError, match="WEBHOOK_SECRET"):
        build_webhook_app(bot, dp, unsafe)
