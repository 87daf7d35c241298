"""`python -m bot run` in polling mode with WEBAPP_URL serves the panel on WEBAPP_PORT,
on the embedded SQLite database a laptop uses: the page, a 401 with a Russian message
for a request without initData, and a curator's dashboard signed as Telegram signs it
(by the real clock of the process)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import sys
import time
from pathlib import Path

import aiohttp

from bot.migrate import upgrade_async
from models import MeetingKind, MeetingStatus, Municipality, Role, School
from models.db import create_engine, create_sessionmaker
from tests import arrange
from tests.arrange import webapp
from tests.arrange.cli import run_bot
from tests.fakes.bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
CURATOR, MENTOR, MENTEE = 801, 802, 803


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _school_with_a_pair(url: str) -> None:
    await upgrade_async(url)
    engine = create_engine(url)
    try:
        async with create_sessionmaker(engine)() as db:
            mun = Municipality(name="Городской округ Серпухов", timezone="Europe/Moscow")
            db.add(mun)
            await db.flush()
            school = School(municipality_id=mun.id, name="МБОУ «СОШ № 1»", timezone="Europe/Moscow")
            db.add(school)
            await db.commit()
            await arrange.staff(db, CURATOR, "Козлова Анна Викторовна", Role.CURATOR, school=school)
            mentor = await arrange.mentor(db, MENTOR, "Петров Иван Сергеевич", school)
            mentee = await arrange.mentee(db, MENTEE, "Иванова Мария Петровна", school)
            now = dt.datetime.now(dt.UTC)
            pair = await arrange.pair(db, mentor, [mentee], formed_at=now - dt.timedelta(days=10))
            met = await arrange.meeting(
                db, pair, MeetingKind.INTRO, now - dt.timedelta(days=3), status=MeetingStatus.HELD
            )
            await arrange.feedback(db, met, mentee, rating=5)
    finally:
        await engine.dispose()


async def test_polling_mode_serves_the_panel_on_its_port(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await _school_with_a_pair(url)
    port = _free_port()
    api = FakeBotAPI()
    await api.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": api.base_url,
        "WEBAPP_URL": "https://bot.example.ru/panel/",
        "WEBAPP_PORT": str(port),
        "WEBHOOK_HOST": "127.0.0.1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("WEBHOOK_URL", None)
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
    base = f"http://127.0.0.1:{port}/panel/"
    try:
        async with aiohttp.ClientSession() as http:
            page = None
            deadline = time.monotonic() + 60
            while page is None and time.monotonic() < deadline and proc.returncode is None:
                try:
                    async with http.get(base) as r:
                        page = (r.status, await r.text())
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.2)
            assert page is not None, "the panel never answered"
            assert page[0] == 200 and "Панель наставничества" in page[1]
            async with http.get(base + "api/dashboard") as r:
                assert r.status == 401
                assert "Telegram" in (await r.json())["message"]
            signed = webapp.header(CURATOR, auth_date=dt.datetime.now(dt.UTC))
            async with http.get(base + "api/dashboard", headers=signed) as r:
                assert r.status == 200, await r.text()
                body = await r.json()
        (pair,) = body["pairs"]
        assert pair["mentor"] == "Петров Иван Сергеевич"
        assert pair["rating_mentees"] == 5.0
        assert pair["stage"] == "intro"
    finally:
        if proc.returncode is None:
            proc.terminate()
        try:
            _, err = await asyncio.wait_for(proc.communicate(), timeout=15)
        except TimeoutError:
            proc.kill()
            _, err = await proc.communicate()
        await api.stop()
    assert "Traceback" not in err.decode(), err.decode()[-2000:]


async def test_a_busy_panel_port_stops_the_bot_with_a_clear_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    api = FakeBotAPI()
    await api.start()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": api.base_url,
            "WEBAPP_URL": "https://bot.example.ru/panel/",
            "WEBAPP_PORT": str(port),
            "WEBHOOK_HOST": "127.0.0.1",
        }
        env.pop("WEBHOOK_URL", None)
        try:
            rc, _, err = await run_bot(
                "run", "--migrate", env=env, within=60, hangs="the bot ran without its panel"
            )
        finally:
            await api.stop()
    assert rc == 2
    last = err.strip().splitlines()[-1]  # after the log of migrating and starting
    assert last.startswith("Ошибка настройки: WEBAPP_PORT:"), err
    assert str(port) in last
    assert "Traceback" not in err
