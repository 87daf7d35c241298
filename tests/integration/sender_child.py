"""A sender process for tests/integration/test_sender.py to kill -9 mid-batch: sends
the due rows of the test kind (text "note <row id>") as fast as `in_flight` allows.

Run: python -m tests.integration.sender_child IN_FLIGHT, with DATABASE_URL and
TELEGRAM_API_BASE in the environment."""

from __future__ import annotations

import asyncio
import os
import sys

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.factory import create_bot
from bot.i18n import create_i18n
from bot.ui.notices import Notice
from models import Outbox
from models.db import create_engine, create_sessionmaker
from scheduler.sender import Sender
from services.clock import FixedClock
from tests.arrange import NOW
from tests.fakes.bot_api import TOKEN

KIND = "test.note"


async def render_note(session: AsyncSession, row: Outbox) -> Notice | None:
    return Notice(f"note {row.id}")


async def main(in_flight: int) -> None:
    settings = Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        database_url=os.environ["DATABASE_URL"],
        telegram_api_base=os.environ["TELEGRAM_API_BASE"],
    )
    engine = create_engine(settings.database_url)
    bot = create_bot(settings)
    sender = Sender(
        create_sessionmaker(engine),
        bot,
        create_i18n(),
        FixedClock(NOW),
        rate=None,
        per_chat_interval=0,
        in_flight=in_flight,
        renderer_table={KIND: render_note},
    )
    print("sending", flush=True)
    await sender.run_once()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1])))
