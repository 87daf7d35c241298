"""/pairs: the list of pairs with a status each, and the pair card with the curator's
actions (pause, resume, skip a stage, end, re-pair a mentee)."""

from __future__ import annotations

import datetime as dt

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import MatchCb, PairAction, PairCb, PairsPageCb, PauseCb, StageSkipCb
from bot.ui.dates import day, local_day
from bot.ui.kinds import kind_name, stage_name
from bot.ui.people import contact, marked, name_of, order_text, short_name
from bot.ui.render import free_text
from bot.ui.views.nav import page_buttons, page_line
from models import FeedbackStatus, MeetingKind, PairStatus
from services import pairs
from services.pairs import FeedbackLine, Flag, Level, MeetingLine, PairCard, PairLine, PairsPage

View = tuple[str, InlineKeyboardMarkup | None]

MAX_TEXT = 3900  # under Telegram's 4096 with room for the tail
MAX_COMMENT = 200


def card_button(pair_id: int) -> InlineKeyboardMarkup:
    """«Карточка пары» under a message about a pair (staff only: the card checks)."""
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("matching.button.card"),
        callback_data=PairCb(action=PairAction.CARD, pair_id=pair_id),
    )
    return kb.as_markup()


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


def _blocked(line: PairLine) -> bool:
    return line.mentor.blocked_bot or any(m.blocked_bot for m in line.mentees)


# --- the list --------------------------------------------------------------------------


def list_view(found: PairsPage) -> View:
    if not found.total:
        return t("pairs.list.empty"), None
    counts = " · ".join(
        t(f"pairs.count.{level.name.lower()}", count=n) for level, n in found.counts.items() if n
    )
    parts = [t("pairs.list.title", n=found.total, counts=counts)]
    first = found.page * pairs.PAGE_SIZE + 1
    kb = InlineKeyboardBuilder()
    for i, line in enumerate(found.items):
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
            callback_data=PairCb(action=PairAction.CARD, pair_id=line.pair_id),
        )
    if any(_blocked(line) for line in found.items):
        parts.append(t("pairs.blocked_legend"))
    parts += page_line(found.page, found.pages)
    sizes = [1] * len(found.items)
    sizes.append(page_buttons(kb, found.page, found.pages, lambda p: PairsPageCb(page=p)))
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(parts), kb.as_markup()


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
        kind=kind_name(m.kind),
        status=status,
    )
    return "\n".join([head, *(_feedback_text(fb) for fb in m.feedback)])


def _card_head(c: PairCard) -> list[str]:
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
    if _blocked(line):
        head.append(t("pairs.blocked_legend"))
    return head


def card_text(c: PairCard) -> str:
    head = _card_head(c)
    meetings = [_meeting_text(m, c.line.zone) for m in c.meetings]
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


def card_markup(c: PairCard) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    pair_id = c.line.pair_id
    if c.line.status in (PairStatus.ACTIVE, PairStatus.PAUSED):
        if c.line.status == PairStatus.PAUSED:
            action, key = PairAction.RESUME, "pairs.button.resume"
        else:
            action, key = PairAction.PAUSE, "pairs.button.pause"
        kb.button(text=t(key), callback_data=PairCb(action=action, pair_id=pair_id))
        kind = c.line.next_kind
        if kind is not None and kind != MeetingKind.FINAL:
            kb.button(
                text=t("pairs.button.skip", stage=stage_name(kind)),
                callback_data=StageSkipCb(pair_id=pair_id),
            )
        kb.button(
            text=t("pairs.button.end"), callback_data=PairCb(action=PairAction.END, pair_id=pair_id)
        )
    for m in c.repairable:
        kb.button(
            text=t("pairs.button.repair", name=short_name(m)),
            callback_data=MatchCb(mentee_id=m.participant_id),
        )
    kb.button(text=t("pairs.button.list"), callback_data=PairsPageCb(page=0))
    kb.adjust(1)
    return kb.as_markup()


def card_view(c: PairCard, lead: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    text = card_text(c)
    return (f"{lead}\n\n{text}" if lead else text), card_markup(c)


# --- pausing ---------------------------------------------------------------------------


def pause_markup(pair_id: int, today: dt.date) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for weeks, until in pairs.pause_options(today):
        kb.button(
            text=t("pairs.pause.weeks", n=weeks, date=day(until)),
            callback_data=PauseCb(pair_id=pair_id, weeks=weeks),
        )
    kb.button(text=t("pairs.pause.typed"), callback_data=PauseCb(pair_id=pair_id, weeks=0))
    kb.button(
        text=t("pairs.button.back"), callback_data=PairCb(action=PairAction.CARD, pair_id=pair_id)
    )
    kb.adjust(1)
    return kb.as_markup()
