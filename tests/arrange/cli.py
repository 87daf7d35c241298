"""`python -m bot …` run as a person runs it: a subprocess of the project. `run_cli`
is the laptop case (an embedded SQLite file x.db in the test's folder, no bot token,
Moscow as the default zone); `run_bot` takes the whole environment."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


async def run_bot(
    *args: str,
    env: dict[str, str],
    cwd: Path = ROOT,
    within: float = 120,
    hangs: str = "the command did not finish",
) -> tuple[int, str, str]:
    """The exit code, stdout and stderr; a process still running after `within`
    seconds is killed and fails the test with `hangs`."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout=within)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError(hangs) from None
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def run_cli(tmp_path: Path, *args: str, cwd: Path = ROOT) -> tuple[int, str, str]:
    """`cwd` other than the project shows that relative paths (the file to import)
    are taken from where the person stands."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "BOT_TOKEN": "",
        "DEFAULT_TIMEZONE": "Europe/Moscow",
    }
    return await run_bot(*args, env=env, cwd=cwd)
