"""The meeting cycle of a pair (Р-145): introductory → trial → planning → regular
(repeated) → final → completed. Scheduling, confirming, moving, cancelling and logging
meetings, with every reminder and notice written as an outbox row in the same
transaction. Every id that comes from a button is checked against the presser here.

``Meeting.created_by_id`` is the person whose proposal is on the table: a counter-
proposal or a move hands it to the person who made it, and only the others confirm.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    MEETING_ORDER,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Outbox,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    School,
)
from services import audit, feedback_requests, fit, outbox, programmes
from services.access import Actor, school_in_scope
from services.clock import Clock
from services.errors import AccessDenied, DomainError, NotFound
from services.outbox import Kind
from services.timing import SendRules, next_allowed

OPEN = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)
LIVE_PAIR = (PairStatus.ACTIVE, PairStatus.PAUSED)
DURATIONS = (30, 45, 60, 90)
# Time buttons: 08:00 … 19:30 local, every 30 minutes.
FIRST_SLOT = dt.time(8, 0)
LAST_SLOT = dt.time(19, 30)
REMIND_DAY_BEFORE = dt.timedelta(days=1)
REMIND_HOUR_BEFORE = dt.timedelta(hours=1)
# «Встреча состоялась?» goes to the mentor when the meeting should be over.
ASK_AFTER = dt.timedelta(minutes=60)
MAX_PLACE = 300
MAX_TOPIC = 300
MAX_REASON = 1000
PAGE_SIZE = 8

_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_HAS_LETTER_OR_DIGIT = re.compile(r"[0-9A-Za-zА-Яа-яЁё]")


# --- the cycle ---------------------------------------------------------------------


def kind_after(kind: MeetingKind) -> MeetingKind | None:
    """What comes after a held meeting of this kind: regular meetings repeat until the
    mentor moves the pair to the final one; after the final one, nothing."""
    if kind == MeetingKind.REGULAR:
        return MeetingKind.REGULAR
    if kind == MeetingKind.FINAL:
        return None
    return MEETING_ORDER[MEETING_ORDER.index(kind) + 1]


def _advance(pair: Pair, kind: MeetingKind, now: dt.datetime) -> None:
    """A held (or skipped) meeting of ``kind`` moves the pair on, unless the pair is
    already past that stage (the curator skipped it while the meeting was open)."""
    current = pair.next_kind
    if current is not None and MEETING_ORDER.index(kind) < MEETING_ORDER.index(current):
        return
    nxt = kind_after(kind)
    if nxt != current:
        pair.stage_since = now
    pair.next_kind = nxt
    if nxt is None:
        pair.status = PairStatus.COMPLETED


def slots() -> list[str]:
    """The time buttons, "HH:MM" local."""
    out = []
    t = dt.datetime.combine(dt.date(2000, 1, 1), FIRST_SLOT)
    end = dt.datetime.combine(dt.date(2000, 1, 1), LAST_SLOT)
    while t <= end:
        out.append(t.strftime("%H:%M"))
        t += dt.timedelta(minutes=30)
    return out


def local_to_utc(day: dt.date, hhmm: str, zone: str) -> dt.datetime:
    hour, minute = (int(p) for p in hhmm.split(":"))
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC)


def local_today(now: dt.datetime, zone: str) -> dt.date:
    return now.astimezone(zoneinfo.ZoneInfo(zone)).date()


# --- checks on typed input -----------------------------------------------------------


def clean_place(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_PLACE:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_PLACE)
    if len(value) < 2 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.place")
    return value


def clean_link(text: str) -> str:
    value = text.strip()
    if len(value) > MAX_PLACE:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_PLACE)
    if not _URL.match(value):
        raise DomainError("meeting.error.link")
    return value


def clean_topic(text: str) -> str:
    value = " ".join(text.split())
    if len(value) > MAX_TOPIC:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_TOPIC)
    if len(value) < 2 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.topic")
    return value


def clean_reason(text: str) -> str:
    value = text.strip()
    if len(value) > MAX_REASON:
        raise DomainError("meeting.error.too_long", length=len(value), limit=MAX_REASON)
    if len(value) < 3 or not _HAS_LETTER_OR_DIGIT.search(value):
        raise DomainError("meeting.error.reason")
    return value


# --- what the UI shows -------------------------------------------------------------


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    pair_id: int
    kind: MeetingKind
    status: MeetingStatus
    starts_at: dt.datetime
    zone: str
    sequence: int = 0
    duration_min: int | None = None
    format: MeetingFormat | None = None
    place: str | None = None
    topic: str | None = None
    skip_reason: str | None = None
    created_by_id: int | None = None


@dataclass(frozen=True)
class PairCard:
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


# --- access --------------------------------------------------------------------------


def role_in(pair: Pair, participant_id: int | None) -> str | None:
    if participant_id is None:
        return None
    if pair.mentor_id == participant_id:
        return "mentor"
    if any(m.mentee_id == participant_id for m in pair.active_members):
        return "mentee"
    return None


def members(pair: Pair) -> list[int]:
    return [pair.mentor_id, *(m.mentee_id for m in pair.active_members)]


async def pair_of_member(session: AsyncSession, participant_id: int | None, pair_id: int) -> Pair:
    """The pair, if the person is its mentor or one of its current mentees."""
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotFound()
    if role_in(pair, participant_id) is None:
        raise AccessDenied("meeting.error.not_your_pair")
    return pair


async def meeting_of_member(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> tuple[Meeting, Pair]:
    meeting = await session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    pair = await pair_of_member(session, participant_id, meeting.pair_id)
    return meeting, pair


def _require_mentor(pair: Pair, participant_id: int | None) -> None:
    if pair.mentor_id != participant_id:
        raise AccessDenied("meeting.error.mentor_only")


def _require_live(pair: Pair) -> None:
    if pair.status not in LIVE_PAIR or pair.next_kind is None:
        raise DomainError("meeting.error.pair_closed")


# --- reading -------------------------------------------------------------------------


async def zone_of(session: AsyncSession, pair: Pair) -> str:
    school = await session.get(School, pair.school_id)
    return school.timezone if school else "Europe/Moscow"


async def sequence_of(session: AsyncSession, meeting_id: int) -> int:
    """How many times the meeting's time changed: the .ics SEQUENCE. Each move or
    counter-proposal writes its number into its notices' payloads."""
    payloads = await session.scalars(
        select(Outbox.payload).where(
            Outbox.meeting_id == meeting_id,
            Outbox.kind.in_((Kind.MEETING_MOVED, Kind.MEETING_COUNTER)),
        )
    )
    return max((int(p.get("seq", 0)) for p in payloads), default=0)


