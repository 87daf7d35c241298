"""The real bot process on an embedded SQLite file: it migrates, polls the (fake) Bot
API and answers /start with the consent; it refuses to start on an old schema or a
bad setting, with one line that says what to do."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from tests.arrange.cli import run_bot
from tests.fakes.bot_api import TOKEN, FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
CONSENT_TITLE = "Согласие на обработку персональных данных"
USER_ID = 700_000_001


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BOT_TOKEN": TOKEN,
        "DEFAULT_TIMEZONE": "Europe/Moscow",
        "LOG_LEVEL": "INFO",
    }
    env.update(extra)
    return env


async def _run_to_end(env: dict[str, str], *args: str) -> tuple[int, str]:
    rc, _, err = await run_bot(
        *args, env=env, within=60, hangs="the bot did not exit; it should have refused to start"
    )
    return rc, err


def _start_update() -> dict[str, object]:
    user = {"id": USER_ID, "is_bot": False, "first_name": "Мария", "language_code": "ru"}
    return {
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": USER_ID, "type": "private", "first_name": "Мария"},
            "from": user,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        }
    }


async def test_the_bot_process_migrates_and_answers_start_with_the_consent(
    tmp_path: Path,
) -> None:
    api = FakeBotAPI()
    await api.start()
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--migrate",
        cwd=ROOT,
        env=_env(tmp_path, TELEGRAM_API_BASE=api.base_url),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        api.push_update(_start_update())
        deadline = time.monotonic() + 60  # migrating on a busy machine is slow
        answer = None
        while answer is None and time.monotonic() < deadline and proc.returncode is None:
            await asyncio.sleep(0.2)
            answer = next((m for m in api.chat(USER_ID) if CONSENT_TITLE in m.text), None)
        assert proc.returncode is None, "the bot process exited early"
        assert answer is not None, [m.text[:80] for m in api.chat(USER_ID)]
        assert any("Согласен" in text for text, _ in answer.buttons)
        assert api.calls_of("getUpdates")
    finally:
        if proc.returncode is None:
            proc.terminate()
        try:
            _, err = await asyncio.wait_for(proc.communicate(), timeout=15)
        except TimeoutError:
            proc.kill()
            _, err = await proc.communicate()
        # Wake the long poll the bot left behind, so the server stops without waiting
        # out its timeout.
        api.push_update({"message": _start_update()["message"]})
        await api.stop()
    assert "Traceback" not in err.decode(), err.decode()[-2000:]


async def test_without_migrate_a_fresh_database_is_refused_with_the_command_to_run(
    tmp_path: Path,
) -> None:
    # Never reaches Telegram: the schema is checked first.
    rc, err = await _run_to_end(_env(tmp_path, TELEGRAM_API_BASE="http://127.0.0.1:9"), "run")
    assert rc != 0
    assert "python -m bot migrate" in err
    assert "Traceback" not in err


async def test_a_bad_time_zone_setting_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = _env(tmp_path, DEFAULT_TIMEZONE="Europe/Serpukhov")
    rc, err = await _run_to_end(env, "run", "--migrate")
    assert rc != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Ошибка настройки")
    assert "DEFAULT_TIMEZONE" in lines[0]
    assert not (tmp_path / "bot.db").exists()  # nothing was done
