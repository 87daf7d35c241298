"""Nudges planned by services.nudges: a silent pair, its escalation to the curator, and
a stage stuck too long. Each is dropped at send time if the pair has moved on."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.dates import day
from bot.ui.kinds import kind_name
from bot.ui.notices.base import Notice, Renderer
from bot.ui.people import pair_label, people_for
from bot.ui.views.pairs import card_button
from models import MeetingKind, Outbox, PairStatus
from models.pairs import Pair
from services import nudges
from services.nudges import PairBrief
from services.outbox import Kind


async def _silent(session: AsyncSession, row: Outbox) -> tuple[PairBrief, Html] | None:
    """The pair and how its silence reads, if it is still the silence the row is about."""
    pair_id = int(row.payload["pair_id"])
    brief = await nudges.pair_brief(session, pair_id)
    if brief is None or brief.status != PairStatus.ACTIVE or brief.next_kind is None:
        return None
    # The row's own due time stands for «now»: renderers get no clock.
    quiet = await nudges.silence(session, pair_id, row.due_at)
    if quiet is None or quiet.since != dt.datetime.fromisoformat(row.payload["since"]):
        return None
    pair = await session.get(Pair, pair_id)
    assert pair is not None
    zone = zoneinfo.ZoneInfo(brief.zone)
    days = Html(t("nudge.days", n=max(1, (row.due_at - quiet.since).days)))
    since_day = day(quiet.since.astimezone(zone).date())
    if quiet.since == pair.formed_at:
        since = t("nudge.since.formed", days=days, date=since_day)
    elif pair.paused_until is not None and quiet.since.astimezone(zone).date() == pair.paused_until:
        since = t("nudge.since.pause", days=days, date=since_day)
    else:
        since = t("nudge.since.meeting", days=days, date=since_day)
    return brief, Html(since)


async def silent(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await _silent(session, row)
    if found is None:
        return None
    brief, since = found
    if brief.role_of(row.recipient_id) is None:
        return None
    return Notice(t("nudge.silent", since=since, people=people_for(brief, row.recipient_id)))


async def silent_curator(session: AsyncSession, row: Outbox) -> Notice | None:
    found = await _silent(session, row)
    if found is None:
        return None
    brief, since = found
    return Notice(
        t("nudge.silent.curator", pair=pair_label(brief), school=brief.school_name, since=since),
        card_button(brief.pair_id),
    )


async def stuck_curator(session: AsyncSession, row: Outbox) -> Notice | None:
    pair_id = int(row.payload["pair_id"])
    pair = await session.get(Pair, pair_id)
    brief = await nudges.pair_brief(session, pair_id)
    if pair is None or brief is None or brief.status != PairStatus.ACTIVE:
        return None
    if pair.next_kind is None or pair.next_kind.value != row.payload["kind"]:
        return None
    held = (await nudges.last_held(session, [pair_id])).get(pair_id)
    since = nudges.stage_anchor(pair, held, brief.zone)
    if since != dt.datetime.fromisoformat(row.payload["since"]):
        return None
    return Notice(
        t(
            "nudge.stuck.curator",
            pair=pair_label(brief),
            school=brief.school_name,
            kind=kind_name(MeetingKind(pair.next_kind)),
            days=Html(t("nudge.days", n=max(1, (row.due_at - since).days))),
            date=day(since.astimezone(zoneinfo.ZoneInfo(brief.zone)).date()),
        ),
        card_button(brief.pair_id),
    )


RENDERERS: dict[str, Renderer] = {
    Kind.PAIR_SILENT: silent,
    Kind.PAIR_SILENT_CURATOR: silent_curator,
    Kind.PAIR_STUCK_CURATOR: stuck_curator,
}
