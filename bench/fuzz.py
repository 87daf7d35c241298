"""The long random walk: 10,000 updates from every role (tests/fuzz/walk.py) on
PostgreSQL through the fake Bot API, counting unhandled errors and people left stuck.

The last line is the headline, e.g.

    fuzz: 10000 updates (3512 presses, 1070 forged, 1688 texts), 0 failures; 41/s

Run: ``uv run python -m bench.fuzz [--steps 10000] [--seed N]``; it exits 1 on a failure
and prints the first ones.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import time
from contextlib import AsyncExitStack

from aiogram.fsm.storage.memory import MemoryStorage
from pydantic import SecretStr

from bench.registration import migrated_database
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from scheduler.delivery import deliver_due
from services.clock import FixedClock
from tests import arrange
from tests.fakes.bot_api import TOKEN, FakeBotAPI
from tests.fakes.client import Person
from tests.fuzz.walk import Walker, WalkReport
from tests.fuzz.world import ADMIN, populate


async def main(steps: int, seed: int) -> tuple[WalkReport, float]:
    async with AsyncExitStack() as cleanup:
        url, _, sessionmaker = await migrated_database(cleanup, "nastavnik_fuzz")
        api = FakeBotAPI()
        await api.start()
        cleanup.push_async_callback(api.stop)
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(TOKEN),
            telegram_api_base=api.base_url,
            database_url=url,
            admin_ids=[ADMIN],
            throttle_rate=0,
        )
        bot = create_bot(settings)
        cleanup.push_async_callback(bot.session.close)
        clock = FixedClock(arrange.NOW)
        i18n = create_i18n()
        dp = create_dispatcher(
            settings, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n
        )

        async def deliver() -> int:
            return await deliver_due(sessionmaker, bot, i18n, clock, admin_ids=[ADMIN])

        async with sessionmaker() as db:
            people = await populate(db, lambda who, uid: Person(dp, bot, api, uid, who))
        started = time.perf_counter()
        report = await Walker(people, random.Random(seed), clock, deliver).run(steps)
        return report, time.perf_counter() - started


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # the walk reads bot.errors itself
    report, wall = asyncio.run(main(args.steps, args.seed))
    for failure in report.failures[:20]:
        print(f"step {failure.step}, {failure.who}, {failure.action}: {failure.what}")
    print(
        f"fuzz: {report.steps} updates ({report.presses} presses, {report.forged} forged, "
        f"{report.texts} texts), {len(report.failures)} failures; {report.steps / wall:.0f}/s",
        flush=True,
    )
    sys.exit(1 if report.failures else 0)
