"""Names, contacts and pairs as people read them (shared by the screens and the
notices)."""

from __future__ import annotations

import datetime as dt
import html

from bot.i18n import Html, t
from bot.ui.dates import day
from models import Participant
from services.nudges import PairBrief
from services.pairs import Person


def name_of(person: Person | Participant) -> str:
    return person.full_name or t("pairs.name.erased")


def person_name(name: str | None) -> str:
    return name or t("feedback.name.erased")


def short_name(person: Person | Participant) -> str:
    """«Петров И. С.» from «Петров Иван Сергеевич»."""
    full = person.full_name
    if not full:
        return t("pairs.name.erased")
    surname, *rest = full.split()
    return " ".join([surname, *(f"{p[0]}." for p in rest if p)])


def surname(full_name: str) -> str:
    return full_name.split()[0] if full_name else "—"


def marked(person: Person, *, short: bool = True) -> str:
    """A name with the sign that the person has blocked the bot."""
    text = short_name(person) if short else name_of(person)
    return text + (" 🚫" if person.blocked_bot else "")


def names(items: list[str]) -> str:
    return ", ".join(items) or "—"


def contact(person: Person) -> Html:
    """How to reach a person: their @username, else a link that opens their chat."""
    if person.username:
        return Html("@" + html.escape(person.username))
    if person.telegram_id is not None:
        return Html(
            f'<a href="tg://user?id={int(person.telegram_id)}">{html.escape(t("pairs.write"))}</a>'
        )
    return Html(html.escape(t("pairs.no_contact")))


def order_text(number: str | None, date: dt.date | None) -> str:
    if not number:
        return t("pairs.order.none")
    if date is None:
        return t("pairs.order.number_only", number=number)
    return t("pairs.order.value", number=number, date=day(date))


def pair_label(brief: PairBrief) -> Html:
    mentees = ", ".join(person_name(name) for _, name in brief.mentees)
    key = "feedback.pair.group" if len(brief.mentees) > 1 else "feedback.pair.one"
    return Html(t(key, mentor=person_name(brief.mentor_name), mentees=mentees))


def people_for(brief: PairBrief, participant_id: int) -> Html:
    """The other side of the pair, as the given member sees it (HTML, names escaped)."""
    if participant_id != brief.mentor_id:
        return Html(t("feedback.people.mentor", name=person_name(brief.mentor_name)))
    listed = ", ".join(person_name(name) for _, name in brief.mentees)
    key = "feedback.people.group" if len(brief.mentees) > 1 else "feedback.people.mentee"
    return Html(t(key, names=listed))
