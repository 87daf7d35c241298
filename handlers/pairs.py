"""/pairs: the school's pairs with a status each, the pair card, and the curator's
actions on a pair: end it with a reason, pause it until a date, lift the pause."""

from __future__ import annotations

import datetime as dt

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import MatchCb, PairCb, PairsPageCb, PauseCb, StageSkipCb
from bot.ui.notices.pairs import (
    contact,
    day,
    local_day,
    marked,
    name_of,
    order_text,
    short_name,
    stage_name,
)
from bot.ui.render import free_text
from handlers.matching import edit, forget_typing, not_a_command
from models import FeedbackStatus, MeetingKind, PairStatus
from services import pairs
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.pairs import FeedbackLine, Flag, Level, MeetingLine, PairCard, PairLine

MAX_TEXT = 3900  # under Telegram's 4096 with room for the tail
MAX_COMMENT = 200


class PairAction(StatesGroup):
    end_reason = State()
    pause_date = State()


PAIR_KEY = "pair_action_id"


# --- pieces ----------------------------------------------------------------------------


def level_text(line: PairLine) -> str:
    level = line.health.level
    if level == Level.PAUSED:
        until = day(line.paused_until) if line.paused_until else "—"
        return t("pairs.level.paused", date=until)
    if level == Level.CLOSED:
        key = "completed" if line.status == PairStatus.COMPLETED else "ended"
        return t(f"pairs.level.{key}")
    return t(f"pairs.level.{level.name.lower()}")


def flag_text(flag: Flag, zone: str) -> str:
    p = flag.params
    if flag.code in ("silent", "silent_new"):
        return t(f"pairs.flag.{flag.code}", days=t("pairs.days", n=p["days"]))
    if flag.code == "stuck":
        return t("pairs.flag.stuck", stage=stage_name(p["kind"]), days=t("pairs.days", n=p["days"]))
    if flag.code == "overdue":
        return t(
            "pairs.flag.overdue",
            days=t("pairs.days", n=p["days"]),
            interval=t("pairs.days", n=p["interval"]),
        )
    if flag.code == "unlogged":
        return t("pairs.flag.unlogged", date=local_day(p["at"], zone))
    if flag.code in ("feedback", "blocked"):
        return t(f"pairs.flag.{flag.code}", n=p["n"])
    return t(f"pairs.flag.{flag.code}")


def _people(line: PairLine) -> str:
    mentees = ", ".join(marked(m) for m in line.mentees) or "—"
    return f"{marked(line.mentor)} → {mentees}"


def _last(line: PairLine) -> str:
    if line.last_held_at is None:
        return t("pairs.no_meetings")
    return t("pairs.last_meeting", date=local_day(line.last_held_at, line.zone))


# --- the list --------------------------------------------------------------------------


