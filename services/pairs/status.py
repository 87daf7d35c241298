"""The status rules («в графике» / «нужно внимание» / «застой»): a pure function of a
pair's facts, written down in docs/pair-status.md; services.pairs.facts gathers the facts."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from models import MeetingKind, Pair, PairStatus, Programme


class Level(enum.IntEnum):
    """Worst first, so sorting by it puts the pairs that need the curator on top."""

    STALLED = 0  # застой
    ATTENTION = 1  # нужно внимание
    ON_TRACK = 2  # в графике
    PAUSED = 3
    CLOSED = 4  # completed or ended


@dataclass(frozen=True)
class StatusRules:
    interval_days: int = 14
    silent_after_days: int = 21
    stage_stuck_days: int = 30

    @classmethod
    def of(cls, programme: Programme) -> StatusRules:
        return cls(
            programme.meeting_interval_days,
            programme.silent_after_days,
            programme.stage_stuck_days,
        )


@dataclass(frozen=True)
class PairFacts:
    status: PairStatus
    next_kind: MeetingKind | None
    formed_at: dt.datetime
    stage_since: dt.datetime
    paused_until: dt.date | None = None
    # Local midnight of paused_until once the pause is over: the clocks restart there.
    resumed_at: dt.datetime | None = None
    last_held_at: dt.datetime | None = None
    next_confirmed_at: dt.datetime | None = None
    has_upcoming: bool = False  # a proposed or confirmed meeting still ahead
    unlogged_at: dt.datetime | None = None
    missing_feedback: int = 0  # on the last held meeting
    not_fit: bool = False
    blocked: int = 0


@dataclass(frozen=True)
class Flag:
    code: str  # a locale key under pairs.flag.
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Health:
    level: Level
    flags: tuple[Flag, ...] = ()


def _days(now: dt.datetime, since: dt.datetime) -> int:
    return max(0, (now - since).days)


def health(facts: PairFacts, rules: StatusRules, now: dt.datetime, today: dt.date) -> Health:
    """The rules of docs/pair-status.md (the same clocks as services.nudges uses)."""
    if facts.status in (PairStatus.COMPLETED, PairStatus.ENDED):
        return Health(Level.CLOSED)
    if facts.status == PairStatus.PAUSED and (
        facts.paused_until is None or today < facts.paused_until
    ):
        return Health(Level.PAUSED)
    restart = facts.resumed_at
    silent_since = max(d for d in (facts.formed_at, facts.last_held_at, restart) if d is not None)
    # Regular meetings repeat: each held one keeps that stage moving.
    regular_held = facts.last_held_at if facts.next_kind == MeetingKind.REGULAR else None
    stage_since = max(d for d in (facts.stage_since, regular_held, restart) if d is not None)
    silent = _days(now, silent_since)
    stage_days = _days(now, stage_since)
    confirmed = facts.next_confirmed_at is not None and facts.next_confirmed_at >= now
    stalled: list[Flag] = []
    attention: list[Flag] = []
    if silent >= rules.silent_after_days and not facts.has_upcoming:
        code = "silent" if facts.last_held_at is not None else "silent_new"
        stalled.append(Flag(code, {"days": silent}))
    if facts.next_kind is not None and stage_days >= rules.stage_stuck_days:
        stalled.append(Flag("stuck", {"days": stage_days, "kind": facts.next_kind}))
    if not stalled and silent > rules.interval_days and not confirmed:
        attention.append(Flag("overdue", {"days": silent, "interval": rules.interval_days}))
    if facts.not_fit:
        attention.append(Flag("not_fit"))
    if facts.missing_feedback:
        attention.append(Flag("feedback", {"n": facts.missing_feedback}))
    if facts.unlogged_at is not None:
        attention.append(Flag("unlogged", {"at": facts.unlogged_at}))
    if facts.blocked:
        attention.append(Flag("blocked", {"n": facts.blocked}))
    if stalled:
        return Health(Level.STALLED, (*stalled, *attention))
    if attention:
        return Health(Level.ATTENTION, tuple(attention))
    return Health(Level.ON_TRACK)


def is_paused(pair: Pair, today: dt.date) -> bool:
    """Whether nudges wait for this pair today (the pause ends on paused_until)."""
    return pair.status == PairStatus.PAUSED and (
        pair.paused_until is None or today < pair.paused_until
    )
