"""/invite: the role to invite, the school or municipality, and the link made."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import InviteRoleCb, InviteScopeCb
from bot.ui.dates import local_time
from bot.ui.render import role_name
from models import Role
from services import invites
from services.invites import InviteInfo


def roles_markup(roles: list[Role]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for role in roles:
        kb.button(text=role_name(role), callback_data=InviteRoleCb(role=role))
    kb.adjust(2)
    return kb.as_markup()


def scopes_markup(role: Role, options: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    """Municipalities for a coordinator's invite, schools for the others."""
    kb = InlineKeyboardBuilder()
    for oid, name in options:
        if role == Role.COORDINATOR:
            kb.button(text=name[:60], callback_data=InviteScopeCb(role=role, municipality_id=oid))
        else:
            kb.button(text=name[:60], callback_data=InviteScopeCb(role=role, school_id=oid))
    kb.adjust(1)
    return kb.as_markup()


def created_text(info: InviteInfo, role: Role, link: str, *, staff_hours: int, zone: str) -> str:
    place = info.school_name or info.municipality_name
    if role in invites.STAFF_ROLES:
        return t(
            "invite.created_staff", n=staff_hours, role=role_name(role), place=place, link=link
        )
    return t(
        "invite.created",
        role=role_name(role),
        place=place,
        link=link,
        until=local_time(info.expires_at, zone),
        uses=info.max_uses,
    )
