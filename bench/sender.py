"""Benchmark: the outbox sender's achieved rate against its configured limit.

Queues `--count` messages to `--chats` chats (chat after chat, five to a chat by
default) in a PostgreSQL database of its own, all due now, and lets the scheduler's
dispatch tick send them through the fake Bot API enforcing Telegram's limits (30/s
overall, one message per second per chat, answering 429 beyond them). The rate is the
number of rows sent over the wall time of the whole dispatch (claims, rendering,
bookkeeping and pacing included). Then it counts the 429 answers, the rows lost (not
SENT, or SENT but never delivered) and the duplicates (a row delivered more than once).
The last line printed is the headline:

    sender: 24.9/s = 0.99 of 25/s at 60 ms; 429s 0, lost 0, duplicates 0

Run: ``uv run python -m bench.sender [--count 2500] [--rate 25] [--latency-ms 60]``;
``--latency-ms`` makes the fake answer every call that much later (a real round trip).
The issue's full run is ``--count 10000`` (about 7 minutes at 25/s).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import logging
import os
import time
from collections import Counter

import asyncpg
from pydantic import SecretStr
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.factory import create_bot
from bot.i18n import create_i18n
from bot.migrate import upgrade_async
from bot.ui.notices import Notice
from models import Outbox, OutboxStatus, Participant, ParticipantStatus
from models.db import create_engine, create_sessionmaker
from scheduler.app import dispatch_tick
from scheduler.leader import AdvisoryLockLeader
from scheduler.sender import Sender
from services.clock import FixedClock
from tests.fakes.bot_api import TOKEN, FakeBotAPI

DEFAULT_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DB_NAME = f"nastavnik_bench_sender_{os.getpid()}"
NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
KIND = "bench.note"
FIRST_CHAT = 800_000_000


async def render_note(session: AsyncSession, row: Outbox) -> Notice | None:
    return Notice(f"Напоминание {row.id}")


async def _admin(url: str) -> asyncpg.Connection:
    u = make_url(url)
    return await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port or 5432, database=u.database
    )


async def fresh_database(admin_url: str, name: str) -> str:
    conn = await _admin(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    await upgrade_async(url)
    return url


async def drop_database(admin_url: str, name: str) -> None:
    conn = await _admin(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def run(
    count: int, chats: int, rate: float, fake_limit: int, per_chat: float, latency_ms: float
) -> str:
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    url = await fresh_database(admin_url, DB_NAME)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    api = FakeBotAPI(global_limit=fake_limit, per_chat_interval=per_chat, latency=latency_ms / 1000)
    await api.start()
    settings = Settings(
        _env_file=None,
        bot_token=SecretStr(TOKEN),
        database_url=url,
        telegram_api_base=api.base_url,
    )
    bot = create_bot(settings)
    try:
        async with engine.begin() as conn:
            ids = await conn.scalars(
                insert(Participant).returning(Participant.id),
                [
                    {"telegram_id": FIRST_CHAT + i, "status": ParticipantStatus.ACTIVE}
                    for i in range(chats)
                ],
            )
            people = list(ids)
            per_chat_rows = -(-count // chats)
            rows = [
                {
                    "recipient_id": people[n // per_chat_rows],
                    "kind": KIND,
                    "payload": {},
                    "due_at": NOW,
                    "status": OutboxStatus.PENDING,
                    "attempts": 0,
                    "dedupe_key": f"bench:{n}",
                    "created_at": NOW,
                }
                for n in range(count)
            ]
            await conn.execute(insert(Outbox), rows)
        async with engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE outbox")

        sender = Sender(
            sessionmaker,
            bot,
            create_i18n(),
            FixedClock(NOW),
            rate=rate,
            per_chat_interval=per_chat,
            in_flight=settings.send_in_flight,
            renderer_table={KIND: render_note},
        )
        leader = AdvisoryLockLeader(engine)
        print(f"sending {count} messages to {chats} chats at {rate:g}/s ...", flush=True)
        started = time.perf_counter()
        sent = await dispatch_tick(leader, sender)
        elapsed = time.perf_counter() - started
        await leader.release()

        async with sessionmaker() as session:
            by_status = await session.execute(
                select(Outbox.status, func.count()).group_by(Outbox.status)
            )
            states = dict(by_status.all())
            sent_ids = set(
                await session.scalars(select(Outbox.id).where(Outbox.status == OutboxStatus.SENT))
            )
        delivered = Counter(int(m.text.split()[1]) for m in api.messages.values())
        lost = count - len(sent_ids & set(delivered))
        duplicates = sum(n - 1 for n in delivered.values())
        calls = [c.at for c in api.calls_of("sendMessage")]
        achieved = sent / elapsed
        print(f"rows by status: {', '.join(f'{k.value} {v}' for k, v in states.items())}")
        print(f"sent {sent} in {elapsed:.1f} s; sendMessage calls {len(calls)}")
        if len(calls) > 1:
            span = max(calls) - min(calls)
            print(f"first to last call at the fake: {span:.1f} s = {(len(calls) - 1) / span:.2f}/s")
        return (
            f"sender: {achieved:.1f}/s = {achieved / rate:.2f} of {rate:g}/s"
            f" at {latency_ms:g} ms; "
            f"429s {api.too_many}, lost {lost}, duplicates {duplicates}"
        )
    finally:
        await bot.session.close()
        await api.stop()
        await engine.dispose()
        await drop_database(admin_url, DB_NAME)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2500, help="messages queued (issue: 10000)")
    parser.add_argument("--chats", type=int, default=0, help="chats (default: count / 5)")
    parser.add_argument("--rate", type=float, default=25.0, help="the sender's limit, per s")
    parser.add_argument("--fake-limit", type=int, default=30, help="the fake's limit, per s")
    parser.add_argument("--per-chat", type=float, default=1.0, help="seconds between two")
    parser.add_argument(
        "--latency-ms", type=float, default=0, help="the fake's round trip (Telegram: 20-60 ms)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    chats = args.chats or max(1, args.count // 5)
    print(
        asyncio.run(
            run(args.count, chats, args.rate, args.fake_limit, args.per_chat, args.latency_ms)
        )
    )


if __name__ == "__main__":
    main()
