"""The mentor agrees first: the curator's screen after proposing, the proposals that
wait (under /unmatched), the mentor's buttons and the reasons for «Не могу»."""

from __future__ import annotations

import datetime as dt
import html

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import (
    AddendumCb,
    EndingAction,
    EndingCb,
    MatchCb,
    PairAction,
    PairCb,
    ProposalAction,
    ProposalCb,
    UnmatchedPageCb,
)
from bot.ui.dates import day
from bot.ui.imports import ImportCb, error_line
from bot.ui.people import order_text, short_name
from bot.ui.render import free_text
from models import PairAddendum, PairEnding
from services.imports.addenda import AddendaPlan
from services.pairs.forming import Formed
from services.pairs.people import Person
from services.pairs.proposals import Proposed, WaitingLine

View = tuple[str, InlineKeyboardMarkup | None]

# «Не могу» reasons offered as buttons (their codes go into the callback data).
DECLINE_REASONS = {
    1: "agreement.reason.busy",
    2: "agreement.reason.profile",
    3: "agreement.reason.personal",
}


def proposed_view(proposed: Proposed, order_number: str | None, order_day: dt.date | None) -> View:
    text = t(
        "agreement.proposed.group" if proposed.to_group else "agreement.proposed.pair",
        mentor=proposed.mentor_name,
        mentee=proposed.mentee_name,
        order=order_text(order_number, order_day),
        remind_on=day(proposed.remind_on),
        return_on=day(proposed.return_on),
    )
    kb = InlineKeyboardBuilder()
    kb.button(text=t("matching.button.more"), callback_data=UnmatchedPageCb(page=0))
    return text, kb.as_markup()


def waiting_block(lines: list[WaitingLine]) -> str:
    if not lines:
        return ""
    items = [
        t(
            "agreement.waiting.item",
            mentee=short_name(Person(w.mentee_id, w.mentee_name, None, None, False)),
            mentor=short_name(Person(0, w.mentor_name, None, None, False)),
            since=day(w.proposed_on),
            until=day(w.return_on),
            reminded=t("agreement.waiting.reminded") if w.reminded else "",
        )
        for w in lines
    ]
    return t("agreement.waiting.title", n=len(lines)) + "\n" + "\n".join(items)


def answer_markup(proposal_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("agreement.button.accept"),
        callback_data=ProposalCb(action=ProposalAction.ACCEPT, id=proposal_id),
    )
    kb.button(
        text=t("agreement.button.decline"),
        callback_data=ProposalCb(action=ProposalAction.DECLINE, id=proposal_id),
    )
    kb.adjust(2)
    return kb.as_markup()


def reasons_view(proposal_id: int) -> View:
    kb = InlineKeyboardBuilder()
    for code, key in DECLINE_REASONS.items():
        kb.button(
            text=t(key),
            callback_data=ProposalCb(action=ProposalAction.REASON, id=proposal_id, reason=code),
        )
    kb.button(
        text=t("agreement.reason.typed"),
        callback_data=ProposalCb(action=ProposalAction.TYPED, id=proposal_id),
    )
    kb.adjust(1)
    return t("agreement.decline.ask"), kb.as_markup()


def accepted_view(formed: Formed) -> View:
    text = t(
        "agreement.accepted.group" if formed.joined_group else "agreement.accepted.pair",
        mentees=Html(", ".join(f"<b>{html.escape(n)}</b>" for n in formed.mentee_names)),
    )
    return text, None


