"""The addendum (дополнительное соглашение) of a pair, as the curator records it from the
pair card: its number and date, the mentoring period, the form, whether it is paid and
the rate type as the school sets it. The bot keeps these details; the document itself
lives with the school's HR. An extension is a new addendum (a new row)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, MentoringForm, PairAddendum
from services import audit
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
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
