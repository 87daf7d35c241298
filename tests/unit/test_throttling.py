"""Per-user throttling: a burst passes, a flood is refused with one warning, time refills."""

from __future__ import annotations

from bot.middlewares.throttling import ThrottlingMiddleware


class Monotonic:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_passes_then_the_next_update_is_refused_with_a_warning() -> None:
    clock = Monotonic()
    mw = ThrottlingMiddleware(rate=1.0, burst=3, monotonic=clock)
    assert [mw.allow(1) for _ in range(3)] == [(True, False)] * 3
    assert mw.allow(1) == (False, True)


def test_the_warning_is_given_once_per_flood() -> None:
    clock = Monotonic()
    mw = ThrottlingMiddleware(rate=1.0, burst=2, monotonic=clock)
    mw.allow(7)
    mw.allow(7)
    refusals = [mw.allow(7) for _ in range(5)]
    assert refusals == [(False, True)] + [(False, False)] * 4


def test_tokens_refill_at_the_rate_and_a_new_flood_warns_again() -> None:
    clock = Monotonic()
    mw = ThrottlingMiddleware(rate=2.0, burst=2, monotonic=clock)
    mw.allow(5)
    mw.allow(5)
    assert mw.allow(5) == (False, True)
    clock.now += 0.25  # half a token: still refused, and no second warning
    assert mw.allow(5) == (False, False)
    clock.now += 0.25  # one token in total
    assert mw.allow(5) == (True, False)
    assert mw.allow(5) == (False, True)  # a new flood: told again


def test_refill_never_exceeds_the_burst() -> None:
    clock = Monotonic()
    mw = ThrottlingMiddleware(rate=10.0, burst=3, monotonic=clock)
    mw.allow(9)
    clock.now += 3600
    assert [mw.allow(9)[0] for _ in range(4)] == [True, True, True, False]


def test_people_are_throttled_separately() -> None:
    clock = Monotonic()
    mw = ThrottlingMiddleware(rate=0.1, burst=1, monotonic=clock)
    assert mw.allow(1) == (True, False)
    assert mw.allow(1) == (False, True)
    assert mw.allow(2) == (True, False)
