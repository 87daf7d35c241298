"""Notices about registration and roles: to the invite's author, the approval request
to the approvers (with the buttons), the decision and a role grant to the person."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.approvals import request_markup, request_text
from bot.ui.notices.base import Notice, Renderer
from bot.ui.render import role_name
from models import (
    Municipality,
    Outbox,
    Participant,
    ParticipantStatus,
    Region,
    Role,
    RoleGrant,
    School,
)
from services import registration
from services.outbox import Kind

STAFF_ROLES = (Role.CURATOR, Role.COORDINATOR)


async def _person(session: AsyncSession, participant_id: int) -> Participant | None:
    return await session.get(Participant, participant_id, populate_existing=True)


async def invite_used(session: AsyncSession, row: Outbox) -> Notice | None:
    newcomer = await _person(session, int(row.payload["participant_id"]))
    if newcomer is None or newcomer.telegram_id is None or not newcomer.full_name:
        return None  # withdrew in the meantime: nobody to name
    role = Role(row.payload["role"])
    key = "notices.staff_invite_used" if role in STAFF_ROLES else "registration.invite_used"
    return Notice(t(key, name=newcomer.full_name, role=role_name(role)))


async def request(session: AsyncSession, row: Outbox) -> Notice | None:
    item = await registration.pending_item(session, int(row.payload["participant_id"]))
    if item is None:
        return None  # decided by someone else, or the person left
    return Notice(request_text(item), request_markup(item.participant_id))


async def approved(session: AsyncSession, row: Outbox) -> Notice | None:
    role = role_name(Role(row.payload["role"]))
    return Notice(t("approval.you_ok", role=role), sync_menu=True)


async def declined(session: AsyncSession, row: Outbox) -> Notice | None:
    person = await _person(session, row.recipient_id)
    role = role_name(Role(row.payload["role"]))
    if person is not None and person.status == ParticipantStatus.DECLINED:
        return Notice(t("approval.you_no", role=role))
    return Notice(t("notices.you_no_member", role=role))


async def role_granted(session: AsyncSession, row: Outbox) -> Notice | None:
    role = Role(row.payload["role"])
    school_id, municipality_id = row.payload.get("school_id"), row.payload.get("municipality_id")
    region_id = row.payload.get("region_id")
    held = await session.scalar(
        select(RoleGrant.id).where(
            RoleGrant.participant_id == row.recipient_id,
            RoleGrant.role == role,
            RoleGrant.school_id.is_(None)
            if school_id is None
            else RoleGrant.school_id == school_id,
            RoleGrant.municipality_id.is_(None)
            if municipality_id is None
            else RoleGrant.municipality_id == municipality_id,
            RoleGrant.region_id.is_(None)
            if region_id is None
            else RoleGrant.region_id == region_id,
        )
    )
    if held is None:
        return None  # taken back before it was announced
    place: School | Municipality | Region | None = None
    if region_id:
        place = await session.get(Region, region_id)
    elif school_id:
        place = await session.get(School, school_id)
    elif municipality_id:
        place = await session.get(Municipality, municipality_id)
    text = t("roles.you_granted", role=role_name(role), place=place.name if place else "—")
    return Notice(text, sync_menu=True)


RENDERERS: dict[str, Renderer] = {
    Kind.REG_INVITE_USED: invite_used,
    Kind.REG_REQUEST: request,
    Kind.REG_APPROVED: approved,
    Kind.REG_DECLINED: declined,
    Kind.ROLE_GRANTED: role_granted,
}