async def info(session: AsyncSession, meeting: Meeting, zone: str | None = None) -> MeetingInfo:
    if zone is None:
        pair = await session.get(Pair, meeting.pair_id)
        zone = await zone_of(session, pair) if pair else "Europe/Moscow"
    return MeetingInfo(
        id=meeting.id,
        pair_id=meeting.pair_id,
        kind=meeting.kind,
        status=meeting.status,
        starts_at=meeting.starts_at,
        zone=zone,
        sequence=await sequence_of(session, meeting.id),
        duration_min=meeting.duration_min,
        format=meeting.format,
        place=meeting.place,
        topic=meeting.topic,
        skip_reason=meeting.skip_reason,
        created_by_id=meeting.created_by_id,
    )


async def open_meeting(session: AsyncSession, pair_id: int) -> Meeting | None:
    return await session.scalar(
        select(Meeting)
        .where(Meeting.pair_id == pair_id, Meeting.status.in_(OPEN))
        .order_by(Meeting.starts_at)
        .limit(1)
    )


async def _regular_held(session: AsyncSession, pair_id: int) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(Meeting)
            .where(
                Meeting.pair_id == pair_id,
                Meeting.kind == MeetingKind.REGULAR,
                Meeting.status == MeetingStatus.HELD,
            )
        )
        or 0
    )


async def allowed_kinds(
    session: AsyncSession, pair: Pair, participant_id: int
) -> list[MeetingKind]:
    """The proposed next kind, and for the mentor after a regular meeting, the final one."""
    if pair.next_kind is None:
        return []
    kinds = [pair.next_kind]
    if (
        pair.next_kind == MeetingKind.REGULAR
        and pair.mentor_id == participant_id
        and await _regular_held(session, pair.id) > 0
    ):
        kinds.append(MeetingKind.FINAL)
    return kinds


def _name(p: Participant | None) -> str:
    return (p.full_name if p else None) or "—"


