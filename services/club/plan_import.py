"""The year's plan of the club from an .xlsx or .csv (services/imports reads it: the
CLUB_PLAN spec's columns, headers as people write them, per-row errors). Events come
in as drafts of the organiser's scope: the organiser publishes each when it is time to
invite. All or nothing: a file with any bad row imports none of its rows, so a fixed
file can be sent again; rows already in the plan (same title and day) are skipped."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubAudience, ClubEvent, ClubEventKind, ClubEventStatus
from services import audit
from services.club.scope import Organising
from services.errors import DomainError
from services.imports import files, layout
from services.imports.layout import ParsedFile, RowError
from services.imports.specs import CLUB_PLAN

DEFAULT_TIME = dt.time(15, 0)  # a plan without times: the club's usual afternoon
_KINDS = (
    ("засед", ClubEventKind.MEETING),
    ("семинар", ClubEventKind.SEMINAR),
    ("мастер", ClubEventKind.MASTER_CLASS),
    ("круглый", ClubEventKind.ROUND_TABLE),
    ("конкурс", ClubEventKind.CONTEST),
    ("форум", ClubEventKind.FORUM),
)


@dataclass(frozen=True)
class PlannedEvent:
    row: int
    title: str
    kind: ClubEventKind
    starts_at: dt.datetime
    place: str | None
    audience: ClubAudience
    timed: bool  # the file gave a time (else DEFAULT_TIME)


@dataclass
class PlanImport:
    parsed: ParsedFile
    events: list[PlannedEvent] = field(default_factory=list)
    known: list[PlannedEvent] = field(default_factory=list)  # already in the plan
    errors: list[RowError] = field(default_factory=list)
    added: int = 0


def kind_of(text: str | None, title: str) -> ClubEventKind:
    for source in (text or "", title):
        low = source.casefold()
        for stem, kind in _KINDS:
            if stem in low:
                return kind
    return ClubEventKind.OTHER


def audience_of(codes: frozenset[str] | None) -> ClubAudience:
    """The spec's audience codes (mentees = молодые специалисты, mentors, curators):
    one group is that group; several are everyone (an event has one audience)."""
    if not codes or len(codes) > 1:
        return ClubAudience.ALL
    return {
        "mentees": ClubAudience.YOUNG,
        "mentors": ClubAudience.MENTORS,
        "curators": ClubAudience.CURATORS,
    }.get(next(iter(codes)), ClubAudience.ALL)


async def preview(
    session: AsyncSession, data: bytes, filename: str, where: Organising, now: dt.datetime
) -> PlanImport:
    parsed = layout.parse(CLUB_PLAN, files.read(data, filename))
    plan = PlanImport(parsed=parsed, errors=list(parsed.errors))
    zone = zoneinfo.ZoneInfo(where.zone)
    for record in parsed.records:
        v = record.values
        when = v.get("time")
        local = dt.datetime.combine(v["date"], when or DEFAULT_TIME, tzinfo=zone)
        starts_at = local.astimezone(dt.UTC)
        if starts_at <= now:
            plan.errors.append(
                RowError(
                    record.row,
                    CLUB_PLAN.column("date").title,
                    v["date"].strftime("%d.%m.%Y"),
                    "club.import.past",
                )
            )
            continue
        plan.events.append(
            PlannedEvent(
                row=record.row,
                title=str(v["title"])[:200],
                kind=kind_of(v.get("kind"), str(v["title"])),
                starts_at=starts_at,
                place=(str(v["place"])[:300] if v.get("place") else None),
                audience=audience_of(v.get("audience")),
                timed=when is not None,
            )
        )
    plan.errors.sort(key=lambda e: e.row)
    existing = await session.execute(
        select(ClubEvent.title, ClubEvent.starts_at).where(
            ClubEvent.municipality_id == where.municipality_id,
            ClubEvent.school_id.is_(None)
            if where.school_id is None
            else ClubEvent.school_id == where.school_id,
            ClubEvent.status != ClubEventStatus.CANCELLED,
        )
    )
    seen = {(title.casefold(), at.astimezone(zone).date()) for title, at in existing.all()}
    fresh: list[PlannedEvent] = []
    for event in plan.events:
        key = (event.title.casefold(), event.starts_at.astimezone(zone).date())
        (plan.known if key in seen else fresh).append(event)
    plan.events = fresh
    return plan


async def apply(
    session: AsyncSession,
    data: bytes,
    filename: str,
    where: Organising,
    actor_id: int | None,
    now: dt.datetime,
) -> PlanImport:
    plan = await preview(session, data, filename, where, now)
    if plan.errors:
        raise DomainError("club.import.has_errors", n=len(plan.errors))
    for event in plan.events:
        session.add(
            ClubEvent(
                municipality_id=where.municipality_id,
                school_id=where.school_id,
                title=event.title,
                kind=event.kind,
                starts_at=event.starts_at,
                place=event.place,
                audience=event.audience,
                status=ClubEventStatus.DRAFT,
                created_by_id=actor_id,
                created_at=now,
            )
        )
    plan.added = len(plan.events)
    audit.record(session, now, "club.plan_imported", actor_id=actor_id, object_type="club_plan")
    await session.commit()
    return plan
