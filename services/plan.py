"""The personal plan (ИОМ): goals picked from the mentee's deficits or typed, each with a
target month. Set from the planning meeting on (the mentor may start it any time);
only the pair's members see and edit it, and the mentor marks the progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    GoalStatus,
    MeetingKind,
    Pair,
    PairMember,
    PairStatus,
    PlanGoal,
    School,
)
from services.access import Actor
from services.clock import local_today
from services.errors import AccessDenied, DomainError, NotFound
from services.validation import FieldError

GOAL_MIN = 3
GOAL_MAX = 300
MONTHS_AHEAD = 9
LIVE = (PairStatus.ACTIVE, PairStatus.PAUSED)
# Results are recorded at the final meeting, which completes the pair: the mentor may
# still mark goals then. An ended pair's plan is closed.
MARKABLE = (*LIVE, PairStatus.COMPLETED)
# The stages at which the plan is set (the planning meeting is behind the pair).
PLANNED_STAGES = (MeetingKind.REGULAR, MeetingKind.FINAL)


def clean_title(text: str | None) -> str:
    if text is None:
        raise FieldError("plan.error.need_text")
    value = " ".join(text.split())
    if len(value) > GOAL_MAX:
        raise FieldError("plan.error.too_long", length=len(value), limit=GOAL_MAX)
    if len(value) < GOAL_MIN or not any(ch.isalpha() for ch in value):
        raise FieldError("plan.error.too_short", limit=GOAL_MIN)
    return value


def target_months(today: dt.date) -> list[dt.date]:
    """The first days of the MONTHS_AHEAD months after the current one."""
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS_AHEAD):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        months.append(dt.date(year, month, 1))
    return months


@dataclass(frozen=True)
class GoalView:
    id: int
    title: str
    mentee_id: int | None
    mentee_name: str | None
    target_month: dt.date
    status: GoalStatus


@dataclass(frozen=True)
class PlanView:
    pair_id: int
    mentor_name: str | None
    mentees: list[tuple[int, str | None]]
    goals: list[GoalView]
    is_mentor: bool
    can_add: bool
    can_mark: bool
    today: dt.date  # in the school's zone: the target months count from it


@dataclass(frozen=True)
class Option:
    """A deficit of a mentee that may become a goal."""

    mentee_id: int
    mentee_name: str | None
    item_id: int
    title: str


def _is_mentor(pair: Pair, actor: Actor) -> bool:
    return actor.participant_id is not None and actor.participant_id == pair.mentor_id


def _is_mentee(pair: Pair, actor: Actor) -> bool:
    return any(m.mentee_id == actor.participant_id for m in pair.active_members)


def _can_add(pair: Pair, actor: Actor) -> bool:
    if pair.status not in LIVE:
        return False
    return _is_mentor(pair, actor) or (_is_mentee(pair, actor) and pair.next_kind in PLANNED_STAGES)


async def _member_pair(session: AsyncSession, actor: Actor, pair_id: int) -> Pair:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotFound()
    if not (_is_mentor(pair, actor) or _is_mentee(pair, actor)):
        raise AccessDenied()
    return pair


async def _today(session: AsyncSession, pair: Pair, now: dt.datetime) -> dt.date:
    school = await session.get(School, pair.school_id)
    assert school is not None
    return local_today(now, school.timezone)


async def _view(session: AsyncSession, pair: Pair, actor: Actor, now: dt.datetime) -> PlanView:
    names = {m.mentee_id: m.mentee.full_name for m in pair.members}
    goals = await session.scalars(
        select(PlanGoal)
        .where(PlanGoal.pair_id == pair.id)
        .order_by(PlanGoal.target_month, PlanGoal.id)
    )
    return PlanView(
        pair_id=pair.id,
        mentor_name=pair.mentor.full_name,
        mentees=[(m.mentee_id, m.mentee.full_name) for m in pair.active_members],
        goals=[
            GoalView(
                g.id,
                g.title,
                g.mentee_id,
                names.get(g.mentee_id) if g.mentee_id else None,
                g.target_month,
                g.status,
            )
            for g in goals
        ],
        is_mentor=_is_mentor(pair, actor),
        can_add=_can_add(pair, actor),
        can_mark=_is_mentor(pair, actor) and pair.status in MARKABLE,
        today=await _today(session, pair, now),
    )


async def my_plans(session: AsyncSession, actor: Actor, now: dt.datetime) -> list[PlanView]:
    """The plans of the actor's pairs (as mentor or mentee), live ones and completed."""
    if actor.participant_id is None:
        return []
    me = actor.participant_id
    pairs = await session.scalars(
        select(Pair)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .where(
            Pair.status.in_((*LIVE, PairStatus.COMPLETED)),
            or_(
                Pair.mentor_id == me,
                (PairMember.mentee_id == me) & PairMember.left_at.is_(None),
            ),
        )
        .distinct()
        .order_by(Pair.id)
    )
    return [await _view(session, pair, actor, now) for pair in pairs]


