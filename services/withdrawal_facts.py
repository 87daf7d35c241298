"""What the curator's notice about a withdrawal says, read when it is sent: the erased
person's roles and school (kept for statistics) and the people left in their pairs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Pair, PairStatus, Participant, ParticipantStatus, Role


@dataclass(frozen=True)
class LeftPair:
    pair_id: int
    was_mentor: bool  # the person who left led the pair
    others: list[str]  # full names of who is still in it


@dataclass(frozen=True)
class WithdrawalFacts:
    roles: list[Role]
    school_name: str
    pairs: list[LeftPair]


async def withdrawal_facts(
    session: AsyncSession, participant_id: int, pair_ids: list[int]
) -> WithdrawalFacts | None:
    p = await session.get(Participant, participant_id)
    if p is None or p.status != ParticipantStatus.LEFT:
        return None
    left: list[LeftPair] = []
    if pair_ids:
        pairs = await session.scalars(
            select(Pair)
            .where(Pair.id.in_(pair_ids), Pair.status.in_([PairStatus.ACTIVE, PairStatus.PAUSED]))
            .order_by(Pair.id)
        )
        for pair in pairs:
            was_mentor = pair.mentor_id == participant_id
            people = (
                [m.mentee for m in pair.active_members]
                if was_mentor
                else [pair.mentor]
                + [m.mentee for m in pair.active_members if m.mentee_id != participant_id]
            )
            names = [x.full_name for x in people if x.full_name]
            left.append(LeftPair(pair.id, was_mentor, names))
    return WithdrawalFacts(
        roles=sorted({g.role for g in p.roles}),
        school_name=p.school.name if p.school else "",
        pairs=left,
    )
