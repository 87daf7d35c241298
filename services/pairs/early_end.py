"""Ending a pair early with notice (art. 351.8 ТК РФ lets either side end mentoring early
with at least three working days' notice, as the issue states it).

The mentor, a mentee of the pair or the curator gives a reason; the earliest end date
is NOTICE_DAYS working days ahead in the school's calendar (services.working_days); the
others and the curator are told through the outbox; the pair ends on that date by the
planning tick, unless the one who asked (or a curator) cancels it before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, EndingStatus, Pair, PairEnding, Participant, School
from services import audit, nudges, outbox, programmes, working_days
from services.access import Actor, school_in_scope
from services.clock import Clock, local_today, next_allowed
from services.errors import AccessDenied, DomainError, NotFound
from services.outbox import Kind
from services.pairs.lifecycle import close
from services.pairs.loading import Loaded, load_pairs
from services.validation import clean_reason

NOTICE_DAYS = 3  # working days


async def _role_in(session: AsyncSession, actor: Actor, loaded: Loaded) -> str:
    """mentor | mentee | curator: who the actor is to this pair; refused otherwise."""
    pair = loaded.pair
    me = actor.participant_id
    if me is not None and me == pair.mentor_id:
        return "mentor"
    if me is not None and me in {m.mentee_id for m in pair.active_members}:
        if len(pair.active_members) > 1:
            # Ending would end the whole group: the mentor or the curator decides that.
            raise DomainError("agreement.ending.group_mentee")
        return "mentee"
    if actor.is_staff:
        await school_in_scope(session, actor, pair.school_id)
        return "curator"
    raise NotFound()


async def _load(session: AsyncSession, pair_id: int) -> Loaded:
    found = await load_pairs(session, Pair.id == pair_id)
    if not found:
        raise NotFound()
    return found[0]


_SCHEDULED = select(PairEnding).where(
    PairEnding.pair_id.in_(bindparam("ids", expanding=True)),
    PairEnding.status == EndingStatus.SCHEDULED,
)  # built once: /my asks on every call


async def scheduled(session: AsyncSession, pair_ids: list[int]) -> dict[int, PairEnding]:
    if not pair_ids:
        return {}
    rows = await session.scalars(_SCHEDULED, {"ids": pair_ids})
    return {e.pair_id: e for e in rows}


@dataclass(frozen=True)
class Earliest:
    pair_id: int
    ends_on: dt.date
    role: str


async def earliest(session: AsyncSession, actor: Actor, pair_id: int, clock: Clock) -> Earliest:
    """The date the pair would end if notice were given now (the id came from a button)."""
    loaded = await _load(session, pair_id)
    role = await _role_in(session, actor, loaded)
    if loaded.pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")
    if await scheduled(session, [pair_id]):
        raise DomainError("agreement.ending.already")
    today = local_today(clock.now(), loaded.zone)
    calendar = await working_days.for_school(session, loaded.pair.school_id, today)
    return Earliest(pair_id, calendar.add(today, NOTICE_DAYS), role)


async def _others(session: AsyncSession, pair: Pair, actor_id: int | None) -> list[int]:
    people = [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]
    people += await nudges.overseers(session, pair.school_id)
    return [p for p in dict.fromkeys(people) if p != actor_id]


async def _tell(
    session: AsyncSession,
    ending: PairEnding,
    pair: Pair,
    zone: str,
    kind: str,
    now: dt.datetime,
    actor_id: int | None,
) -> None:
    rules = await programmes.send_rules(session, pair.school_id, local_today(now, zone))
    due = next_allowed(now, rules, days_off_count=False)
    for recipient in await _others(session, pair, actor_id):
        await outbox.enqueue(
            session,
            recipient_id=recipient,
            kind=kind,
            due_at=due,
            now=now,
            dedupe_key=f"{kind}:{ending.id}:{recipient}",
            payload={"ending_id": ending.id},
        )


async def schedule(
    session: AsyncSession, actor: Actor, pair_id: int, reason: str, clock: Clock
) -> PairEnding:
    now = clock.now()
    reason = clean_reason(reason)
    await session.execute(select(Pair.id).where(Pair.id == pair_id).with_for_update())
    found = await earliest(session, actor, pair_id, clock)
    loaded = await _load(session, pair_id)
    ending = PairEnding(
        pair_id=pair_id,
        requested_by_id=actor.participant_id,
        by_role=found.role,
        reason=reason,
        requested_at=now,
        ends_on=found.ends_on,
        status=EndingStatus.SCHEDULED,
    )
    session.add(ending)
    await session.flush()
    await _tell(
        session, ending, loaded.pair, loaded.zone, Kind.PAIR_ENDING, now, actor.participant_id
    )
    audit.record(
        session,
        now,
        "pair.ending.scheduled",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair_id,
    )
    await session.commit()
    return ending


async def schedule_on(
    session: AsyncSession, actor: Actor, addendum_id: int, reason: str, clock: Clock
) -> PairEnding:
    """The curator lets the pair complete when its addendum's period ends: an ending
    on that date (no early notice: the period was agreed), cancellable like any other."""
    from services.pairs import addenda

    now = clock.now()
    addendum = await addenda.for_curator(session, actor, addendum_id)
    await session.execute(select(Pair.id).where(Pair.id == addendum.pair_id).with_for_update())
    loaded = await _load(session, addendum.pair_id)
    if await _role_in(session, actor, loaded) != "curator":
        raise AccessDenied()
    if loaded.pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")
    if await scheduled(session, [loaded.pair.id]):
        raise DomainError("agreement.ending.already")
    if addendum.ends_on <= local_today(now, loaded.zone):
        raise DomainError("addendum.period_over")
    ending = PairEnding(
        pair_id=loaded.pair.id,
        requested_by_id=actor.participant_id,
        by_role="curator",
        reason=reason,
        requested_at=now,
        ends_on=addendum.ends_on,
        status=EndingStatus.SCHEDULED,
    )
    session.add(ending)
    await session.flush()
    await _tell(
        session, ending, loaded.pair, loaded.zone, Kind.PAIR_ENDING, now, actor.participant_id
    )
    audit.record(
        session,
        now,
        "pair.ending.period",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=loaded.pair.id,
    )
    await session.commit()
    return ending


async def cancel(session: AsyncSession, actor: Actor, ending_id: int, clock: Clock) -> PairEnding:
    """Cancel a scheduled ending: the one who asked, or a curator of the school."""
    now = clock.now()
    await session.execute(select(PairEnding.id).where(PairEnding.id == ending_id).with_for_update())
    ending = await session.get(PairEnding, ending_id, populate_existing=True)
    if ending is None:
        raise NotFound()
    loaded = await _load(session, ending.pair_id)
    role = await _role_in(session, actor, loaded)
    if role != "curator" and ending.requested_by_id != actor.participant_id:
        raise AccessDenied("agreement.ending.not_yours")
    if ending.status != EndingStatus.SCHEDULED:
        raise DomainError(f"agreement.ending.already.{ending.status.value}")
    ending.status = EndingStatus.CANCELLED
    ending.cancelled_at = now
    ending.cancelled_by_id = actor.participant_id
    await _tell(
        session,
        ending,
        loaded.pair,
        loaded.zone,
        Kind.PAIR_ENDING_CANCELLED,
        now,
        actor.participant_id,
    )
    audit.record(
        session,
        now,
        "pair.ending.cancelled",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=ending.pair_id,
    )
    await session.commit()
    return ending


async def tick(session: AsyncSession, now: dt.datetime) -> int:
    """End the pairs whose notice ran out (the school-local date came). Idempotent."""
    rows = (
        await session.execute(
            select(PairEnding, School.timezone)
            .join(Pair, Pair.id == PairEnding.pair_id)
            .join(School, School.id == Pair.school_id)
            .where(PairEnding.status == EndingStatus.SCHEDULED)
            .with_for_update(of=PairEnding, skip_locked=True)
        )
    ).all()
    ended = 0
    for ending, zone in rows:
        if local_today(now, zone) < ending.ends_on:
            continue
        ending.status = EndingStatus.DONE
        pair = await session.get(Pair, ending.pair_id)
        if pair is None or pair.status not in LIVE_PAIR:
            continue  # completed or ended otherwise meanwhile
        await close(session, pair, ending.reason or "—", now, ending.requested_by_id, zone)
        ended += 1
    await session.commit()
    return ended


@dataclass(frozen=True)
class EndingFacts:
    ending: PairEnding
    pair: Pair
    school_name: str
    by_name: str | None
    to_mentor: bool


async def facts(session: AsyncSession, ending_id: int, recipient_id: int) -> EndingFacts | None:
    """What a notice about an ending needs; None when it no longer applies."""
    ending = await session.get(PairEnding, ending_id)
    if ending is None:
        return None
    loaded = await _load(session, ending.pair_id)
    by = None
    if ending.requested_by_id is not None:
        who = await session.get(Participant, ending.requested_by_id)
        by = who.full_name if who else None
    return EndingFacts(
        ending, loaded.pair, loaded.school_name, by, recipient_id == loaded.pair.mentor_id
    )
