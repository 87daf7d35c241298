"""The transactional outbox: everything to send later is a row written in the caller's
transaction (the caller commits). Payloads carry ids only; texts are rendered when the
row is sent, so a name changed or erased in between is never sent stale."""

from __future__ import annotations

import datetime as dt
from typing import Any, NotRequired, TypedDict, Unpack, cast

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus


class Kind:
    """Outbox kinds. The renderer for each lives in bot/ui/notices/."""

    PAIR_INTRO = "pair.intro"
    PAIR_ENDED = "pair.ended"
    PAIR_SILENT = "pair.silent"  # to the pair
    PAIR_SILENT_CURATOR = "pair.silent.curator"
    PAIR_STUCK_CURATOR = "pair.stuck.curator"
    PAIR_NOT_FIT_CURATOR = "pair.not_fit.curator"
    MEETING_PROPOSED = "meeting.proposed"
    MEETING_CONFIRMED = "meeting.confirmed"
    MEETING_MOVED = "meeting.moved"
    MEETING_CANCELLED = "meeting.cancelled"
    MEETING_COUNTER = "meeting.counter"  # «предложить другое время»
    MEETING_REMIND_DAY = "meeting.remind.day"
    MEETING_REMIND_HOUR = "meeting.remind.hour"
    MEETING_DID_IT_HAPPEN = "meeting.happened"
    FIT_QUESTION = "fit.question"
    FEEDBACK_REQUEST = "feedback.request"
    FEEDBACK_REMINDER = "feedback.reminder"
    FEEDBACK_LOW_CURATOR = "feedback.low.curator"
    REG_INVITE_USED = "reg.invite_used"  # to the invite's author
    REG_REQUEST = "reg.request"  # to the approvers, with the decision buttons
    REG_APPROVED = "reg.approved"
    REG_DECLINED = "reg.declined"
    ROLE_GRANTED = "role.granted"
    PRIVACY_WITHDRAWN_CURATOR = "privacy.withdrawn.curator"
    SURVEY_INVITE = "survey.invite"
    SURVEY_REMINDER = "survey.reminder"
    DIGEST = "digest.weekly"  # a curator's or coordinator's weekly digest
    PANEL_EXPORT = "panel.export"  # the Excel export asked for in the panel
    CLUB_ANNOUNCE = "club.announce"  # a published event, to its audience
    CLUB_CHANGED = "club.changed"  # to those coming and waiting
    CLUB_CANCELLED = "club.cancelled"  # to those coming and waiting
    CLUB_PROMOTED = "club.promoted"  # first in the waiting list got a place
    CLUB_REMIND_DAY = "club.remind.day"
    CLUB_REMIND_HOUR = "club.remind.hour"
    CLUB_CHANNEL_POST = "club.channel"  # recipient: the organiser; sent to the channel
    CLUB_CHANNEL_REFUSED = "club.channel.refused"  # to the organiser: the bot is no admin
    CLUB_SCHOOL_NOTE = "club.school_note"  # a curator's plain announcement
    CLUB_RATE = "club.rate"  # to an attendee: «Оцените мероприятие» 1–5
    CLUB_MATERIAL = "club.material"  # a material of an event, to its attendees
    CLUB_JOIN_INVITE = "club.join"  # a young specialist after registration
    CLUB_HONOR_ASK = "club.honor.ask"  # to a nominated mentor: may the citation be shown?
    CLUB_HONOR_ANSWERED = "club.honor.answered"  # to the nominator: agreed or not
    PORTFOLIO_DOCUMENT = "portfolio.document"  # «Портфолио достижений» at completion
    PAIR_PROPOSAL = "pair.proposal"  # to the mentor, with «Беру» / «Не могу»
    PAIR_PROPOSAL_REMINDER = "pair.proposal.reminder"  # to the mentor, same buttons
    PAIR_PROPOSAL_ANSWER = "pair.proposal.answer"  # to the curator: taken or declined
    PAIR_PROPOSAL_RETURNED = "pair.proposal.returned"  # to the curator: unanswered
    PAIR_ENDING = "pair.ending"  # early ending with notice: to the others and the curator
    PAIR_ENDING_CANCELLED = "pair.ending.cancelled"
    ADDENDUM_ENDING = "addendum.ending"  # the period ends in two weeks: curator and sides
    HOURS_MONTHLY = "hours.monthly"  # last month's hours table (and xlsx) for a school


class Notice(TypedDict):
    """What a row of the outbox is made of (`queued`, `enqueue`)."""

    recipient_id: int
    kind: str
    due_at: dt.datetime
    now: dt.datetime
    dedupe_key: str
    payload: NotRequired[dict[str, Any] | None]
    meeting_id: NotRequired[int | None]
    pair_id: NotRequired[int | None]


def queued(**notice: Unpack[Notice]) -> dict[str, Any]:
    """One outbox row's values, for `enqueue_all` (every row has every column: the rows
    go as the parameters of one statement)."""
    return {
        "recipient_id": notice["recipient_id"],
        "kind": notice["kind"],
        "payload": notice.get("payload") or {},
        "due_at": notice["due_at"],
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "dedupe_key": notice["dedupe_key"],
        "meeting_id": notice.get("meeting_id"),
        "pair_id": notice.get("pair_id"),
        "created_at": notice["now"],
    }


async def enqueue(session: AsyncSession, **notice: Unpack[Notice]) -> None:
    """Add a row unless one with the same dedupe key exists (then nothing happens):
    planning jobs may run twice, a message must not be sent twice."""
    await enqueue_all(session, [queued(**notice)])


async def enqueue_all(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """`enqueue` for several rows (made by `queued`) in one statement: a logged meeting
    asks everyone for feedback and reminds them twice, six rows for a pair."""
    if not rows:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # The rows as parameters (executemany, one round trip on asyncpg), not as VALUES in
    # the statement: a statement holding its rows is compiled anew on every call. On the
    # table, not the mapped class: the ORM's bulk insert cost 80 µs more per call, and
    # nothing here needs the objects.
    stmt = insert(cast(Table, Outbox.__table__)).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    await session.execute(stmt, rows)


async def cancel_for_meeting(
    session: AsyncSession, meeting_id: int, kinds: tuple[str, ...] | None = None
) -> int:
    """Cancel a meeting's pending rows (it was moved or cancelled)."""
    stmt = update(Outbox).where(
        Outbox.meeting_id == meeting_id, Outbox.status == OutboxStatus.PENDING
    )
    if kinds:
        stmt = stmt.where(Outbox.kind.in_(kinds))
    result = await session.execute(stmt.values(status=OutboxStatus.CANCELLED))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def cancel_for_pair(session: AsyncSession, pair_id: int) -> None:
    await session.execute(
        update(Outbox)
        .where(Outbox.pair_id == pair_id, Outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )


async def cancel_for_recipient(session: AsyncSession, participant_id: int) -> None:
    """The person blocked the bot or left: nothing more is sent to them."""
    await session.execute(
        update(Outbox)
        .where(Outbox.recipient_id == participant_id, Outbox.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )
