"""Benchmark: the invite registration flow on PostgreSQL against a bare aiogram echo bot.

Both bots run in the same process and the same run, talk to the same fake Bot API over
HTTP, and are fed the same kind of Update objects through ``Dispatcher.feed_update``
with the same concurrency. Each ``feed_update`` call is timed; throughput is the number
of updates over the wall time of the batches. The people go in ``--rounds`` batches (5),
the echo's and the registration's in turn, so that a noisy spell of the machine falls on
both (the echo's 200 people alone take about a second). The last line printed is the
headline:

    updates: 812/s, p50 1.9 ms, p99 6.3 ms; 0.31 of bare aiogram (2610/s)

Run: ``uv run python -m bench.registration [--users 200] [--concurrency 8] [--rounds 5]``.

``--cpu ROUNDS`` measures instead the process's CPU time per person, one person at a
time, in rounds alternating with the echo (with the median CPU of each step of the
registration); its last line:

    CPU per person: 43.0 ms (median 47.8), bare aiogram 6.8 ms; 0.16 of bare aiogram

``--instructions`` runs the same people again under valgrind's callgrind (bench.callgrind)
and counts the instructions per person instead, which do not move with the machine's
noise (a change's effect on the work the bot does, not on its speed); its last line:

    instructions per person: 99.1 M, bare aiogram 28.5 M; 0.29 of bare aiogram
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import math
import os
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from aiogram import Dispatcher, Router
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import CallbackQuery, Message, Update
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench import callgrind
from bot import heap, loop
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.migrate import upgrade_async
from models import Invite, Participant, ParticipantStatus, Role
from models.db import create_engine, create_sessionmaker
from services.clock import FixedClock
from tests import arrange as seed
from tests.fakes.bot_api import TOKEN, BotMessage, FakeBotAPI
from tests.fakes.client import NoSuchButton, Person, Reply

DEFAULT_ADMIN_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
INVITE_CODE = "BENCH2026"
CURATOR_ID = 111
REGISTRATION_IDS = 600_000_000
BARE_IDS = 700_000_000

# The exact steps of tests/e2e/test_invite_registration.py: 13 updates per person.
Step = tuple[str, str]  # ("send", text) | ("click", button label)
STEPS: list[Step] = [
    ("send", f"/start {INVITE_CODE}"),
    ("click", "Согласен"),
    ("send", "иванова мария петровна"),
    ("send", "учитель"),
    ("send", "математика"),
    ("send", "1"),
    ("click", "до 35 лет"),
    ("click", "без категории"),
    ("click", "Дисциплина на уроке"),
    ("click", "Работа с родителями"),
    ("click", "Готово"),
    ("send", "Как держать дисциплину в 7 классе"),
    ("click", "Всё верно"),
]


@dataclass
class TimedPerson(Person):
    """A Person whose every ``feed_update`` is timed; nothing else is done per update
    (no transcript, no diff of the chat), so the driver costs as little as possible."""

    latencies: list[float] = field(default_factory=list)
    step: int = 0  # which of STEPS is being fed
    by_step: dict[int, list[float]] | None = None
    cpu_by_step: dict[int, list[float]] | None = None  # the process's CPU, per step

    async def _feed(self, update: dict[str, Any]) -> Reply:
        event = Update.model_validate(update, context={"bot": self.bot})
        cpu = time.process_time()
        start = time.perf_counter()
        await self.dp.feed_update(self.bot, event)
        took = time.perf_counter() - start
        self.latencies.append(took)
        if self.by_step is not None:
            self.by_step.setdefault(self.step, []).append(took)
        if self.cpu_by_step is not None:
            self.cpu_by_step.setdefault(self.step, []).append(time.process_time() - cpu)
        return Reply([])

    def find_button(self, text: str) -> tuple[BotMessage, str]:
        # Same answer as Person.find_button (the newest message with such a button), but
        # walks the fake's messages from the newest instead of sorting all of them.
        for (chat_id, _), message in reversed(self.api.messages.items()):
            if chat_id != self.user_id:
                continue
            for label, data in message.buttons:
                if text in label:
                    return message, data
        raise NoSuchButton(f"no button {text!r} in chat {self.user_id}")


async def register(person: TimedPerson) -> None:
    """The whole invite registration, pressing the buttons the bot really sent."""
    for step, (kind, text) in enumerate(STEPS):
        person.step = step
        if kind == "send":
            await person.send(text)
        else:
            await person.click(text)


async def echo_same_steps(person: TimedPerson) -> None:
    """The same sequence of updates for the echo bot: texts, and button presses on a
    message (the echo bot sends no buttons, so the callback data is made up)."""
    question = BotMessage(person.user_id, 1, "Вопрос")
    for kind, text in STEPS:
        if kind == "send":
            await person.send(text)
        else:
            await person.press(question, f"bare:{len(text)}")


@dataclass
class Run:
    updates: int
    wall: float
    latencies: list[float]

    @property
    def rate(self) -> float:
        return self.updates / self.wall

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @staticmethod
    def total(runs: Sequence[Run]) -> Run:
        latencies = [x for r in runs for x in r.latencies]
        return Run(sum(r.updates for r in runs), sum(r.wall for r in runs), latencies)


async def run_people(
    make: Callable[[int, list[float]], TimedPerson],
    script: Callable[[TimedPerson], Awaitable[None]],
    user_ids: Sequence[int],
    concurrency: int,
) -> Run:
    """Everybody in ``user_ids`` goes through ``script``, ``concurrency`` at a time."""
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for user_id in user_ids:
        queue.put_nowait(user_id)

    async def worker() -> None:
        while not queue.empty():
            await script(make(queue.get_nowait(), latencies))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    return Run(len(latencies), wall, latencies)


def bare_dispatcher() -> Dispatcher:
    router = Router(name="bare")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer()

    dp = Dispatcher(storage=MemoryStorage())
    dp.include_router(router)
    return dp


async def _admin_conn(url: str) -> asyncpg.Connection:
    u = make_url(url)
    return await asyncpg.connect(
        user=u.username, password=u.password, host=u.host, port=u.port or 5432, database=u.database
    )


async def create_database(admin_url: str, name: str) -> str:
    conn = await _admin_conn(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(admin_url: str, name: str) -> None:
    conn = await _admin_conn(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def migrated_database(
    cleanup: AsyncExitStack, prefix: str
) -> tuple[str, AsyncEngine, async_sessionmaker[AsyncSession]]:
    """A database of this run's own (``<prefix>_<pid>`` next to BENCH_DATABASE_URL),
    migrated, with its engine and sessionmaker; dropped when ``cleanup`` closes."""
    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    name = f"{prefix}_{os.getpid()}"
    url = await create_database(admin_url, name)
    cleanup.push_async_callback(drop_database, admin_url, name)
    await upgrade_async(url)
    engine = create_engine(url)
    cleanup.push_async_callback(engine.dispose)
    return url, engine, create_sessionmaker(engine)


async def arrange(sessionmaker: async_sessionmaker[AsyncSession], uses: int) -> None:
    """A municipality with three schools, a curator and a mentee invite for everybody."""
    async with sessionmaker() as db:
        _, schools = await seed.municipality_with_schools(db)
        curator = await seed.staff(
            db, CURATOR_ID, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
        )
        await seed.invite(
            db, schools[0], Role.MENTEE, code=INVITE_CODE, max_uses=uses, created_by=curator
        )


async def verify(sessionmaker: async_sessionmaker[AsyncSession], expected: int) -> None:
    """Every measured person really ended up registered (a failed step would not raise:
    the bot's error handler answers the person and carries on)."""
    async with sessionmaker() as db:
        active = await db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(
                Participant.telegram_id >= REGISTRATION_IDS,
                Participant.status == ParticipantStatus.ACTIVE,
            )
        )
        uses = await db.scalar(select(Invite.uses).where(Invite.code == INVITE_CODE))
    if active != expected or uses != expected:
        raise RuntimeError(
            f"expected {expected} registrations, got {active} active people and {uses} invite uses"
        )