async def plan_of(session: AsyncSession, actor: Actor, pair_id: int, now: dt.datetime) -> PlanView:
    return await _view(session, await _member_pair(session, actor, pair_id), actor, now)


async def deficit_options(session: AsyncSession, actor: Actor, pair_id: int) -> list[Option]:
    """Deficits not yet in the plan: every mentee's for the mentor, one's own for a mentee."""
    pair = await _member_pair(session, actor, pair_id)
    if not _can_add(pair, actor):
        raise DomainError("plan.error.not_yet")
    mentees = [
        m
        for m in pair.active_members
        if _is_mentor(pair, actor) or m.mentee_id == actor.participant_id
    ]
    used = {
        (g.mentee_id, g.catalogue_item_id)
        for g in await session.scalars(select(PlanGoal).where(PlanGoal.pair_id == pair.id))
    }
    options = []
    for member in mentees:
        rows = await session.execute(
            select(CatalogueItem.id, CatalogueItem.title)
            .join(CatalogueMark, CatalogueMark.item_id == CatalogueItem.id)
            .where(
                CatalogueMark.participant_id == member.mentee_id,
                CatalogueMark.kind == CatalogueKind.DEFICIT,
            )
            .order_by(CatalogueItem.sort_order, CatalogueItem.id)
        )
        for item_id, title in rows:
            if (member.mentee_id, item_id) not in used:
                options.append(Option(member.mentee_id, member.mentee.full_name, item_id, title))
    return options


async def check_can_add(session: AsyncSession, actor: Actor, pair_id: int) -> None:
    pair = await _member_pair(session, actor, pair_id)
    if not _can_add(pair, actor):
        raise DomainError("plan.error.not_yet")


async def add_goal(
    session: AsyncSession,
    actor: Actor,
    pair_id: int,
    *,
    target_month: dt.date,
    now: dt.datetime,
    item_id: int | None = None,
    mentee_id: int | None = None,
    title: str | None = None,
) -> GoalView:
    """A goal from a deficit (item_id with its mentee) or typed (title)."""
    pair = await _member_pair(session, actor, pair_id)
    if not _can_add(pair, actor):
        raise DomainError("plan.error.not_yet")
    if target_month not in target_months(await _today(session, pair, now)):
        raise DomainError("error.stale_button")
    goal_mentee: int | None
    if item_id is not None:
        options = await deficit_options(session, actor, pair_id)
        option = next(
            (o for o in options if o.item_id == item_id and o.mentee_id == mentee_id), None
        )
        if option is None:
            raise DomainError("plan.error.option_gone")
        goal_title, goal_mentee = option.title, option.mentee_id
    else:
        goal_title = clean_title(title)
        members = [m.mentee_id for m in pair.active_members]
        if _is_mentee(pair, actor) and not _is_mentor(pair, actor):
            goal_mentee = actor.participant_id
        else:
            # A typed goal of a group belongs to the whole group.
            goal_mentee = members[0] if len(members) == 1 else None
    goal = PlanGoal(
        pair_id=pair.id,
        mentee_id=goal_mentee,
        title=goal_title,
        catalogue_item_id=item_id,
        target_month=target_month,
        status=GoalStatus.PLANNED,
        created_at=now,
        updated_at=now,
    )
    session.add(goal)
    await session.commit()
    names = {m.mentee_id: m.mentee.full_name for m in pair.members}
    return GoalView(
        goal.id,
        goal.title,
        goal.mentee_id,
        names.get(goal.mentee_id) if goal.mentee_id else None,
        goal.target_month,
        goal.status,
    )


async def set_status(
    session: AsyncSession, actor: Actor, goal_id: int, status: GoalStatus, now: dt.datetime
) -> int:
    """The mentor marks a goal planned / in progress / done (from /plan, or as an
    optional step of a meeting's log). Commits; returns the goal's pair id."""
    goal = await session.get(PlanGoal, goal_id)
    if goal is None:
        raise NotFound()
    pair = await _member_pair(session, actor, goal.pair_id)
    if not _is_mentor(pair, actor):
        raise AccessDenied("plan.error.mentor_only")
    if pair.status not in MARKABLE:
        raise DomainError("plan.error.pair_closed")
    goal.status = GoalStatus(status)
    goal.updated_at = now
    await session.commit()
    return pair.id


async def open_goals(
    session: AsyncSession, actor: Actor, pair_id: int, now: dt.datetime
) -> list[GoalView]:
    """Goals not yet done, for a meeting log's «отметить цели» step."""
    pair = await _member_pair(session, actor, pair_id)
    view = await _view(session, pair, actor, now)
    return [g for g in view.goals if g.status != GoalStatus.DONE]