async def _list_view(
    session: AsyncSession, actor: Actor, page: int, now: dt.datetime
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = await pairs.list_pairs(session, actor, page, now)
    if not found.total:
        return t("pairs.list.empty"), None
    counts = " · ".join(
        t(f"pairs.count.{level.name.lower()}", count=n) for level, n in found.counts.items() if n
    )
    parts = [t("pairs.list.title", n=found.total, counts=counts)]
    first = found.page * pairs.PAGE_SIZE + 1
    blocked = False
    kb = InlineKeyboardBuilder()
    for i, line in enumerate(found.items):
        blocked = blocked or line.mentor.blocked_bot or any(m.blocked_bot for m in line.mentees)
        school = ("\n   " + line.school_name) if found.many_schools else ""
        parts.append(
            t(
                "pairs.list.item",
                num=first + i,
                people=_people(line),
                school=school,
                stage=stage_name(line.next_kind),
                last=_last(line),
                status=level_text(line),
            )
        )
        label = f"{first + i}. {short_name(line.mentor)} → " + ", ".join(
            short_name(m) for m in line.mentees
        )
        kb.button(
            text=label if len(label) <= 60 else label[:59] + "…",
            callback_data=PairCb(action="card", pair_id=line.pair_id),
        )
    if blocked:
        parts.append(t("pairs.blocked_legend"))
    if found.pages > 1:
        parts.append(t("nav.page", page=found.page + 1, pages=found.pages))
    sizes = [1] * len(found.items)
    nav = 0
    if found.page > 0:
        kb.button(text=t("nav.prev"), callback_data=PairsPageCb(page=found.page - 1))
        nav += 1
    if found.page + 1 < found.pages:
        kb.button(text=t("nav.next"), callback_data=PairsPageCb(page=found.page + 1))
        nav += 1
    if nav:
        sizes.append(nav)
    kb.adjust(*sizes)
    return "\n\n".join(parts), kb.as_markup()


async def pairs_command(
    message: Message, session: AsyncSession, actor: Actor, clock: Clock, state: FSMContext
) -> None:
    await forget_typing(state)
    if not actor.is_staff:
        await message.answer(t("error.staff_only"))
        return
    text, markup = await _list_view(session, actor, 0, clock.now())
    await message.answer(text, reply_markup=markup)


async def pairs_page(
    query: CallbackQuery,
    callback_data: PairsPageCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    text, markup = await _list_view(session, actor, callback_data.page, clock.now())
    await edit(query, text, markup)


# --- the card --------------------------------------------------------------------------


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_COMMENT else text[: MAX_COMMENT - 1] + "…"


def _feedback_text(fb: FeedbackLine) -> str:
    who = short_name(fb.person) + (" " + t("pairs.card.mentor_mark") if fb.is_mentor else "")
    if fb.status == FeedbackStatus.GIVEN and fb.rating is not None:
        parts = [t("pairs.card.rating", who=who, rating=fb.rating)]
        if fb.helped:
            parts.append(t("pairs.card.helped", text=free_text(_trim(fb.helped))))
        if fb.hard:
            parts.append(t("pairs.card.hard", text=free_text(_trim(fb.hard))))
        if (fb.helped or fb.hard) and not fb.shared:
            parts.append(t("pairs.card.private"))
        return "      " + "\n      ".join(parts)
    if fb.status == FeedbackStatus.MISSING or fb.overdue:
        return "      " + t("pairs.card.fb_missing", who=who)
    return "      " + t("pairs.card.fb_waiting", who=who)


def _meeting_text(m: MeetingLine, zone: str) -> str:
    # Already HTML: escaping it again would show a typed "&" as "&amp;".
    status = Html(t(f"pairs.meeting_status.{m.status.value}"))
    if m.skip_reason:
        status = Html(t("pairs.card.skipped", reason=free_text(_trim(m.skip_reason))))
    head = t(
        "pairs.card.meeting",
        date=local_day(m.starts_at, zone),
        kind=t(f"pairs.kind.{MeetingKind(m.kind).value}"),
        status=status,
    )
    return "\n".join([head, *(_feedback_text(fb) for fb in m.feedback)])


def _card_text(c: PairCard) -> str:
    line = c.line
    mentees = "\n".join(
        t("pairs.card.mentee_line", name=name_of(m), contact=contact(m))
        + (" 🚫" if m.blocked_bot else "")
        for m in line.mentees
    )
    head = [
        t("pairs.card.title", id=line.pair_id, school=line.school_name),
        t("pairs.card.mentor", name=name_of(line.mentor), contact=contact(line.mentor))
        + (" 🚫" if line.mentor.blocked_bot else ""),
        t("pairs.card.mentees", n=len(line.mentees)) + "\n" + mentees,
        t("pairs.card.order", order=order_text(c.order_number, c.order_date)),
        t("pairs.card.formed", date=local_day(c.formed_at, line.zone)),
        t(
            "pairs.card.stage",
            stage=stage_name(line.next_kind),
            since=local_day(c.stage_since, line.zone),
        ),
        t("pairs.card.status", status=level_text(line)),
    ]
    head += ["   • " + flag_text(f, line.zone) for f in line.health.flags]
    if line.status == PairStatus.ENDED and c.ended_at is not None:
        head.append(
            t(
                "pairs.card.ended",
                date=local_day(c.ended_at, line.zone),
                reason=free_text(c.end_reason or "—"),
            )
        )
    head.append(t("pairs.card.goals", total=c.goals_total, done=c.goals_done))
    if any(m.blocked_bot for m in line.mentees) or line.mentor.blocked_bot:
        head.append(t("pairs.blocked_legend"))
    meetings = [_meeting_text(m, line.zone) for m in c.meetings]
    shown = len(meetings)
    while True:
        body = [t("pairs.card.meetings", n=c.meetings_total)]
        if c.meetings_total > shown:
            body.append(t("pairs.card.earlier", n=c.meetings_total - shown))
        body += meetings[len(meetings) - shown :] if shown else []
        if not c.meetings_total:
            body = [t("pairs.card.no_meetings")]
        text = "\n".join(head) + "\n\n" + "\n".join(body)
        if len(text) <= MAX_TEXT or shown <= 1:
            return text[: MAX_TEXT + 100]
        shown -= 1


def _card_markup(c: PairCard) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    pair_id = c.line.pair_id
    if c.line.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
        if c.line.status == PairStatus.PAUSED:
            kb.button(
                text=t("pairs.button.resume"),
                callback_data=PairCb(action="resume", pair_id=pair_id),
            )
        else:
            kb.button(
                text=t("pairs.button.pause"), callback_data=PairCb(action="pause", pair_id=pair_id)
            )
        kind = c.line.next_kind
        if kind is not None and kind != MeetingKind.FINAL:
            # The meeting cycle's own step (handlers/meetings.py asks for the reason).
            kb.button(
                text=t("pairs.button.skip", stage=stage_name(kind)),
                callback_data=StageSkipCb(pair_id=pair_id),
            )
        kb.button(text=t("pairs.button.end"), callback_data=PairCb(action="end", pair_id=pair_id))
    for m in c.repairable:
        kb.button(
            text=t("pairs.button.repair", name=short_name(m)),
            callback_data=MatchCb(mentee_id=m.participant_id),
        )
    kb.button(text=t("pairs.button.list"), callback_data=PairsPageCb(page=0))
    kb.adjust(1)
    return kb.as_markup()


async def _card_view(
    session: AsyncSession, actor: Actor, pair_id: int, now: dt.datetime
) -> tuple[str, InlineKeyboardMarkup]:
    c = await pairs.card(session, actor, pair_id, now)
    return _card_text(c), _card_markup(c)


async def pair_card(
    query: CallbackQuery,
    callback_data: PairCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    text, markup = await _card_view(session, actor, callback_data.pair_id, clock.now())
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


# --- ending ----------------------------------------------------------------------------


async def ask_end(
    query: CallbackQuery,
    callback_data: PairCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    if loaded.pair.status not in (PairStatus.ACTIVE, PairStatus.PAUSED):
        raise DomainError("pairs.closed")
    await state.set_state(PairAction.end_reason)
    await state.update_data({PAIR_KEY: loaded.pair.id})
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("pairs.end.ask"))


async def end_reason(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    pair_id = (await state.get_data()).get(PAIR_KEY)
    if not pair_id:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    try:
        await pairs.end(session, actor, int(pair_id), message.text or "", clock)
    except DomainError as err:
        if err.code.startswith("pairs.end.reason"):
            await message.answer(t(err.code, **err.params))
            return
        await state.clear()
        raise
    await state.clear()
    text, markup = await _card_view(session, actor, int(pair_id), clock.now())
    await message.answer(t("pairs.end.done"))
    await message.answer(text, reply_markup=markup)


# --- pausing ---------------------------------------------------------------------------


async def ask_pause(
    query: CallbackQuery,
    callback_data: PairCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    if loaded.pair.status != PairStatus.ACTIVE:
        paused = loaded.pair.status == PairStatus.PAUSED
        raise DomainError("pairs.already_paused" if paused else "pairs.closed")
    today = pairs.local_today(clock.now(), loaded.zone)
    kb = InlineKeyboardBuilder()
    for weeks, until in pairs.pause_options(today):
        kb.button(
            text=t("pairs.pause.weeks", n=weeks, date=day(until)),
            callback_data=PauseCb(pair_id=loaded.pair.id, weeks=weeks),
        )
    kb.button(text=t("pairs.pause.typed"), callback_data=PauseCb(pair_id=loaded.pair.id, weeks=0))
    kb.button(
        text=t("pairs.button.back"), callback_data=PairCb(action="card", pair_id=loaded.pair.id)
    )
    kb.adjust(1)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(t("pairs.pause.ask"), reply_markup=kb.as_markup())


async def pause_chosen(
    query: CallbackQuery,
    callback_data: PauseCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    loaded = await pairs.pair_in_scope(session, actor, callback_data.pair_id)
    if callback_data.weeks == 0:
        if loaded.pair.status != PairStatus.ACTIVE:
            raise DomainError("pairs.closed")
        await state.set_state(PairAction.pause_date)
        await state.update_data({PAIR_KEY: loaded.pair.id})
        await edit(query, t("pairs.pause.ask_date"), None)
        return
    if callback_data.weeks not in (1, 2, 4):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    today = pairs.local_today(clock.now(), loaded.zone)
    until = today + dt.timedelta(weeks=callback_data.weeks)
    await pairs.pause(session, actor, loaded.pair.id, until, clock)
    text, markup = await _card_view(session, actor, loaded.pair.id, clock.now())
    await edit(query, t("pairs.pause.done", date=day(until)) + "\n\n" + text, markup)


async def pause_typed(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, clock: Clock
) -> None:
    pair_id = (await state.get_data()).get(PAIR_KEY)
    if not pair_id:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    loaded = await pairs.pair_in_scope(session, actor, int(pair_id))
    today = pairs.local_today(clock.now(), loaded.zone)
    try:
        until = pairs.parse_pause_until(message.text or "", today)
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    await state.clear()
    await pairs.pause(session, actor, loaded.pair.id, until, clock)
    text, markup = await _card_view(session, actor, loaded.pair.id, clock.now())
    await message.answer(
        t("pairs.pause.done", date=day(until)) + "\n\n" + text, reply_markup=markup
    )


async def resume(
    query: CallbackQuery,
    callback_data: PairCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    await pairs.resume(session, actor, callback_data.pair_id, clock)
    text, markup = await _card_view(session, actor, callback_data.pair_id, clock.now())
    await edit(query, t("pairs.resumed") + "\n\n" + text, markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pairs_command, Command("pairs"))
    router.message.register(end_reason, PairAction.end_reason, not_a_command)
    router.message.register(pause_typed, PairAction.pause_date, not_a_command)
    router.callback_query.register(pairs_page, PairsPageCb.filter())
    router.callback_query.register(pair_card, PairCb.filter(F.action == "card"))
    router.callback_query.register(ask_end, PairCb.filter(F.action == "end"))
    router.callback_query.register(ask_pause, PairCb.filter(F.action == "pause"))
    router.callback_query.register(resume, PairCb.filter(F.action == "resume"))
    router.callback_query.register(pause_chosen, PauseCb.filter())
    return router