ROUNDS = 5


async def throughput_rounds(
    make_bare: Callable[[int, list[float]], TimedPerson],
    make_real: Callable[[int, list[float]], TimedPerson],
    bare_ids: Sequence[int],
    ids: Sequence[int],
    concurrency: int,
    rounds: int,
) -> tuple[Run, Run]:
    """The echo's people and the registration's in ``rounds`` batches each, taken in
    turn: a spell of the machine's noise (the echo's batch alone lasts about a second)
    falls on both, not on the baseline only. Each bot's figure is over all its rounds."""
    per_round = len(ids) // rounds
    bare_runs: list[Run] = []
    real_runs: list[Run] = []
    for r in range(rounds):
        part = slice(r * per_round, (r + 1) * per_round)
        bare_runs.append(await run_people(make_bare, echo_same_steps, bare_ids[part], concurrency))
        real_runs.append(await run_people(make_real, register, ids[part], concurrency))
    each = ", ".join(f"{m.rate / b.rate:.2f}" for b, m in zip(bare_runs, real_runs, strict=True))
    print(f"rounds (echo, registration in turn), each round's ratio: {each}")
    return Run.total(bare_runs), Run.total(real_runs)


async def cpu_rounds(
    make_bare: Callable[[int, list[float]], TimedPerson],
    make_real: Callable[[int, list[float]], TimedPerson],
    bare_ids: Sequence[int],
    ids: Sequence[int],
    rounds: int,
) -> tuple[list[float], list[float]]:
    """CPU time of the process per person, one person at a time, in ``rounds`` rounds
    that alternate the echo and the registration (so a noisy spell of the machine hits
    both): milliseconds per person of each round, echo and registration."""
    per_round = len(ids) // rounds
    bare_ms: list[float] = []
    real_ms: list[float] = []
    for r in range(rounds):
        part = slice(r * per_round, (r + 1) * per_round)
        for make, script, people, into in (
            (make_bare, echo_same_steps, bare_ids[part], bare_ms),
            (make_real, register, ids[part], real_ms),
        ):
            start = time.process_time()
            await run_people(make, script, people, 1)
            into.append((time.process_time() - start) / per_round * 1000)
    return bare_ms, real_ms


