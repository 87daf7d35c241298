"""The municipality's «Доска почёта муниципальных наставников» (club spec: «виртуальной
«Доски почёта муниципальных наставников» с указанием их достижений и профессиональных
сфер»): the coordinator (or the club's organiser) nominates a mentor with a few words on
their achievements and fields; the mentor is asked, through the outbox, whether these
words may be shown to the programme's participants of the municipality. That is a
consent to distribution, given apart from the consent to processing (152-ФЗ ст. 10.1):
nothing is shown before it, and the mentor takes it back at any time. A refusal, a
withdrawal or the mentor's erasure deletes the entry with its text.

Every entry and person id that arrives from a button is loaded here against who pressed
it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    HonorEntry,
    HonorStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from services import audit, outbox
from services.access import Actor
from services.errors import AccessDenied, DomainError, NotFound
from services.outbox import Kind

CITATION_MAX = 600
CITATION_MIN = 10


@dataclass(frozen=True)
class Card:
    entry_id: int
    participant_id: int
    full_name: str
    school_name: str
    subject: str | None
    citation: str
    published: bool


@dataclass(frozen=True)
class Board:
    cards: list[Card]  # published ones; for an organiser also those awaiting the mentor
    organiser: bool
    # The person's own published entry (they may take it off), if any.
    mine: int | None


@dataclass(frozen=True)
class Candidate:
    participant_id: int
    full_name: str
    school_name: str
    on_board: bool  # nominated already (asked or published)


def organised_municipalities(actor: Actor) -> frozenset[int]:
    """Municipalities whose board this person keeps: coordinators and club organisers
    (a school's curator runs school events, not the municipality's board)."""
    return actor.coordinator_municipality_ids | actor.club_municipality_ids


def may_nominate(actor: Actor) -> bool:
    return actor.is_admin or bool(organised_municipalities(actor))


async def _seen_municipalities(session: AsyncSession, actor: Actor) -> set[int]:
    seen = set(organised_municipalities(actor))
    school_ids = set(actor.curator_school_ids)
    if actor.school_id is not None:
        school_ids.add(actor.school_id)
    if school_ids:
        seen.update(
            await session.scalars(
                select(School.municipality_id).where(School.id.in_(sorted(school_ids)))
            )
        )
    return seen


async def board(session: AsyncSession, actor: Actor) -> Board:
    """The boards of the person's municipalities (their school's; the ones they keep)."""
    if actor.participant_id is None and not actor.is_admin:
        raise AccessDenied()
    seen = await _seen_municipalities(session, actor)
    kept = organised_municipalities(actor)
    stmt = (
        select(HonorEntry, Participant.full_name, Participant.subject, School.name)
        .join(Participant, Participant.id == HonorEntry.participant_id)
        .join(School, School.id == Participant.school_id)
        .where(Participant.status == ParticipantStatus.ACTIVE)
        .order_by(Participant.full_name, HonorEntry.id)
    )
    if not actor.is_admin:
        stmt = stmt.where(HonorEntry.municipality_id.in_(sorted(seen)))
    cards: list[Card] = []
    mine = None
    for entry, name, subject, school in (await session.execute(stmt)).all():
        published = entry.status == HonorStatus.PUBLISHED
        keeper = actor.is_admin or entry.municipality_id in kept
        if entry.participant_id == actor.participant_id and published:
            mine = entry.id  # an unanswered request is answered from its message
        if not published and not keeper:
            continue
        cards.append(
            Card(
                entry.id,
                entry.participant_id,
                name or "",
                school,
                subject,
                entry.citation,
                published,
            )
        )
    return Board(cards, may_nominate(actor), mine)


async def candidates(session: AsyncSession, actor: Actor, query: str) -> list[Candidate]:
    """Active mentors of the municipalities this person keeps whose name has the query."""
    if not may_nominate(actor):
        raise AccessDenied("honor.error.organisers_only")
    q = query.strip()
    stmt = (
        select(Participant.id, Participant.full_name, School.name, HonorEntry.id)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .join(School, School.id == Participant.school_id)
        .outerjoin(
            HonorEntry,
            (HonorEntry.participant_id == Participant.id)
            & (HonorEntry.municipality_id == School.municipality_id),
        )
        .where(
            RoleGrant.role == Role.MENTOR,
            Participant.status == ParticipantStatus.ACTIVE,
            # autoescape: "%" or "_" typed in a name is a character, not "anyone".
            Participant.full_name.icontains(q, autoescape=True)
            | Participant.full_name.contains(q.capitalize(), autoescape=True)
            | Participant.full_name.contains(q.lower(), autoescape=True),
        )
        .distinct()
        .order_by(Participant.full_name, Participant.id)
        .limit(10)
    )
    if not actor.is_admin:
        stmt = stmt.where(School.municipality_id.in_(sorted(organised_municipalities(actor))))
    rows = (await session.execute(stmt)).all()
    return [
        Candidate(pid, name or "", school, entry is not None) for pid, name, school, entry in rows
    ]


async def _mentor_in_scope(
    session: AsyncSession, actor: Actor, participant_id: int
) -> tuple[Participant, int]:
    """The mentor and their municipality, if this person keeps that municipality's board."""
    person = await session.get(Participant, participant_id)
    if person is None or person.status != ParticipantStatus.ACTIVE or person.school_id is None:
        raise NotFound()
    school = await session.get(School, person.school_id)
    assert school is not None
    if not actor.is_admin and school.municipality_id not in organised_municipalities(actor):
        raise NotFound()  # another municipality's mentor: not even their existence
    mentor = await session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.participant_id == person.id, RoleGrant.role == Role.MENTOR
        )
    )
    if mentor is None:
        raise DomainError("honor.error.not_a_mentor")
    return person, school.municipality_id