def rematch_markup(mentee_id: int, pair_id: int | None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if pair_id:
        kb.button(
            text=t("matching.button.card"),
            callback_data=PairCb(action=PairAction.CARD, pair_id=pair_id),
        )
    else:
        kb.button(text=t("agreement.button.rematch"), callback_data=MatchCb(mentee_id=mentee_id))
    return kb.as_markup()


# --- ending early with notice ----------------------------------------------------------


def _with_rows(
    markup: InlineKeyboardMarkup | None,
    buttons: list[InlineKeyboardButton],
    *,
    before_last: bool = False,
) -> InlineKeyboardMarkup | None:
    """The buttons as rows of their own, at the end or just above the last row (a card's
    «back to the list» stays last)."""
    rows = list(markup.inline_keyboard) if markup else []
    at = len(rows) - 1 if before_last and rows else len(rows)
    rows[at:at] = [[b] for b in buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _cancel_button(ending_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=t("agreement.ending.button.cancel"),
        callback_data=EndingCb(action=EndingAction.CANCEL, id=ending_id).pack(),
    )


def ending_ask(ends_on: dt.date) -> str:
    return t("agreement.ending.ask", date=day(ends_on))


def ending_line(ending: PairEnding) -> str:
    return t(
        "agreement.ending.line",
        date=day(ending.ends_on),
        role=t(f"agreement.role.{ending.by_role}"),
        reason=free_text(ending.reason or "—"),
    )


def ending_scheduled_view(ending: PairEnding) -> View:
    text = t("agreement.ending.scheduled", date=day(ending.ends_on))
    return text, _with_rows(None, [_cancel_button(ending.id)])


def my_card(
    text: str,
    markup: InlineKeyboardMarkup | None,
    pair_id: int,
    live: bool,
    ending: PairEnding | None,
    me: int | None,
) -> View:
    """/my: a scheduled ending shown (cancellable by who asked), else «Завершить досрочно»."""
    if ending is not None:
        buttons = [_cancel_button(ending.id)] if ending.requested_by_id == me else []
        return text + "\n\n" + ending_line(ending), _with_rows(markup, buttons)
    if not live:
        return text, markup
    ask = InlineKeyboardButton(
        text=t("agreement.ending.button.ask"),
        callback_data=EndingCb(action=EndingAction.ASK, id=pair_id).pack(),
    )
    return text, _with_rows(markup, [ask])


def addendum_line(addendum: PairAddendum | None) -> str:
    if addendum is None:
        return t("addendum.card.none")
    paid = t("addendum.paid.yes") if addendum.paid else t("addendum.paid.no")
    if addendum.paid and addendum.rate_type:
        paid += f" ({html.escape(addendum.rate_type)})"
    return t(
        "addendum.card.line",
        number=addendum.number,
        signed=day(addendum.signed_on),
        starts=day(addendum.starts_on),
        ends=day(addendum.ends_on),
        form=t(f"addendum.form.{addendum.form.value}"),
        paid=Html(paid),
    )


def staff_card(
    view: tuple[str, InlineKeyboardMarkup],
    ending: PairEnding | None,
    addendum: PairAddendum | None,
    pair_id: int,
    live: bool,
) -> View:
    """The curator's pair card: the addendum (or its absence) with «Доп. соглашение», a
    scheduled ending with its cancel button."""
    text, markup = view
    text += "\n\n" + addendum_line(addendum)
    buttons = []
    if live:
        key = "addendum.button.new" if addendum is None else "addendum.button.extend"
        buttons.append(
            InlineKeyboardButton(text=t(key), callback_data=AddendumCb(pair_id=pair_id).pack())
        )
    if ending is not None:
        text += "\n\n" + ending_line(ending)
        buttons.append(_cancel_button(ending.id))
    return text, _with_rows(markup, buttons, before_last=True)


# --- addenda from a file ------------------------------------------------------------------


def addenda_preview(plan: AddendaPlan, filename: str, token: str) -> View:
    lines = [t("addenda.preview.title", file=filename, n=len(plan.planned))]
    for item in plan.planned[:20]:
        lines.append(
            t(
                "addenda.preview.row",
                row=item.row,
                pair=item.label,
                number=item.terms.number,
                starts=day(item.terms.starts_on),
                ends=day(item.terms.ends_on),
            )
        )
    if plan.errors:
        lines.append(t("addenda.preview.errors", n=len(plan.errors)))
        lines += [f"  • {error_line(e)}" for e in plan.errors[:20]]
    if not plan.planned:
        return "\n".join([*lines, t("addenda.preview.nothing")]), None
    kb = InlineKeyboardBuilder()
    action, key = (
        ("valid", "imports.button.valid") if plan.errors else ("all", "imports.button.all")
    )
    kb.button(text=t(key), callback_data=ImportCb(action=action, token=token))
    kb.button(text=t("imports.button.cancel"), callback_data=ImportCb(action="cancel", token=token))
    kb.adjust(1)
    return "\n".join(lines), kb.as_markup()
