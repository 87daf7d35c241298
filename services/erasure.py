"""Erasing a person (consent withdrawn, or a newcomer declined): every free text they
wrote or that is about them goes, in every table; what statistics need stays, and the
attributes that could single them out in a small school become anonymous counts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueItem,
    Consent,
    ErasedAttributeCount,
    Feedback,
    Invite,
    Meeting,
    Pair,
    PairEnding,
    PairMember,
    PairProposal,
    Participant,
    ParticipantStatus,
    PlanGoal,
    ProposalStatus,
)
from models.enums import TEACHER_ROLES
from services import outbox, portfolio
from services.club import announcements as club_announcements
from services.club import honor
from services.programmes import academic_year
from services.surveys.erasure import erase_texts as erase_survey_texts

# Goal titles may be typed and name the person; the goal itself (status, month,
# catalogue item) stays for the statistics.
ERASED_GOAL_TITLE = "—"


async def pairs_of(session: AsyncSession, participant_id: int) -> list[int]:
    """Every pair the person is or was in, as the mentor or as a mentee."""
    rows = await session.scalars(
        select(Pair.id)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .where(or_(Pair.mentor_id == participant_id, PairMember.mentee_id == participant_id))
        .distinct()
    )
    return sorted(rows)


# Participant ids this session erased: the bot forgets their FSM records once the
# update is done (bot.middlewares.forget_erased), without loading them again.
ERASED_IN_SESSION = "nastavnik.erased"


def erased_in(session: AsyncSession) -> set[int]:
    erased: set[int] = session.info.get(ERASED_IN_SESSION, set())
    return erased


async def erase_person(
    session: AsyncSession,
    participant: Participant,
    now: dt.datetime,
    subject_hmac: str | None = None,
) -> None:
    """Erase the person everywhere. ``subject_hmac`` is written on consent records made
    before it existed, so they too stay provable without the Telegram id."""
    pid = participant.id
    session.info.setdefault(ERASED_IN_SESSION, set()).add(pid)
    # The caller's row may be fresh (never loaded these): load them without lazy IO.
    await session.refresh(participant, ["roles", "catalogue_marks", "mentee_profile"])
    pair_ids = await pairs_of(session, pid)
    if subject_hmac is not None:
        await session.execute(
            update(Consent)
            .where(Consent.participant_id == pid, Consent.subject_hmac.is_(None))
            .values(subject_hmac=subject_hmac)
        )
    await session.execute(
        update(Consent).where(Consent.participant_id == pid).values(telegram_id=None)
    )
    await session.execute(
        update(Consent)
        .where(Consent.participant_id == pid, Consent.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
    )
    await session.execute(update(Invite).where(Invite.created_by_id == pid).values(revoked=True))
    await session.execute(
        update(Feedback).where(Feedback.participant_id == pid).values(helped=None, hard=None)
    )
    # A mentor's reason for «Не могу» is about both of them.
    await session.execute(
        update(PairProposal)
        .where(or_(PairProposal.mentor_id == pid, PairProposal.mentee_id == pid))
        .values(decline_reason=None)
    )
    await session.execute(
        update(PairProposal)
        .where(
            or_(PairProposal.mentor_id == pid, PairProposal.mentee_id == pid),
            PairProposal.status == ProposalStatus.WAITING,
        )
        .values(status=ProposalStatus.WITHDRAWN, answered_at=now)
    )
    if pair_ids:
        # Either side types these, and they are about both: erase them for the pair.
        await session.execute(
            update(Meeting)
            .where(Meeting.pair_id.in_(pair_ids))
            .values(place=None, topic=None, notes=None, skip_reason=None)
        )
        await session.execute(update(Pair).where(Pair.id.in_(pair_ids)).values(end_reason=None))
        await session.execute(
            update(PairEnding).where(PairEnding.pair_id.in_(pair_ids)).values(reason=None)
        )
        # The other side's comments on their meetings are about the person too (and often
        # name them): the texts go, the ratings stay for the statistics.
        await session.execute(
            update(Feedback)
            .where(Feedback.meeting_id.in_(select(Meeting.id).where(Meeting.pair_id.in_(pair_ids))))
            .values(helped=None, hard=None)
        )
        led = select(Pair.id).where(Pair.mentor_id == pid)
        await session.execute(
            update(PlanGoal)
            .where(
                PlanGoal.pair_id.in_(pair_ids),
                or_(
                    PlanGoal.mentee_id == pid,
                    PlanGoal.mentee_id.is_(None),
                    PlanGoal.pair_id.in_(led),
                ),
            )
            .values(title=ERASED_GOAL_TITLE)
        )
    # Survey answers stay (anonymous once the row is blanked); their typed texts go.
    await erase_survey_texts(session, pid, pair_ids)
    await club_announcements.erase_texts(session, pid)
    await honor.erase(session, pid)
    await portfolio.erase(session, pid)
    await outbox.cancel_for_recipient(session, pid)
    await _count_and_drop_attributes(session, participant, now)
    _blank(participant, now)


async def _count_and_drop_attributes(
    session: AsyncSession, participant: Participant, now: dt.datetime
) -> None:
    pairs: list[tuple[str, str]] = []
    if participant.experience_years is not None:
        pairs.append(("experience_years", str(participant.experience_years)))
    if participant.category is not None:
        pairs.append(("category", participant.category.value))
    if participant.age_group is not None:
        pairs.append(("age_group", participant.age_group.value))
    item_ids = [m.item_id for m in participant.catalogue_marks]
    codes: dict[int, str] = {}
    if item_ids:
        rows = await session.execute(
            select(CatalogueItem.id, CatalogueItem.code).where(CatalogueItem.id.in_(item_ids))
        )
        codes = dict(rows.all())
    pairs += [(m.kind.value, codes[m.item_id]) for m in participant.catalogue_marks]
    roles = sorted({g.role.value for g in participant.roles if g.role in TEACHER_ROLES})
    if participant.school_id is not None and pairs:
        year = academic_year((participant.registered_at or now).date())[0]
        # Only people who were in the programme count; a declined newcomer never was.
        for role in roles:
            for attribute, value in pairs:
                await _increment(session, participant.school_id, year, role, attribute, value)
    participant.catalogue_marks.clear()  # delete-orphan: the rows go at flush
    participant.experience_years = None
    participant.category = None
    participant.age_group = None


async def _increment(
    session: AsyncSession, school_id: int, year: str, role: str, attribute: str, value: str
) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(ErasedAttributeCount).values(
        school_id=school_id,
        academic_year=year,
        role=role,
        attribute=attribute,
        value=value,
        count=1,
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["school_id", "academic_year", "role", "attribute", "value"],
            set_={"count": ErasedAttributeCount.count + 1},
        )
    )


def _blank(participant: Participant, now: dt.datetime) -> None:
    """Blank every personal field; role, school and stage stay for the statistics."""
    participant.telegram_id = None
    participant.username = None
    participant.full_name = None
    participant.position = None
    participant.subject = None
    if participant.mentee_profile is not None:
        participant.mentee_profile.request_text = None
    participant.status = ParticipantStatus.LEFT
    participant.erased_at = now