def stamp(citation: str) -> int:
    """A short mark of the exact words a request showed, carried by its buttons: an
    answer counts for those words only (a request of an earlier text, still in the
    chat after the coordinator changed it, cannot agree to the new one)."""
    return int(hashlib.sha256(citation.encode("utf-8")).hexdigest()[:8], 16)


def clean_citation(text: str) -> str:
    """The citation as it will be shown: trimmed, within the board's length."""
    citation = text.strip()
    if len(citation) < CITATION_MIN:
        raise DomainError("honor.error.citation_short")
    if len(citation) > CITATION_MAX:
        raise DomainError("honor.error.citation_long", limit=CITATION_MAX, length=len(citation))
    return citation


async def nominee_name(session: AsyncSession, actor: Actor, participant_id: int) -> str:
    person, _ = await _mentor_in_scope(session, actor, participant_id)
    return person.full_name or ""


async def nominate(
    session: AsyncSession, actor: Actor, participant_id: int, citation: str, now: dt.datetime
) -> int:
    """Nominate a mentor (or change the words of their entry): the mentor is asked for
    their consent to these words, anew, and the entry is off the board until they agree."""
    if not may_nominate(actor):
        raise AccessDenied("honor.error.organisers_only")
    person, municipality_id = await _mentor_in_scope(session, actor, participant_id)
    text = clean_citation(citation)
    entry = await session.scalar(
        select(HonorEntry).where(
            HonorEntry.municipality_id == municipality_id,
            HonorEntry.participant_id == person.id,
        )
    )
    if entry is None:
        entry = HonorEntry(municipality_id=municipality_id, participant_id=person.id)
        session.add(entry)
    entry.nominated_by_id = actor.participant_id
    entry.citation = text
    entry.status = HonorStatus.ASKED
    entry.nominated_at = now
    entry.consented_at = None
    await session.flush()
    await outbox.enqueue(
        session,
        recipient_id=person.id,
        kind=Kind.CLUB_HONOR_ASK,
        # The nomination asked about: a request of an earlier one not yet sent is not.
        payload={"entry_id": entry.id, "nominated_at": now.isoformat()},
        due_at=now,
        now=now,
        # Each nomination is asked about once (a person's action, never planned twice).
        dedupe_key=f"honor:{entry.id}:{secrets.token_hex(8)}",
    )
    _audit(session, actor, "honor.nominated", entry.id, now)
    await session.commit()
    return entry.id


def _audit(
    session: AsyncSession, actor: Actor, action: str, entry_id: int, now: dt.datetime
) -> None:
    audit.record(
        session,
        now,
        action,
        actor_id=actor.participant_id,
        object_type="honor_entry",
        object_id=entry_id,
    )


async def _own_entry(session: AsyncSession, actor: Actor, entry_id: int) -> HonorEntry:
    entry = await session.get(HonorEntry, entry_id)
    if entry is None or actor.participant_id is None:
        raise NotFound()
    if entry.participant_id != actor.participant_id:
        raise NotFound()  # someone else's entry: a forged or forwarded button
    return entry


async def answer(
    session: AsyncSession,
    actor: Actor,
    entry_id: int,
    shown: int,
    agree: bool,
    now: dt.datetime,
) -> bool:
    """The mentor's answer to the request that showed the words marked ``shown``.
    Agreeing publishes the entry; refusing deletes it (the words were about them, and
    are not kept). The nominator is told. Returns False when the entry was answered
    already (a second press)."""
    entry = await _own_entry(session, actor, entry_id)
    if entry.status != HonorStatus.ASKED:
        return False
    if stamp(entry.citation) != shown:
        raise DomainError("honor.ask.outdated")
    if entry.nominated_by_id is not None:
        await outbox.enqueue(
            session,
            recipient_id=entry.nominated_by_id,
            kind=Kind.CLUB_HONOR_ANSWERED,
            payload={"participant_id": entry.participant_id, "agreed": agree},
            due_at=now,
            now=now,
            dedupe_key=f"honor.answered:{entry.id}:{secrets.token_hex(8)}",
        )
    if agree:
        entry.status = HonorStatus.PUBLISHED
        entry.consented_at = now
    else:
        await session.delete(entry)
    _audit(session, actor, "honor.consented" if agree else "honor.refused", entry_id, now)
    await session.commit()
    return True


async def withdraw(session: AsyncSession, actor: Actor, entry_id: int, now: dt.datetime) -> None:
    """The mentor takes their consent back: the entry leaves the board, text and all."""
    entry = await _own_entry(session, actor, entry_id)
    await session.delete(entry)
    _audit(session, actor, "honor.withdrawn", entry_id, now)
    await session.commit()


async def remove(session: AsyncSession, actor: Actor, entry_id: int, now: dt.datetime) -> None:
    """The board's keeper takes an entry off."""
    entry = await session.get(HonorEntry, entry_id)
    if entry is None:
        raise NotFound()
    if not actor.is_admin and entry.municipality_id not in organised_municipalities(actor):
        raise NotFound()
    await session.delete(entry)
    _audit(session, actor, "honor.removed", entry_id, now)
    await session.commit()


async def erase(session: AsyncSession, participant_id: int) -> None:
    """The person withdrew their consent to processing: the entries about them go, and
    the ones they wrote (a citation is its author's text; the mentor can be nominated
    again by whoever keeps the board now)."""
    await session.execute(
        delete(HonorEntry).where(
            (HonorEntry.participant_id == participant_id)
            | (HonorEntry.nominated_by_id == participant_id)
        )
    )
