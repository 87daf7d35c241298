from __future__ import annotations

from bot.config import Settings
from bot.i18n import t
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
