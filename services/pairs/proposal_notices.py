"""What the proposal notices need: the proposal as the mentor sees it, and the answer
(or its absence) as the curator sees it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueKind, PairProposal, Participant, ProposalStatus, School
from services import catalogue, programmes
from services.clock import local_today
from services.pairs.people import Person, person


@dataclass(frozen=True)
class ToMentor:
    proposal_id: int
    mentee: Participant
    curator_name: str | None
    school_name: str
    deficits: list[str]
    request_text: str | None
    to_group: bool
    period_start: dt.date
    period_end: dt.date
    remind_on: dt.date
    return_on: dt.date


async def to_mentor(session: AsyncSession, proposal_id: int, recipient_id: int) -> ToMentor | None:
    """None once answered, returned, or the mentee gone: nothing to send then."""
    proposal = await session.get(PairProposal, proposal_id)
    if (
        proposal is None
        or proposal.status != ProposalStatus.WAITING
        or proposal.mentor_id != recipient_id
        or proposal.mentee.telegram_id is None
    ):
        return None
    school = await session.get(School, proposal.school_id)
    assert school is not None
    curator = (
        await session.get(Participant, proposal.proposed_by_id) if proposal.proposed_by_id else None
    )
    today = local_today(proposal.created_at, school.timezone)
    programme = await programmes.for_school(session, school.id, today)
    mentee = proposal.mentee
    return ToMentor(
        proposal_id=proposal.id,
        mentee=mentee,
        curator_name=curator.full_name if curator else None,
        school_name=school.name,
        deficits=await catalogue.titles(session, mentee.marks(CatalogueKind.DEFICIT)),
        request_text=mentee.mentee_profile.request_text if mentee.mentee_profile else None,
        to_group=proposal.group_pair_id is not None,
        period_start=today,
        period_end=programme.ends_on,
        remind_on=proposal.remind_on,
        return_on=proposal.return_on,
    )


@dataclass(frozen=True)
class ToCurator:
    status: ProposalStatus
    mentee_id: int
    mentee_name: str
    mentor: Person
    reason: str | None
    pair_id: int | None


async def to_curator(
    session: AsyncSession, proposal_id: int, recipient_id: int
) -> ToCurator | None:
    proposal = await session.get(PairProposal, proposal_id)
    if proposal is None or proposal.proposed_by_id != recipient_id:
        return None
    if proposal.status == ProposalStatus.WAITING:
        return None
    return ToCurator(
        status=proposal.status,
        mentee_id=proposal.mentee_id,
        mentee_name=proposal.mentee.full_name or "",
        mentor=person(proposal.mentor),
        reason=proposal.decline_reason,
        pair_id=proposal.pair_id,
    )
