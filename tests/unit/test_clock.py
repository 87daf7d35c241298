from __future__ import annotations

import datetime as dt

from services.clock import SendRules, next_allowed

UTC = dt.UTC


def test_daytime_on_a_weekday_is_sent_as_is() -> None:
    rules = SendRules(zone="Europe/Moscow")
    at = dt.datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # Tuesday 12:00 in Moscow
    assert next_allowed(at, rules) == at


def test_quiet_evening_moves_to_next_morning_in_local_time() -> None:
    rules = SendRules(zone="Asia/Novosibirsk")  # UTC+7
    at = dt.datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # 22:30 local, Tuesday
    assert next_allowed(at, rules) == dt.datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00


def test_early_morning_moves_to_eight_the_same_day() -> None:
    rules = SendRules(zone="Asia/Yekaterinburg")  # UTC+5
    at = dt.datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 06:00 local
    assert next_allowed(at, rules) == dt.datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def test_weekend_and_holidays_move_nudges_but_not_meeting_messages() -> None:
    rules = SendRules(
        zone="Europe/Moscow",
        holidays=((dt.date(2026, 11, 30), dt.date(2026, 12, 1)),),
    )
    saturday_noon = dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    # Saturday, Sunday, then the Monday–Tuesday holiday: Wednesday 08:00 Moscow.
    assert next_allowed(saturday_noon, rules) == dt.datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert next_allowed(saturday_noon, rules, days_off_count=False) == saturday_noon


def test_quiet_hours_not_crossing_midnight() -> None:
    rules = SendRules(zone="Europe/Moscow", quiet_from=dt.time(13, 0), quiet_to=dt.time(14, 0))
    at = dt.datetime(2026, 11, 24, 10, 30, tzinfo=UTC)  # 13:30 Moscow
    assert next_allowed(at, rules) == dt.datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
