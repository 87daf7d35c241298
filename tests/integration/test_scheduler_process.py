"""The real bot process sends what the outbox holds: `python -m bot run` on an embedded
SQLite file elects itself leader (the lock row), and its scheduler delivers two
introductions queued before it started, through the fake Bot API; on SIGTERM it stops
cleanly."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

from sqlalchemy import select

from bot.migrate import upgrade_async
from models import LeaderLock, Outbox, OutboxStatus
from models.db import create_engine, create_sessionmaker
from services import outbox
from services.outbox import Kind
from tests import arrange
from tests.arrange.outbox import eventually
from tests.fakes.bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
MENTOR_TG, MENTEE_TG = 710_000_001, 710_000_002


async def test_the_running_bot_delivers_queued_introductions(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    now = dt.datetime.now(dt.UTC)
    async with sessionmaker() as db:
        school = await arrange.school_in_zone(db, "Europe/Moscow", "МБОУ «Школа № 5»")
        setup = await arrange.mentor_and_mentees(
            db, school, mentor_tg=MENTOR_TG, mentee_tgs=(MENTEE_TG,)
        )
        mentee = setup.mentees[0]
        for recipient in (setup.mentor, mentee):
            await outbox.enqueue(
                db,
                recipient_id=recipient.id,
                kind=Kind.PAIR_INTRO,
                due_at=now - dt.timedelta(minutes=1),
                now=now,
                dedupe_key=f"intro:{setup.pair.id}:{recipient.id}",
                payload={"pair_id": setup.pair.id, "mentee_id": mentee.id},
                pair_id=setup.pair.id,
            )
        await db.commit()

    api = FakeBotAPI()
    await api.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api.base_url,
        "LOG_LEVEL": "INFO",
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await eventually(lambda: bool(api.chat(MENTOR_TG) and api.chat(MENTEE_TG)), within=30)
        assert proc.returncode is None, "the bot process exited early"
    finally:
        if proc.returncode is None:
            proc.terminate()
        try:
            _, err = await asyncio.wait_for(proc.communicate(), timeout=20)
        except TimeoutError:
            proc.kill()
            _, err = await proc.communicate()
        api.push_update({"message": {}})  # wake the long poll the bot left behind
        await api.stop()
    log = err.decode()
    assert "Traceback" not in log, log[-2000:]
    assert "scheduler leader" in log and "scheduler stopped" in log, log[-2000:]

    assert "Иванова Мария Петровна" in api.chat(MENTOR_TG)[0].text
    assert "Петров Иван Сергеевич" in api.chat(MENTEE_TG)[0].text
    async with sessionmaker() as db:
        statuses = set(await db.scalars(select(Outbox.status)))
        # Shut down cleanly: leadership given up, so a new process leads at once.
        locks = list(await db.scalars(select(LeaderLock.holder)))
    await engine.dispose()
    assert statuses == {OutboxStatus.SENT}
    assert locks == []
