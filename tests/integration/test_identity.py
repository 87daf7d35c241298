"""The per-update identity (services.identity): one query, whoever the person is."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import ParticipantStatus, Role, RoleGrant
from services import identity
from tests import arrange as seed
from tests.statements import counting


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
    with counting(db.bind) as statements:  # type: ignore[arg-type]
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


async def test_the_drivers_query_says_what_the_orms_says(db: AsyncSession) -> None:
    """On PostgreSQL the identity is read with _IDENTITY_SQL, a copy of _IDENTITY in
    SQL (bot.middlewares.actor reads it outside any transaction); inside one it goes
    through SQLAlchemy. Both give the same identity, grant for grant."""
    mun, schools = await seed.municipality_with_schools(db)
    curator = await seed.staff(db, 7111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    db.add(RoleGrant(participant_id=curator.id, role=Role.COORDINATOR, municipality_id=mun.id))
    await seed.teacher(db, 7112, "Иванов Иван Иванович", Role.MENTOR, schools[1])
    pending = await seed.teacher(db, 7113, "Петрова Анна Сергеевна", Role.MENTEE, schools[0])
    pending.status = ParticipantStatus.PENDING
    declined = await seed.teacher(db, 7114, "Сидоров Пётр Ильич", Role.MENTEE, schools[0])
    declined.status = ParticipantStatus.DECLINED
    await db.commit()
    municipality_id = mun.id
    for telegram_id in (7111, 7112, 7113, 7114, 7115):
        assert not db.in_transaction()
        by_driver = await identity.load(db, telegram_id, is_admin=False)
        await db.connection()  # a transaction begun: SQLAlchemy's way
        by_orm = await identity.load(db, telegram_id, is_admin=False)
        await db.rollback()
        assert by_driver == by_orm, telegram_id
    found = (await identity.load(db, 7111, is_admin=False)).actor
    assert found.roles == {Role.CURATOR, Role.COORDINATOR}
    assert found.coordinator_municipality_ids == {municipality_id}
