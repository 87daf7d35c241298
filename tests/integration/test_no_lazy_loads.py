"""The test sessions refuse lazy loads (tests/conftest.py): a relationship read on
attribute access instead of loaded with its query fails the test that did it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Role, RoleGrant
from services.participants import find_live
from tests import arrange as seed
from tests.conftest import LazyLoad


async def test_a_lazy_load_fails_the_test(db: AsyncSession) -> None:
    _, schools = await seed.municipality_with_schools(db)
    await seed.staff(db, 7001, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    db.expunge_all()
    grant = await db.scalar(select(RoleGrant).where(RoleGrant.role == Role.CURATOR))
    assert grant is not None
    # RoleGrant.participant has no eager loader: reading it is a lazy load.
    with pytest.raises(LazyLoad):
        await db.run_sync(lambda _: grant.participant)


async def test_eager_loaders_are_not_lazy_loads(db: AsyncSession) -> None:
    _, schools = await seed.municipality_with_schools(db)
    curator = await seed.staff(db, 7002, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    db.expunge_all()
    found = await find_live(db, 7002)
    assert found is not None and found.id == curator.id
    assert [g.role for g in found.roles] == [Role.CURATOR]  # selectin: loaded with it
