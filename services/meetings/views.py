"""What a member sees: their pairs (a card each) and the history of their meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    EndingStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairEnding,
    PairMember,
    PairStatus,
    Participant,
    School,
)
from models.db import read_memo, read_rows
from models.loading import PAIR_PEOPLE_NAMES
from services.errors import DomainError
from services.meetings.access import meeting_of_member, pair_of_member, zone_of
from services.meetings.reading import OPEN, MeetingInfo, info, kinds_allowed

PAGE_SIZE = 8


@dataclass(frozen=True)
class MyPair:
    """A pair as one of its members sees it (/my)."""

    pair_id: int
    role: str  # mentor | mentee
    status: PairStatus
    next_kind: MeetingKind | None
    zone: str
    mentor_name: str
    mentee_names: list[str]
    open_meeting: MeetingInfo | None
    held_count: int
    kinds: list[MeetingKind]  # what may be scheduled next (the proposed kind first)
    can_go_final: bool
    paused_until: dt.date | None = None
    ending_scheduled: bool = False  # an early end is on its way (services.pairs.early_end)

    @property
    def is_mentor(self) -> bool:
        return self.role == "mentor"


@dataclass(frozen=True)
class HistoryItem:
    meeting: MeetingInfo
    with_names: list[str]  # the other side


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryItem]
    page: int
    pages: int
    total: int


def _name(p: Participant | None) -> str:
    return (p.full_name if p else None) or "—"


async def my_pairs(session: AsyncSession, participant_id: int) -> list[MyPair]:
    """Pairs and groups the person leads or belongs to now (completed ones too)."""
    return await _cards(session, participant_id)


def _cards_query(one_pair: bool) -> Select[Any]:
    person: BindParameter[int] = bindparam("participant_id")
    as_mentee = select(PairMember.pair_id).where(
        PairMember.mentee_id == person, PairMember.left_at.is_(None)
    )
    held = Meeting.pair_id == Pair.id, Meeting.status == MeetingStatus.HELD
    members = PairMember.pair_id == Pair.id, PairMember.left_at.is_(None)
    query = (
        select(
            Pair.id,
            Pair.mentor_id,
            Pair.status,
            Pair.next_kind,
            Pair.paused_until,
            School.timezone,
            Participant.full_name,
            select(func.count()).where(*held).correlate(Pair).scalar_subquery(),
            select(func.count())
            .where(*held, Meeting.kind == MeetingKind.REGULAR)
            .correlate(Pair)
            .scalar_subquery(),
            # A pair's one mentee comes with it; a group's names in a read of their own.
            select(func.count())
            .where(*members)
            .correlate(Pair)
            .scalar_subquery()
            .label("n_mentees"),
            select(Participant.full_name)
            .join(PairMember, PairMember.mentee_id == Participant.id)
            .where(*members)
            .correlate(Pair)
            .order_by(PairMember.id)
            .limit(1)
            .scalar_subquery()
            .label("mentee"),
            # Whether there is more to read: an open meeting, a scheduled early end.
            exists().where(Meeting.pair_id == Pair.id, Meeting.status.in_(OPEN)).label("has_open"),
            exists()
            .where(PairEnding.pair_id == Pair.id, PairEnding.status == EndingStatus.SCHEDULED)
            .label("has_ending"),
        )
        .join(School, School.id == Pair.school_id)
        .join(Participant, Participant.id == Pair.mentor_id)
        .where(
            Pair.status.in_((*LIVE_PAIR, PairStatus.COMPLETED)),
            or_(Pair.mentor_id == person, Pair.id.in_(as_mentee)),
        )
        .order_by(Pair.formed_at, Pair.id)
    )
    return query.where(Pair.id == bindparam("pair_id")) if one_pair else query


# Built once (SQLAlchemy memoizes their cache keys): building the pairs' query per call
# cost three times what running it does.
_MY_PAIRS = _cards_query(one_pair=False)
_ONE_PAIR = _cards_query(one_pair=True)
_MENTEES = (
    select(PairMember.pair_id, Participant.full_name)
    .join(Participant, Participant.id == PairMember.mentee_id)
    .where(PairMember.pair_id.in_(bindparam("ids", expanding=True)), PairMember.left_at.is_(None))
    .order_by(PairMember.id)
)
_OPEN_MEETINGS = (
    select(Meeting)
    .where(Meeting.pair_id.in_(bindparam("ids", expanding=True)), Meeting.status.in_(OPEN))
    .order_by(Meeting.starts_at.desc())
)


async def _cards(
    session: AsyncSession, participant_id: int, pair_id: int | None = None
) -> list[MyPair]:
    """The cards in one read of plain columns, whatever the number of pairs, and one more
    for groups' names and for open meetings where there are any: /my is what people send
    most, and loading Pair objects with their people (and a query or two per pair for its
    zone, counts and open meeting) cost more than all the rest of the update; under load
    each further read also waits behind everybody else's work."""
    if pair_id is None:
        pairs = await read_rows(session, _MY_PAIRS, {"participant_id": participant_id})
    else:
        params = {"participant_id": participant_id, "pair_id": pair_id}
        pairs = await read_rows(session, _ONE_PAIR, params)
    if not pairs:
        return []
    mentees: dict[int, list[str]] = {}
    groups = []
    for row in pairs:
        if row.n_mentees > 1:
            groups.append(row.id)
            mentees[row.id] = []
        else:
            mentees[row.id] = [row.mentee or "—"] if row.n_mentees else []
    if groups:
        for member_pair, name in await read_rows(session, _MENTEES, {"ids": groups}):
            mentees[member_pair].append(name or "—")
    open_meetings: dict[int, Meeting] = {}
    with_open = [row.id for row in pairs if row.has_open]
    if with_open:
        for meeting in await session.scalars(_OPEN_MEETINGS, {"ids": with_open}):
            open_meetings[meeting.pair_id] = meeting  # the earliest is written last
    cards = []
    for row in pairs:
        pid, mentor_id, status, next_kind, paused_until, zone, mentor, n_held, regular = row[:9]
        role = "mentor" if mentor_id == participant_id else "mentee"
        kinds = kinds_allowed(next_kind, role == "mentor", int(regular or 0))
        current = open_meetings.get(pid)
        cards.append(
            MyPair(
                pair_id=pid,
                role=role,
                status=status,
                next_kind=next_kind,
                zone=zone,
                mentor_name=mentor or "—",
                mentee_names=mentees[pid],
                open_meeting=await info(session, current, zone) if current else None,
                held_count=int(n_held or 0),
                kinds=kinds,
                can_go_final=role == "mentor"
                and status in LIVE_PAIR
                and MeetingKind.FINAL in kinds,
                paused_until=paused_until,
                ending_scheduled=bool(row.has_ending),
            )
        )
    return cards


