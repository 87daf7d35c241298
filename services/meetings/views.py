"""What a member sees: their pairs (a card each) and the history of their meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
)
from models.db import read_memo
from models.loading import PAIR_PEOPLE_NAMES
from services.errors import DomainError
from services.meetings.access import meeting_of_member, pair_of_member, role_in, zone_of
from services.meetings.reading import MeetingInfo, allowed_kinds, info, open_meeting

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
    as_mentee = select(PairMember.pair_id).where(
        PairMember.mentee_id == participant_id, PairMember.left_at.is_(None)
    )
    pairs = (
        await session.scalars(
            select(Pair)
            .options(*PAIR_PEOPLE_NAMES)
            .where(
                Pair.status.in_((*LIVE_PAIR, PairStatus.COMPLETED)),
                or_(Pair.mentor_id == participant_id, Pair.id.in_(as_mentee)),
            )
            .order_by(Pair.formed_at, Pair.id)
        )
    ).all()
    return [await _card(session, pair, participant_id) for pair in pairs]


async def _card(session: AsyncSession, pair: Pair, participant_id: int) -> MyPair:
    zone = await zone_of(session, pair)
    current = await open_meeting(session, pair.id)
    # Both counts in one query: the held meetings shown on the card, and the regular ones
    # that allow the final meeting (allowed_kinds would count them in a query of its own).
    held, regular = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(Meeting.kind == MeetingKind.REGULAR),
            ).where(Meeting.pair_id == pair.id, Meeting.status == MeetingStatus.HELD)
        )
    ).one()
    role = role_in(pair, participant_id) or "mentee"
    kinds = await allowed_kinds(session, pair, participant_id, held_regular=int(regular or 0))
    return MyPair(
        pair_id=pair.id,
        role=role,
        status=pair.status,
        next_kind=pair.next_kind,
        zone=zone,
        mentor_name=_name(pair.mentor),
        mentee_names=[_name(m.mentee) for m in pair.active_members],
        open_meeting=await info(session, current, zone) if current else None,
        held_count=int(held or 0),
        kinds=kinds,
        can_go_final=role == "mentor" and pair.status in LIVE_PAIR and MeetingKind.FINAL in kinds,
        paused_until=pair.paused_until,
    )


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
        pair = await pair_of_member(session, participant_id, pair_id)
        if pair.status not in (*LIVE_PAIR, PairStatus.COMPLETED):
            raise DomainError("meeting.error.pair_closed")
        memo[key] = await _card(session, pair, participant_id)
    card: MyPair = memo[key]
    return card


async def meeting_for_member(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    return await info(session, meeting, await zone_of(session, pair))
