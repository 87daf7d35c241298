"""Loading participants and the people who must hear about them."""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from models import (
    CatalogueKind,
    CatalogueMark,
    Invite,
    MenteeProfile,
    MentorProfile,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from services import invites
from services.clock import Clock
from services.invites import InviteError
from services.questionnaire import Answers


async def remembered_invite(
    session: AsyncSession, participant: Participant, clock: Clock
) -> Invite | None:
    """The invite this registration started with, if it can still be used."""
    if participant.invite_code is None:
        return None
    try:
        return await invites.check(session, participant.invite_code, clock)
    except InviteError:
        return None


_LIVE = (
    select(Participant)
    .where(
        Participant.telegram_id == bindparam("telegram_id"),
        Participant.status != ParticipantStatus.DECLINED,
    )
    .options(
        joinedload(Participant.mentee_profile),
        joinedload(Participant.mentor_profile),
        joinedload(Participant.roles),
        joinedload(Participant.catalogue_marks),
    )
)


async def find_live(session: AsyncSession, telegram_id: int) -> Participant | None:
    """The person's current row (any status but LEFT, whose telegram_id is erased, and
    DECLINED, which keeps it only until the decline notice is out), whole: the profiles,
    role grants and ticked items come in the same query (the mapping would load each
    with a query of its own: five round trips for one person; the rows it returns are a
    few dozen at most, grants times ticked items)."""
    found = await session.execute(_LIVE, {"telegram_id": telegram_id})
    return found.unique().scalar_one_or_none()


async def release_declined(session: AsyncSession, telegram_id: int) -> None:
    """The declined person starts again before their notice went out: the old row lets
    go of the Telegram id (one live row per account); its notice is then cancelled."""
    await session.execute(_RELEASE_DECLINED, {"account": telegram_id})


# Built once: on every «Согласен» SQLAlchemy then only runs it.
_RELEASE_DECLINED = (
    update(Participant)
    .where(
        Participant.telegram_id == bindparam("account"),  # not the SET's own name
        Participant.status == ParticipantStatus.DECLINED,
    )
    .values(telegram_id=None)
    .execution_options(synchronize_session=False)
)


def answers_of(p: Participant) -> Answers:
    confirmed = []
    # A pending request has answered its role's questions too.
    if p.has_role(Role.MENTEE) or p.requested_role == Role.MENTEE:
        confirmed += ["deficits", "request_text"]
    if p.has_role(Role.MENTOR) or p.requested_role == Role.MENTOR:
        confirmed.append("competencies")
    return Answers(
        full_name=p.full_name,
        position=p.position,
        subject=p.subject,
        experience_years=p.experience_years,
        age_group=p.age_group,
        category=p.category,
        deficits=p.marks(CatalogueKind.DEFICIT),
        request_text=p.mentee_profile.request_text if p.mentee_profile else None,
        competencies=p.marks(CatalogueKind.COMPETENCY),
        capacity=p.mentor_profile.capacity if p.mentor_profile else None,
        confirmed=confirmed,
    )


def apply_answers(p: Participant, answers: Answers, fields: list[str] | None = None) -> None:
    """Write answers onto the participant (only ``fields`` if given)."""
    wanted = set(fields) if fields is not None else None

    def want(name: str) -> bool:
        return wanted is None or name in wanted

    for name in ("full_name", "position", "subject", "experience_years", "age_group", "category"):
        value = getattr(answers, name)
        if want(name) and value is not None:
            setattr(p, name, value)
    if want("request_text") and "request_text" in answers.confirmed:
        if p.mentee_profile is None:
            p.mentee_profile = MenteeProfile()
        p.mentee_profile.request_text = answers.request_text
    if want("capacity") and answers.capacity is not None:
        if p.mentor_profile is None:
            p.mentor_profile = MentorProfile()
        p.mentor_profile.capacity = answers.capacity
    for name, kind in (
        ("deficits", CatalogueKind.DEFICIT),
        ("competencies", CatalogueKind.COMPETENCY),
    ):
        if want(name) and name in answers.confirmed:
            chosen = set(getattr(answers, name))
            # Keep the marks that stay: deleting and re-inserting the same (person, kind,
            # item) in one flush breaks the unique constraint (inserts run first).
            kept = [m for m in p.catalogue_marks if m.kind != kind or m.item_id in chosen]
            have = {m.item_id for m in kept if m.kind == kind}
            p.catalogue_marks = kept + [
                CatalogueMark(kind=kind, item_id=i) for i in sorted(chosen - have)
            ]
            if kind == CatalogueKind.DEFICIT and p.mentee_profile is None:
                p.mentee_profile = MenteeProfile()


async def approvers_of(session: AsyncSession, school_id: int) -> list[int]:
    """Telegram ids of who approves a school's newcomers: its curators, else the
    municipality's coordinators. Admins are added by the caller (they live in settings)."""
    curators = await session.scalars(
        select(Participant.telegram_id)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .where(
            RoleGrant.role == Role.CURATOR,
            RoleGrant.school_id == school_id,
            Participant.status == ParticipantStatus.ACTIVE,
        )
    )
    ids = [i for i in curators if i is not None]
    if ids:
        return sorted(set(ids))
    school = await session.get(School, school_id)
    if school is None:
        return []
    coordinators = await session.scalars(
        select(Participant.telegram_id)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .where(
            RoleGrant.role == Role.COORDINATOR,
            RoleGrant.municipality_id == school.municipality_id,
            Participant.status == ParticipantStatus.ACTIVE,
        )
    )
    return sorted({i for i in coordinators if i is not None})
