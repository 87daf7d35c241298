"""The sender's pacing with a hand-moved monotonic clock: the token bucket never lets
more than rate + 1 sends into any second, a chat waits its interval from the answer."""

from __future__ import annotations

import itertools

import pytest
from pydantic import ValidationError

from bot.config import Settings
from scheduler.pacing import ChatPacer, TokenBucket


class Ticker:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_spaces_sends_at_the_rate_and_keeps_no_credit_beyond_one() -> None:
    t = Ticker()
    bucket = TokenBucket(25, monotonic=t)
    sends = []
    for _ in range(60):
        t.now += bucket.delay()  # the sender sleeps exactly this long
        sends.append(t.now)
        bucket.take()
        t.now += 0.003  # the send itself
    assert all(b - a >= 0.04 - 1e-9 for a, b in itertools.pairwise(sends))
    assert max(sum(1 for x in sends if s <= x < s + 1) for s in sends) == 25

    t.now += 10  # idle for a while: still only one send at once
    assert bucket.delay() == 0
    bucket.take()
    assert abs(bucket.delay() - 0.04) < 1e-9


def test_tolerance_absorbs_late_wake_ups_and_admits_at_most_one_more_a_second() -> None:
    t = Ticker()
    strict, tolerant = TokenBucket(25, monotonic=t), TokenBucket(25, burst=1.5, monotonic=t)
    for bucket in (strict, tolerant):
        t.now = 100.0
        sends = []
        for _ in range(251):
            t.now += bucket.delay() + 0.002  # every wake-up comes 2 ms late
            sends.append(t.now)
            bucket.take()
        rate = (len(sends) - 1) / (sends[-1] - sends[0])
        windows = max(sum(1 for x in sends if s <= x < s + 1) for s in sends)
        if bucket is strict:
            assert rate < 24.0  # the lateness adds up: 1 / 42 ms
            assert windows <= 25
        else:
            assert rate > 24.9
            assert windows <= 26


def test_chat_pacer_waits_the_interval_from_the_last_answer() -> None:
    t = Ticker()
    chats = ChatPacer(1.0, monotonic=t)
    assert chats.ready_at(1) == float("-inf")
    chats.sent(1)
    assert chats.ready_at(1) == 101.0
    assert chats.ready_at(2) == float("-inf")
    t.now = 101.5
    chats.sent(1)
    assert chats.ready_at(1) == 102.5


def test_the_send_rate_setting_cannot_exceed_telegrams_limit() -> None:
    assert Settings(_env_file=None).send_rate == 25
    assert Settings(_env_file=None, send_rate=30).send_rate == 30
    with pytest.raises(ValidationError, match="less than or equal to 30"):
        Settings(_env_file=None, send_rate=31)
    with pytest.raises(ValidationError):
        Settings(_env_file=None, send_per_chat_interval=-1)
