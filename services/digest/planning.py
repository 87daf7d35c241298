"""The digest tick: who is due now (their weekday and time, in their own zone) gets one
outbox row — one per scope of their own, for a curator of two schools or a regional
coordinator who curates a school; the digest itself is rendered when the row is sent.

Each recipient has at most one digest a local day (the row's dedupe key is the local
date), so a tick run twice, on two instances, or after a restart later the same day
writes nothing new, and a digest missed while the bot was down goes out once when it
comes back that day (a day missed entirely is not made up for: the next one is a week
on). The tick costs a constant number of queries, whatever the number of recipients:
the staff with their zones and settings, the rows already written today, one insert,
and one upsert of the monitoring months.

In the monitoring months (December and June: «Декабрь, июнь», seed 002) the first
digest of the month carries the full Excel export, once; a person who asked for the
export with every digest gets it anyway; a person who turned the digest off still gets
that month's export, alone, once, on their day and time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    DigestSetting,
    Municipality,
    Outbox,
    OutboxStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.digest import DEFAULT_TIME, DEFAULT_WEEKDAY
from services.digest.settings import Prefs, of_row
from services.outbox import Kind

MONITORING_MONTHS = frozenset({12, 6})


class ExportWith:
    """Why a digest row carries the export (payload "export")."""

    ASKED = "asked"
    MONITORING = "monitoring"


@dataclass(frozen=True)
class Recipient:
    participant_id: int
    zone: str
    prefs: Prefs
    monitoring_sent: str | None
    # Their other scopes, each a digest of its own at the same moment: ("region" |
    # "municipality" | "school", id) — a curator of two schools, a regional coordinator
    # who curates a school. The first scope (the one /export takes) is not among them.
    more: tuple[tuple[str, int], ...] = ()


async def recipients(session: AsyncSession) -> list[Recipient]:
    """Live curators and coordinators (regional ones too), each with the zone of the
    scope their digest covers (a regional coordinator's region, else a coordinator's
    municipality, else a curator's school: the lowest id, as /export and /indicators
    choose) and their settings."""
    rows = await session.execute(
        select(
            Participant.id,
            RoleGrant.role,
            RoleGrant.school_id,
            RoleGrant.municipality_id,
            School.timezone,
            Municipality.timezone,
            DigestSetting,
            School.municipality_id,
        )
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .outerjoin(School, School.id == RoleGrant.school_id)
        .outerjoin(Municipality, Municipality.id == RoleGrant.municipality_id)
        .outerjoin(DigestSetting, DigestSetting.participant_id == Participant.id)
        .where(
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.telegram_id.is_not(None),
            Participant.blocked_bot.is_(False),
            RoleGrant.role.in_([Role.CURATOR, Role.COORDINATOR]),
        )
    )
    best: dict[int, tuple[tuple[int, int], str, DigestSetting | None]] = {}
    scopes: dict[int, set[tuple[int, int]]] = {}  # person → their ranks, one per scope
    coordinated: dict[int, set[int]] = {}
    curated: dict[int, list[tuple[int, int]]] = {}  # person → (school, its municipality)
    for row in rows:
        pid, role, school_id, municipality_id, school_zone, municipality_zone, setting, above = row
        if role == Role.COORDINATOR and municipality_id is not None and municipality_zone:
            rank, zone = (0, municipality_id), municipality_zone
            coordinated.setdefault(pid, set()).add(municipality_id)
        elif role == Role.CURATOR and school_id is not None and school_zone:
            rank, zone = (1, school_id), school_zone
            curated.setdefault(pid, []).append((school_id, above))
        else:
            continue
        scopes.setdefault(pid, set()).add(rank)
        if pid not in best or rank < best[pid][0]:
            best[pid] = (rank, zone, setting)
    for pid, schools in curated.items():
        # A school of a municipality they coordinate is in that municipality's digest.
        within = coordinated.get(pid, set())
        scopes[pid] -= {(1, school) for school, above in schools if above in within}
    # Regional coordinators: the region's digest wins (as /export and /indicators
    # choose), in the zone of its first municipality by name.
    regional = await session.execute(
        select(Participant.id, RoleGrant.region_id, Municipality.timezone, DigestSetting)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .join(Municipality, Municipality.region_id == RoleGrant.region_id)
        .outerjoin(DigestSetting, DigestSetting.participant_id == Participant.id)
        .where(
            Participant.status == ParticipantStatus.ACTIVE,
            Participant.telegram_id.is_not(None),
            Participant.blocked_bot.is_(False),
            RoleGrant.role == Role.REGIONAL_COORDINATOR,
        )
        .order_by(RoleGrant.region_id, Municipality.name, Municipality.id)
    )
    for pid, region_id, zone, setting in regional:
        rank = (-1, region_id or 0)
        scopes.setdefault(pid, set()).add(rank)
        if pid not in best or rank < best[pid][0]:
            best[pid] = (rank, zone, setting)
    return [
        Recipient(
            pid,
            zone,
            of_row(setting),
            setting.monitoring_sent if setting else None,
            tuple((_LEVELS[level], id_) for level, id_ in sorted(scopes[pid] - {first})),
        )
        for pid, (first, zone, setting) in sorted(best.items())
    ]


_LEVELS = {-1: "region", 0: "municipality", 1: "school"}


def local_now(now: dt.datetime, zone: str) -> dt.datetime:
    return now.astimezone(zoneinfo.ZoneInfo(zone))


def on_their_day(prefs: Prefs, local: dt.datetime) -> bool:
    """Their weekday, at or after their time (until the local day ends)."""
    return local.isoweekday() == prefs.weekday and local.time().replace(tzinfo=None) >= prefs.at


def is_due(prefs: Prefs, local: dt.datetime) -> bool:
    return prefs.enabled and on_their_day(prefs, local)


def export_only_due(r: Recipient, local: dt.datetime) -> bool:
    """The digest is off, yet the monitoring month's export still comes once, on their
    day and time: the issue has the scheduler send it to every curator and coordinator."""
    return (
        not r.prefs.enabled
        and local.month in MONITORING_MONTHS
        and r.monitoring_sent != f"{local.year}-{local.month:02d}"
        and on_their_day(r.prefs, local)
    )


def dedupe_key(participant_id: int, day: dt.date, scope: tuple[str, int] | None = None) -> str:
    """The first scope's key has no scope in it (as before people had several)."""
    key = f"digest:{participant_id}:{day.isoformat()}"
    return key if scope is None else f"{key}:{scope[0]}:{scope[1]}"


