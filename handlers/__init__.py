"""Routers in the order they must see updates: /cancel and /help first, /start,
/privacy and /delete_me, the questionnaire before other commands (any other command
mid-form gets a hint), the staff's area and its gate, the meeting date picker (an
aiogram-dialog, which answers its own buttons), catch-all last. Every other button
press is answered once, by aiogram's CallbackAnswerMiddleware.

Routers are built per Dispatcher (tests and benchmarks build many), never at import.
"""

from __future__ import annotations

from aiogram import Router

from bot.middlewares.callback_answer import AnswerCallbacks
from bot.ui import (
    addendum_dialog,
    club_dialog,
    dialogs_setup,
    holidays_dialog,
    meetings_dialog,
    programme_dialog,
)


def get_routers() -> list[Router]:
    from handlers import (
        agreement,
        approvals,
        club,
        club_after,
        club_import,
        club_notes,
        common,
        digest,
        export,
        feedback,
        headcount,
        holidays,
        honor,
        hours,
        imports,
        indicators,
        invites,
        matching,
        matching_bulk,
        meetings,
        my,
        pairs,
        plan,
        portfolio,
        privacy,
        profile,
        programme,
        questionnaire,
        roles,
        spravka,
        staff,
        start,
        surveys,
    )

    root = Router(name=__name__)
    root.callback_query.middleware(AnswerCallbacks())
    root.include_routers(
        common.create_router(),
        start.create_router(),
        # The right to see and withdraw consent holds mid-form too.
        privacy.create_router(),
        questionnaire.create_router(),
        profile.create_router(),
        invites.create_router(),
        roles.create_router(),
        feedback.create_router(),
        plan.create_router(),
        # The club plan's file (after /club_import) and a club material before the
        # schools' import, which takes any other document.
        club_import.create_router(),
        club_after.create_router(),
        club_notes.create_router(),
        # A portfolio file (in its form's step) before the schools' import too.
        portfolio.create_router(),
        imports.create_router(),
        staff.create_router(
            approvals.create_router(),
            matching.create_router(),
            pairs.create_router(),
            matching_bulk.create_router(),
            spravka.create_router(),
            holidays.create_router(),
            programme.create_router(),
        ),
        staff.create_gate_router(),
        my.create_router(),
        meetings.create_router(),
        surveys.create_router(),
        indicators.create_router(),
        headcount.create_router(),
        export.create_router(),
        digest.create_router(),
        club.create_router(),
        agreement.create_router(),
        hours.create_router(),
        honor.create_router(),
    )
    # Typed survey answers: after every form, command and the meeting dialog's typed
    # place, before the catch-all.
    answers = surveys.create_answers_router()
    answers.callback_query.middleware(AnswerCallbacks())
    fallback = common.create_fallback_router()
    fallback.callback_query.middleware(AnswerCallbacks())
    dialogs = [
        meetings_dialog.create_dialog(),
        surveys.create_dates_dialog(),
        club_dialog.create_dialog(),
        addendum_dialog.create_dialog(),
        holidays_dialog.create_dialog(),
        programme_dialog.create_dialog(),
    ]
    # aiogram-dialog is set up on this router alone (bot.ui.dialogs_setup).
    return [root, dialogs_setup.zone(*dialogs), answers, fallback]
