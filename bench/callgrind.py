"""Instructions instead of seconds: a bench run again under valgrind's callgrind.

On this machine the same run's CPU time moves by a third from one minute to the next
(other tenants share the cores and the caches), so a change worth a few percent cannot be
told from noise by timing it. The number of instructions the process executes for the
same work does not move: callgrind counts them (the same figure twice to a fraction of
a percent, whatever else the machine does). What it does not see is what an instruction
costs — cache misses, the kernel, the database server's process — so it answers "did this
change make the bot do less", not "is the bot fast".

The parent process starts the same bench under ``valgrind --tool=callgrind`` with the
counting off; the child turns it on around each measured batch (``counted``), and each
batch is written to a dump of its own, which the parent reads back in order.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# Set in the child: the folder the dumps go to.
_DIR = "BENCH_CALLGRIND_DIR"


class Unavailable(RuntimeError):
    pass


def inside() -> bool:
    """True in the child that runs under callgrind."""
    return _DIR in os.environ


def _control(*args: str) -> None:
    subprocess.run(
        ["callgrind_control", *args, str(os.getpid())],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@contextmanager
def counted() -> Iterator[None]:
    """Count the instructions of what runs inside, into a dump of its own (the child
    only; elsewhere it does nothing)."""
    if not inside():
        yield
        return
    _control("--instr=on")
    try:
        yield
    finally:
        _control("--instr=off")
        _control("--dump")


def run(module: str, args: Sequence[str]) -> list[int]:
    """``python -m module *args`` under callgrind; the instructions of each ``counted``
    block, in the order they ran. The child's own output passes through."""
    for tool in ("valgrind", "callgrind_control"):
        if shutil.which(tool) is None:
            raise Unavailable(
                f"{tool} is not installed (Debian: apt-get install valgrind); "
                "the instruction counts need it"
            )
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as folder:
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={folder}/cg.%p",
            sys.executable,
            "-m",
            module,
            *args,
        ]
        env = {**os.environ, _DIR: folder}
        done = subprocess.run(command, env=env, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stderr[-4000:])
            raise RuntimeError(f"the bench under callgrind failed ({done.returncode})")
        return [_total(path) for path in _dumps(Path(folder))]


def _dumps(folder: Path) -> list[Path]:
    """The numbered dumps (cg.<pid>.1, .2, …) in order; the last, unnumbered one is
    what ran after the counting was last turned off (nothing)."""
    numbered = [p for p in folder.glob("cg.*.*") if p.suffix[1:].isdigit()]
    return sorted(numbered, key=lambda p: int(p.suffix[1:]))


def _total(path: Path) -> int:
    with path.open(encoding="utf-8", errors="replace") as dump:
        for line in dump:
            if line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError(f"no totals in {path.name}")
