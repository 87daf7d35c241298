"""What a person reads when their questionnaire is sent."""

from __future__ import annotations

from bot.i18n import t
from bot.ui.render import role_name
from models import Participant, ParticipantStatus
from services.registration import Completion


def registered_text(result: Completion, participant: Participant) -> str:
    if result.status == ParticipantStatus.ACTIVE and participant.requested_role is None:
        return t(
            "registration.active", role=role_name(result.role), school=result.school_name or ""
        )
    prefix = t("registration.invite_fell_back") + "\n\n" if result.invite_fell_back else ""
    return prefix + t("registration.pending", school=result.school_name or "")