def cpu_headline(bare_ms: list[float], real_ms: list[float]) -> str:
    return (
        f"CPU per person: {min(real_ms):.1f} ms (median {statistics.median(real_ms):.1f}), "
        f"bare aiogram {min(bare_ms):.1f} ms; {min(bare_ms) / min(real_ms):.2f} of bare aiogram"
    )


def headline(measured: Run, bare: Run) -> str:
    return (
        f"updates: {measured.rate:.0f}/s, p50 {measured.percentile(50) * 1000:.1f} ms, "
        f"p99 {measured.percentile(99) * 1000:.1f} ms; "
        f"{measured.rate / bare.rate:.2f} of bare aiogram ({bare.rate:.0f}/s)"
    )


def describe(name: str, run: Run) -> str:
    return (
        f"{name}: {run.updates} updates in {run.wall:.2f} s = {run.rate:.0f}/s, "
        f"p50 {run.percentile(50) * 1000:.1f} ms, p99 {run.percentile(99) * 1000:.1f} ms"
    )


async def counted_people(
    make_bare: Callable[[int, list[float]], TimedPerson],
    make_real: Callable[[int, list[float]], TimedPerson],
    bare_ids: Sequence[int],
    ids: Sequence[int],
) -> None:
    """The echo's people, then the registration's, one at a time, each batch counted by
    callgrind into a dump of its own (read back by ``instructions_headline``)."""
    with callgrind.counted():
        await run_people(make_bare, echo_same_steps, bare_ids, 1)
    with callgrind.counted():
        await run_people(make_real, register, ids, 1)


def instructions_headline(users: int, warmup: int) -> str:
    """This bench again under callgrind, with ``users`` people each."""
    args = ["--users", str(users), "--warmup", str(warmup), "--instructions"]
    bare, real = callgrind.run("bench.registration", args)
    print(f"instructions: bare aiogram {bare:,}, registration {real:,} ({users} people each)")
    return (
        f"instructions per person: {real / users / 1e6:.1f} M, "
        f"bare aiogram {bare / users / 1e6:.1f} M; {bare / real:.2f} of bare aiogram"
    )


