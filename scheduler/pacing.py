"""Pacing for Telegram's limits, in monotonic seconds: a global token bucket and a
per-chat pause. Pure bookkeeping; the sender does the waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

Monotonic = Callable[[], float]


class TokenBucket:
    """At most `rate` sends per second on average (a GCRA: each send moves the theoretical
    arrival time one interval on). A send may come up to `(burst - 1)` intervals early:
    with burst 1 any one-second window holds at most `rate` sends; with 1.5, half an
    interval of tolerance absorbs the event loop's late wake-ups (they would otherwise
    add up and lower the rate), and a window may hold rate + 1."""

    def __init__(
        self, rate: float, *, burst: float = 1.0, monotonic: Monotonic = time.monotonic
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be positive and burst at least 1")
        self.interval = 1.0 / rate
        self.burst = burst
        self._monotonic = monotonic
        self._tat = 0.0

    def delay(self) -> float:
        """Seconds to wait before the next send conforms."""
        allowed_at = self._tat - (self.burst - 1) * self.interval
        return max(0.0, allowed_at - self._monotonic())

    def take(self) -> None:
        self._tat = max(self._tat, self._monotonic()) + self.interval


class ChatPacer:
    """One message per `interval` seconds per chat, timed from when the last one was
    answered (Telegram counts arrivals; an answer comes after the arrival)."""

    def __init__(self, interval: float, *, monotonic: Monotonic = time.monotonic):
        self.interval = interval
        self._monotonic = monotonic
        self._last: dict[Hashable, float] = {}

    def ready_at(self, chat: Hashable) -> float:
        last = self._last.get(chat)
        return float("-inf") if last is None else last + self.interval

    def sent(self, chat: Hashable) -> None:
        now = self._monotonic()
        self._last[chat] = now
        if len(self._last) > 10_000:
            # Forget chats whose pause is over, so the map stays small.
            self._last = {k: v for k, v in self._last.items() if v + self.interval > now}
