"""Time the process spent in the cyclic garbage collector, per generation."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class GcTime:
    seconds: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    runs: list[int] = field(default_factory=lambda: [0, 0, 0])
    longest: float = 0.0

    def __str__(self) -> str:
        per = ", ".join(
            f"gen{g} {n}× {s * 1000:.0f} ms"
            for g, (n, s) in enumerate(zip(self.runs, self.seconds, strict=True))
        )
        return f"{per}; longest pause {self.longest * 1000:.1f} ms"


@contextmanager
def gc_time() -> Iterator[GcTime]:
    measured = GcTime()
    began = 0.0

    def callback(phase: str, info: dict[str, Any]) -> None:
        nonlocal began
        if phase == "start":
            began = time.perf_counter()
            return
        took = time.perf_counter() - began
        generation = info["generation"]
        measured.seconds[generation] += took
        measured.runs[generation] += 1
        measured.longest = max(measured.longest, took)

    gc.callbacks.append(callback)
    try:
        yield measured
    finally:
        gc.callbacks.remove(callback)
