"""«Выгрузить Excel» in the panel: the export of the scope on screen goes to the person's
chat through the outbox (the workbook is built when the row is sent, by the same
services.export as /export; bot/ui/notices/panel.py renders it). A second press in
the same minute adds nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from services import outbox
from services.access import Actor
from services.errors import DomainError
from services.export.scope import ExportScope
from services.outbox import Kind


async def queue(session: AsyncSession, actor: Actor, scope: ExportScope, now: dt.datetime) -> None:
    """The scope was checked against the actor when it was made; the renderer checks it
    again when the row is sent (a role taken away in between: nothing is sent). Commits."""
    if actor.participant_id is None:
        # An admin from settings who never registered has no chat row to send to.
        raise DomainError("panel.export.no_chat")
    minute = now.replace(second=0, microsecond=0).isoformat()
    await outbox.enqueue(
        session,
        recipient_id=actor.participant_id,
        kind=Kind.PANEL_EXPORT,
        due_at=now,
        now=now,
        dedupe_key=f"panel.export:{actor.participant_id}:{scope.level.value}:{scope.id}:{minute}",
        payload={"level": scope.level.value, "id": scope.id},
    )
    await session.commit()
