"""The introduction of a new pair (to the mentor and to each mentee) and the notice
that the curator ended a pair."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.notices.base import Notice, Renderer
from bot.ui.people import contact, name_of, order_text
from bot.ui.render import free_text
from models import Outbox, Participant
from services import pairs
from services.outbox import Kind


def _about(p: Participant, school_name: str) -> str:
    parts = [school_name]
    if p.subject:
        parts.append(p.subject)
    if p.experience_years is not None:
        parts.append(t("pairs.experience", n=p.experience_years))
    return ", ".join(x for x in parts if x)


async def intro(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await pairs.intro(
        session, int(row.payload["pair_id"]), int(row.payload["mentee_id"]), row.recipient_id
    )
    if found is None:
        return None
    other = found.mentee if found.to_mentor else found.mentor
    deficits = ", ".join(found.deficits) if found.deficits else t("pairs.intro.no_deficits")
    request = free_text(found.request_text) if found.request_text else t("pairs.intro.no_request")
    extra = []
    if found.group_size > 1:
        key = "pairs.intro.group_mentor" if found.to_mentor else "pairs.intro.group_mentee"
        extra.append(t(key, n=found.group_size))
    if found.order_number:
        extra.append(t("pairs.intro.order", order=order_text(found.order_number, found.order_date)))
    text = t(
        "pairs.intro.to_mentor" if found.to_mentor else "pairs.intro.to_mentee",
        name=name_of(other),
        about=_about(other, found.school_name),
        contact=contact(found.other),
        deficits=deficits,
        request=request,
        extra=Html("".join(x + "\n" for x in extra)),
    )
    return Notice(text)


async def ended(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await pairs.ended(session, int(row.payload["pair_id"]), row.recipient_id)
    if found is None:
        return None
    key = "pairs.ended.to_mentor" if found.to_mentor else "pairs.ended.to_mentee"
    return Notice(t(key, others=", ".join(found.others) or "—", reason=free_text(found.reason)))


RENDERERS: dict[str, Renderer] = {
    Kind.PAIR_INTRO: intro,
    Kind.PAIR_ENDED: ended,
}
