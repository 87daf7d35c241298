"""The introduction of a new pair (to the mentor and to each mentee) and the notice
that the curator ended a pair. Also the small pieces the curator's pair screens share:
names, contacts, stage names, dates."""

from __future__ import annotations

import datetime as dt
import html
import zoneinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.notices import Notice, Renderer
from bot.ui.render import free_text
from models import MeetingKind, Outbox, Participant
from services import pairs
from services.outbox import Kind
from services.pairs import Person


def name_of(person: Person | Participant) -> str:
    return person.full_name or t("pairs.name.erased")


def short_name(person: Person | Participant) -> str:
    """«Петров И. С.» from «Петров Иван Сергеевич»."""
    full = person.full_name
    if not full:
        return t("pairs.name.erased")
    surname, *rest = full.split()
    return " ".join([surname, *(f"{p[0]}." for p in rest if p)])


def marked(person: Person, *, short: bool = True) -> str:
    """A name with the sign that the person has blocked the bot."""
    text = short_name(person) if short else name_of(person)
    return text + (" 🚫" if person.blocked_bot else "")


def contact(person: Person) -> Html:
    """How to reach a person: their @username, else a link that opens their chat."""
    if person.username:
        return Html("@" + html.escape(person.username))
    if person.telegram_id is not None:
        return Html(
            f'<a href="tg://user?id={int(person.telegram_id)}">{html.escape(t("pairs.write"))}</a>'
        )
    return Html(html.escape(t("pairs.no_contact")))


def stage_name(kind: MeetingKind | None) -> str:
    return t(f"pairs.stage.{kind.value}" if kind else "pairs.stage.done")


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def local_day(at: dt.datetime, zone: str) -> str:
    return day(at.astimezone(zoneinfo.ZoneInfo(zone)).date())


def order_text(number: str | None, date: dt.date | None) -> str:
    if not number:
        return t("pairs.order.none")
    if date is None:
        return t("pairs.order.number_only", number=number)
    return t("pairs.order.value", number=number, date=day(date))


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
