"""/privacy's buttons: withdraw consent, then confirm or keep it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import PrivacyAction, PrivacyCb


def delete_button() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("privacy.button.delete"), callback_data=PrivacyCb(action=PrivacyAction.DELETE))
    return kb.as_markup()


def confirm_buttons() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("privacy.button.confirm"), callback_data=PrivacyCb(action=PrivacyAction.CONFIRM)
    )
    kb.button(text=t("privacy.button.keep"), callback_data=PrivacyCb(action=PrivacyAction.KEEP))
    kb.adjust(1)
    return kb.as_markup()
