"""The status rules of docs/pair-status.md (pure), the facts gathered for them on
PostgreSQL, and the typed inputs of the pair screens (order, pause date, reason)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import FeedbackStatus, MeetingKind, MeetingStatus, PairStatus
from services import pairs, validation
from services.access import Actor
from services.errors import DomainError
from services.pairs import Level, PairFacts, StatusRules, health
from tests import arrange

NOW = arrange.NOW
TODAY = dt.date(2026, 11, 23)
DAY = dt.timedelta(days=1)
RULES = StatusRules(interval_days=14, silent_after_days=21, stage_stuck_days=30)


def facts(**kw: object) -> PairFacts:
    base: dict[str, object] = {
        "status": PairStatus.ACTIVE,
        "next_kind": MeetingKind.TRIAL,
        "formed_at": NOW - 60 * DAY,
        "stage_since": NOW - 5 * DAY,
        "last_held_at": NOW - 5 * DAY,
    }
    base.update(kw)
    return PairFacts(**base)  # type: ignore[arg-type]


def judge(**kw: object) -> pairs.Health:
    return health(facts(**kw), RULES, NOW, TODAY)


def flags(h: pairs.Health) -> list[str]:
    return [f.code for f in h.flags]


def test_on_track_with_a_recent_meeting_or_a_confirmed_one_ahead() -> None:
    assert judge().level == Level.ON_TRACK
    assert judge(last_held_at=NOW - 14 * DAY).level == Level.ON_TRACK
    h = judge(last_held_at=NOW - 18 * DAY, next_confirmed_at=NOW + 2 * DAY, has_upcoming=True)
    assert h.level == Level.ON_TRACK
    # A new pair has its first interval to meet.
    h = judge(formed_at=NOW - 10 * DAY, stage_since=NOW - 10 * DAY, last_held_at=None)
    assert h.level == Level.ON_TRACK


def test_overdue_past_the_rhythm_needs_attention() -> None:
    h = judge(last_held_at=NOW - 15 * DAY, stage_since=NOW - 15 * DAY)
    assert h.level == Level.ATTENTION and flags(h) == ["overdue"]
    assert h.flags[0].params == {"days": 15, "interval": 14}
    # A meeting proposed but not yet confirmed does not put the pair back on track.
    h = judge(last_held_at=NOW - 15 * DAY, stage_since=NOW - 15 * DAY, has_upcoming=True)
    assert h.level == Level.ATTENTION


def test_each_attention_reason_on_its_own() -> None:
    assert flags(judge(not_fit=True)) == ["not_fit"]
    assert flags(judge(missing_feedback=2)) == ["feedback"]
    assert flags(judge(unlogged_at=NOW - 2 * DAY)) == ["unlogged"]
    assert flags(judge(blocked=1)) == ["blocked"]
    assert judge(blocked=1).level == Level.ATTENTION


def test_silence_without_a_meeting_ahead_is_stalled() -> None:
    h = judge(last_held_at=NOW - 21 * DAY, stage_since=NOW - 21 * DAY)
    assert h.level == Level.STALLED and flags(h) == ["silent"]
    h = judge(formed_at=NOW - 25 * DAY, stage_since=NOW - 25 * DAY, last_held_at=None)
    assert flags(h) == ["silent_new"] and h.flags[0].params == {"days": 25}
    # With a meeting ahead the silence is overdue only, not a standstill.
    h = judge(last_held_at=NOW - 25 * DAY, stage_since=NOW - 25 * DAY, has_upcoming=True)
    assert h.level == Level.ATTENTION


def test_a_stage_stuck_is_stalled_but_regular_meetings_keep_their_stage_moving() -> None:
    h = judge(stage_since=NOW - 30 * DAY, last_held_at=NOW - 3 * DAY)
    assert h.level == Level.STALLED and flags(h) == ["stuck"]
    assert h.flags[0].params == {"days": 30, "kind": MeetingKind.TRIAL}
    h = judge(next_kind=MeetingKind.REGULAR, stage_since=NOW - 90 * DAY, last_held_at=NOW - 3 * DAY)
    assert h.level == Level.ON_TRACK


def test_stalled_also_lists_the_attention_reasons() -> None:
    h = judge(last_held_at=NOW - 22 * DAY, stage_since=NOW - 22 * DAY, not_fit=True, blocked=1)
    assert h.level == Level.STALLED and flags(h) == ["silent", "not_fit", "blocked"]


def test_pause_and_its_end_restart_the_clocks() -> None:
    h = judge(status=PairStatus.PAUSED, paused_until=TODAY + DAY, last_held_at=NOW - 50 * DAY)
    assert h.level == Level.PAUSED
    # The pause ended two days ago: two days of silence, not fifty.
    h = judge(
        status=PairStatus.PAUSED,
        paused_until=TODAY - 2 * DAY,
        resumed_at=NOW - 2 * DAY,
        last_held_at=NOW - 50 * DAY,
        stage_since=NOW - 50 * DAY,
    )
    assert h.level == Level.ON_TRACK


def test_closed_pairs_are_closed() -> None:
    assert judge(status=PairStatus.ENDED).level == Level.CLOSED
    assert judge(status=PairStatus.COMPLETED, next_kind=None).level == Level.CLOSED


@pytest.mark.parametrize(
    ("text", "number", "date"),
    [
        ("№ 45 от 01.09.2026", "45", dt.date(2026, 9, 1)),
        ("45 от 1.9.2026", "45", dt.date(2026, 9, 1)),
        ("Приказ №45-о от 01.09.26", "45-о", dt.date(2026, 9, 1)),
        ("от 01.09.2026 № 12/3-к", "12/3-к", dt.date(2026, 9, 1)),
        ("N 7 01.09.2026", "7", dt.date(2026, 9, 1)),
    ],
)
def test_order_is_read_in_the_ways_people_write_it(text: str, number: str, date: dt.date) -> None:
    assert pairs.parse_order(text, TODAY) == (number, date)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("завтра", "pairs.order.bad"),
        ("№ 45", "pairs.order.bad"),
        ("01.09.2026", "pairs.order.bad"),
        ("№ 45 от 01.09.2026 и 02.09.2026", "pairs.order.bad"),
        ("№ 45 от 31.02.2026", "pairs.order.bad_date"),
        ("№ 45 от 01.09.1999", "pairs.order.bad_date"),
        ("№ 45 от 01.09.2030", "pairs.order.bad_date"),
        ("№ привет от 01.09.2026", "pairs.order.bad"),
    ],
)
def test_a_bad_order_gets_its_hint(text: str, code: str) -> None:
    with pytest.raises(DomainError) as err:
        pairs.parse_order(text, TODAY)
    assert err.value.code == code


def test_pause_date_and_end_reason() -> None:
    assert pairs.parse_pause_until("15.01.2027", TODAY) == dt.date(2027, 1, 15)
    for text, code in (
        ("15 января", "pairs.pause.bad_date"),
        ("30.02.2027", "pairs.pause.bad_date"),
        ("23.11.2026", "pairs.pause.past"),
        ("01.06.2027", "pairs.pause.too_far"),
    ):
        with pytest.raises(DomainError) as err:
            pairs.parse_pause_until(text, TODAY)
        assert err.value.code == code
    assert validation.clean_reason("  Наставник   уволился ") == "Наставник уволился"
    for text in ("", "ok", "12345"):
        with pytest.raises(DomainError):
            validation.clean_reason(text)
    with pytest.raises(DomainError) as err:
        validation.clean_reason("а" * 501)
    assert err.value.code == "reason.too_long"


async def test_facts_come_from_meetings_and_feedback(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(
        db, w.petrov, [w.mentee], formed_at=NOW - 20 * DAY, next_kind=MeetingKind.PLANNING
    )
    await arrange.meeting(db, p, MeetingKind.INTRO, NOW - 15 * DAY, status=MeetingStatus.HELD)
    trial = await arrange.meeting(
        db, p, MeetingKind.TRIAL, NOW - 4 * DAY, status=MeetingStatus.HELD
    )
    await arrange.feedback(db, trial, w.petrov, rating=5)
    await arrange.feedback(db, trial, w.mentee, due_at=NOW - DAY)  # overdue
    await arrange.meeting(db, p, MeetingKind.PLANNING, NOW - 2 * DAY, status=MeetingStatus.PROPOSED)
    # A pair has one open meeting at most (a unique index), so the later one is closed.
    await arrange.meeting(
        db, p, MeetingKind.PLANNING, NOW + 1 * DAY, status=MeetingStatus.CANCELLED
    )
    await arrange.meeting(
        db, p, MeetingKind.PLANNING, NOW - 9 * DAY, status=MeetingStatus.CANCELLED
    )
    actor = Actor(
        telegram_id=arrange.CURATOR_A,
        participant_id=w.curator_a.id,
        curator_school_ids=frozenset({w.school_a.id}),
    )
    async with sessionmaker() as session:
        card = await pairs.card(session, actor, p.id, NOW)
    assert card.line.last_held_at == NOW - 4 * DAY
    assert flags(card.line.health) == ["feedback", "unlogged"]
    assert card.line.health.flags[1].params["at"] == NOW - 2 * DAY
    assert [m.kind for m in card.meetings] == [
        MeetingKind.INTRO,
        MeetingKind.PLANNING,
        MeetingKind.TRIAL,
        MeetingKind.PLANNING,
        MeetingKind.PLANNING,
    ]
    trial_line = card.meetings[2]
    assert [(f.status, f.overdue) for f in trial_line.feedback] == [
        (FeedbackStatus.GIVEN, False),
        (FeedbackStatus.REQUESTED, True),
    ]
