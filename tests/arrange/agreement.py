"""Mentoring under art. 351.8: a pair's addendum as the curator would record it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import MentoringForm, Pair, PairAddendum
from tests.arrange.constants import NOW


async def addendum(
    db: AsyncSession,
    pair: Pair,
    *,
    number: str = "7-н",
    starts_on: dt.date = dt.date(2026, 9, 1),
    ends_on: dt.date = dt.date(2027, 5, 31),
    paid: bool = True,
) -> PairAddendum:
    a = PairAddendum(
        pair_id=pair.id,
        number=number,
        signed_on=starts_on,
        starts_on=starts_on,
        ends_on=ends_on,
        form=MentoringForm.INDIVIDUAL,
        paid=paid,
        rate_type="доплата" if paid else None,
        created_at=NOW,
    )
    db.add(a)
    await db.commit()
    return a