async def main(
    users: int, concurrency: int, warmup: int, cpu_rounds_: int = 0, rounds: int = ROUNDS
) -> str:
    async with AsyncExitStack() as cleanup:  # undone in reverse, also on failure
        url, _, sessionmaker = await migrated_database(cleanup, "nastavnik_bench")
        await arrange(sessionmaker, uses=warmup + users)

        api = FakeBotAPI()
        await api.start()
        cleanup.push_async_callback(api.stop)
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(TOKEN),
            telegram_api_base=api.base_url,
            database_url=url,
            throttle_rate=0,
        )
        bot = create_bot(settings)
        cleanup.push_async_callback(bot.session.close)
        real = create_dispatcher(
            settings, sessionmaker, clock=FixedClock(seed.NOW), storage=MemoryStorage()
        )
        bare = bare_dispatcher()

        by_step: dict[int, list[float]] = {}
        cpu_by_step: dict[int, list[float]] = {}

        def people_of(dp: Dispatcher) -> Callable[[int, list[float]], TimedPerson]:
            cpu = cpu_by_step if dp is real and cpu_rounds_ else None

            def make(user_id: int, latencies: list[float]) -> TimedPerson:
                return TimedPerson(
                    dp,
                    bot,
                    api,
                    user_id,
                    "Мария",
                    latencies=latencies,
                    by_step=by_step,
                    cpu_by_step=cpu,
                )

            return make

        ids = range(REGISTRATION_IDS, REGISTRATION_IDS + warmup + users)
        bare_ids = range(BARE_IDS, BARE_IDS + warmup + users)
        # Warm-up, one person at a time: lazy imports, the connection pool, prepared
        # statements, aiohttp's keep-alive connections.
        await run_people(people_of(bare), echo_same_steps, bare_ids[:warmup], 1)
        await run_people(people_of(real), register, ids[:warmup], 1)
        heap.settle()  # as `python -m bot run` does once started
        by_step.clear()
        cpu_by_step.clear()

        if callgrind.inside():
            await counted_people(people_of(bare), people_of(real), bare_ids[warmup:], ids[warmup:])
            await verify(sessionmaker, warmup + users)
            return "counted under callgrind"

        if cpu_rounds_:
            bare_ms, real_ms = await cpu_rounds(
                people_of(bare), people_of(real), bare_ids[warmup:], ids[warmup:], cpu_rounds_
            )
            await verify(sessionmaker, warmup + users // cpu_rounds_ * cpu_rounds_)
            print("CPU ms per person by round, bare aiogram:", _ms(bare_ms))
            print("CPU ms per person by round, registration:", _ms(real_ms))
            steps = ", ".join(
                f"{STEPS[k][1]!r} {statistics.median(v) * 1000:.2f}"
                for k, v in sorted(cpu_by_step.items())
            )
            print(f"  median CPU of each step, ms: {steps}")
            return cpu_headline(bare_ms, real_ms)

        bare_run, measured = await throughput_rounds(
            people_of(bare), people_of(real), bare_ids[warmup:], ids[warmup:], concurrency, rounds
        )
        await verify(sessionmaker, warmup + len(measured.latencies) // len(STEPS))

    print(describe("bare aiogram echo", bare_run))
    print(describe(f"invite registration ({users} people, {concurrency} at a time)", measured))
    steps = ", ".join(
        f"{STEPS[k][1]!r} {sorted(v)[len(v) // 2] * 1000:.1f}" for k, v in sorted(by_step.items())
    )
    print(f"  p50 of each step, ms: {steps}")
    return headline(measured, bare_run)


def _ms(values: list[float]) -> str:
    return ", ".join(f"{v:.1f}" for v in values)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--users", type=int, help="people who register (200; with --instructions, 8)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="people at a time")
    parser.add_argument("--warmup", type=int, default=5, help="people before measuring")
    parser.add_argument(
        "--asyncio-loop",
        action="store_true",
        help="asyncio's own event loop instead of uvloop (what `python -m bot run` uses)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=ROUNDS,
        help="batches of each bot, taken in turn (the ratio is over all of them)",
    )
    parser.add_argument(
        "--cpu",
        type=int,
        default=0,
        metavar="ROUNDS",
        help="instead of throughput: the process's CPU time per person, one person at a "
        "time, in ROUNDS rounds alternating with the echo (steadier on a noisy machine)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="instead of throughput: instructions per person, counted by valgrind's "
        "callgrind (the same figure on a noisy machine; --users 8 takes a few minutes)",
    )
    args = parser.parse_args()
    if args.users is None:
        args.users = 8 if args.instructions else 200
    logging.basicConfig(level=logging.WARNING)
    if args.instructions and not callgrind.inside():
        print(instructions_headline(args.users, args.warmup), flush=True)
        raise SystemExit(0)
    result = loop.run(
        main(args.users, args.concurrency, args.warmup, args.cpu, args.rounds),
        fast=not args.asyncio_loop,
    )
    print(result, flush=True)
