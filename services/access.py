"""Who may act where. Every id that arrives from a button is checked through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Participant, ParticipantStatus, Role, School
from services.errors import AccessDenied, NotFound


@dataclass(frozen=True)
class Actor:
    """The person behind an update, with the scopes of their roles."""

    telegram_id: int
    participant_id: int | None = None
    is_admin: bool = False
    roles: frozenset[Role] = frozenset()
    school_id: int | None = None
    curator_school_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    # Municipalities whose young teachers' club the person runs (the club role).
    club_municipality_ids: frozenset[int] = field(default_factory=frozenset)
    # The participant's status (None: no live row). Roles and scopes count only while
    # ACTIVE; a REGISTERING or PENDING person has an id and a status, no roles.
    status: ParticipantStatus | None = None
    # Regions whose municipalities the person watches (the regional coordinator role).
    region_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return self.is_admin or bool(
            self.curator_school_ids or self.coordinator_municipality_ids or self.region_ids
        )

    @classmethod
    def of(cls, telegram_id: int, participant: Participant | None, *, is_admin: bool) -> Actor:
        if participant is None:
            return cls(telegram_id=telegram_id, is_admin=is_admin)
        return cls.of_grants(
            telegram_id,
            participant.id,
            participant.status,
            participant.school_id,
            [(g.role, g.school_id, g.municipality_id, g.region_id) for g in participant.roles],
            is_admin=is_admin,
        )

    @classmethod
    def of_grants(
        cls,
        telegram_id: int,
        participant_id: int,
        status: ParticipantStatus,
        school_id: int | None,
        grants: Iterable[tuple[Role, int | None, int | None, int | None]],
        *,
        is_admin: bool,
    ) -> Actor:
        """From a participant's columns and their grants as (role, school id,
        municipality id, region id): what services.identity reads in one query."""
        if status != ParticipantStatus.ACTIVE:
            return cls(
                telegram_id=telegram_id,
                participant_id=participant_id,
                is_admin=is_admin,
                status=status,
            )
        grants = list(grants)
        return cls(
            telegram_id=telegram_id,
            participant_id=participant_id,
            is_admin=is_admin,
            roles=frozenset(role for role, _, _, _ in grants),
            school_id=school_id,
            curator_school_ids=frozenset(
                school
                for role, school, _, _ in grants
                if role == Role.CURATOR and school is not None
            ),
            coordinator_municipality_ids=frozenset(
                municipality
                for role, _, municipality, _ in grants
                if role == Role.COORDINATOR and municipality is not None
            ),
            club_municipality_ids=frozenset(
                municipality
                for role, _, municipality, _ in grants
                if role == Role.CLUB_ORGANISER and municipality is not None
            ),
            status=status,
            region_ids=frozenset(
                region
                for role, _, _, region in grants
                if role == Role.REGIONAL_COORDINATOR and region is not None
            ),
        )


async def school_in_scope(session: AsyncSession, actor: Actor, school_id: int) -> School:
    """The school, if the actor curates it, coordinates its municipality, or is an admin."""
    school = await session.get(School, school_id)
    if school is None:
        raise NotFound()
    if (
        actor.is_admin
        or school.id in actor.curator_school_ids
        or school.municipality_id in actor.coordinator_municipality_ids
    ):
        return school
    raise AccessDenied()


def require_municipality(actor: Actor, municipality_id: int) -> None:
    if not (actor.is_admin or municipality_id in actor.coordinator_municipality_ids):
        raise AccessDenied()


async def municipality_in_view(session: AsyncSession, actor: Actor, municipality_id: int) -> None:
    """Whether the actor may look at a municipality's figures: its coordinator, an admin,
    or a regional coordinator of its region (who watches, but does not manage: changes
    still go through require_municipality)."""
    if actor.is_admin or municipality_id in actor.coordinator_municipality_ids:
        return
    if actor.region_ids:
        region_id = await session.scalar(
            select(Municipality.region_id).where(Municipality.id == municipality_id)
        )
        if region_id is not None and region_id in actor.region_ids:
            return
    raise AccessDenied()


def require_region(actor: Actor, region_id: int) -> None:
    if not (actor.is_admin or region_id in actor.region_ids):
        raise AccessDenied()


async def managed_school_ids(
    session: AsyncSession, actor: Actor, *, watched: bool = True
) -> list[int] | None:
    """Schools the actor oversees; None means every school (an admin). ``watched=False``
    leaves out a region the actor only watches (for what writes without a per-school
    check, such as an import)."""
    if actor.is_admin:
        return None
    ids = set(actor.curator_school_ids)
    if actor.coordinator_municipality_ids:
        rows = await session.scalars(
            select(School.id).where(School.municipality_id.in_(actor.coordinator_municipality_ids))
        )
        ids.update(rows)
    if actor.region_ids and watched:
        # A regional coordinator: every school of the region's municipalities.
        rows = await session.scalars(
            select(School.id)
            .join(Municipality, Municipality.id == School.municipality_id)
            .where(Municipality.region_id.in_(actor.region_ids))
        )
        ids.update(rows)
    return sorted(ids)
