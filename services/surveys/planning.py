"""What the scheduler's planning tick does for surveys: a round that is open today (in
the school's own time zone) invites every active participant of the school who has
no response yet; a pair's held final meeting opens the final round for its members at
once (logging it calls open_final_for_pair in its own transaction; the tick catches up
on any it missed). Each invitation is a response row plus outbox rows (the invitation now, outside
quiet hours and rest days; reminders after 3 and 7 days), written in one transaction.

Running it twice writes nothing new (a response per round, person and role; outbox
dedupe keys). Queries are per tick, not per person: eligible people are found with one
statement over all open rounds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from models.surveys import RoundKind, SurveyResponse, SurveyRound
from services import outbox, programmes
from services.clock import SendRules, next_allowed
from services.outbox import Kind
from services.programmes import academic_year
from services.surveys import instrument
from services.surveys.rounds import RoundState, ensure, local_today, state, year_bounds

TEACHER_ROLES = (Role.MENTEE, Role.MENTOR)
REMINDERS = ((1, dt.timedelta(days=3)), (2, dt.timedelta(days=7)))
# Final meetings further back than this are not looked at again (a year is enough: an
# older one belongs to a closed academic year).
FINAL_LOOKBACK = dt.timedelta(days=366)


def _live() -> list[ColumnElement[bool]]:
    return [
        Participant.status == ParticipantStatus.ACTIVE,
        Participant.telegram_id.is_not(None),
        Participant.blocked_bot.is_(False),
    ]


@dataclass
class _School:
    id: int
    zone: str
    municipality_id: int
    today: dt.date
    year: str


class _Planner:
    def __init__(self, session: AsyncSession, now: dt.datetime) -> None:
        self.session = session
        self.now = now
        self.rules: dict[int, SendRules] = {}
        self.instruments: dict[int, int] = {}
        self.added = 0

    async def _rules(self, school: _School) -> SendRules:
        if school.id not in self.rules:
            self.rules[school.id] = await programmes.send_rules(
                self.session, school.id, school.today
            )
        return self.rules[school.id]

    async def _instrument(self, municipality_id: int) -> int:
        if municipality_id not in self.instruments:
            found = await instrument.in_force(self.session, municipality_id, self.now)
            self.instruments[municipality_id] = found.id
        return self.instruments[municipality_id]

    async def invite(
        self,
        school: _School,
        round_id: int,
        participant_id: int,
        role: Role,
        pair_id: int | None = None,
    ) -> None:
        response = SurveyResponse(
            round_id=round_id,
            participant_id=participant_id,
            role=role,
            instrument_id=await self._instrument(school.municipality_id),
            pair_id=pair_id,
            invited_at=self.now,
        )
        self.session.add(response)
        await self.session.flush()
        rules = await self._rules(school)
        await outbox.enqueue(
            self.session,
            recipient_id=participant_id,
            kind=Kind.SURVEY_INVITE,
            now=self.now,
            due_at=next_allowed(self.now, rules),
            dedupe_key=f"sv:{response.id}:invite",
            payload={"response_id": response.id},
            pair_id=pair_id,
        )
        for n, after in REMINDERS:
            await outbox.enqueue(
                self.session,
                recipient_id=participant_id,
                kind=Kind.SURVEY_REMINDER,
                now=self.now,
                due_at=next_allowed(self.now + after, rules),
                dedupe_key=f"sv:{response.id}:remind:{n}",
                payload={"response_id": response.id, "n": n},
                pair_id=pair_id,
            )
        self.added += 1


async def _schools(session: AsyncSession, now: dt.datetime) -> dict[int, _School]:
    """Schools with at least one active teacher, with today's date in their zone."""
    has_teachers = exists().where(
        RoleGrant.school_id == School.id,
        RoleGrant.role.in_(TEACHER_ROLES),
        RoleGrant.participant_id == Participant.id,
        *_live(),
    )
    result = {}
    for school_id, zone, municipality_id in await session.execute(
        select(School.id, School.timezone, School.municipality_id).where(has_teachers)
    ):
        today = local_today(now, zone)
        result[school_id] = _School(
            school_id, zone, municipality_id, today, academic_year(today)[0]
        )
    return result


async def plan(session: AsyncSession, now: dt.datetime) -> int:
    """Invite whoever is due an invitation now; returns how many were invited. Commits."""
    schools = await _schools(session, now)
    if not schools:
        return 0
    wanted = [(s.id, s.year) for s in schools.values()]
    rounds = await _rounds(session, wanted)
    missing = set(wanted) - {(r.school_id, r.academic_year) for r in rounds}
    if missing:  # a new school or a new academic year: its rounds with the defaults
        await ensure(session, missing)
        rounds = await _rounds(session, wanted)
    planner = _Planner(session, now)
    open_ids = [r.id for r in rounds if state(r, schools[r.school_id].today) == RoundState.OPEN]
    school_of_round = {r.id: schools[r.school_id] for r in rounds}
    if open_ids:
        await _invite_open_rounds(session, planner, open_ids, school_of_round)
    finals = {
        r.school_id: r
        for r in rounds
        if r.kind == RoundKind.FINAL and state(r, schools[r.school_id].today) != RoundState.CLOSED
    }
    await _open_after_final_meetings(session, planner, schools, finals)
    await session.commit()
    return planner.added


