"""The curator's notice that a participant withdrew consent. Rendered at send time from
ids: the person's name is gone by then, and the notice never had it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.notices.base import Notice, Renderer
from bot.ui.render import role_name
from models import Outbox
from services.outbox import Kind
from services.withdrawal_facts import withdrawal_facts


async def withdrawn(session: AsyncSession, row: Outbox) -> Notice | None:
    facts = await withdrawal_facts(
        session,
        int(row.payload["participant_id"]),
        [int(i) for i in row.payload.get("pair_ids", [])],
    )
    if facts is None:
        return None
    roles = ", ".join(role_name(r) for r in facts.roles) or t("profile.no_roles")
    lines = [t("erasure.curator.withdrawn", roles=roles, school=facts.school_name)]
    for pair in facts.pairs:
        others = ", ".join(pair.others) or "—"
        key = (
            "erasure.curator.pair_lost_mentor"
            if pair.was_mentor
            else "erasure.curator.pair_lost_mentee"
        )
        lines.append(t(key, others=others))
    if facts.pairs:
        lines.append(t("erasure.curator.repair"))
    return Notice("\n\n".join(lines))


RENDERERS: dict[str, Renderer] = {Kind.PRIVACY_WITHDRAWN_CURATOR: withdrawn}
