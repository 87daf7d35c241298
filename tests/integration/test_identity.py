"""The per-update identity (services.identity): one query, whoever the person is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from models import ParticipantStatus, Role, RoleGrant
from services import identity
from tests import arrange as seed


@contextmanager
def counting(db: AsyncSession) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    engine = db.bind.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


async def test_roles_and_scopes_in_one_query(db: AsyncSession) -> None:
    mun, schools = await seed.municipality_with_schools(db)
    p = await seed.staff(db, 7101, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    db.add_all(
        [
            RoleGrant(participant_id=p.id, role=Role.CURATOR, school_id=schools[1].id),
            RoleGrant(participant_id=p.id, role=Role.COORDINATOR, municipality_id=mun.id),
            RoleGrant(participant_id=p.id, role=Role.MENTOR, school_id=schools[0].id),
        ]
    )
    await db.commit()
    db.expunge_all()
    with counting(db) as statements:
        found = await identity.load(db, 7101, is_admin=False)
    assert len(statements) == 1
    actor = found.actor
    assert actor.participant_id == p.id and actor.status == ParticipantStatus.ACTIVE
    assert actor.roles == {Role.CURATOR, Role.COORDINATOR, Role.MENTOR}
    assert actor.school_id == schools[0].id
    assert actor.curator_school_ids == {schools[0].id, schools[1].id}
    assert actor.coordinator_municipality_ids == {mun.id}
    assert actor.is_staff and not actor.is_admin


async def test_a_stranger_an_admin_and_a_pending_person(db: AsyncSession) -> None:
    _, schools = await seed.municipality_with_schools(db)
    stranger = await identity.load(db, 7102, is_admin=False)
    assert stranger.actor.participant_id is None and stranger.actor.status is None
    admin = await identity.load(db, 7103, is_admin=True)
    assert admin.actor.is_admin and admin.actor.is_staff and admin.actor.participant_id is None
    p = await seed.teacher(db, 7104, "Иванов Иван Иванович", Role.MENTOR, schools[0])
    p.status = ParticipantStatus.PENDING
    await db.commit()
    pending = (await identity.load(db, 7104, is_admin=False)).actor
    # Roles count only while ACTIVE.
    assert pending.participant_id == p.id and pending.status == ParticipantStatus.PENDING
    assert pending.roles == frozenset() and pending.school_id is None
    p.status = ParticipantStatus.DECLINED
    await db.commit()
    assert (await identity.load(db, 7104, is_admin=False)).actor.participant_id is None