async def open_final_for_pair(session: AsyncSession, pair: Pair, now: dt.datetime) -> int:
    """The pair's final meeting was just logged as held: the final round opens for its
    members now, in the same transaction, not at the next planning tick (the tick
    would do the same; the response rows keep it from happening twice). Does not
    commit; returns how many were invited."""
    zone, municipality_id = (
        await session.execute(
            select(School.timezone, School.municipality_id).where(School.id == pair.school_id)
        )
    ).one()
    today = local_today(now, zone)
    school = _School(pair.school_id, zone, municipality_id, today, academic_year(today)[0])
    wanted = [(school.id, school.year)]
    rounds = await _rounds(session, wanted)
    if not rounds:
        await ensure(session, wanted)
        rounds = await _rounds(session, wanted)
    finals = {
        r.school_id: r
        for r in rounds
        if r.kind == RoundKind.FINAL and state(r, today) != RoundState.CLOSED
    }
    planner = _Planner(session, now)
    await _open_after_final_meetings(
        session, planner, {school.id: school}, finals, pair_ids=[pair.id]
    )
    return planner.added


async def _rounds(session: AsyncSession, wanted: list[tuple[int, str]]) -> list[SurveyRound]:
    return list(
        await session.scalars(
            select(SurveyRound).where(
                tuple_(SurveyRound.school_id, SurveyRound.academic_year).in_(wanted)
            )
        )
    )


async def _invite_open_rounds(
    session: AsyncSession,
    planner: _Planner,
    open_ids: list[int],
    school_of_round: dict[int, _School],
) -> None:
    answered = exists().where(
        SurveyResponse.round_id == SurveyRound.id,
        SurveyResponse.participant_id == RoleGrant.participant_id,
        SurveyResponse.role == RoleGrant.role,
    )
    due = await session.execute(
        select(SurveyRound.id, RoleGrant.participant_id, RoleGrant.role)
        .join(RoleGrant, RoleGrant.school_id == SurveyRound.school_id)
        .join(Participant, Participant.id == RoleGrant.participant_id)
        .where(
            SurveyRound.id.in_(open_ids),
            RoleGrant.role.in_(TEACHER_ROLES),
            *_live(),
            ~answered,
        )
        .distinct()
        .order_by(SurveyRound.id, RoleGrant.participant_id, RoleGrant.role)
    )
    for round_id, participant_id, role in due.all():
        await planner.invite(school_of_round[round_id], round_id, participant_id, role)


async def _open_after_final_meetings(
    session: AsyncSession,
    planner: _Planner,
    schools: dict[int, _School],
    finals: dict[int, SurveyRound],
    pair_ids: list[int] | None = None,
) -> None:
    """The final round opens for each member of a pair whose final meeting was held this
    academic year, whatever the round's own dates (``pair_ids``: only these pairs)."""
    if not finals:
        return
    only = [Pair.id.in_(pair_ids)] if pair_ids is not None else []
    held = (
        await session.execute(
            select(Pair.id, Pair.school_id, Pair.mentor_id, Meeting.starts_at)
            .join(Meeting, Meeting.pair_id == Pair.id)
            .where(
                *only,
                Pair.school_id.in_(list(finals)),
                Pair.status == PairStatus.COMPLETED,
                Meeting.kind == MeetingKind.FINAL,
                Meeting.status == MeetingStatus.HELD,
                Meeting.starts_at >= planner.now - FINAL_LOOKBACK,
                Meeting.starts_at <= planner.now,
            )
        )
    ).all()
    pairs = []
    for pair_id, school_id, mentor_id, held_at in held:
        school = schools[school_id]
        if local_today(held_at, school.zone) >= year_bounds(school.year)[0]:
            pairs.append((pair_id, school_id, mentor_id))
    if not pairs:
        return
    members = await session.execute(
        select(PairMember.pair_id, PairMember.mentee_id).where(
            PairMember.pair_id.in_([p for p, _, _ in pairs]), PairMember.left_at.is_(None)
        )
    )
    mentees: dict[int, list[int]] = {}
    for pair_id, mentee_id in members:
        mentees.setdefault(pair_id, []).append(mentee_id)
    people = set(
        await session.scalars(
            select(Participant.id).where(
                Participant.id.in_(
                    [m for _, _, m in pairs] + [x for v in mentees.values() for x in v]
                ),
                *_live(),
            )
        )
    )
    round_ids = [finals[s].id for _, s, _ in pairs]
    have: set[tuple[int, int, Role]] = {
        (r, p, Role(role))
        for r, p, role in await session.execute(
            select(
                SurveyResponse.round_id, SurveyResponse.participant_id, SurveyResponse.role
            ).where(SurveyResponse.round_id.in_(round_ids))
        )
    }
    for pair_id, school_id, mentor_id in pairs:
        survey_round = finals[school_id]
        wanted = [(mentor_id, Role.MENTOR), *((m, Role.MENTEE) for m in mentees.get(pair_id, []))]
        for participant_id, role in wanted:
            key = (survey_round.id, participant_id, role)
            if participant_id not in people or key in have:
                continue
            have.add(key)
            await planner.invite(schools[school_id], survey_round.id, participant_id, role, pair_id)
