"""/profile: every field of the person's profile with «Изменить» for each."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import ProfileCb
from bot.ui.render import answers_text, role_name
from models import Participant
from services.participants import answers_of
from services.questionnaire import profile_fields


def _markup(fields: list[str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for f in fields:
        kb.button(
            text=t("profile.edit_button", label=t(f"form.label.{f}")),
            callback_data=ProfileCb(field=f),
        )
    kb.adjust(2)
    return kb.as_markup()


def profile_view(me: Participant, catalogue: dict[int, str]) -> tuple[str, InlineKeyboardMarkup]:
    fields = profile_fields(me)
    roles = ", ".join(
        role_name(g.role)
        + (f" ({g.school.name})" if g.school else "")
        + (f" ({g.municipality.name})" if g.municipality else "")
        for g in me.roles
    ) or t("profile.no_roles")
    text = t(
        "profile.card",
        roles=roles,
        status=t(f"profile.status.{me.status.value}"),
        school=me.school.name if me.school else "—",
        answers=answers_text(fields, answers_of(me), catalogue),
    )
    return text, _markup(fields)
