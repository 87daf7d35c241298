"""A request for approval as the curator sees it: in /pending and in the notice."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import ApprovalAction, ApprovalCb
from bot.ui.render import free_text, role_name
from services.approvals import Decision
from services.registration import PendingItem


def request_markup(participant_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("approval.button.ok"),
        callback_data=ApprovalCb(action=ApprovalAction.OK, participant_id=participant_id),
    )
    kb.button(
        text=t("approval.button.no"),
        callback_data=ApprovalCb(action=ApprovalAction.NO, participant_id=participant_id),
    )
    kb.adjust(2)
    return kb.as_markup()


def request_text(item: PendingItem) -> str:
    return t(
        "approval.request",
        name=item.full_name,
        role=role_name(item.role),
        school=item.school_name,
        position=free_text(item.position) if item.position else "—",
        subject=free_text(item.subject) if item.subject else "—",
        experience=t("form.value.years", n=item.experience_years or 0),
    )


def decided_text(decision: Decision) -> str:
    key = "approval.done_ok" if decision.approved else "approval.done_no"
    return t(key, name=decision.full_name, role=role_name(decision.role))
