"""The proposal to the mentor (and its reminder), with «Беру» / «Не могу»; the mentor's
answer, or the proposal returned unanswered, as the curator sees it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.dates import day
from bot.ui.notices.base import Notice, Renderer
from bot.ui.people import name_of
from bot.ui.render import free_text
from bot.ui.views.agreement import answer_markup, rematch_markup
from models import Outbox, ProposalStatus
from services.outbox import Kind
from services.pairs import proposal_notices


async def proposal(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await proposal_notices.to_mentor(
        session, int(row.payload["proposal_id"]), row.recipient_id
    )
    if found is None:
        return None
    mentee = found.mentee
    about = ", ".join(
        x
        for x in (
            found.school_name,
            mentee.subject or "",
            t("pairs.experience", n=mentee.experience_years)
            if mentee.experience_years is not None
            else "",
        )
        if x
    )
    text = t(
        "agreement.proposal.reminder"
        if row.kind == Kind.PAIR_PROPOSAL_REMINDER
        else "agreement.proposal",
        curator=found.curator_name or t("agreement.curator"),
        mentee=name_of(mentee),
        about=about,
        deficits=", ".join(found.deficits) or t("pairs.intro.no_deficits"),
        request=free_text(found.request_text)
        if found.request_text
        else t("pairs.intro.no_request"),
        group=Html(t("agreement.proposal.to_group") + "\n") if found.to_group else "",
        start=day(found.period_start),
        end=day(found.period_end),
        return_on=day(found.return_on),
    )
    return Notice(text, answer_markup(found.proposal_id))


async def answer(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await proposal_notices.to_curator(
        session, int(row.payload["proposal_id"]), row.recipient_id
    )
    if found is None:
        return None
    if row.kind == Kind.PAIR_PROPOSAL_RETURNED:
        if found.status != ProposalStatus.RETURNED:
            return None
        key = "agreement.to_curator.returned"
    elif found.status == ProposalStatus.ACCEPTED:
        key = "agreement.to_curator.accepted"
    elif found.status == ProposalStatus.DECLINED:
        key = "agreement.to_curator.declined"
    else:
        return None
    text = t(
        key,
        mentor=name_of(found.mentor),
        mentee=found.mentee_name or t("pairs.name.erased"),
        reason=free_text(found.reason or "—"),
    )
    return Notice(text, rematch_markup(found.mentee_id, found.pair_id))


RENDERERS: dict[str, Renderer] = {
    Kind.PAIR_PROPOSAL: proposal,
    Kind.PAIR_PROPOSAL_REMINDER: proposal,
    Kind.PAIR_PROPOSAL_ANSWER: answer,
    Kind.PAIR_PROPOSAL_RETURNED: answer,
}