async def my_pairs(session: AsyncSession, participant_id: int) -> list[PairCard]:
    """Pairs and groups the person leads or belongs to now (completed ones too)."""
    as_mentee = select(PairMember.pair_id).where(
        PairMember.mentee_id == participant_id, PairMember.left_at.is_(None)
    )
    pairs = (
        await session.scalars(
            select(Pair)
            .where(
                Pair.status.in_((*LIVE_PAIR, PairStatus.COMPLETED)),
                or_(Pair.mentor_id == participant_id, Pair.id.in_(as_mentee)),
            )
            .order_by(Pair.formed_at, Pair.id)
        )
    ).all()
    cards = []
    for pair in pairs:
        zone = await zone_of(session, pair)
        current = await open_meeting(session, pair.id)
        held = int(
            await session.scalar(
                select(func.count())
                .select_from(Meeting)
                .where(Meeting.pair_id == pair.id, Meeting.status == MeetingStatus.HELD)
            )
            or 0
        )
        role = role_in(pair, participant_id) or "mentee"
        kinds = await allowed_kinds(session, pair, participant_id)
        cards.append(
            PairCard(
                pair_id=pair.id,
                role=role,
                status=pair.status,
                next_kind=pair.next_kind,
                zone=zone,
                mentor_name=_name(pair.mentor),
                mentee_names=[_name(m.mentee) for m in pair.active_members],
                open_meeting=await info(session, current, zone) if current else None,
                held_count=held,
                kinds=kinds,
                can_go_final=role == "mentor"
                and pair.status in LIVE_PAIR
                and MeetingKind.FINAL in kinds,
                paused_until=pair.paused_until,
            )
        )
    return cards


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
            pair = await session.get(Pair, m.pair_id)
            assert pair is not None
            if pair.mentor_id == participant_id:
                names = [_name(pm.mentee) for pm in pair.members]
            else:
                names = [_name(pair.mentor)]
            zones[m.pair_id] = (await zone_of(session, pair), names)
        zone, names = zones[m.pair_id]
        items.append(HistoryItem(meeting=await info(session, m, zone), with_names=names))
    return HistoryPage(items=items, page=page, pages=pages, total=total)


async def card_of(session: AsyncSession, participant_id: int, pair_id: int) -> PairCard:
    await pair_of_member(session, participant_id, pair_id)
    for card in await my_pairs(session, participant_id):
        if card.pair_id == pair_id:
            return card
    raise DomainError("meeting.error.pair_closed")


