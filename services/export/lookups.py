"""What every sheet looks up: people's names (a withdrawn person's is gone: they show as
«выбывший участник»), pairs as «наставник — наставляемые», the catalogue's titles.

Loaded once per export, one query each; their size is the number of people and pairs of
the scope (thousands), never the number of meetings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueItem, Pair, PairMember, PairStatus, Participant
from services.export.scope import ExportScope

# A locale key (and its parameters) → plain text; the caller's i18n supplies it.
Text = Callable[..., str]

LIVE = (PairStatus.ACTIVE, PairStatus.PAUSED)


def pair_in_year(scope: ExportScope) -> ColumnElement[bool]:
    """The pair worked in the academic year (the rule of services.indicators)."""
    return (
        Pair.school_id.in_(scope.school_ids)
        & (Pair.formed_at < scope.ends)
        & (
            Pair.status.in_(LIVE)
            | ((Pair.status == PairStatus.COMPLETED) & (Pair.stage_since >= scope.starts))
            | ((Pair.status == PairStatus.ENDED) & (Pair.ended_at >= scope.starts))
        )
    )


@dataclass
class Lookups:
    text: Text
    names: dict[int, str | None]  # participant → full name (None: erased)
    pairs: dict[int, tuple[int, list[int]]]  # pair → (mentor, mentees shown)
    catalogue: dict[int, str]
    erased: str  # «выбывший участник»
    labels: dict[int, str] = field(default_factory=dict)  # pair → its label, once built

    def name(self, participant_id: int | None) -> str | None:
        if participant_id is None:
            return None
        return self.names.get(participant_id) or self.erased

    def pair_label(self, pair_id: int) -> str:
        label = self.labels.get(pair_id)
        if label is not None:
            return label
        found = self.pairs.get(pair_id)
        if found is None:
            label = self.text("export.pair.unknown", id=pair_id)
        else:
            mentor, mentees = found
            label = self.text(
                "export.pair.label",
                mentor=self.name(mentor) or "",
                mentees=", ".join(self.name(m) or "" for m in mentees),
            )
        self.labels[pair_id] = label
        return label

    def titles(self, item_ids: list[int]) -> str:
        return "; ".join(self.catalogue.get(i, "?") for i in sorted(item_ids))


async def load(session: AsyncSession, scope: ExportScope, text: Text) -> Lookups:
    pairs: dict[int, tuple[int, list[int]]] = {}
    members: dict[int, list[tuple[Any, int, bool]]] = {}
    rows = await session.execute(
        select(Pair.id, Pair.mentor_id, Pair.status, PairMember.mentee_id, PairMember.left_at)
        .outerjoin(PairMember, PairMember.pair_id == Pair.id)
        .where(Pair.school_id.in_(scope.school_ids))
        .order_by(Pair.id, PairMember.joined_at, PairMember.id)
    )
    for pair_id, mentor_id, status, mentee_id, left_at in rows:
        pairs.setdefault(pair_id, (mentor_id, []))
        if mentee_id is not None:
            members.setdefault(pair_id, []).append((status, mentee_id, left_at is None))
    for pair_id, found in members.items():
        # A live pair shows who is in it now; a closed one everyone it had.
        shown = [m for status, m, current in found if current or status not in LIVE]
        pairs[pair_id][1].extend(shown)
    people = select(Pair.mentor_id).where(Pair.school_id.in_(scope.school_ids))
    mentees = (
        select(PairMember.mentee_id)
        .join(Pair, Pair.id == PairMember.pair_id)
        .where(Pair.school_id.in_(scope.school_ids))
    )
    names = {
        int(pid): name
        for pid, name in await session.execute(
            select(Participant.id, Participant.full_name).where(
                or_(
                    Participant.school_id.in_(scope.school_ids),
                    Participant.id.in_(people),
                    Participant.id.in_(mentees),
                )
            )
        )
    }
    catalogue = {
        int(i): str(title)
        for i, title in await session.execute(select(CatalogueItem.id, CatalogueItem.title))
    }
    return Lookups(text, names, pairs, catalogue, text("export.person.erased"))
