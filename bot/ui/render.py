"""Turning plain data from services into message text."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bot.i18n import Html, t
from models import Role
from services.questionnaire import Answers


def role_name(role: Role | str) -> str:
    return t(f"role.{Role(role).value}")


def local_time(at: dt.datetime, zone: str) -> str:
    return at.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%d.%m.%Y %H:%M")


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


def answers_text(fields: list[str], answers: Answers, catalogue: dict[int, str]) -> Html:
    lines = [
        t("form.summary.line", label=t(f"form.label.{f}"), value=field_value(f, answers, catalogue))
        for f in fields
    ]
    return Html("\n".join(lines))
