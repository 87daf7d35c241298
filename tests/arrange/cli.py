"""`python -m bot …` run as a person runs it on a laptop: a subprocess on an embedded
SQLite file x.db in the test's folder, no bot token, Moscow as the default zone."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


async def run_cli(tmp_path: Path, *args: str, cwd: Path = ROOT) -> tuple[int, str, str]:
    """The exit code, stdout and stderr. `cwd` other than the project shows that
    relative paths (the file to import) are taken from where the person stands."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "BOT_TOKEN": "",
        "DEFAULT_TIMEZONE": "Europe/Moscow",
        "PYTHONPATH": str(ROOT),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
