"""The addendum (дополнительное соглашение) of a pair, as the curator records it from the
pair card: its number and date, the mentoring period, the form, whether it is paid and
the rate type as the school sets it. The bot keeps these details; the document itself
lives with the school's HR. An extension is a new addendum (a new row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, MentoringForm, Pair, PairAddendum, School
from services import audit, nudges, outbox, programmes
from services.access import Actor
from services.clock import Clock, local_today, next_allowed
from services.errors import DomainError
from services.outbox import Kind
from services.pairs.loading import pair_in_scope
from services.validation import FieldError

MAX_NUMBER = 50
MAX_RATE = 100
MAX_YEARS = 5  # a period longer than this is a typo


def clean_number(text: str) -> str:
    value = " ".join(text.replace("№", " ").split())
    if not value or not any(c.isalnum() for c in value):
        raise FieldError("addendum.bad_number")
    if len(value) > MAX_NUMBER:
        raise FieldError("addendum.number_too_long", limit=MAX_NUMBER)
    return value


def clean_rate(text: str) -> str:
    value = " ".join(text.split())
    if not value or not any(c.isalpha() for c in value):
        raise FieldError("addendum.bad_rate")
    if len(value) > MAX_RATE:
        raise FieldError("addendum.rate_too_long", limit=MAX_RATE)
    return value


@dataclass(frozen=True)
class Terms:
    number: str
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    form: MentoringForm
    paid: bool
    rate_type: str | None


def check_terms(terms: Terms) -> None:
    if terms.ends_on <= terms.starts_on:
        raise DomainError("addendum.bad_period")
    if (terms.ends_on - terms.starts_on).days > 366 * MAX_YEARS:
        raise DomainError("addendum.too_long")


async def current(session: AsyncSession, pair_ids: list[int]) -> dict[int, PairAddendum]:
    """Each pair's latest addendum."""
    if not pair_ids:
        return {}
    latest = (
        select(func.max(PairAddendum.id))
        .where(PairAddendum.pair_id.in_(pair_ids))
        .group_by(PairAddendum.pair_id)
    )
    rows = await session.scalars(select(PairAddendum).where(PairAddendum.id.in_(latest)))
    return {a.pair_id: a for a in rows}


async def check_pair(session: AsyncSession, actor: Actor, pair_id: int) -> None:
    """Before the form: the pair is the curator's and still works."""
    loaded = await pair_in_scope(session, actor, pair_id)
    if loaded.pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")


async def record(
    session: AsyncSession, actor: Actor, pair_id: int, terms: Terms, clock: Clock
) -> PairAddendum:
    now = clock.now()
    loaded = await pair_in_scope(session, actor, pair_id)
    if loaded.pair.status not in LIVE_PAIR:
        raise DomainError("pairs.closed")
    check_terms(terms)
    addendum = PairAddendum(
        pair_id=pair_id,
        number=clean_number(terms.number),
        signed_on=terms.signed_on,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        form=terms.form,
        paid=terms.paid,
        rate_type=clean_rate(terms.rate_type) if terms.paid and terms.rate_type else None,
        created_at=now,
        created_by_id=actor.participant_id,
    )
    session.add(addendum)
    audit.record(
        session,
        now,
        "pair.addendum",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair_id,
    )
    await session.commit()
    return addendum


NOTICE_BEFORE = dt.timedelta(days=14)  # the period's end is announced two weeks ahead


async def period_tick(session: AsyncSession, now: dt.datetime) -> int:
    """Two weeks before the current addendum's period ends, the curator and both sides
    are told (once per addendum and person). The curator then extends (a new addendum)
    or lets the pair complete on that date (services.pairs.early_end.schedule_on)."""
    latest = select(func.max(PairAddendum.id)).group_by(PairAddendum.pair_id)
    rows = (
        await session.execute(
            select(PairAddendum, Pair, School.timezone)
            .join(Pair, Pair.id == PairAddendum.pair_id)
            .join(School, School.id == Pair.school_id)
            .where(PairAddendum.id.in_(latest), Pair.status.in_(LIVE_PAIR))
        )
    ).all()
    added = 0
    for addendum, pair, zone in rows:
        today = local_today(now, zone)
        if not addendum.ends_on - NOTICE_BEFORE <= today < addendum.ends_on:
            continue
        rules = await programmes.send_rules(session, pair.school_id, today)
        people = [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]
        people += await nudges.overseers(session, pair.school_id)
        for recipient in dict.fromkeys(people):
            await outbox.enqueue(
                session,
                recipient_id=recipient,
                kind=Kind.ADDENDUM_ENDING,
                due_at=next_allowed(now, rules),
                now=now,
                dedupe_key=f"addendum.ending:{addendum.id}:{recipient}",
                payload={"addendum_id": addendum.id},
            )
            added += 1
    await session.commit()
    return added


@dataclass(frozen=True)
class PeriodEnd:
    addendum: PairAddendum
    pair: Pair
    to_member: bool


async def period_end(
    session: AsyncSession, addendum_id: int, recipient_id: int
) -> PeriodEnd | None:
    """None once superseded by a newer addendum or the pair closed."""
    addendum = await session.get(PairAddendum, addendum_id)
    if addendum is None:
        return None
    pair = await session.get(Pair, addendum.pair_id)
    if pair is None or pair.status not in LIVE_PAIR:
        return None
    if (await current(session, [pair.id])).get(pair.id) is not addendum:
        return None
    members = {pair.mentor_id, *(m.mentee_id for m in pair.active_members)}
    return PeriodEnd(addendum, pair, recipient_id in members)


async def for_curator(session: AsyncSession, actor: Actor, addendum_id: int) -> PairAddendum:
    addendum = await session.get(PairAddendum, addendum_id)
    if addendum is None:
        raise DomainError("error.not_found")
    await pair_in_scope(session, actor, addendum.pair_id)
    return addendum
