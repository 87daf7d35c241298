"""Routers in the order they must see updates: /cancel and /help first, the
questionnaire before other commands (a command mid-form gets a hint), catch-all last."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        approvals,
        common,
        invites,
        privacy,
        profile,
        questionnaire,
        roles,
        start,
    )

    return [
        common.router,
        start.router,
        questionnaire.router,
        privacy.router,
        profile.router,
        approvals.router,
        invites.router,
        roles.router,
        common.fallback_router,
    ]
