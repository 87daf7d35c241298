"""Outbox rows of a test-only kind whose text carries the row id (so the fake's log
tells which row each message came from), the recipients for them, and a sender that
renders that kind."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.notices import Notice
from models import Outbox, Participant, ParticipantStatus
from scheduler.sender import Sender
from services.clock import FixedClock
from tests.arrange.constants import NOW
from tests.fakes.bot_api import FakeBotAPI

KIND = "test.note"
_chat_ids = itertools.count(610_000_000)


async def render_note(session: AsyncSession, row: Outbox) -> Notice | None:
    return Notice(f"note {row.id}")


RENDERERS = {KIND: render_note}


def sender(
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: FixedClock,
    **kw: Any,
) -> Sender:
    kw.setdefault("transient_pause", 0)
    return Sender(sessionmaker, bot, i18n, clock, renderer_table=RENDERERS, **kw)


async def recipients(db: AsyncSession, n: int) -> list[Participant]:
    found = [
        Participant(telegram_id=next(_chat_ids), status=ParticipantStatus.ACTIVE) for _ in range(n)
    ]
    db.add_all(found)
    await db.commit()
    return found


async def queue(db: AsyncSession, to: list[Participant], *, due: dt.datetime = NOW) -> list[int]:
    rows = [
        Outbox(
            recipient_id=p.id,
            kind=KIND,
            payload={},
            due_at=due,
            dedupe_key=f"test:{uuid.uuid4().hex}",
            created_at=NOW,
        )
        for p in to
    ]
    db.add_all(rows)
    await db.commit()
    return [r.id for r in rows]


def delivered(api: FakeBotAPI) -> Counter[int]:
    """Messages the fake accepted, per outbox row."""
    return Counter(
        int(m.text.split()[1]) for m in api.messages.values() if m.text.startswith("note ")
    )


async def eventually(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Wait (polling) until the condition holds, at most `within` seconds: for a
    scheduler running in the background, not for time in the bot (that is injected)."""
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.005)
