"""What a person reads while registering: the greeting (with the invite's role and
place), the school list's heading, and the answer when the questionnaire is sent."""

from __future__ import annotations

from bot.i18n import Html, t
from bot.ui.render import role_name
from models import Invite, Participant, ParticipantStatus
from services.registration import Completion
from services.schools import Page


def greeting(invite: Invite | None) -> str:
    """The first words of /start: the invite's role and school (or municipality)."""
    if invite is None:
        return t("start.greeting")
    place = (
        invite.school.name
        if invite.school
        else invite.municipality.name
        if invite.municipality
        else ""
    )
    return t("start.greeting_invite", role=role_name(invite.role), place=place)


def schools_heading(result: Page, query: str | None) -> str:
    """Above the school buttons: what was searched for, and the page when there are
    several."""
    text = t("registration.school_found", query=query) if query else t("registration.choose_school")
    if result.pages > 1:
        text += "\n" + t("nav.page", page=result.page + 1, pages=result.pages)
    return text


def registered_text(result: Completion, participant: Participant) -> Html:
    """What happens next (HTML: it goes into the sent form's message as it is)."""
    if result.status == ParticipantStatus.ACTIVE and participant.requested_role is None:
        return Html(
            t("registration.active", role=role_name(result.role), school=result.school_name or "")
        )
    prefix = t("registration.invite_fell_back") + "\n\n" if result.invite_fell_back else ""
    return Html(prefix + t("registration.pending", school=result.school_name or ""))