async def plan(session: AsyncSession, now: dt.datetime) -> int:
    """Write the digests due now; returns how many rows were added. Commits."""
    # (recipient, their local now, the scope: None for their first one)
    due: list[tuple[Recipient, dt.datetime, tuple[str, int] | None]] = []
    for r in await recipients(session):
        local = local_now(now, r.zone)
        if is_due(r.prefs, local) or export_only_due(r, local):
            due += [(r, local, scope) for scope in (None, *r.more)]
    if not due:
        return 0
    keys = [dedupe_key(r.participant_id, local.date(), scope) for r, local, scope in due]
    written = set(
        await session.scalars(select(Outbox.dedupe_key).where(Outbox.dedupe_key.in_(keys)))
    )
    rows: list[dict[str, Any]] = []
    monitoring: dict[int, str] = {}
    for (r, local, scope), key in zip(due, keys, strict=True):
        if key in written:
            continue
        month = f"{local.year}-{local.month:02d}"
        export = None
        if r.prefs.with_export and r.prefs.enabled:
            export = ExportWith.ASKED
        elif local.month in MONITORING_MONTHS and r.monitoring_sent != month:
            export = ExportWith.MONITORING
        if local.month in MONITORING_MONTHS and r.monitoring_sent != month:
            monitoring[r.participant_id] = month
        payload: dict[str, Any] = {
            "day": local.date().isoformat(),
            "export": export,
            # The digest is off: the row carries the monitoring export alone.
            "export_only": not r.prefs.enabled,
        }
        if scope is not None:
            payload["scope"] = {"level": scope[0], "id": scope[1]}
        rows.append(
            {
                "recipient_id": r.participant_id,
                "kind": Kind.DIGEST,
                "payload": payload,
                "due_at": now,
                "status": OutboxStatus.PENDING,
                "attempts": 0,
                "dedupe_key": key,
                "created_at": now,
            }
        )
    if not rows:
        return 0
    postgres = session.get_bind().dialect.name == "postgresql"
    insert = pg_insert if postgres else sqlite_insert
    result = await session.execute(
        insert(Outbox)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Outbox.id)
    )
    added = len(result.all())
    if monitoring:
        stmt = insert(DigestSetting).values(
            [
                {
                    "participant_id": participant_id,
                    "weekday": DEFAULT_WEEKDAY,
                    "at": DEFAULT_TIME,
                    "enabled": True,
                    "with_export": False,
                    "monitoring_sent": month,
                    "updated_at": now,
                }
                for participant_id, month in monitoring.items()
            ]
        )
        await session.execute(
            stmt.on_conflict_do_update(
                index_elements=["participant_id"],
                set_={"monitoring_sent": stmt.excluded.monitoring_sent},
            )
        )
    await session.commit()
    return added
