"""`python -m bot run` in webhook mode without a proper secret: one line, exit code 2,
nothing done (like every other bad setting)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.arrange.cli import run_bot
from tests.fakes.bot_api import TOKEN


async def _run(tmp_path: Path, **extra: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": "http://127.0.0.1:9",  # never reached
        "WEBHOOK_URL": "https://bot.example.ru",
        **extra,
    }
    if "WEBHOOK_SECRET" not in extra:
        env.pop("WEBHOOK_SECRET", None)
    rc, _, err = await run_bot(
        "run",
        "--migrate",
        env=env,
        within=60,
        hangs="the bot started a webhook without a proper secret",
    )
    return rc, err


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({}, "не задан"),
        ({"WEBHOOK_SECRET": "s3cret"}, "нужно от 32 до 256 символов"),
    ],
)
async def test_webhook_mode_without_a_long_secret_refuses_to_start_in_one_line(
    tmp_path: Path, extra: dict[str, str], says: str
) -> None:
    rc, err = await _run(tmp_path, **extra)
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Ошибка настройки: WEBHOOK_SECRET: ")
    assert says in lines[0]
    assert "s3cret" not in lines[0]
    assert not (tmp_path / "bot.db").exists()  # not even migrated
