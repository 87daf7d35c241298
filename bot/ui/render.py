"""Turning plain data from services into message text."""

from __future__ import annotations

import html
import re

from bot.i18n import Html, t
from models import Role
from services.questionnaire import Answers

# What Telegram would turn into a link, a mention or a command in a participant's text.
_END = r"[^\s.,;:!?»)\]'\"]"  # a link does not end with the sentence's punctuation
_LINKY = re.compile(
    rf"(?:[a-z][a-z0-9+.-]*://|www\.)\S*{_END}"  # https://…, tg://…, www.…
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<![\w@/])@\w+"  # @username
    r"|(?<!\S)/\w+"  # /command
    rf"|(?<![\w@.])[\w-]+(?:\.[\w-]+)*\.(?:[a-z]{{2,24}}|рф|рус)\b(?:/(?:\S*{_END})?)?",
    re.IGNORECASE,
)


def free_text(value: str) -> Html:
    """Text typed by a participant, shown to someone else: HTML-escaped, and every
    link-like piece put in <code>, which Telegram never turns into a link, a mention or
    a command (so a curator is not one tap from a link someone typed). Not for a
    meeting's own online link, which must stay a link."""
    parts, end = [], 0
    for m in _LINKY.finditer(value):
        parts.append(html.escape(value[end : m.start()]))
        parts.append(f"<code>{html.escape(m.group())}</code>")
        end = m.end()
    parts.append(html.escape(value[end:]))
    return Html("".join(parts))


def role_name(role: Role | str) -> str:
    return t(f"role.{Role(role).value}")


def field_value(name: str, answers: Answers, catalogue: dict[int, str]) -> str:
    value = getattr(answers, name)
    if name in ("deficits", "competencies"):
        titles = [catalogue.get(i, "?") for i in value]
        return ", ".join(titles) if titles else t("form.value.none")
    if name == "experience_years" and value is not None:
        return t("form.value.years", n=value)
    if name in ("age_group", "category") and value is not None:
        return t(f"{name}.{value.value}")
    if value is None or value == "":
        return t("form.value.empty")
    return str(value)


def answers_text(
    fields: list[str],
    answers: Answers,
    catalogue: dict[int, str],
    line: str = "form.summary.line",
) -> Html:
    lines = [
        t(line, label=t(f"form.label.{f}"), value=field_value(f, answers, catalogue))
        for f in fields
    ]
    return Html("\n".join(lines))
