from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.config import Settings
from bot.i18n import t
from bot.ui.callbacks import ConsentAction, ConsentCb, PrivacyAction, PrivacyCb
from services.consent import ConsentDocument


def consent_document(settings: Settings) -> ConsentDocument:
    """The consent text with the operator's details filled in. Its hash changes with
    any change of wording or of the operator, so the record proves what was shown."""
    details = f", {settings.operator_details}" if settings.operator_details else ""
    processor = (
        t("consent.processor", name=settings.processor_name) if settings.processor_name else ""
    )
    text = t(
        "consent.text",
        operator=settings.operator_name,
        address=settings.operator_address,
        details=details,
        processor=processor,
    )
    return ConsentDocument(version=t("consent.version"), text=text)


def renewal_buttons() -> InlineKeyboardMarkup:
    """Agree to the new text, or withdraw (the usual /delete_me confirmation follows)."""
    kb = InlineKeyboardBuilder()
    kb.button(text=t("consent.button.agree"), callback_data=ConsentCb(action=ConsentAction.RENEW))
    kb.button(
        text=t("erasure.consent.revoke_button"),
        callback_data=PrivacyCb(action=PrivacyAction.DELETE),
    )
    kb.adjust(1)
    return kb.as_markup()
