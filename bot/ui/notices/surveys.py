"""Survey invitations and their reminders (3 and 7 days later). Rendered at send time:
a response finished meanwhile, or a round that has closed, sends nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.notices import Notice, Renderer
from bot.ui.surveys.answering import open_markup, round_title
from models import Outbox
from services.outbox import Kind
from services.surveys import answering


async def _pending(session: AsyncSession, row: Outbox) -> answering.Brief | None:
    item = await answering.brief(session, int(row.payload["response_id"]))
    # Renderers get no clock: the sender's claim (its now plus a lease of minutes) tells
    # when the row goes, also when it goes late, after the round has closed.
    sending_at = row.claimed_until or row.due_at
    if item is None or item.finished or item.closed_at(sending_at) or item.total == 0:
        return None
    return item


async def invite(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await _pending(session, row)
    if item is None:
        return None
    text = t(
        "survey.invite",
        title=round_title(item.round_kind),
        total=item.total,
        date=item.closes_on.strftime("%d.%m.%Y"),
    )
    return Notice(text, open_markup(item.response_id, started=item.answered > 0))


async def reminder(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await _pending(session, row)
    if item is None:
        return None
    text = t(
        "survey.reminder",
        title=round_title(item.round_kind),
        answered=item.answered,
        total=item.total,
        date=item.closes_on.strftime("%d.%m.%Y"),
    )
    return Notice(text, open_markup(item.response_id, started=item.answered > 0))


RENDERERS: dict[str, Renderer] = {
    Kind.SURVEY_INVITE: invite,
    Kind.SURVEY_REMINDER: reminder,
}
