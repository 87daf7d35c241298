"""One grant of a role per scope, NULL scopes included: a second coordinator grant of
the same municipality is refused by the database, and two presses of «Сделать куратором»
at once leave one grant, the later press quietly finding it held."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Participant, Role, RoleGrant
from services import roles
from services.access import Actor
from services.clock import FixedClock
from tests import arrange


async def _grants(db: AsyncSession, participant_id: int, role: Role) -> int:
    count = await db.scalar(
        select(func.count())
        .select_from(RoleGrant)
        .where(RoleGrant.participant_id == participant_id, RoleGrant.role == role)
    )
    return int(count or 0)


async def test_a_role_is_granted_once_per_scope_even_with_a_null_in_it(db: AsyncSession) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    olga = await arrange.staff(
        db, 8101, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun
    )
    olga_id, mun_id, school_ids = olga.id, mun.id, [s.id for s in schools]
    db.add(RoleGrant(participant_id=olga_id, role=Role.COORDINATOR, municipality_id=mun_id))
    with pytest.raises(IntegrityError, match="uq_role_grants_scope"):
        await db.commit()
    await db.rollback()
    # The same role in another scope is another grant.
    db.add(RoleGrant(participant_id=olga_id, role=Role.CURATOR, school_id=school_ids[0]))
    db.add(RoleGrant(participant_id=olga_id, role=Role.CURATOR, school_id=school_ids[1]))
    await db.commit()
    assert await _grants(db, olga_id, Role.CURATOR) == 2


async def test_two_presses_at_once_leave_one_grant(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], clock: FixedClock
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    coordinator = await arrange.staff(
        db, 8102, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun
    )
    anna = await arrange.teacher(db, 8103, "Козлова Анна Викторовна", Role.MENTOR, schools[0])
    actor = Actor.of(8102, await db.get(Participant, coordinator.id), is_admin=False)
    async with sessionmaker() as first, sessionmaker() as second:
        # The later press read Анна before the first one's grant was committed.
        late = await second.get(Participant, anna.id)
        assert late is not None
        await second.refresh(late, ["roles"])
        assert await roles.make_curator(first, actor, anna.id, clock)
        assert await roles.make_curator(second, actor, anna.id, clock)  # no error
    assert await _grants(db, anna.id, Role.CURATOR) == 1
