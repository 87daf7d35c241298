"""The weekly digest, rendered when its row is sent: the recipient's scope as it is now
(a role taken away since the row was planned: nothing is sent), the chart drawn now
(no image is kept in the database), the export built now when it goes along."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest.compose import compose, monitoring_export
from bot.ui.notices import Notice, Renderer
from models import Outbox, Participant
from services.access import Actor
from services.errors import DomainError
from services.export import scope as export_scope
from services.export.scope import Level
from services.outbox import Kind


async def weekly(session: AsyncSession, row: Outbox) -> Notice | None:
    person = await session.get(Participant, row.recipient_id, populate_existing=True)
    if person is None or person.telegram_id is None:
        return None
    actor = Actor.of(person.telegram_id, person, is_admin=False)
    if not (actor.curator_school_ids or actor.coordinator_municipality_ids or actor.region_ids):
        return None
    # The row's due time stands for «now»: renderers get no clock.
    scope = None
    if (asked := row.payload.get("scope")) is not None:
        # One of their other scopes, checked again now: a role taken away since sends
        # nothing.
        try:
            scope = await export_scope.of_level(
                session, actor, Level(asked["level"]), int(asked["id"]), row.due_at
            )
        except (DomainError, KeyError, ValueError):
            return None
    if row.payload.get("export_only"):
        name, content, caption = await monitoring_export(session, actor, row.due_at, scope)
        return Notice(caption, document=(name, content))
    made = await compose(session, actor, row.due_at, row.payload.get("export"), scope)
    return Notice(
        made.text,
        reply_markup=made.markup,
        photo=made.chart,
        photo_caption=made.chart_caption,
        attachment=made.export,
        attachment_caption=made.export_caption,
        panel_button=True,
    )


RENDERERS: dict[str, Renderer] = {Kind.DIGEST: weekly}
