"""Scaling out: two `python -m bot run` processes in webhook mode behind one endpoint (a
proxy that gives each update to the next worker in turn), sharing PostgreSQL and Redis.

A registration whose updates alternate between the two workers completes (the form's
state lives in Redis); exactly one worker is the scheduler leader and delivers the
outbox; when the leader is killed (-9), the other takes over within a dispatch tick and
delivers what comes next. The transcript printed at the end says who did what."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import aiohttp
import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from models import Outbox, OutboxStatus, Participant, ParticipantStatus, Role
from tests import arrange
from tests.e2e.flows import answer_mentee_questionnaire
from tests.fakes.bot_api import TOKEN, FakeBotAPI
from tests.fakes.client import Person
from tests.fakes.proxy import SECRET_HEADER, AlternatingProxy

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SECRET = "two-workers_" + "k" * 32
CURATOR, MARIA, PETR = 840_000_001, 840_000_002, 840_000_003
HANDLED = re.compile(r"Update id=(\d+) is (not )?handled")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Worker:
    """One bot process and what it logged (monotonic time, line)."""

    name: str
    port: int
    api_host: str  # how it reaches the fake Bot API: tells its calls apart
    proc: asyncio.subprocess.Process | None = None
    lines: list[tuple[float, str]] = field(default_factory=list)
    handled: dict[int, bool] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, env: dict[str, str]) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env={**env, "WEBHOOK_PORT": str(self.port)},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.lines.append((time.monotonic(), line))
            if found := HANDLED.search(line):
                self.handled[int(found[1])] = found[2] is None

    def said(self, text: str) -> float | None:
        """When the worker first logged `text`, or None."""
        return next((at for at, line in self.lines if text in line), None)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.terminate()
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        if self._reader is not None:
            await self._reader

    @property
    def log(self) -> str:
        return "\n".join(line for _, line in self.lines)


async def all_sent(db: AsyncSession) -> None:
    """Wait until no outbox row is pending (sent and recorded)."""
    async with asyncio.timeout(30):
        for _ in itertools.count():
            pending = await db.scalar(
                select(func.count())
                .select_from(Outbox)
                .where(Outbox.status == OutboxStatus.PENDING)
            )
            await db.commit()
            if not pending:
                return
            await asyncio.sleep(0.05)


async def until(condition: Any, within: float = 30.0, what: str = "") -> None:
    async with asyncio.timeout(within):
        for _ in itertools.count():
            if condition():
                return
            await asyncio.sleep(0.01)
    raise AssertionError(what)  # pragma: no cover - the timeout raises first


_update_ids = itertools.count(1)  # small ids: the log masks numbers of five digits and more


@dataclass
class WebhookPerson(Person):
    """A person whose updates go to the bot as Telegram sends them: posted to the
    webhook endpoint (the proxy), answered at once, handled in the background."""

    http: aiohttp.ClientSession | None = None
    proxy: AlternatingProxy | None = None
    workers: list[Worker] = field(default_factory=list)
    route: str = ""

    async def _deliver(self, update: dict[str, Any]) -> None:
        assert self.http is not None and self.proxy is not None
        update_id = next(_update_ids)
        update = {**update, "update_id": update_id}
        async with self.http.post(
            self.proxy.base_url + self.route, json=update, headers={SECRET_HEADER: SECRET}
        ) as answer:
            assert answer.status == 200, await answer.text()
        worker = self.workers[dict(self.proxy.routed)[update_id]]
        await until(lambda: update_id in worker.handled, what=f"update {update_id} handled")
        assert worker.handled[update_id], f"update {update_id} was not handled"


@pytest.fixture
async def redis_fsm() -> AsyncIterator[str]:
    redis = Redis.from_url(REDIS_URL)
    try:
        await redis.ping()
    except Exception:
        await redis.aclose()
        pytest.skip("Redis is not running")

    async def forget() -> None:
        for person in (MARIA, PETR):
            async for key in redis.scan_iter(match=f"fsm:*:{person}:*"):
                await redis.delete(key)

    await forget()
    yield REDIS_URL
    await forget()
    await redis.aclose()


async def test_two_webhook_workers_share_the_work_and_one_leader_sends(
    db: AsyncSession,
    database_url: str,
    fake_api: FakeBotAPI,
    redis_fsm: str,
) -> None:
    fake_api.reset()
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(
        db, CURATOR, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    await arrange.invite(db, schools[0], Role.MENTEE, created_by=curator, max_uses=5)

    workers = [
        Worker("A", free_port(), "127.0.0.1"),
        Worker("B", free_port(), "localhost"),
    ]
    proxy = AlternatingProxy([w.base_url for w in workers])
    await proxy.start()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_fsm,
        "BOT_TOKEN": TOKEN,
        "WEBHOOK_URL": proxy.base_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "LOG_LEVEL": "INFO",
        "THROTTLE_RATE": "0",
        "ADMIN_IDS": "",
    }
    env.pop("WEBHOOK_PATH", None)
    http = aiohttp.ClientSession()
    transcript: list[str] = []
    try:
        started = time.monotonic()
        for w in workers:
            await w.start({**env, "TELEGRAM_API_BASE": f"http://{w.api_host}:{fake_api.port}"})
        await until(
            lambda: all(w.said("webhook server listening") for w in workers),
            within=90,
            what="both workers listening",
        )
        transcript.append(f"both workers up in {time.monotonic() - started:.1f} s")
        route = Settings(_env_file=None, webhook_secret=SecretStr(SECRET)).webhook_route

        def person(user_id: int, name: str) -> WebhookPerson:
            return WebhookPerson(
                cast(Any, None),
                cast(Any, None),
                fake_api,
                user_id,
                name,
                http=http,
                proxy=proxy,
                workers=workers,
                route=route,
            )

        # --- a registration whose updates alternate between the workers ----------------
        maria = person(MARIA, "Мария")
        await maria.send("/start INVITE12")
        await maria.click("Согласен")
        await answer_mentee_questionnaire(maria)
        reply = await maria.click("Всё верно")
        assert "Ваша роль в программе" in reply.text
        got = [worker for _, worker in proxy.routed]
        assert set(got) == {0, 1} and all(a != b for a, b in itertools.pairwise(got))
        for name, w in zip("AB", workers, strict=True):
            ids = sorted(uid for uid, ok in w.handled.items() if ok)
            transcript.append(f"worker {name} handled Maria's updates {ids}")

        # --- exactly one leader; it delivers the outbox ------------------------------------
        def notices() -> list[Any]:
            return [
                c for c in fake_api.calls_of("sendMessage") if int(c.params["chat_id"]) == CURATOR
            ]

        await until(lambda: len(notices()) >= 1, what="the curator's notice")
        leaders = [w for w in workers if w.said("scheduler leader")]
        assert len(leaders) == 1, [w.log[-1500:] for w in workers]
        leader = leaders[0]
        survivor = workers[1 - workers.index(leader)]
        assert [c.host.split(":")[0] for c in notices()] == [leader.api_host]
        assert "Иванова Мария Петровна" in fake_api.chat(CURATOR)[-1].text
        transcript.append(
            f"leader: worker {leader.name}; it delivered the curator's notice "
            f"(calls from worker {survivor.name} to sendMessage for the curator: 0)"
        )

        # --- kill -9 the leader: the other takes over ---------------------------------------
        # Killed when idle: rows a dead sender had claimed wait out their lease (2 min),
        # and so do the later rows of those chats (a person's messages stay in order).
        await all_sent(db)
        assert leader.proc is not None
        killed_at = time.monotonic()
        leader.proc.send_signal(signal.SIGKILL)
        await until(lambda: survivor.said("scheduler leader") is not None, what="takeover")
        took = (survivor.said("scheduler leader") or 0) - killed_at
        transcript.append(
            f"leader {leader.name} killed (-9); worker {survivor.name} leads after {took:.1f} s"
        )
        assert took < 10  # a dispatch tick (2 s) after the lock's connection died

        petr = person(PETR, "Пётр")
        await petr.send("/start INVITE12")
        await petr.click("Согласен")
        await answer_mentee_questionnaire(petr, name="Петров Пётр Петрович")
        reply = await petr.click("Всё верно")
        assert "Ваша роль в программе" in reply.text
        await until(lambda: len(notices()) >= 2, what="the second notice")
        assert notices()[-1].host.split(":")[0] == survivor.api_host
        transcript.append(
            f"Petr registered through worker {survivor.name} alone "
            f"(the proxy marked {leader.name} dead); {survivor.name} delivered his notice"
        )
        await all_sent(db)
        await survivor.stop()  # SIGTERM: a clean stop
        assert survivor.said("scheduler stopped"), survivor.log[-2000:]
    finally:
        await asyncio.gather(*(w.stop() for w in workers))
        await proxy.stop()
        await http.close()
        print("\n".join(transcript))

    db.expire_all()
    people = list(
        await db.scalars(
            select(Participant.status).where(Participant.telegram_id.in_([MARIA, PETR]))
        )
    )
    assert people == [ParticipantStatus.ACTIVE, ParticipantStatus.ACTIVE]
    rows = list(await db.scalars(select(Outbox.status)))
    assert rows and set(rows) == {OutboxStatus.SENT}
    assert len(notices()) == 2  # each notice once: nothing sent twice by two senders
    for w in workers:
        assert "Traceback" not in w.log, w.log[-3000:]
