"""Benchmark: updates arriving at a fixed rate (open loop) from people in mixed flows.

50 people send updates at 100/s in all (each person 2/s, their start times spread
evenly), whatever the bot's speed: an update is due at its time and is fed then, or as
soon as the same person's previous update was handled (a person cannot press the next
button before they saw it). The flows, on PostgreSQL, through the real Dispatcher and
the fake Bot API, pressing the buttons the bot really sent:

- 15 newcomers register through an invite (13 updates), then look at /my;
- 10 mentors log a past meeting (/my, «Записать прошедшую встречу», the kind, «Дата», a
  day, «Утро», a time, «✅ Записать»: 8 updates), again and again;
- 10 mentees answer feedback requests (a rating, «Пропустить» twice), again and again;
- 15 mentors and mentees of other pairs send /my.

The people of one flow are out of step: the i-th of its m people first sends
i·(the flow's length)/m light updates (/start of a newcomer who has no link yet, /my), so
its heavy steps («Всё верно», «✅ Записать») are spread over the flow's length as people's
would be, not pressed by all of them in the same half-second. ``--lockstep`` puts them in
step: the worst burst.

The fake Bot API runs in a process of its own (tests.fakes.serve), as Telegram is
another machine in production; the buttons are found in what the bot sent, recorded in
this process (bench.mirror). ``--fake-in-process`` runs it here, as the first figures in
bench/README.md were taken.

Before the run, other people (newcomers and pairs of their own) go through the same
flows for ten seconds: a process just started is slower (nothing compiled or prepared
yet), and that cold start is printed on its own line, not counted.

``--workers 2`` runs the bot as two processes, each with half of the people and its
share of the rate, with the dialogs' state in Redis and one update per chat at a time
(Redis locks) as deployed (``BENCH_REDIS_URL``, default database 14, emptied first).
Behind the balancer (README, profile ``scale``) each worker gets half of the updates
too, though not a person's every update; here a person stays with one worker, whose
driver reads what the bot sent them. Each phase starts in all workers at once.

Measured per update: the handling time (``Dispatcher.feed_update``), and the database
queries it made (a ``before_cursor_execute`` listener). The baseline, in the same run and
at the same arrival rate: a bare aiogram echo bot fed the same kinds of updates (texts
and button presses) by as many people. The last line printed is the headline:

    open loop 100/s, 50 people: p50 9.8 ms, p99 31.0 ms, 6.2 queries/update;
    bare aiogram p50 1.9 ms, p99 4.1 ms        (one line)

Run: ``uv run python -m bench.open_loop [--seconds 20] [--rate 100] [--people 50]
[--workers 1] [--lockstep]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import dataclasses
import datetime as dt
import itertools
import json
import logging
import math
import os
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import Update
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.gcstats import gc_time
from bench.mirror import Mirror, start_fake_api, watch
from bench.registration import INVITE_CODE, STEPS, bare_dispatcher, migrated_database
from bot import heap, loop
from bot.config import Settings
from bot.factory import create_bot, create_dispatcher
from bot.i18n import create_i18n
from models import (
    Feedback,
    FeedbackStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Participant,
    ParticipantStatus,
    Role,
)
from models.db import create_engine, create_sessionmaker
from scheduler.delivery import deliver_due
from services.clock import FixedClock
from tests import arrange as seed
from tests.fakes.bot_api import TOKEN, BotMessage, FakeBotAPI
from tests.fakes.client import NoSuchButton, Person, Reply

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own: emptied each run
NEWCOMERS = 620_000_000
PAIRS = 630_000_000  # pair i: mentor PAIRS + 10 i + 2, mentee + 3
BARE = 640_000_000
HELD_PER_PAIR = 30  # meetings with feedback to answer, more than a run needs
MEASURED_PAIRS = 18  # then WARM_PAIRS more for the warm-up
WARM_PAIRS = 5
WARM_RATE = 30  # 15 people, each at the same pace as in the run (2 updates a second)
NOW = seed.NOW


@dataclass
class Counter:
    queries: int = 0
    by_table: collections.Counter[str] = field(default_factory=collections.Counter)


@dataclass
class Driven(Person):
    """A person fed by the open-loop driver: every feed_update timed, nothing else."""

    handling: list[float] = field(default_factory=list)
    when: list[float] = field(default_factory=list)
    late: list[float] = field(default_factory=list)
    step: str = ""
    by_step: dict[str, list[float]] = field(default_factory=dict)

    async def _feed(self, update: dict[str, Any]) -> Reply:
        event = Update.model_validate(update, context={"bot": self.bot})
        self.when.append(time.monotonic())  # the same clock in every worker process
        start = time.perf_counter()
        await self.dp.feed_update(self.bot, event)
        took = time.perf_counter() - start
        self.handling.append(took)
        self.by_step.setdefault(self.step, []).append(took)
        return Reply([])

    def find_button(self, text: str) -> tuple[BotMessage, str]:
        # The newest message of this chat with such a button, newest first (cheap).
        for (chat_id, _), message in reversed(self.api.messages.items()):
            if chat_id != self.user_id:
                continue
            for label, data in message.buttons:
                if text in label:
                    return message, data
        chat = [
            (m.text[:300], [b for b, _ in m.buttons][:8])
            for (c, _), m in self.api.messages.items()
            if c == self.user_id
        ]
        alerts = [a for a in self.api.alerts if a[1]][-3:]
        raise NoSuchButton(f"no button {text!r} in chat {self.user_id}: {chat[-2:]} {alerts}")

    async def tap(self, label: str) -> Reply:
        """The button labelled exactly `label` (calendar days: «3» is inside «23»)."""
        for (chat_id, _), message in reversed(self.api.messages.items()):
            if chat_id != self.user_id:
                continue
            for text, data in message.buttons:
                if text == label:
                    return await self.press(message, data)
        chat = [
            (m.text[:80], [b for b, _ in m.buttons][:8])
            for (c, _), m in self.api.messages.items()
            if c == self.user_id
        ]
        raise NoSuchButton(f"no button {label!r} in chat {self.user_id}: {chat[-3:]}")


# --- the flows -------------------------------------------------------------------------

Step = tuple[str, str]  # ("send", text) | ("click", label part) | ("tap", exact label)

REGISTRATION: list[Step] = list(STEPS)
LOG_MEETING: list[Step] = [
    ("send", "/my"),
    ("click", "Записать прошедшую встречу"),
    ("tap", "Регулярная встреча"),  # past the planned number of regular ones: which kind
    ("click", "Дата"),
    ("tap", "20"),
    ("click", "Утро"),
    ("tap", "10:00"),
    ("click", "✅ Записать"),
]
FEEDBACK: list[Step] = [("tap", "5"), ("tap", "Пропустить"), ("tap", "Пропустить")]
MY: list[Step] = [("send", "/my")]
STRANGER: Step = ("send", "/start")  # a newcomer who found the bot before the invite link
BARE_STEPS: list[Step] = [("send", "текст"), ("bare", "bare:1")]
_QUESTION = BotMessage(0, 1, "Вопрос")


async def act(person: Driven, step: Step) -> None:
    kind, text = step
    person.step = f"{kind} {text}"
    if kind == "send":
        await person.send(text)
    elif kind == "click":
        await person.click(text)
    elif kind == "tap":
        await person.tap(text)
    else:  # the echo bot sent no buttons: made-up callback data
        await person.press(_QUESTION, text)


@dataclass
class Plan:
    person: Driven
    first: list[Step]  # once
    cycle: list[Step]  # then again and again
    lead: list[Step] = field(default_factory=list)  # before `first`: out of step with others


async def drive(plans: list[Plan], rate: float, seconds: float) -> float:
    """Feed everybody's updates on the open-loop schedule; returns the wall time."""
    n = len(plans)
    interval = n / rate  # one person's updates are this far apart
    total_per_person = math.floor(seconds * rate / n)
    start = time.perf_counter() + 0.05

    async def person_loop(k: int, plan: Plan) -> None:
        steps = itertools.chain(plan.lead, plan.first, itertools.cycle(plan.cycle))
        for j, step in zip(range(total_per_person), steps, strict=False):
            due = start + (j + k / n) * interval
            now = time.perf_counter()
            if due > now:
                await asyncio.sleep(due - now)
            plan.person.late.append(max(0.0, time.perf_counter() - due))
            await act(plan.person, step)

    began = time.perf_counter()
    async with asyncio.TaskGroup() as group:  # one failing person stops them all
        for k, plan in enumerate(plans):
            group.create_task(person_loop(k, plan))
    return time.perf_counter() - began


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