async def meeting_for_member(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    return await info(session, meeting, await zone_of(session, pair))


# --- outbox rows ---------------------------------------------------------------------


async def _rules(session: AsyncSession, pair: Pair, now: dt.datetime) -> SendRules:
    return await programmes.send_rules(
        session, pair.school_id, local_today(now, await zone_of(session, pair))
    )


async def _notify(
    session: AsyncSession,
    meeting: Meeting,
    pair: Pair,
    *,
    kind: str,
    tag: str,
    actor_id: int | None,
    seq: int,
    now: dt.datetime,
    rules: SendRules,
    extra: dict[str, int | bool] | None = None,
) -> None:
    """A notice to everyone in the pair but the person who acted."""
    due = next_allowed(now, rules, days_off_count=False)
    for pid in members(pair):
        if pid == actor_id:
            continue
        await outbox.enqueue(
            session,
            recipient_id=pid,
            kind=kind,
            due_at=due,
            now=now,
            dedupe_key=f"mt:{meeting.id}:{seq}:{tag}:{pid}",
            payload={"meeting_id": meeting.id, "seq": seq, "by": actor_id, **(extra or {})},
            meeting_id=meeting.id,
            pair_id=pair.id,
        )


def reminder_times(
    starts_at: dt.datetime, now: dt.datetime, rules: SendRules
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the day-before and hour-before reminders go, in UTC (None: not sent).
    Quiet hours move a reminder later; one that would then reach the person only at
    or after the start (or, for the day one, after the hour one) is not written; one
    whose moment has passed already is not written either."""
    hour: dt.datetime | None = None
    day: dt.datetime | None = None
    hour_at = starts_at - REMIND_HOUR_BEFORE
    if hour_at >= now:
        hour = next_allowed(hour_at, rules, days_off_count=False)
        if hour >= starts_at:
            hour = None
    day_at = starts_at - REMIND_DAY_BEFORE
    if day_at >= now:
        day = next_allowed(day_at, rules, days_off_count=False)
        if day >= starts_at or (hour is not None and day >= hour):
            day = None
    return day, hour


async def _write_reminders(
    session: AsyncSession,
    meeting: Meeting,
    pair: Pair,
    *,
    seq: int,
    now: dt.datetime,
    rules: SendRules,
) -> None:
    day, hour = reminder_times(meeting.starts_at, now, rules)
    payload = {"meeting_id": meeting.id, "seq": seq}
    for pid in members(pair):
        for kind, tag, due in (
            (Kind.MEETING_REMIND_DAY, "day", day),
            (Kind.MEETING_REMIND_HOUR, "hour", hour),
        ):
            if due is None:
                continue
            await outbox.enqueue(
                session,
                recipient_id=pid,
                kind=kind,
                due_at=due,
                now=now,
                dedupe_key=f"mt:{meeting.id}:{seq}:{tag}:{pid}",
                payload=payload,
                meeting_id=meeting.id,
                pair_id=pair.id,
            )
    await outbox.enqueue(
        session,
        recipient_id=pair.mentor_id,
        kind=Kind.MEETING_DID_IT_HAPPEN,
        due_at=next_allowed(meeting.starts_at + ASK_AFTER, rules, days_off_count=False),
        now=now,
        dedupe_key=f"mt:{meeting.id}:{seq}:happened",
        payload=payload,
        meeting_id=meeting.id,
        pair_id=pair.id,
    )


# --- checks before a flow starts (and again when it ends) -----------------------------


def _movable(meeting: Meeting, pair: Pair, participant_id: int | None, counter: bool) -> None:
    _require_live(pair)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if counter and (
        meeting.status != MeetingStatus.PROPOSED or meeting.created_by_id == participant_id
    ):
        raise DomainError("meeting.error.not_open")


def _loggable(meeting: Meeting, pair: Pair, participant_id: int | None, now: dt.datetime) -> None:
    _require_mentor(pair, participant_id)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError("meeting.error.already_logged")
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if meeting.starts_at > now:
        raise DomainError("meeting.error.not_yet")


async def check_movable(
    session: AsyncSession, participant_id: int | None, meeting_id: int, *, counter: bool
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _movable(meeting, pair, participant_id, counter)
    return await info(session, meeting, await zone_of(session, pair))


async def check_cancellable(
    session: AsyncSession, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    return await info(session, meeting, await zone_of(session, pair))


async def check_loggable(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _loggable(meeting, pair, participant_id, clock.now())
    return await info(session, meeting, await zone_of(session, pair))


async def check_schedulable(
    session: AsyncSession, participant_id: int | None, pair_id: int, *, log: bool = False
) -> PairCard:
    """Whether the person may open «Назначить встречу» (or, for the mentor, «Записать
    встречу») for this pair."""
    pair = await pair_of_member(session, participant_id, pair_id)
    assert participant_id is not None
    _require_live(pair)
    if log:
        _require_mentor(pair, participant_id)
    elif await open_meeting(session, pair.id) is not None:
        raise DomainError("meeting.error.has_open")
    return await card_of(session, participant_id, pair_id)


async def check_skippable(session: AsyncSession, actor: Actor, pair_id: int) -> MeetingKind:
    pair = await session.get(Pair, pair_id)
    if pair is None:
        raise NotFound()
    await school_in_scope(session, actor, pair.school_id)
    _require_live(pair)
    kind = pair.next_kind
    assert kind is not None
    if kind == MeetingKind.FINAL:
        raise DomainError("meeting.error.final_not_skipped")
    current = await open_meeting(session, pair.id)
    if current is not None and current.kind == kind:
        raise DomainError("meeting.error.skip_has_open")
    return kind


async def next_kind_of(session: AsyncSession, pair_id: int) -> MeetingKind | None:
    pair = await session.get(Pair, pair_id)
    return pair.next_kind if pair else None


# --- scheduling ----------------------------------------------------------------------


async def schedule(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    pair_id: int,
    *,
    kind: MeetingKind,
    starts_at: dt.datetime,
    fmt: MeetingFormat | None,
    place: str | None,
) -> MeetingInfo:
    """A proposal from the mentor or a mentee; the others confirm it."""
    now = clock.now()
    pair = await pair_of_member(session, participant_id, pair_id)
    assert participant_id is not None
    _require_live(pair)
    if kind not in await allowed_kinds(session, pair, participant_id):
        raise DomainError("meeting.error.wrong_kind")
    if await open_meeting(session, pair.id) is not None:
        raise DomainError("meeting.error.has_open")
    if starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    if place is not None:
        place = clean_link(place) if fmt == MeetingFormat.ONLINE else clean_place(place)
    if kind == MeetingKind.FINAL and pair.next_kind != MeetingKind.FINAL:
        pair.next_kind = MeetingKind.FINAL  # the mentor moves the pair on
        pair.stage_since = now
    meeting = Meeting(
        pair_id=pair.id,
        kind=kind,
        status=MeetingStatus.PROPOSED,
        starts_at=starts_at,
        format=fmt,
        place=place,
        created_by_id=participant_id,
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    rules = await _rules(session, pair, now)
    await _notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_PROPOSED,
        tag="proposed",
        actor_id=participant_id,
        seq=0,
        now=now,
        rules=rules,
    )
    await _write_reminders(session, meeting, pair, seq=0, now=now, rules=rules)
    audit.record(
        session,
        now,
        "meeting.schedule",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, rules.zone)


async def confirm(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> tuple[MeetingInfo, bool]:
    """The other side agrees to the proposed time. Returns the meeting and whether it
    had been confirmed already (by another member of a group)."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    zone = await zone_of(session, pair)
    if meeting.status == MeetingStatus.CONFIRMED:
        return await info(session, meeting, zone), True
    if meeting.status != MeetingStatus.PROPOSED:
        raise DomainError("meeting.error.not_open")
    if meeting.created_by_id == participant_id:
        raise DomainError("meeting.error.own_proposal")
    if meeting.starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    meeting.status = MeetingStatus.CONFIRMED
    seq = await sequence_of(session, meeting.id)
    await _notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_CONFIRMED,
        tag="confirmed",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=await _rules(session, pair, now),
    )
    await session.commit()
    return await info(session, meeting, zone), False


async def reschedule(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    meeting_id: int,
    starts_at: dt.datetime,
    *,
    counter: bool = False,
) -> MeetingInfo:
    """A new time: «Перенести» (any open meeting) or «Предложить другое время» (a
    proposal made by someone else). Old reminders are cancelled and new ones written;
    the others get the new time to confirm."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _movable(meeting, pair, participant_id, counter)
    if starts_at <= now:
        raise DomainError("meeting.error.time_passed")
    seq = await sequence_of(session, meeting.id) + 1
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.starts_at = starts_at
    meeting.status = MeetingStatus.PROPOSED
    meeting.created_by_id = participant_id
    rules = await _rules(session, pair, now)
    await _notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_COUNTER if counter else Kind.MEETING_MOVED,
        tag="counter" if counter else "moved",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=rules,
    )
    await _write_reminders(session, meeting, pair, seq=seq, now=now, rules=rules)
    audit.record(
        session,
        now,
        "meeting.move",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, rules.zone)


async def cancel(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> tuple[MeetingInfo, bool]:
    """Cancel an open meeting. Returns it and whether it had been confirmed (then both
    sides had a calendar event that must now be removed)."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    was_confirmed = meeting.status == MeetingStatus.CONFIRMED
    seq = await sequence_of(session, meeting.id)
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.CANCELLED
    meeting.logged_at = now
    await _notify(
        session,
        meeting,
        pair,
        kind=Kind.MEETING_CANCELLED,
        tag="cancelled",
        actor_id=participant_id,
        seq=seq,
        now=now,
        rules=await _rules(session, pair, now),
        # Only a confirmed meeting was sent as a calendar file, so only it needs removing.
        extra={"ics": was_confirmed},
    )
    audit.record(
        session,
        now,
        "meeting.cancel",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair)), was_confirmed