async def history(session: AsyncSession, participant_id: int, page: int = 0) -> HistoryPage:
    """Meetings of every pair the person led or belonged to, newest first."""
    mine = select(Pair.id).where(
        or_(
            Pair.mentor_id == participant_id,
            Pair.id.in_(select(PairMember.pair_id).where(PairMember.mentee_id == participant_id)),
        )
    )
    where = Meeting.pair_id.in_(mine)
    total = int(await session.scalar(select(func.count()).select_from(Meeting).where(where)) or 0)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = (
        await session.scalars(
            select(Meeting)
            .where(where)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
            .offset(page * PAGE_SIZE)
            .limit(PAGE_SIZE)
        )
    ).all()
    items = []
    zones: dict[int, tuple[str, list[str]]] = {}
    for m in rows:
        if m.pair_id not in zones:
            pair = await session.get(Pair, m.pair_id, options=PAIR_PEOPLE_NAMES)
            assert pair is not None
            if pair.mentor_id == participant_id:
                names = [_name(pm.mentee) for pm in pair.members]
            else:
                names = [_name(pair.mentor)]
            zones[m.pair_id] = (await zone_of(session, pair), names)
        zone, names = zones[m.pair_id]
        items.append(HistoryItem(meeting=await info(session, m, zone), with_names=names))
    return HistoryPage(items=items, page=page, pages=pages, total=total)


async def card_of(session: AsyncSession, participant_id: int, pair_id: int) -> MyPair:
    # The pair as my_pairs would list it (a live or completed pair the person is in now),
    # without loading all their other pairs. Opening the meeting dialog asks for it three
    # times (the check, the dialog's start, its first window): read once until a write.
    memo = read_memo(session)
    key = ("pair card", participant_id, pair_id)
    if key not in memo:
        cards = await _cards(session, participant_id, pair_id)
        if not cards:
            # Not listed: says why (no such pair, not theirs, or closed).
            await pair_of_member(session, participant_id, pair_id)
            raise DomainError("meeting.error.pair_closed")
        memo[key] = cards[0]
    card: MyPair = memo[key]
    return card


async def meeting_for_member(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    return await info(session, meeting, await zone_of(session, pair))