async def arrange(
    sessionmaker: async_sessionmaker[AsyncSession], pairs: int
) -> list[seed.Arranged]:
    async with sessionmaker() as db:
        _, schools = await seed.municipality_with_schools(db)
        curator = await seed.staff(
            db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
        )
        await seed.invite(
            db, schools[0], Role.MENTEE, code=INVITE_CODE, max_uses=1000, created_by=curator
        )
        arranged = []
        for i in range(pairs):
            a = await seed.school_with_pair(
                db, tg=PAIRS + 10 * i, next_kind=MeetingKind.REGULAR, curator=False
            )
            arranged.append(a)
        for a in arranged[:10] + arranged[MEASURED_PAIRS:]:  # the warm-up's pairs too
            for d in range(HELD_PER_PAIR):
                m = await seed.meeting(
                    db,
                    a.pair,
                    MeetingKind.REGULAR,
                    NOW - dt.timedelta(days=40 - d, hours=1),
                    status=MeetingStatus.HELD,
                )
                await seed.ask_feedback(db, a, m)
    return arranged


@dataclass
class Roster:
    """Who takes part, by Telegram id (the parent arranges, the workers drive)."""

    newcomers: list[int]
    loggers: list[int]  # mentors logging meetings
    answerers: list[int]  # mentees answering feedback
    lookers: list[int]  # /my again and again
    warm_newcomers: list[int]
    warm_loggers: list[int]
    warm_answerers: list[int]


