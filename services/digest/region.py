"""A regional coordinator's digest: the week in figures and the indicators of the
region (its municipalities summed, services.regions), then a line per municipality,
worst first. Each municipality's figures are its coordinator's digest
(services.digest.content.gather over the municipality), so the two never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from services.access import Actor
from services.digest import content
from services.digest.content import Digest, SchoolLine, Week
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level
from services.indicators import Value
from services.regions import summed


@dataclass
class RegionDigest:
    scope_name: str
    year: str
    week: Week
    held: tuple[int, int] = (0, 0)  # this week, the week before
    feedback: tuple[int, int] = (0, 0)
    newcomers: tuple[int, int] = (0, 0)
    indicators: list[Value] = field(default_factory=list)
    year_index: int = 1
    # A municipality a line, in the shape of a coordinator's school line.
    municipalities: list[SchoolLine] = field(default_factory=list)


def _line(municipality_id: int, d: Digest) -> SchoolLine:
    return SchoolLine(
        municipality_id,
        d.scope_name,
        stalled=len(d.stalled),
        attention=len(d.attention),
        unmatched=d.unmatched,
        pending=d.pending,
        no_order=d.no_order,
        no_plan=d.no_plan,
        no_addendum=d.no_addendum,
        headcount_missing=bool(d.missing_headcount),
        held=d.held[0],
    )


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


async def gather(session: AsyncSession, actor: Actor, scope: ExportScope) -> RegionDigest:
    """The region's digest (the scope checked against the actor when it was made)."""
    assert scope.level == Level.REGION
    out = RegionDigest(scope.name, scope.year, content.week_of(scope.today))
    reports = []
    for municipality_id in scope.municipality_ids:
        mscope = await export_scope.municipality(session, actor, municipality_id, scope.now)
        d = await content.gather(session, actor, mscope)
        out.held = _add(out.held, d.held)
        out.feedback = _add(out.feedback, d.feedback)
        out.newcomers = _add(out.newcomers, d.newcomers)
        out.municipalities.append(_line(municipality_id, d))
        if d.report is not None:
            reports.append(d.report)
    out.indicators, _ = summed(reports)
    out.year_index = min((r.year_index for r in reports), default=1)
    out.municipalities.sort(key=lambda x: (tuple(-n for n in x.worry), x.name))
    return out
