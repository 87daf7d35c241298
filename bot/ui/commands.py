"""The Telegram menu (setMyCommands), per chat, matching the person's roles."""

from __future__ import annotations

import functools
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.i18n import t
from bot.ui import panel
from models import Role
from services.access import Actor

log = logging.getLogger(__name__)

GUEST = ("start", "privacy", "help")
MEMBER = ("my", "meetings", "plan", "survey", "profile", "privacy", "help", "cancel")
STAFF = (
    "unmatched",
    "pairs",
    "pending",
    "invite",
    "surveys",
    "indicators",
    "headcount",
    "export",
    "digest",
    "spravka",
    "holidays",
    "programme",
)
COORDINATION = ("roles", "import")
CLUB = ("club", "honor")  # the young teachers' club: for every participant
CLUB_CURATOR = ("announce",)  # a curator's announcement to their school
MENTORING = ("hours",)  # a mentor's hours of mentoring work (services.hours)
# A regional coordinator watches: the figures, and the municipalities' holidays.
REGION = ("indicators", "digest", "export", "spravka", "holidays")


def commands_for(actor: Actor) -> list[str]:
    if actor.participant_id is None or not (actor.roles or actor.is_admin):
        names = list(GUEST)
        if actor.is_admin:
            names += [*STAFF, *COORDINATION]
        return names
    names = list(MEMBER)
    names += CLUB
    if Role.MENTOR in actor.roles:
        names += MENTORING
    if actor.is_admin or actor.curator_school_ids or actor.coordinator_municipality_ids:
        names += STAFF
    elif actor.region_ids:
        names += REGION
    if actor.curator_school_ids:
        names += CLUB_CURATOR
    if actor.is_admin or Role.COORDINATOR in actor.roles:
        names += COORDINATION
    return names


def _commands(names: list[str] | tuple[str, ...]) -> list[BotCommand]:
    locale = I18n.get_current(no_error=False).current_locale
    return list(_built(tuple(names), locale))


@functools.lru_cache(maxsize=64)
def _built(names: tuple[str, ...], locale: str) -> tuple[BotCommand, ...]:
    """A menu built once per set of commands and language (a handful of them): frozen
    objects, shared by every request that sets that menu."""
    del locale  # a key of the cache: t() reads the current one
    return tuple(BotCommand(command=n, description=t(f"command.{n}")) for n in names)


async def set_default(bot: Bot) -> None:
    await bot.set_my_commands(_commands(GUEST), scope=BotCommandScopeDefault())


async def sync(bot: Bot, chat_id: int, actor: Actor, panel_url: str | None = None) -> None:
    """Set this chat's menu (and, with a panel URL, its menu button: the panel for
    staff); failures only cost a stale menu, so they are logged."""
    try:
        await bot.set_my_commands(
            _commands(commands_for(actor)), scope=BotCommandScopeChat(chat_id=chat_id)
        )
    except TelegramAPIError as exc:
        log.warning("set_my_commands failed: %s", type(exc).__name__)
    await panel.set_menu(bot, chat_id, actor, panel_url)


async def reset(bot: Bot, chat_id: int) -> None:
    try:
        await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=chat_id))
    except TelegramAPIError as exc:
        log.warning("delete_my_commands failed: %s", type(exc).__name__)
