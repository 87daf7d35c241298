"""Answering a survey in chat, one item at a time.

Every answer is stored the moment it is given, so a person who stops half way goes on
where they left off, also after a restart (the item last put to them is on the
response, not in the chat's state). Answers can be changed until «Отправить»; a
closed round refuses kindly. Every id from a button is checked against the presser:
the response must be theirs, the item one of its steps, the value one of the item's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueItem, CatalogueKind, CatalogueMark, Role, School
from models.surveys import (
    DeficitChange,
    ItemKind,
    RoundKind,
    SurveyAnswer,
    SurveyResponse,
    SurveyRound,
)
from services.access import Actor
from services.errors import AccessDenied, DomainError, NotFound
from services.surveys.instrument import PER_DEFICIT, items_of
from services.surveys.rounds import RoundState, local_today, state
from services.validation import FieldError, plain_digits

TEXT_LIMIT = 1000
SCALE = range(1, 11)
VALUES: dict[ItemKind, range] = {
    ItemKind.SCALE: SCALE,
    ItemKind.DEFICIT_SCALE: SCALE,
    ItemKind.YES_NO: range(0, 2),
    ItemKind.DEFICIT_CHANGE: range(DeficitChange.CLOSED, DeficitChange.UNCHANGED + 1),
}
YES = frozenset({"да", "yes", "+"})
NO = frozenset({"нет", "no", "-"})


@dataclass(frozen=True)
class Step:
    item_id: int
    sub: int  # the deficit (catalogue item id) of a per-deficit item, else 0
    code: str
    kind: ItemKind
    text: str
    deficit: str | None = None  # the deficit's title

    @property
    def key(self) -> tuple[int, int]:
        return (self.item_id, self.sub)


@dataclass(frozen=True)
class Given:
    value: int | None
    text: str | None
    skipped: bool


@dataclass(frozen=True)
class Screen:
    """What the person sees next: the step at ``index`` (of ``total``), or, with
    ``step`` None, the summary of all answers with «Отправить»."""

    response_id: int
    round_kind: RoundKind
    role: Role
    index: int
    total: int
    step: Step | None
    given: Given | None
    summary: tuple[tuple[Step, Given | None], ...] = ()

    @property
    def number(self) -> int:
        return self.index + 1


@dataclass
class _Ctx:
    response: SurveyResponse
    round: SurveyRound
    today: dt.date


async def _ctx(session: AsyncSession, actor: Actor, response_id: int, now: dt.datetime) -> _Ctx:
    found = (
        await session.execute(
            select(SurveyResponse, SurveyRound, School.timezone)
            .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
            .join(School, School.id == SurveyRound.school_id)
            .where(SurveyResponse.id == response_id)
        )
    ).first()
    if found is None:
        raise NotFound()
    response, survey_round, zone = found
    if actor.participant_id is None or response.participant_id != actor.participant_id:
        raise AccessDenied()
    today = local_today(now, zone)
    if response.finished_at is not None:
        raise DomainError("survey.error.finished")
    if state(survey_round, today) == RoundState.CLOSED:
        raise closed_error(survey_round)
    return _Ctx(response, survey_round, today)


def closed_error(survey_round: SurveyRound) -> DomainError:
    return DomainError(
        f"survey.error.closed.{survey_round.kind.value}",
        date=survey_round.closes_on.strftime("%d.%m.%Y"),
    )


async def steps_of(session: AsyncSession, response: SurveyResponse, kind: RoundKind) -> list[Step]:
    """The items of the response's instrument for its role and round, the per-deficit
    ones once for each deficit the person ticked."""
    items = [
        i
        for i in await items_of(session, response.instrument_id)
        if i.role == response.role and i.in_round(kind)
    ]
    deficits: list[tuple[int, str]] = []
    if any(i.kind in PER_DEFICIT for i in items):
        deficits = [
            (item_id, title)
            for item_id, title in await session.execute(
                select(CatalogueItem.id, CatalogueItem.title)
                .join(CatalogueMark, CatalogueMark.item_id == CatalogueItem.id)
                .where(
                    CatalogueMark.participant_id == response.participant_id,
                    CatalogueMark.kind == CatalogueKind.DEFICIT,
                )
                .order_by(CatalogueItem.sort_order, CatalogueItem.id)
            )
        ]
    steps: list[Step] = []
    for item in items:
        if item.kind in PER_DEFICIT:
            steps += [
                Step(item.id, sub, item.code, item.kind, item.text, title)
                for sub, title in deficits
            ]
        else:
            steps.append(Step(item.id, 0, item.code, item.kind, item.text))
    return steps


async def _given(session: AsyncSession, response_id: int) -> dict[tuple[int, int], Given]:
    rows = await session.scalars(
        select(SurveyAnswer)
        .where(SurveyAnswer.response_id == response_id)
        .execution_options(populate_existing=True)
    )
    return {(a.item_id, a.sub): Given(a.value, a.text, a.skipped) for a in rows}


def _next_index(steps: list[Step], given: dict[tuple[int, int], Given], after: int) -> int:
    """The first unanswered step after ``after``, else the first unanswered one at all,
    else the summary (len(steps))."""
    order: list[int] = list(range(after + 1, len(steps))) + list(range(after + 1))
    for i in order:
        if steps[i].key not in given:
            return i
    return len(steps)


def _view(ctx: _Ctx, steps: list[Step], index: int, given: dict[tuple[int, int], Given]) -> Screen:
    step = steps[index] if index < len(steps) else None
    return Screen(
        response_id=ctx.response.id,
        round_kind=ctx.round.kind,
        role=ctx.response.role,
        index=index,
        total=len(steps),
        step=step,
        given=given.get(step.key) if step else None,
        summary=tuple((s, given.get(s.key)) for s in steps) if step is None else (),
    )


async def _screen(
    session: AsyncSession, ctx: _Ctx, steps: list[Step], index: int, now: dt.datetime
) -> Screen:
    """Put the step at ``index`` to the person (recorded, for a typed answer) and commit."""
    screen = _view(ctx, steps, index, await _given(session, ctx.response.id))
    step = screen.step
    ctx.response.asked_item_id = step.item_id if step else None
    ctx.response.asked_sub = step.sub if step else None
    ctx.response.asked_at = now
    await session.commit()
    return screen


async def show(
    session: AsyncSession,
    actor: Actor,
    response_id: int,
    now: dt.datetime,
    index: int | None = None,
) -> Screen:
    """The step at ``index`` (to change an answer), or where the person left off."""
    ctx = await _ctx(session, actor, response_id, now)
    steps = await steps_of(session, ctx.response, ctx.round.kind)
    if index is None:
        index = _next_index(steps, await _given(session, response_id), -1)
    elif not 0 <= index <= len(steps):
        raise DomainError("error.stale_button")
    return await _screen(session, ctx, steps, index, now)


async def _store(
    session: AsyncSession,
    response: SurveyResponse,
    step: Step,
    now: dt.datetime,
    *,
    value: int | None = None,
    text: str | None = None,
    skipped: bool = False,
) -> None:
    values = {
        "response_id": response.id,
        "item_id": step.item_id,
        "sub": step.sub,
        "value": value,
        "text": text,
        "skipped": skipped,
        "answered_at": now,
    }
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(SurveyAnswer).values(**values)
    # A double press or a changed answer: the latest wins, one row per item.
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["response_id", "item_id", "sub"],
            set_={k: stmt.excluded[k] for k in ("value", "text", "skipped", "answered_at")},
        )
    )
    if response.started_at is None:
        response.started_at = now


def _find(steps: list[Step], item_id: int, sub: int) -> int:
    for i, s in enumerate(steps):
        if s.key == (item_id, sub):
            return i
    raise DomainError("error.stale_button")


@dataclass(frozen=True)
class Answered:
    answered: Screen  # the step just answered, with its new answer
    next: Screen


async def answer(
    session: AsyncSession,
    actor: Actor,
    response_id: int,
    item_id: int,
    sub: int,
    value: int,
    now: dt.datetime,
) -> Answered:
    """A button answer (a score, yes/no, a deficit's change), also on an earlier
    question's message (that changes it); returns it and what comes next."""
    ctx = await _ctx(session, actor, response_id, now)
    steps = await steps_of(session, ctx.response, ctx.round.kind)
    index = _find(steps, item_id, sub)
    step = steps[index]
    if step.kind not in VALUES or value not in VALUES[step.kind]:
        raise DomainError("error.stale_button")
    await _store(session, ctx.response, step, now, value=value)
    given = await _given(session, response_id)
    done = _view(ctx, steps, index, given)
    following = await _screen(session, ctx, steps, _next_index(steps, given, index), now)
    return Answered(done, following)


async def skip(
    session: AsyncSession,
    actor: Actor,
    response_id: int,
    item_id: int,
    sub: int,
    now: dt.datetime,
) -> Screen:
    """«Пропустить» on a typed question, only while it is the one asked."""
    ctx = await _ctx(session, actor, response_id, now)
    steps = await steps_of(session, ctx.response, ctx.round.kind)
    index = _find(steps, item_id, sub)
    asked = (ctx.response.asked_item_id, ctx.response.asked_sub) == (item_id, sub)
    if steps[index].kind != ItemKind.TEXT or not asked:
        raise DomainError("error.stale_button")
    await _store(session, ctx.response, steps[index], now, skipped=True)
    given = await _given(session, response_id)
    return await _screen(session, ctx, steps, _next_index(steps, given, index), now)


@dataclass(frozen=True)
class Typed:
    screen: Screen
    error: FieldError | None = None  # the hint; ``screen`` then asks the same item again
    saved: bool = False


def clean_text(text: str | None) -> str:
    if text is None:
        raise FieldError("survey.error.need_text")
    value = text.strip()
    if len(value) > TEXT_LIMIT:
        raise FieldError("survey.error.too_long", length=len(value), limit=TEXT_LIMIT)
    if not any(ch.isalnum() for ch in value):
        raise FieldError("survey.error.empty")
    return value


def parse_typed(step: Step, text: str | None) -> tuple[int | None, str | None]:
    """A typed message as an answer to ``step``: (value, text), or a FieldError hint."""
    if step.kind == ItemKind.TEXT:
        return None, clean_text(text)
    raw = (text or "").strip().lower()
    if step.kind in (ItemKind.SCALE, ItemKind.DEFICIT_SCALE):
        if not plain_digits(raw.lstrip("-")) or len(raw) > 4:
            raise FieldError("survey.error.use_scale")
        score = int(raw)
        if score not in SCALE:
            raise FieldError("survey.error.scale_range", value=score)
        return score, None
    if step.kind == ItemKind.YES_NO:
        if raw in YES:
            return 1, None
        if raw in NO:
            return 0, None
        raise FieldError("survey.error.use_yes_no")
    raise FieldError("survey.error.use_change")


async def awaiting(
    session: AsyncSession, participant_id: int | None, now: dt.datetime
) -> int | None:
    """The response whose question the person was asked last, if one waits. A round
    that closed meanwhile says so once, and then waits no more."""
    if participant_id is None:
        return None
    found = (
        await session.execute(
            select(SurveyResponse, SurveyRound, School.timezone)
            .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
            .join(School, School.id == SurveyRound.school_id)
            .where(
                SurveyResponse.participant_id == participant_id,
                SurveyResponse.finished_at.is_(None),
                SurveyResponse.asked_item_id.is_not(None),
            )
            .order_by(SurveyResponse.asked_at.desc(), SurveyResponse.id.desc())
            .limit(1)
        )
    ).first()
    if found is None:
        return None
    response, survey_round, zone = found
    if state(survey_round, local_today(now, zone)) == RoundState.CLOSED:
        response.asked_item_id = response.asked_sub = None
        await session.commit()
        raise closed_error(survey_round)
    return int(response.id)


async def typed(
    session: AsyncSession, actor: Actor, text: str | None, now: dt.datetime
) -> Typed | None:
    """A message typed (or a sticker sent: ``text`` None) while a survey question is
    open; None when no question waits for the person."""
    response_id = await awaiting(session, actor.participant_id, now)
    if response_id is None:
        await session.commit()
        return None
    ctx = await _ctx(session, actor, response_id, now)
    steps = await steps_of(session, ctx.response, ctx.round.kind)
    try:
        index = _find(steps, ctx.response.asked_item_id or 0, ctx.response.asked_sub or 0)
    except DomainError:
        return None  # the asked item is gone (the deficits changed): nothing waits
    step = steps[index]
    try:
        value, clean = parse_typed(step, text)
    except FieldError as err:
        return Typed(await _screen(session, ctx, steps, index, now), err)
    await _store(session, ctx.response, step, now, value=value, text=clean)
    given = await _given(session, response_id)
    return Typed(
        await _screen(session, ctx, steps, _next_index(steps, given, index), now), saved=True
    )


@dataclass(frozen=True)
class Finished:
    round_kind: RoundKind
    role: Role


async def submit(
    session: AsyncSession, actor: Actor, response_id: int, now: dt.datetime
) -> Finished | Screen:
    """«Отправить»: the response is complete (every step answered or, for texts,
    skipped). An unanswered step is shown instead."""
    ctx = await _ctx(session, actor, response_id, now)
    steps = await steps_of(session, ctx.response, ctx.round.kind)
    given = await _given(session, response_id)
    missing = _next_index(steps, given, -1)
    if missing < len(steps):
        return await _screen(session, ctx, steps, missing, now)
    ctx.response.finished_at = now
    ctx.response.asked_item_id = None
    ctx.response.asked_sub = None
    await session.commit()
    return Finished(ctx.round.kind, ctx.response.role)


@dataclass(frozen=True)
class Mine:
    response_id: int
    round_kind: RoundKind
    role: Role
    closes_on: dt.date
    answered: int


async def mine(session: AsyncSession, actor: Actor, now: dt.datetime) -> tuple[list[Mine], bool]:
    """The person's open, unfinished responses, and whether one of theirs was left
    unfinished in a round that has closed (to say so kindly)."""
    if actor.participant_id is None:
        return [], False
    rows = (
        await session.execute(
            select(SurveyResponse, SurveyRound, School.timezone)
            .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
            .join(School, School.id == SurveyRound.school_id)
            .where(
                SurveyResponse.participant_id == actor.participant_id,
                SurveyResponse.finished_at.is_(None),
            )
            .order_by(SurveyResponse.invited_at, SurveyResponse.id)
        )
    ).all()
    open_ones, closed = [], False
    for response, survey_round, zone in rows:
        if state(survey_round, local_today(now, zone)) == RoundState.CLOSED:
            closed = True
            continue
        answered = len(await _given(session, response.id))
        open_ones.append(
            Mine(response.id, survey_round.kind, response.role, survey_round.closes_on, answered)
        )
    await session.commit()  # a read: the connection goes back before the reply
    return open_ones, closed


@dataclass(frozen=True)
class Brief:
    """What an invitation or a reminder says about a response."""

    response_id: int
    participant_id: int
    round_kind: RoundKind
    closes_on: dt.date
    zone: str
    finished: bool
    answered: int
    total: int

    def closed_at(self, at: dt.datetime) -> bool:
        return local_today(at, self.zone) > self.closes_on


async def brief(session: AsyncSession, response_id: int) -> Brief | None:
    found = (
        await session.execute(
            select(SurveyResponse, SurveyRound, School.timezone)
            .join(SurveyRound, SurveyRound.id == SurveyResponse.round_id)
            .join(School, School.id == SurveyRound.school_id)
            .where(SurveyResponse.id == response_id)
        )
    ).first()
    if found is None:
        return None
    response, survey_round, zone = found
    steps = await steps_of(session, response, survey_round.kind)
    given = await _given(session, response.id)
    return Brief(
        response_id=response.id,
        participant_id=response.participant_id,
        round_kind=survey_round.kind,
        closes_on=survey_round.closes_on,
        zone=zone,
        finished=response.finished_at is not None,
        answered=sum(1 for s in steps if s.key in given),
        total=len(steps),
    )
