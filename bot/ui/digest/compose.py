"""A whole digest for one person: the text with its buttons, the chart, and the Excel
export when it goes along. Shared by the scheduled notice and /digest; the scope is the
person's own (a regional coordinator's region, a coordinator's municipality, else a
curator's school), checked here, or one of their other scopes, checked when made."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.digest import chart, view
from bot.ui.digest.export import plain
from bot.ui.views import region as region_view
from services import export
from services.access import Actor
from services.digest import content
from services.digest import region as region_digest
from services.digest.planning import ExportWith
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level


@dataclass(frozen=True)
class Composed:
    text: str
    markup: InlineKeyboardMarkup
    chart: tuple[str, bytes] | None
    chart_caption: str
    export: tuple[str, bytes] | None
    export_caption: str | None


async def monitoring_export(
    session: AsyncSession, actor: Actor, now: dt.datetime, scope: ExportScope | None = None
) -> tuple[str, bytes, str]:
    """The monitoring month's export alone (for a person whose digest is off): the
    file's name, its content and its caption. The person's own scope unless one is given
    (checked against them when it was made)."""
    scope = scope or await export_scope.of_export(session, actor, now)
    buffer = io.BytesIO()
    done = await export.export(
        session, actor, scope, plain, buffer, action=export.AUDIT_WITH_DIGEST
    )
    return done.filename, buffer.getvalue(), t("digest.export_caption.monitoring", scope=scope.name)


async def _export(
    session: AsyncSession, actor: Actor, scope: ExportScope, export_with: str | None
) -> tuple[tuple[str, bytes] | None, str | None]:
    if export_with is None:
        return None, None
    buffer = io.BytesIO()
    done = await export.export(
        session, actor, scope, plain, buffer, action=export.AUDIT_WITH_DIGEST
    )
    key = (
        "digest.export_caption.monitoring"
        if export_with == ExportWith.MONITORING
        else "digest.export_caption.asked"
    )
    return (done.filename, buffer.getvalue()), t(key, scope=scope.name)


async def _compose_region(
    session: AsyncSession, actor: Actor, scope: ExportScope, export_with: str | None
) -> Composed:
    """A regional coordinator's digest: the region, a line per municipality; no chart."""
    found = await region_digest.gather(session, actor, scope)
    exported, caption = await _export(session, actor, scope, export_with)
    return Composed(
        text=region_view.digest_text(found, with_export=exported is not None),
        markup=region_view.digest_markup(),
        chart=None,
        chart_caption="",
        export=exported,
        export_caption=caption,
    )


async def compose(
    session: AsyncSession,
    actor: Actor,
    now: dt.datetime,
    export_with: str | None,
    scope: ExportScope | None = None,
) -> Composed:
    """The digest of the person's own scope (as /export takes it: a regional
    coordinator's region first), or of ``scope`` (checked against them when made)."""
    scope = scope or await export_scope.of_export(session, actor, now)
    if scope.level == Level.REGION:
        return await _compose_region(session, actor, scope, export_with)
    digest = await content.gather(session, actor, scope)
    picture = None
    if not digest.quiet_week:
        picture = (f"digest_{scope.today.isoformat()}.jpg", chart.render(digest))
    exported = None
    caption = None
    if export_with is not None:
        buffer = io.BytesIO()
        done = await export.export(
            session, actor, scope, plain, buffer, action=export.AUDIT_WITH_DIGEST
        )
        exported = (done.filename, buffer.getvalue())
        key = (
            "digest.export_caption.monitoring"
            if export_with == ExportWith.MONITORING
            else "digest.export_caption.asked"
        )
        caption = t(key, scope=scope.name)
    return Composed(
        text=view.text(digest, with_chart=picture is not None, with_export=exported is not None),
        markup=view.markup(digest),
        chart=picture,
        chart_caption=t("digest.photo_caption", scope=scope.name),
        export=exported,
        export_caption=caption,
    )