# --- logging -------------------------------------------------------------------------


async def _after_held(
    session: AsyncSession, meeting: Meeting, pair: Pair, now: dt.datetime
) -> None:
    """Feedback from everyone, the fit question after the trial meeting, the next stage."""
    today = local_today(now, await zone_of(session, pair))
    programme = await programmes.for_school(session, pair.school_id, today)
    rules = await programmes.send_rules(session, pair.school_id, today)
    await feedback_requests.request_for_meeting(
        session,
        meeting,
        pair,
        now=now,
        deadline_hours=programme.feedback_deadline_hours,
        rules=rules,
    )
    if meeting.kind == MeetingKind.TRIAL:
        await fit.ask_after_trial(session, pair, meeting, now=now, rules=rules)
    _advance(pair, meeting.kind, now)


async def log_held(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    meeting_id: int,
    duration_min: int,
) -> MeetingInfo:
    """«Да» → duration: the meeting took place."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _loggable(meeting, pair, participant_id, now)
    if duration_min not in DURATIONS:
        raise DomainError("meeting.error.duration")
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.HELD
    meeting.duration_min = duration_min
    meeting.logged_at = now
    await _after_held(session, meeting, pair, now)
    audit.record(
        session,
        now,
        "meeting.held",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


async def log_not_held(
    session: AsyncSession, clock: Clock, participant_id: int | None, meeting_id: int
) -> MeetingInfo:
    """«Не состоялась»: the kind stays the next one."""
    now = clock.now()
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _require_mentor(pair, participant_id)
    if meeting.status not in OPEN:
        raise DomainError("meeting.error.not_open")
    if meeting.starts_at > now:
        raise DomainError("meeting.error.not_yet")
    await outbox.cancel_for_meeting(session, meeting.id)
    meeting.status = MeetingStatus.NOT_HELD
    meeting.logged_at = now
    audit.record(
        session,
        now,
        "meeting.not_held",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


async def log_unscheduled(
    session: AsyncSession,
    clock: Clock,
    participant_id: int | None,
    pair_id: int,
    *,
    kind: MeetingKind,
    starts_at: dt.datetime,
    duration_min: int,
) -> MeetingInfo:
    """«Записать встречу»: a meeting that took place without being scheduled here."""
    now = clock.now()
    pair = await pair_of_member(session, participant_id, pair_id)
    _require_mentor(pair, participant_id)
    assert participant_id is not None
    _require_live(pair)
    if kind not in await allowed_kinds(session, pair, participant_id):
        raise DomainError("meeting.error.wrong_kind")
    if starts_at > now:
        raise DomainError("meeting.error.future_log")
    if duration_min not in DURATIONS:
        raise DomainError("meeting.error.duration")
    meeting = Meeting(
        pair_id=pair.id,
        kind=kind,
        status=MeetingStatus.HELD,
        starts_at=starts_at,
        duration_min=duration_min,
        created_by_id=participant_id,
        logged_at=now,
        created_at=now,
    )
    session.add(meeting)
    await session.flush()
    await _after_held(session, meeting, pair, now)
    audit.record(
        session,
        now,
        "meeting.logged",
        actor_id=participant_id,
        object_type="meeting",
        object_id=meeting.id,
    )
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


async def set_topic(
    session: AsyncSession, participant_id: int | None, meeting_id: int, text: str
) -> MeetingInfo:
    """The optional step after logging: what the meeting was about."""
    meeting, pair = await meeting_of_member(session, participant_id, meeting_id)
    _require_mentor(pair, participant_id)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError("meeting.error.not_open")
    meeting.topic = clean_topic(text)
    await session.commit()
    return await info(session, meeting, await zone_of(session, pair))


# --- stages --------------------------------------------------------------------------


async def go_final(
    session: AsyncSession, clock: Clock, participant_id: int | None, pair_id: int
) -> None:
    """«Перейти к итоговой встрече»: the mentor ends the regular meetings."""
    now = clock.now()
    pair = await pair_of_member(session, participant_id, pair_id)
    _require_mentor(pair, participant_id)
    _require_live(pair)
    if pair.next_kind != MeetingKind.REGULAR or await _regular_held(session, pair.id) == 0:
        raise DomainError("meeting.error.no_final_yet")
    pair.next_kind = MeetingKind.FINAL
    pair.stage_since = now
    audit.record(
        session,
        now,
        "pair.go_final",
        actor_id=participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()


async def skip_stage(
    session: AsyncSession, clock: Clock, actor: Actor, pair_id: int, reason: str
) -> MeetingKind:
    """The curator skips the pair's next kind, with a reason: a CANCELLED meeting row of
    that kind keeps the reason, and the pair moves on. The final meeting is not skipped
    (the curator ends the pair instead). Returns the kind skipped."""
    now = clock.now()
    kind = await check_skippable(session, actor, pair_id)
    pair = await session.get(Pair, pair_id)
    assert pair is not None
    reason = clean_reason(reason)
    session.add(
        Meeting(
            pair_id=pair.id,
            kind=kind,
            status=MeetingStatus.CANCELLED,
            starts_at=now,
            skip_reason=reason,
            created_by_id=actor.participant_id,
            logged_at=now,
            created_at=now,
        )
    )
    if kind == MeetingKind.REGULAR:
        pair.next_kind = MeetingKind.FINAL
        pair.stage_since = now
    else:
        _advance(pair, kind, now)
    audit.record(
        session,
        now,
        "pair.skip_stage",
        actor_id=actor.participant_id,
        object_type="pair",
        object_id=pair.id,
    )
    await session.commit()
    return kind
