"""«Выгрузить Excel» pressed in the panel: the workbook of that scope, built when the row
is sent (services.export, as /export), to the person who pressed it. The scope is
checked again now: a role taken away since, or a school moved out of it, sends nothing."""

from __future__ import annotations

import io

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest.export import caption, plain
from bot.ui.notices import Notice, Renderer
from models import Outbox, Participant
from services import export
from services.access import Actor
from services.errors import DomainError
from services.export import scope as export_scope
from services.export.scope import Level
from services.outbox import Kind


async def export_file(session: AsyncSession, row: Outbox) -> Notice | None:
    person = await session.get(Participant, row.recipient_id, populate_existing=True)
    if person is None or person.telegram_id is None:
        return None
    actor = Actor.of(person.telegram_id, person, is_admin=False)
    try:
        level, scope_id = Level(row.payload["level"]), int(row.payload["id"])
        scope = await export_scope.of_level(session, actor, level, scope_id, row.due_at)
    except (DomainError, KeyError, ValueError):
        return None
    buffer = io.BytesIO()
    done = await export.export(session, actor, scope, plain, buffer)
    return Notice(caption(scope, done), document=(done.filename, buffer.getvalue()))


RENDERERS: dict[str, Renderer] = {Kind.PANEL_EXPORT: export_file}
