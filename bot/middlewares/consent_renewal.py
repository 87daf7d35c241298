"""A person who agreed to an older consent text is shown the new one at their next
message, once (services.consent.ask_renewal records the asking); the message itself is
handled as usual."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, TelegramObject

from bot.i18n import t
from bot.ui.consent import consent_document, renewal_buttons
from services import consent
from services.access import Actor


class ConsentRenewalMiddleware(BaseMiddleware):
    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        actor: Actor | None = data.get("actor")
        if isinstance(event, Message) and actor is not None and actor.participant_id is not None:
            document = consent_document(data["settings"])
            # Asked about this version already (the usual case): no query at all.
            if data.get("consent_asked_version") != document.version and (
                await consent.ask_renewal(data["session"], actor.participant_id, document.version)
            ):
                # One message, not two: the reply to the message itself follows at once.
                await event.answer(
                    t("erasure.consent.renew_intro") + "\n\n" + document.text,
                    reply_markup=renewal_buttons(),
                )
        return await handler(event, data)
