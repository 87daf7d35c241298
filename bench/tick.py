"""Benchmark: the scheduler's dispatch tick with 100,000 pending rows in PostgreSQL.

One tick is what APScheduler runs every two seconds: renew leadership (the advisory
lock), claim the due rows, send them through the fake Bot API (no limits), record them,
and claim again to find nothing more. The outbox holds `--due` rows due now (reset to
pending before every tick, outside the timing) and, in the loaded case, `--pending`
rows due later (over the next 30 days, as reminders are). The baseline is the same tick
measured in the same run on an outbox with only the due rows. Medians of `--repeat`
ticks, the two outboxes (two databases) taking turns so that the machine's changing
load weighs on both alike. Also timed: the claim query alone, when nothing is due. The
last line printed is the headline:

    tick: 14.8 ms with 100000 pending rows; 1.03 of an empty-table tick (14.4 ms)

Run: ``uv run python -m bench.tick [--pending 100000] [--due 5] [--repeat 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import statistics
import time
from dataclasses import dataclass

from aiogram import Bot
from pydantic import SecretStr
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.sender import (
    DEFAULT_ADMIN_URL,
    KIND,
    NOW,
    drop_database,
    fresh_database,
    render_note,
)
from bot.config import Settings
from bot.factory import create_bot
from bot.i18n import create_i18n
from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from models.db import create_engine, create_sessionmaker
from scheduler.app import dispatch_tick
from scheduler.leader import AdvisoryLockLeader
from scheduler.sender import Sender
from services import outbox_claims
from services.clock import FixedClock
from tests.fakes.bot_api import TOKEN, FakeBotAPI

DB_NAME = f"nastavnik_bench_tick_{os.getpid()}"
CHATS = 2000


async def _rows(engine: AsyncEngine, people: list[int], count: int, *, later: bool) -> list[int]:
    ids: list[int] = []
    chunk = 10_000
    for start in range(0, count, chunk):
        rows = [
            {
                "recipient_id": people[n % len(people)],
                "kind": KIND,
                "payload": {},
                "due_at": NOW + dt.timedelta(minutes=1 + n % 43_200) if later else NOW,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "dedupe_key": f"{'later' if later else 'due'}:{n}",
                "created_at": NOW,
            }
            for n in range(start, min(count, start + chunk))
        ]
        async with engine.begin() as conn:
            ids += list(await conn.scalars(insert(Outbox).returning(Outbox.id), rows))
    async with engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE outbox")
    return ids


@dataclass
class Outboxes:
    """One database with its sender and leader, as one bot process would have them."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    sender: Sender
    leader: AdvisoryLockLeader
    due_ids: list[int]

    async def rearm(self) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                update(Outbox)
                .where(Outbox.id.in_(self.due_ids))
                .values(status=OutboxStatus.PENDING, sent_at=None, attempts=0)
            )

    async def tick(self) -> float:
        await self.rearm()
        started = time.perf_counter()
        sent = await dispatch_tick(self.leader, self.sender)
        elapsed = (time.perf_counter() - started) * 1000
        assert sent == len(self.due_ids), sent
        return elapsed

    async def idle_claim(self) -> float:
        started = time.perf_counter()
        async with self.sessionmaker() as session:
            claimed = await outbox_claims.claim_due(
                session, now=NOW, holder="bench", lease=dt.timedelta(minutes=2), limit=50
            )
        elapsed = (time.perf_counter() - started) * 1000
        assert claimed == []
        return elapsed


async def outboxes(url: str, bot: Bot, due: int, pending: int) -> Outboxes:
    engine = create_engine(url)
    async with engine.begin() as conn:
        people = list(
            await conn.scalars(
                insert(Participant).returning(Participant.id),
                [
                    {"telegram_id": 900_000_000 + i, "status": ParticipantStatus.ACTIVE}
                    for i in range(CHATS)
                ],
            )
        )
    due_ids = await _rows(engine, people, due, later=False)
    if pending:
        await _rows(engine, people, pending, later=True)
    sessionmaker = create_sessionmaker(engine)
    sender = Sender(
        sessionmaker,
        bot,
        create_i18n(),
        FixedClock(NOW),
        rate=None,
        per_chat_interval=0,
        renderer_table={KIND: render_note},
    )
    return Outboxes(engine, sessionmaker, sender, AdvisoryLockLeader(engine), due_ids)


async def run(pending: int, due: int, repeat: int) -> str:
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    names = {"empty": f"{DB_NAME}_empty", "loaded": f"{DB_NAME}_loaded"}
    api = FakeBotAPI()
    await api.start()
    bot = create_bot(
        Settings(_env_file=None, bot_token=SecretStr(TOKEN), telegram_api_base=api.base_url)
    )
    made: list[Outboxes] = []
    try:
        print(f"queueing {pending} rows due later (and {due} due now) ...", flush=True)
        empty = await outboxes(await fresh_database(admin_url, names["empty"]), bot, due, 0)
        made.append(empty)
        loaded = await outboxes(await fresh_database(admin_url, names["loaded"]), bot, due, pending)
        made.append(loaded)
        for box in made:  # warm up: connections, prepared statements, aiogram models
            await box.tick()
            await box.tick()
        # Alternate the two, so the machine's load drifting affects both alike.
        ticks: dict[str, list[float]] = {"empty": [], "loaded": []}
        claims: dict[str, list[float]] = {"empty": [], "loaded": []}
        for _ in range(repeat):
            for name, box in (("empty", empty), ("loaded", loaded)):
                ticks[name].append(await box.tick())
                claims[name].append(await box.idle_claim())
        tick = {k: statistics.median(v) for k, v in ticks.items()}
        claim = {k: statistics.median(v) for k, v in claims.items()}
        print(
            f"empty outbox ({due} due): tick {tick['empty']:.1f} ms, idle claim "
            f"{claim['empty']:.2f} ms"
        )
        print(
            f"{pending} pending rows (+{due} due): tick {tick['loaded']:.1f} ms, idle claim "
            f"{claim['loaded']:.2f} ms"
        )
        async with loaded.engine.connect() as conn:
            for what, sql in (
                ("due rows", "status = 'pending' AND due_at <= '2026-11-23 09:00+00'"),
                ("busy chats", "status = 'pending' AND claimed_until > '2026-11-23 09:00+00'"),
            ):
                plan = await conn.exec_driver_sql(f"EXPLAIN SELECT id FROM outbox WHERE {sql}")
                scans = [line.strip(" ->") for line in plan.scalars() if "Scan" in line]
                print(f"{what} found by: {'; '.join(scans)}")
        return (
            f"tick: {tick['loaded']:.1f} ms with {pending} pending rows; "
            f"{tick['loaded'] / tick['empty']:.2f} of an empty-table tick ({tick['empty']:.1f} ms)"
        )
    finally:
        for box in made:
            await box.leader.release()
            await box.engine.dispose()
        await bot.session.close()
        await api.stop()
        for name in names.values():
            await drop_database(admin_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pending", type=int, default=100_000, help="rows due later")
    parser.add_argument("--due", type=int, default=5, help="rows due now, sent by each tick")
    parser.add_argument("--repeat", type=int, default=30, help="ticks measured (median)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(asyncio.run(run(args.pending, args.due, args.repeat)))


if __name__ == "__main__":
    main()
