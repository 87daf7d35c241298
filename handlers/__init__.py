"""Routers in the order they must see updates: /cancel and /help first, /start,
/privacy and /delete_me, the questionnaire before other commands (any other command
mid-form gets a hint), catch-all last.

Routers are built per Dispatcher (tests and benchmarks build many), never at import.
"""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    from handlers import (
        approvals,
        common,
        digest,
        export,
        feedback,
        headcount,
        indicators,
        invites,
        matching,
        meetings,
        my,
        pairs,
        plan,
        privacy,
        profile,
        questionnaire,
        roles,
        start,
        surveys,
    )

    return [
        common.create_router(),
        start.create_router(),
        # The right to see and withdraw consent holds mid-form too.
        privacy.create_router(),
        questionnaire.create_router(),
        profile.create_router(),
        approvals.create_router(),
        invites.create_router(),
        roles.create_router(),
        feedback.create_router(),
        plan.create_router(),
        matching.create_router(),
        pairs.create_router(),
        my.create_router(),
        meetings.create_router(),
        surveys.create_router(),
        indicators.create_router(),
        headcount.create_router(),
        export.create_router(),
        digest.create_router(),
        # Typed survey answers: after every form and command, before the catch-all.
        surveys.create_answers_router(),
        common.create_fallback_router(),
    ]