@dataclass
class Spec:
    """What one worker process is given (as JSON)."""

    url: str
    base_url: str
    seconds: float
    rate: float  # of the whole run; a worker takes its people's share
    people: int
    worker: int
    workers: int
    roster: Roster
    messages: list[list[Any]]  # the feedback requests the mentees will answer
    redis_url: str | None = None  # FSM storage shared by the workers, as in production
    lockstep: bool = False  # a flow's people at the same step at once (no lead)


def _out_of_step(ids: list[int], flow: int, filler: Step, spec: Spec) -> list[list[Step]]:
    """Each person's lead: the i-th of a flow's m people first sends i·flow/m light
    updates (``filler``), so that the flow's steps are spread over its length instead of
    all its people pressing the same button in the same half-second."""
    if spec.lockstep:
        return [[] for _ in ids]
    return [[filler] * (i * flow // len(ids)) for i in range(len(ids))]


def _share(ids: list[int], spec: Spec) -> list[int]:
    return [x for i, x in enumerate(ids) if i % spec.workers == spec.worker]


Barrier = Callable[[str], Any]


async def work(
    spec: Spec,
    barrier: Barrier,
    *,
    api: FakeBotAPI | None = None,
    profile: str | None = None,
) -> dict[str, Any]:
    """One bot process (a worker behind the webhook in production) with its share of the
    people: warms up, then the bare echo and the mixed flows at its share of the rate,
    each started when every worker is ready (``barrier``)."""
    async with AsyncExitStack() as cleanup:
        engine = create_engine(spec.url)
        cleanup.push_async_callback(engine.dispose)
        sessionmaker = create_sessionmaker(engine)
        settings = Settings(
            _env_file=None,
            bot_token=SecretStr(TOKEN),
            telegram_api_base=spec.base_url,
            database_url=spec.url,
            throttle_rate=0,
        )
        bot = create_bot(settings)
        cleanup.push_async_callback(bot.session.close)
        if api is None:
            api = Mirror()
            for chat_id, message_id, text, markup in spec.messages:
                api.messages[(chat_id, message_id)] = BotMessage(chat_id, message_id, text, markup)
        if isinstance(api, Mirror):
            watch(bot, api)
        clock = FixedClock(NOW)
        i18n = create_i18n()
        if spec.redis_url:  # as deployed: Redis storage, and one update per chat at a time
            shared = settings.model_copy(update={"redis_url": spec.redis_url})
            real = create_dispatcher(shared, sessionmaker, clock=clock, i18n=i18n)
            cleanup.push_async_callback(real.storage.close)
        else:
            real = create_dispatcher(
                settings, sessionmaker, clock=clock, storage=MemoryStorage(), i18n=i18n
            )
        bare = bare_dispatcher()
        heap.settle()  # as `python -m bot run` does once started

        def person(dp: Dispatcher, user_id: int) -> Driven:
            assert api is not None
            return Driven(dp, bot, api, user_id, "Мария")

        def mixed(newcomers: list[int], loggers: list[int], answerers: list[int]) -> list[Plan]:
            plans = []
            for ids, first, cycle, filler in (
                (newcomers, REGISTRATION, MY, STRANGER),
                (loggers, [], LOG_MEETING, MY[0]),
                (answerers, [], FEEDBACK, MY[0]),
            ):
                ids = _share(ids, spec)
                leads = _out_of_step(ids, len(first or cycle), filler, spec)
                plans += [
                    Plan(person(real, u), first, cycle, lead)
                    for u, lead in zip(ids, leads, strict=True)
                ]
            return plans

        r = spec.roster
        plans = mixed(r.newcomers, r.loggers, r.answerers)
        plans += [Plan(person(real, u), [], MY) for u in _share(r.lookers, spec)]
        bare_ids = _share([BARE + i for i in range(spec.people)], spec)
        bare_plans = [Plan(person(bare, u), [], BARE_STEPS) for u in bare_ids]
        share = len(plans) / spec.people  # of the people, and so of the rate
        bare_share = len(bare_plans) / spec.people

        # Warm-up (not counted): a process just started has compiled no SQL, prepared no
        # statement on its connections and rendered no dialog yet. Others than the measured
        # people (newcomers of their own, pairs of their own) go through the same flows
        # long enough for the registration to end; the figures of this cold start are
        # printed on their own. Then the bare bot a second at the run's rate.
        warm_plans = mixed(r.warm_newcomers, r.warm_loggers, r.warm_answerers)
        warm_rate = WARM_RATE * len(warm_plans) / 15
        await drive(warm_plans, warm_rate, len(REGISTRATION) / (WARM_RATE / 15) + 2)
        warm = [Plan(person(bare, u + 100), [], BARE_STEPS) for u in bare_ids]
        await drive(warm, spec.rate * bare_share, 1)

        await barrier("bare")
        bare_cpu = time.process_time()
        bare_wall = await drive(bare_plans, spec.rate * bare_share, spec.seconds)
        bare_cpu = time.process_time() - bare_cpu

        queries = Counter()
        listener = _count_queries(engine, queries)
        await barrier("mixed")
        profiler = cProfile.Profile() if profile else None
        if profiler is not None:
            profiler.enable()
        cpu = time.process_time()
        with gc_time() as collector:
            wall = await drive(plans, spec.rate * share, spec.seconds)
        cpu = time.process_time() - cpu
        if profiler is not None and profile:
            profiler.disable()
            profiler.dump_stats(profile)
        event.remove(engine.sync_engine, "before_cursor_execute", listener)

    return {
        "handling": [h for p in plans for h in p.person.handling],
        "when": [w for p in plans for w in p.person.when],
        "late": [x for p in plans for x in p.person.late],
        "steps": _by_step(plans),
        "bare": [h for p in bare_plans for h in p.person.handling],
        "cold": [h for p in warm_plans for h in p.person.handling],
        "cpu": cpu,
        "bare_cpu": bare_cpu,
        "wall": wall,
        "bare_wall": bare_wall,
        "queries": queries.queries,
        "by_table": dict(queries.by_table),
        "gc": str(collector),
    }


def _by_step(plans: list[Plan]) -> dict[str, list[float]]:
    steps: dict[str, list[float]] = {}
    for plan in plans:
        for name, took in plan.person.by_step.items():
            steps.setdefault(name, []).extend(took)
    return steps


async def main(
    seconds: float,
    rate: float,
    people: int,
    profile: str | None = None,
    fake_in_process: bool = False,
    workers: int = 1,
    lockstep: bool = False,
) -> str:
    assert people == 50, "the mix is made for 50 people"
    assert workers == 1 or not (fake_in_process or profile), "one worker for these"
    async with AsyncExitStack() as cleanup:
        url, _, sessionmaker = await migrated_database(cleanup, "nastavnik_bench_open")
        print("arranging 23 pairs, 450 held meetings with feedback asked ...", flush=True)
        pairs = await arrange(sessionmaker, MEASURED_PAIRS + WARM_PAIRS)

        api: FakeBotAPI
        if fake_in_process:
            api = FakeBotAPI()
            base_url = await api.start()
            cleanup.push_async_callback(api.stop)
        else:  # as in production, Telegram's side of each request on another core
            process, base_url = start_fake_api()
            cleanup.callback(process.wait)
            cleanup.callback(process.terminate)
            api = Mirror()
        settings = Settings(_env_file=None, bot_token=SecretStr(TOKEN), telegram_api_base=base_url)
        bot = create_bot(settings)
        cleanup.push_async_callback(bot.session.close)
        if isinstance(api, Mirror):
            watch(bot, api)
        # The feedback requests reach the mentees (and mentors) before the run.
        while await deliver_due(sessionmaker, bot, create_i18n(), FixedClock(NOW), limit=500):
            pass

        def tg(participants: list[Participant]) -> list[int]:
            return [p.telegram_id or 0 for p in participants]

        measured, warm = pairs[:10], pairs[MEASURED_PAIRS:]
        roster = Roster(
            newcomers=[NEWCOMERS + i for i in range(15)],
            loggers=tg([a.mentor for a in measured]),
            answerers=tg([a.mentee for a in measured]),
            lookers=tg([p for a in pairs[10:MEASURED_PAIRS] for p in (a.mentor, a.mentee)][:15]),
            warm_newcomers=[NEWCOMERS + 500 + i for i in range(5)],
            warm_loggers=tg([a.mentor for a in warm]),
            warm_answerers=tg([a.mentee for a in warm]),
        )
        messages = [
            [m.chat_id, m.message_id, m.text, m.reply_markup] for m in api.messages.values()
        ]
        redis_url = None
        if workers > 1:  # as deployed: the dialogs' state in Redis, read by every worker
            redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
            await _empty_redis(redis_url)
        spec = Spec(
            url, base_url, seconds, rate, people, 0, workers, roster, messages, redis_url, lockstep
        )
        facts: dict[str, dict[str, int]] = {}

        async def at(phase: str) -> None:
            if phase == "mixed":
                facts["before"] = await _facts(sessionmaker)
                print(f"the mixed flows for {seconds:g} s ...", flush=True)

        if workers == 1:
            results = [await work(spec, at, api=api, profile=profile)]
        else:
            results = await _in_processes(spec, at)
        after = await _facts(sessionmaker)
    return report(results, facts["before"], after, rate, people, workers, lockstep)


async def _empty_redis(url: str) -> None:
    """The same people every run: a dialog state left by the last run would be theirs."""
    client = Redis.from_url(url)
    try:
        await client.flushdb()
    finally:
        await client.aclose()


async def _in_processes(spec: Spec, at: Callable[[str], Awaitable[None]]) -> list[dict[str, Any]]:
    """Each worker a process of its own (`--worker`, its Spec on the first line of its
    stdin), started together at each phase: "ready PHASE" from every one, then "go"."""
    procs = []
    for k in range(spec.workers):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.open_loop",
            "--worker",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=2**26,  # the result line holds every latency
        )
        own = dataclasses.asdict(dataclasses.replace(spec, worker=k))
        assert process.stdin is not None
        process.stdin.write(json.dumps(own).encode() + b"\n")
        procs.append(process)
    for phase in ("bare", "mixed"):
        for p in procs:
            await _read_line(p, phase)
        await at(phase)
        for p in procs:
            assert p.stdin is not None
            p.stdin.write(b"go\n")
            await p.stdin.drain()
    results = [json.loads((await _read_line(p, "result")).split(" ", 1)[1]) for p in procs]
    for p in procs:
        await p.wait()
    return results


async def _read_line(process: asyncio.subprocess.Process, phase: str) -> str:
    assert process.stdout is not None
    while True:
        raw = await process.stdout.readline()
        if not raw:
            raise RuntimeError(f"a worker ended before {phase!r}")
        line = raw.decode().strip()
        if line.startswith(("ready ", "result ")):
            return line
        print(line, flush=True)  # the worker's own messages


async def _worker_main() -> None:
    reader = asyncio.StreamReader(limit=2**26)
    await asyncio.get_running_loop().connect_read_pipe(
        lambda: asyncio.StreamReaderProtocol(reader), sys.stdin
    )
    raw = json.loads(await reader.readline())  # the first line: the Spec
    spec = Spec(**{**raw, "roster": Roster(**raw["roster"])})

    async def barrier(phase: str) -> None:
        print(f"ready {phase}", flush=True)
        await reader.readline()

    result = await work(spec, barrier)
    print("result " + json.dumps(result), flush=True)


def report(
    results: list[dict[str, Any]],
    before: dict[str, int],
    after: dict[str, int],
    rate: float,
    people: int,
    workers: int,
    lockstep: bool,
) -> str:
    def joined(key: str) -> list[float]:
        return [x for r in results for x in r[key]]

    handling, bare_handling, cold = joined("handling"), joined("bare"), joined("cold")
    wall = max(r["wall"] for r in results)
    bare_wall = max(r["bare_wall"] for r in results)
    print(
        f"bare aiogram echo: {len(bare_handling)} updates in {bare_wall:.1f} s, {ms(bare_handling)}"
    )
    print(f"warm-up (a cold process, other people, not counted): {len(cold)} updates, {ms(cold)}")
    print(f"mixed flows: {len(handling)} updates in {wall:.1f} s, {ms(handling)}")
    # A worker runs the bot and its people's driver (and with --fake-in-process the fake
    # API too): past 1 / (its share of the rate) of CPU per update it cannot keep up.
    cpu = sum(r["cpu"] for r in results) / len(handling) * 1000
    bare_cpu = sum(r["bare_cpu"] for r in results) / len(bare_handling) * 1000
    print(
        f"CPU per update ({workers} worker process{'es' if workers > 1 else ''}): "
        f"mixed {cpu:.1f} ms, bare {bare_cpu:.1f} ms "
        f"(the arrivals leave {1000 / rate * workers:.1f} ms to each)"
    )
    print(f"  started late (the bot behind the arrivals): {ms(joined('late'))}")
    for n, r in enumerate(results, 1):
        print(f"  the garbage collector meanwhile (worker {n}): {r['gc']}")
    steps: dict[str, list[float]] = {}
    for r in results:
        for name, took in r["steps"].items():
            steps.setdefault(name, []).extend(took)
    slowest = sorted(steps.items(), key=lambda kv: -percentile(kv[1], 99))[:5]
    print("  the slowest steps: " + "; ".join(f"{k!r} {ms(v)}" for k, v in slowest))
    if os.environ.get("BENCH_ALL_STEPS"):  # every step, by its share of the handling time
        for step, v in sorted(steps.items(), key=lambda kv: -sum(kv[1])):
            print(f"    {step!r:45} n={len(v):4d} share {sum(v) / sum(handling):5.1%} {ms(v)}")
    by_table: collections.Counter[str] = collections.Counter()
    for r in results:
        by_table.update(r["by_table"])
    per_update = ", ".join(f"{name} {n / len(handling):.2f}" for name, n in by_table.most_common(8))
    print(f"queries per update, the most frequent: {per_update}")
    print("  by 4-second windows: " + "; ".join(_windows(joined("when"), handling, 4)))
    print("done in the run: " + ", ".join(f"{k} {after[k] - before[k]}" for k in after))
    queries = sum(r["queries"] for r in results)
    shape = f", {workers} workers" if workers > 1 else ""
    shape += ", in lockstep" if lockstep else ""
    return (
        f"open loop {rate:g}/s, {people} people{shape}: {ms(handling)}, "
        f"{queries / len(handling):.1f} queries/update; bare aiogram {ms(bare_handling)}"
    )


def _windows(when: list[float], handling: list[float], width: float) -> list[str]:
    """p50/p99 of the updates that started in each window of the run (the newcomers'
    registration falls in the first ones)."""
    timed = sorted(zip(when, handling, strict=True))
    if not timed:
        return []
    first, buckets = timed[0][0], collections.defaultdict(list)
    for at, took in timed:
        buckets[int((at - first) // width)].append(took)
    return [f"{k * width:g}–{(k + 1) * width:g} s: {ms(v)}" for k, v in sorted(buckets.items())]


def ms(values: list[float]) -> str:
    p50, p99 = percentile(values, 50) * 1000, percentile(values, 99) * 1000
    return f"p50 {p50:.1f} ms, p99 {p99:.1f} ms"


_TABLE_AT = {"FROM", "INTO", "UPDATE"}


def _count_queries(engine: AsyncEngine, counter: Counter) -> Callable[..., None]:
    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        counter.queries += 1
        words = statement.split()
        verb = words[0]
        table = next((w for a, w in itertools.pairwise(words) if a in _TABLE_AT), "")
        counter.by_table[f"{verb} {table}"] += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    return count


async def _facts(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    """What the flows really did (the error handler would hide a broken step)."""
    async with sessionmaker() as db:
        registered = await db.scalar(
            select(func.count())
            .select_from(Participant)
            .where(
                Participant.telegram_id.between(NEWCOMERS, NEWCOMERS + 1000),
                Participant.status == ParticipantStatus.ACTIVE,
            )
        )
        logged = await db.scalar(
            select(func.count()).select_from(Meeting).where(Meeting.status == MeetingStatus.HELD)
        )
        given = await db.scalar(
            select(func.count())
            .select_from(Feedback)
            .where(Feedback.status == FeedbackStatus.GIVEN)
        )
    return {
        "registered": registered or 0,
        "meetings logged": logged or 0,
        "feedback given": given or 0,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=20, help="length of each run")
    parser.add_argument("--rate", type=float, default=100, help="updates per second in all")
    parser.add_argument("--people", type=int, default=50, help="people (the mix needs 50)")
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile the mixed flows' run into FILE (pstats)"
    )
    parser.add_argument(
        "--fake-in-process",
        action="store_true",
        help="run the fake Bot API in this process (as before: its CPU counts as the bot's)",
    )
    parser.add_argument(
        "--asyncio-loop",
        action="store_true",
        help="asyncio's own event loop instead of uvloop (what `python -m bot run` uses)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="bot processes, each with its share of the people and of the rate (state in "
        "Redis, as deployed behind the balancer); 1: the bot runs in this process",
    )
    parser.add_argument(
        "--lockstep",
        action="store_true",
        help="a flow's people all at the same step (the 15 newcomers press «Всё верно» in the "
        "same half-second): the worst burst, not a steady 100/s",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)  # Spec on stdin
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.worker:
        loop.run(_worker_main())
        sys.exit(0)
    assert args.workers == 1 or not args.asyncio_loop, "--asyncio-loop: one worker"
    result = loop.run(
        main(
            args.seconds,
            args.rate,
            args.people,
            args.profile,
            args.fake_in_process,
            args.workers,
            args.lockstep,
        ),
        fast=not args.asyncio_loop,
    )
    print(result, flush=True)
