"""/unmatched and forming a pair: the list of mentees without a mentor, the ranked
mentors with their reasons, the choices (group, order) and the confirmation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import (
    BulkAction,
    BulkMatchCb,
    FormPairAction,
    FormPairCb,
    GroupChoiceCb,
    MatchCb,
    OrderAction,
    OrderChoiceCb,
    PickMentorCb,
    UnmatchedPageCb,
)
from bot.ui.people import order_text, short_name, surname
from bot.ui.render import free_text
from bot.ui.views.nav import page_buttons, page_line
from services import matching, pairs
from services.matching import Reason, Suggestion, Suggestions, UnmatchedItem, UnmatchedPage
from services.pairs import Draft

View = tuple[str, InlineKeyboardMarkup | None]


@dataclass(frozen=True)
class PairChoice:
    """What the curator has chosen so far (kept in FSM data as JSON)."""

    mentee_id: int
    mentor_id: int
    pair_id: int  # the group to join; 0 = a separate pair
    order_number: str | None = None
    order_date: str | None = None  # ISO date

    @property
    def order_day(self) -> dt.date | None:
        return dt.date.fromisoformat(self.order_date) if self.order_date else None


def _person(participant_id: int, full_name: str, blocked: bool) -> pairs.Person:
    return pairs.Person(participant_id, full_name, None, None, blocked)


# --- /unmatched ------------------------------------------------------------------------


def _mentee_line(n: int, item: UnmatchedItem, with_school: bool) -> str:
    details = [item.subject or "", t("pairs.experience", n=item.experience_years or 0)]
    if with_school:
        details.insert(0, item.school_name)
    return t(
        "matching.list.item",
        num=n,
        name=item.full_name + (" 🚫" if item.blocked_bot else ""),
        details=", ".join(d for d in details if d),
        deficits=", ".join(item.deficits) or t("pairs.intro.no_deficits"),
    )


def unmatched_view(found: UnmatchedPage) -> View:
    if not found.total:
        return t("matching.list.empty"), None
    first = found.page * matching.PAGE_SIZE + 1
    lines = [t("matching.list.title", n=found.total)]
    lines += [
        _mentee_line(first + i, item, found.many_schools) for i, item in enumerate(found.items)
    ]
    lines += page_line(found.page, found.pages)
    kb = InlineKeyboardBuilder()
    for i, item in enumerate(found.items):
        who = _person(item.participant_id, item.full_name, item.blocked_bot)
        kb.button(
            text=t("matching.button.match", num=first + i, name=short_name(who)),
            callback_data=MatchCb(mentee_id=item.participant_id),
        )
    sizes = [1] * len(found.items)
    sizes.append(page_buttons(kb, found.page, found.pages, lambda p: UnmatchedPageCb(page=p)))
    # «Подобрать всем»: one proposal for the whole list (handlers/matching_bulk.py).
    kb.button(text=t("bulk.button.start"), callback_data=BulkMatchCb(action=BulkAction.START))
    sizes.append(1)
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(lines), kb.as_markup()


# --- suggestions -----------------------------------------------------------------------


def reason_text(reason: Reason, suggestion: Suggestion) -> str:
    params: dict[str, Any] = dict(reason.params)
    if reason.code == "covers":
        text = t(
            "matching.reason.covers",
            n=int(reason.params["total"]),
            covered=reason.params["covered"],
            titles=", ".join(suggestion.covered_titles),
        )
    elif reason.code == "experience":
        text = t("matching.reason.experience", years=t("pairs.experience", n=int(params["years"])))
    else:
        text = t(f"matching.reason.{reason.code}", **params)
    if reason.points:
        text += f" ({reason.points:+d})"
    mark = "⛔" if reason.code == "full" else ("⚠️" if reason.points < 0 else "✓")
    return f"   {mark} {text}"


def _suggestion_text(n: int, s: Suggestion, mentee_school: str) -> str:
    head = t(
        "matching.suggestion.head",
        num=n,
        name=s.full_name + (" 🚫" if s.blocked_bot else ""),
        points=s.score.total,
    )
    if s.school_name != mentee_school:
        head += "\n   " + t("matching.suggestion.school", school=s.school_name)
    return "\n".join([head, *(reason_text(r, s) for r in s.score.reasons)])


def suggestions_view(found: Suggestions) -> View:
    m = found.mentee
    details = [m.school_name, m.subject or "", t("pairs.experience", n=m.experience_years or 0)]
    parts = [
        t(
            "matching.suggest.title",
            name=m.full_name,
            details=", ".join(d for d in details if d),
            deficits=", ".join(m.deficits) or t("pairs.intro.no_deficits"),
            request=free_text(found.request_text)
            if found.request_text
            else t("pairs.intro.no_request"),
        )
    ]
    kb = InlineKeyboardBuilder()
    if not found.items:
        parts.append(t("matching.suggest.none"))
    else:
        parts.append(t("matching.suggest.ranked", n=found.total))
        first = found.page * matching.SUGGESTIONS_PAGE + 1
        for i, s in enumerate(found.items):
            parts.append(_suggestion_text(first + i, s, m.school_name))
            who = _person(s.mentor_id, s.full_name, s.blocked_bot)
            kb.button(
                text=t("matching.button.pick", num=first + i, name=short_name(who)),
                callback_data=PickMentorCb(mentee_id=m.participant_id, mentor_id=s.mentor_id),
            )
        parts += page_line(found.page, found.pages)
    sizes = [1] * len(found.items)
    sizes.append(
        page_buttons(
            kb, found.page, found.pages, lambda p: MatchCb(mentee_id=m.participant_id, page=p)
        )
    )
    kb.button(text=t("matching.button.back"), callback_data=UnmatchedPageCb(page=0))
    sizes.append(1)
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(parts), kb.as_markup()


# --- the choices -----------------------------------------------------------------------


def _order_markup(mentee_id: int, mentor_id: int, pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for action in (OrderAction.NONE, OrderAction.TYPED):
        kb.button(
            text=t(f"matching.button.order_{action.value}"),
            callback_data=OrderChoiceCb(
                action=action, mentee_id=mentee_id, mentor_id=mentor_id, pair_id=pair_id
            ),
        )
    kb.button(
        text=t("matching.button.cancel"),
        callback_data=FormPairCb(
            action=FormPairAction.CANCEL, mentee_id=mentee_id, mentor_id=mentor_id
        ),
    )
    kb.adjust(2, 1)
    return kb.as_markup()


def _picked_head(draft: Draft) -> str:
    head = t("matching.picked", mentor=draft.mentor_name, mentee=draft.mentee_name)
    if draft.free_places <= 0:
        head += "\n" + t("matching.warn_full", capacity=draft.capacity)
    return head


def picked_view(draft: Draft) -> View:
    """A mentor chosen: join one of their groups or a separate pair, else the order."""
    head = _picked_head(draft)
    if not draft.groups:
        return (
            head + "\n\n" + t("matching.ask_order"),
            _order_markup(draft.mentee_id, draft.mentor_id, 0),
        )
    kb = InlineKeyboardBuilder()
    for g in draft.groups:
        label = t("matching.button.join")
        if len(draft.groups) > 1:
            label += " (" + ", ".join(surname(n) for n in g.mentees) + ")"
        kb.button(
            text=label,
            callback_data=GroupChoiceCb(
                mentee_id=draft.mentee_id, mentor_id=draft.mentor_id, pair_id=g.pair_id
            ),
        )
    kb.button(
        text=t("matching.button.separate"),
        callback_data=GroupChoiceCb(
            mentee_id=draft.mentee_id, mentor_id=draft.mentor_id, pair_id=0
        ),
    )
    kb.adjust(1)
    groups = "; ".join(", ".join(g.mentees) for g in draft.groups)
    text = head + "\n\n" + t("matching.ask_group", mentor=draft.mentor_name, mentees=groups)
    return text, kb.as_markup()


def group_chosen_view(draft: Draft, pair_id: int) -> View:
    key = "matching.chose_group" if pair_id else "matching.chose_separate"
    text = (
        t(key, mentor=draft.mentor_name, mentee=draft.mentee_name)
        + "\n\n"
        + t("matching.ask_order")
    )
    return text, _order_markup(draft.mentee_id, draft.mentor_id, pair_id)


def confirm_view(draft: Draft, choice: PairChoice) -> View:
    group = next((g for g in draft.groups if g.pair_id == choice.pair_id), None)
    order = order_text(choice.order_number, choice.order_day)
    if group is not None:
        text = t(
            "matching.confirm.group",
            mentor=draft.mentor_name,
            mentee=draft.mentee_name,
            group=", ".join(group.mentees),
            order=order,
        )
    else:
        text = t(
            "matching.confirm.pair",
            mentor=draft.mentor_name,
            mentee=draft.mentee_name,
            school=draft.school_name,
            order=order,
        )
    if draft.free_places <= 0:
        text += "\n" + t("matching.warn_full", capacity=draft.capacity)
    kb = InlineKeyboardBuilder()
    for key, action in (
        ("matching.button.form_group" if group else "matching.button.form", FormPairAction.OK),
        ("matching.button.cancel", FormPairAction.CANCEL),
    ):
        kb.button(
            text=t(key),
            callback_data=FormPairCb(
                action=action, mentee_id=draft.mentee_id, mentor_id=draft.mentor_id
            ),
        )
    kb.adjust(1)
    return text, kb.as_markup()
