"""Arranging surveys, headcounts and answers directly in the database (the tests of
answering act through the bot from there; the indicator tests count by hand)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueItem, Role, School
from models.surveys import (
    DeficitChange,
    Headcount,
    ItemKind,
    Measure,
    RoundKind,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
    SurveyRound,
)
from services.surveys import instrument, rounds

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
YEAR = "2026/2027"


async def round_of(
    db: AsyncSession,
    school: School,
    kind: RoundKind,
    *,
    opens: dt.date | None = None,
    closes: dt.date | None = None,
    year: str = YEAR,
) -> SurveyRound:
    """The school's round of the year, with these dates if given."""
    found = {r.kind: r for r in await rounds.of_school(db, school.id, year)}[kind]
    if opens is not None:
        found.opens_on = opens
    if closes is not None:
        found.closes_on = closes
    await db.commit()
    return found


async def headcount(
    db: AsyncSession,
    school: School,
    teachers: int,
    under_35: int,
    young: int,
    *,
    year: str = YEAR,
) -> None:
    db.add(
        Headcount(
            school_id=school.id,
            academic_year=year,
            teachers=teachers,
            under_35=under_35,
            young_specialists=young,
            source="cli",
            entered_at=NOW,
        )
    )
    await db.commit()


async def response(
    db: AsyncSession,
    survey_round: SurveyRound,
    participant_id: int,
    role: Role,
    *,
    satisfaction: int | None = None,
    changes: dict[str, DeficitChange] | None = None,
    finished: bool = True,
    texts: dict[str, str] | None = None,
    scores: dict[str, int] | None = None,
    at: dt.datetime = NOW,
) -> SurveyResponse:
    """A response to the round under the instrument in force, with the satisfaction
    item, deficit changes (by catalogue code), texts and scores (by item code)."""
    used = await instrument.in_force(db, None, at)
    items = {
        i.code: i
        for i in await db.scalars(select(SurveyItem).where(SurveyItem.instrument_id == used.id))
    }
    r = SurveyResponse(
        round_id=survey_round.id,
        participant_id=participant_id,
        role=role,
        instrument_id=used.id,
        invited_at=at,
        started_at=at,
        finished_at=at if finished else None,
    )
    db.add(r)
    await db.flush()
    main = next(i for i in items.values() if i.role == role and i.measure == Measure.SATISFACTION)
    if satisfaction is not None:
        db.add(_answer(r, main, satisfaction, at))
    for code, value in (scores or {}).items():
        db.add(_answer(r, items[code], value, at))
    for code, text in (texts or {}).items():
        db.add(SurveyAnswer(response_id=r.id, item_id=items[code].id, text=text, answered_at=at))
    if changes:
        change_item = next(i for i in items.values() if i.kind == ItemKind.DEFICIT_CHANGE)
        ids = {
            c.code: c.id
            for c in await db.scalars(
                select(CatalogueItem).where(CatalogueItem.code.in_(list(changes)))
            )
        }
        for code, change in changes.items():
            db.add(
                SurveyAnswer(
                    response_id=r.id,
                    item_id=change_item.id,
                    sub=ids[code],
                    value=int(change),
                    answered_at=at,
                )
            )
    await db.commit()
    return r


def _answer(r: SurveyResponse, item: SurveyItem, value: int, at: dt.datetime) -> SurveyAnswer:
    return SurveyAnswer(response_id=r.id, item_id=item.id, value=value, answered_at=at)
