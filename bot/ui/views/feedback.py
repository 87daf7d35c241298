"""The feedback form's buttons: skip a text step, and who may read the texts."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import FeedbackShareCb, FeedbackStepCb
from models import Role
from services.feedback import Step


def skip_markup(feedback_id: int, step: Step) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("feedback.button.skip"), callback_data=FeedbackStepCb(id=feedback_id, step=step)
    )
    return kb.as_markup()


def share_markup(feedback_id: int, respondent: Role) -> InlineKeyboardMarkup:
    other = Role.MENTEE if respondent == Role.MENTOR else Role.MENTOR
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t(f"feedback.button.share.{other.value}"),
        callback_data=FeedbackShareCb(id=feedback_id, shared=1),
    )
    kb.button(
        text=t("feedback.button.private"), callback_data=FeedbackShareCb(id=feedback_id, shared=0)
    )
    kb.adjust(1)
    return kb.as_markup()
