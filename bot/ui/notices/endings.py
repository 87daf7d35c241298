"""Ending a pair early with notice: the news to the other side and the curator, and its
cancellation."""

from __future__ import annotations

from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import AddendumEndCb, PairAction, PairCb
from bot.ui.dates import day
from bot.ui.notices.base import Notice, Renderer
from bot.ui.render import free_text
from bot.ui.views.pairs import card_button
from models import EndingStatus, Outbox
from services.outbox import Kind
from services.pairs import addenda, early_end
from services.pairs.people import shown_members


async def ending(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await early_end.facts(session, int(row.payload["ending_id"]), row.recipient_id)
    if found is None:
        return None
    wanted = EndingStatus.SCHEDULED if row.kind == Kind.PAIR_ENDING else EndingStatus.CANCELLED
    if found.ending.status != wanted:
        return None
    pair = found.pair
    mentees = ", ".join(m.mentee.full_name or t("pairs.name.erased") for m in shown_members(pair))
    members = {pair.mentor_id, *(m.mentee_id for m in pair.active_members)}
    text = t(
        "agreement.ending.notice"
        if row.kind == Kind.PAIR_ENDING
        else "agreement.ending.cancelled_notice",
        by=found.by_name or t("pairs.name.erased"),
        role=t(f"agreement.role.{found.ending.by_role}"),
        mentor=pair.mentor.full_name or t("pairs.name.erased"),
        mentees=mentees,
        reason=free_text(found.ending.reason or "—"),
        date=day(found.ending.ends_on),
    )
    # The curator gets the card (to cancel there); the pair's people see the news only.
    markup = None if row.recipient_id in members else card_button(pair.id)
    return Notice(text, markup)


async def period_end(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await addenda.period_end(session, int(row.payload["addendum_id"]), row.recipient_id)
    if found is None:
        return None
    pair, a = found.pair, found.addendum
    mentees = ", ".join(m.mentee.full_name or t("pairs.name.erased") for m in shown_members(pair))
    text = t(
        "addendum.period.to_member" if found.to_member else "addendum.period.to_curator",
        number=a.number,
        date=day(a.ends_on),
        mentor=pair.mentor.full_name or t("pairs.name.erased"),
        mentees=mentees,
    )
    if found.to_member:
        return Notice(text)
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("matching.button.card"),
        callback_data=PairCb(action=PairAction.CARD, pair_id=pair.id),
    )
    kb.button(
        text=t("addendum.period.button.complete"), callback_data=AddendumEndCb(addendum_id=a.id)
    )
    kb.adjust(1)
    return Notice(text, kb.as_markup())


RENDERERS: dict[str, Renderer] = {
    Kind.PAIR_ENDING: ending,
    Kind.PAIR_ENDING_CANCELLED: ending,
    Kind.ADDENDUM_ENDING: period_end,
}
