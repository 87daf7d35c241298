"""«Подобрать всем»: the proposal a page at a time (each pair with its reasons, × to
take it out, ⇄ to choose another mentor), the other mentors for one mentee, and what
was formed."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import BulkAction, BulkMatchCb, UnmatchedPageCb
from bot.ui.dates import day
from bot.ui.people import order_text, short_name
from bot.ui.views.matching import reason_text
from bot.ui.views.nav import page_line
from services import matching_bulk, pairs
from services.matching import Suggestion
from services.matching_bulk import Alternatives, Confirmed, ProposalPage, ProposedPair

View = tuple[str, InlineKeyboardMarkup | None]

# Why a pair was not formed on confirmation: the service's refusal code → a short text.
_WHY = {
    "matching.already_paired": "bulk.why.paired",
    "matching.mentee_gone": "bulk.why.mentee_gone",
    "matching.mentor_gone": "bulk.why.mentor_gone",
    "bulk.mentor_full": "bulk.why.full",
    "agreement.proposal.waiting": "bulk.why.waiting",
    "agreement.proposal.declined_before": "bulk.why.declined",
}


def _cb(action: BulkAction, page: int = 0, mentee_id: int = 0, mentor_id: int = 0) -> BulkMatchCb:
    return BulkMatchCb(action=action, page=page, mentee_id=mentee_id, mentor_id=mentor_id)


def _short(participant_id: int, full_name: str) -> str:
    return short_name(pairs.Person(participant_id, full_name, None, None, False))


def _pair_text(n: int, item: ProposedPair, with_school: bool) -> str:
    s = item.mentor
    mentee = item.mentee_name + (f" ({item.mentee_school})" if with_school else "")
    head = t(
        "bulk.pair.head",
        num=n,
        mentee=mentee,
        mentor=s.full_name + (" 🚫" if s.blocked_bot else ""),
        points=s.score.total,
    )
    if s.school_name != item.mentee_school:
        head += "\n   " + t("matching.suggestion.school", school=s.school_name)
    return "\n".join([head, *(reason_text(r, s) for r in s.score.reasons)])


def proposal_view(found: ProposalPage) -> View:
    kb = InlineKeyboardBuilder()
    sizes: list[int] = []
    if not found.total and not found.left:
        return t("bulk.empty"), None
    parts = [t("bulk.title", n=found.total, points=found.total_score)]
    first = found.page * matching_bulk.PAGE_SIZE + 1
    for i, item in enumerate(found.items):
        parts.append(_pair_text(first + i, item, found.many_schools))
        name = _short(item.mentee_id, item.mentee_name)
        kb.button(
            text=t("bulk.button.remove", num=first + i, name=name),
            callback_data=_cb(BulkAction.REMOVE, found.page, item.mentee_id),
        )
        kb.button(
            text=t("bulk.button.swap", num=first + i),
            callback_data=_cb(BulkAction.SWAP, found.page, item.mentee_id),
        )
        sizes.append(2)
    if found.left:
        lines = [t("bulk.left.title", n=len(found.left) + found.left_more)]
        for x in found.left:
            lines.append(t("bulk.left.item", name=x.mentee_name, why=t(f"bulk.left.{x.reason}")))
            if x.reason != matching_bulk.NO_MENTOR:
                kb.button(
                    text=t("bulk.button.give", name=_short(x.mentee_id, x.mentee_name)),
                    callback_data=_cb(BulkAction.SWAP, found.page, x.mentee_id),
                )
                sizes.append(1)
        if found.left_more:
            lines.append(t("bulk.left.more", n=found.left_more))
        parts.append("\n".join(lines))
    parts += page_line(found.page, found.pages)
    nav = 0
    if found.page > 0:
        kb.button(text=t("nav.prev"), callback_data=_cb(BulkAction.PAGE, found.page - 1))
        nav += 1
    if found.page + 1 < found.pages:
        kb.button(text=t("nav.next"), callback_data=_cb(BulkAction.PAGE, found.page + 1))
        nav += 1
    sizes.append(nav)
    if found.total:
        if found.order_number is not None:
            order = order_text(found.order_number, found.order_date)
            parts.append(t("bulk.order.line", order=order))
        kb.button(
            text=t("bulk.button.confirm", n=found.total),
            callback_data=_cb(BulkAction.CONFIRM, found.page),
        )
        order_label = "bulk.button.order" if found.order_number is None else "bulk.button.reorder"
        kb.button(text=t(order_label), callback_data=_cb(BulkAction.ORDER, found.page))
        sizes += [1, 1]
    kb.button(text=t("bulk.button.cancel"), callback_data=_cb(BulkAction.CANCEL))
    sizes.append(1)
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(parts), kb.as_markup()


def _alternative_text(n: int, s: Suggestion) -> str:
    head = t(
        "matching.suggestion.head",
        num=n,
        name=s.full_name + (" 🚫" if s.blocked_bot else ""),
        points=s.score.total,
    )
    return "\n".join([head, *(reason_text(r, s) for r in s.score.reasons)])


def alternatives_view(found: Alternatives, page: int) -> View:
    parts = [t("bulk.swap.title", mentee=found.mentee_name)]
    kb = InlineKeyboardBuilder()
    if not found.items:
        parts.append(t("bulk.swap.none"))
    for i, s in enumerate(found.items, start=1):
        parts.append(_alternative_text(i, s))
        kb.button(
            text=t("matching.button.pick", num=i, name=_short(s.mentor_id, s.full_name)),
            callback_data=_cb(BulkAction.PICK, page, found.mentee_id, s.mentor_id),
        )
    kb.button(text=t("bulk.button.back"), callback_data=_cb(BulkAction.PAGE, page))
    kb.adjust(1)
    return "\n\n".join(parts), kb.as_markup()


def order_asked_view(page: int) -> View:
    """Typing the one order for all the pairs; back to the proposal without it."""
    kb = InlineKeyboardBuilder()
    kb.button(text=t("bulk.button.back"), callback_data=_cb(BulkAction.PAGE, page))
    return t("bulk.order.ask"), kb.as_markup()


def confirmed_view(done: Confirmed) -> View:
    parts = [t("bulk.proposed.title", n=len(done.proposed))]
    if done.proposed:
        parts.append(
            "\n".join(
                t("bulk.proposed.item", mentor=p.mentor_name, mentee=p.mentee_name)
                for p in done.proposed
            )
        )
        if done.order_number is not None:
            parts.append(t("bulk.order.sent", order=order_text(done.order_number, done.order_date)))
    if done.not_formed:
        lines = [t("bulk.not_formed.title", n=len(done.not_formed))]
        lines += [
            t(
                "bulk.not_formed.item",
                mentee=x.mentee_name,
                mentor=x.mentor_name,
                why=t(_WHY.get(x.code, "bulk.why.other")),
            )
            for x in done.not_formed
        ]
        parts.append("\n".join(lines))
    if done.proposed:
        parts.append(t("bulk.proposed.intro", remind_on=day(done.proposed[0].remind_on)))
    kb = InlineKeyboardBuilder()
    kb.button(text=t("matching.button.more"), callback_data=UnmatchedPageCb(page=0))
    return "\n\n".join(parts), kb.as_markup()


def cancelled_view() -> View:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("matching.button.back"), callback_data=UnmatchedPageCb(page=0))
    return t("bulk.cancelled"), kb.as_markup()
