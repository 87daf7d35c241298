"""The people the random walk plays: every role, in two schools and two municipalities
(the first of them in a region, with its regional coordinator), with a pair in the
middle of its cycle, invites to use, newcomers and an outsider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingKind, MeetingStatus, Region, Role, RoleGrant
from tests import arrange
from tests.fakes.client import Person

ADMIN = arrange.ADMIN_ID

MakePerson = Callable[[str, int], Person]


async def populate(db: AsyncSession, make: MakePerson) -> list[Person]:
    mun, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    await arrange.staff(db, 101, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.staff(db, 102, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    await arrange.staff(db, 103, "Орлова Вера Павловна", Role.COORDINATOR, municipality=mun)
    await arrange.staff(db, 104, "Титова Нина Львовна", Role.COORDINATOR, municipality=other)
    mentor = await arrange.teacher(db, 201, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    mentee = await arrange.teacher(db, 202, "Иванова Мария Петровна", Role.MENTEE, schools[0])
    await arrange.teacher(db, 203, "Сидорова Елена Олеговна", Role.MENTEE, schools[0])
    await arrange.teacher(db, 204, "Кузнецов Олег Игоревич", Role.MENTOR, schools[1])
    await arrange.teacher(db, 205, "Белова Ирина Андреевна", Role.MENTEE, schools[1])
    region = Region(name="Московская область")
    db.add(region)
    await db.flush()
    mun.region_id = region.id
    regional = await arrange.teacher(db, 206, "Зайцева Вера Андреевна", Role.MENTOR, schools[1])
    db.add(
        RoleGrant(participant_id=regional.id, role=Role.REGIONAL_COORDINATOR, region_id=region.id)
    )
    # …who also curates her school: /export, /spravka and /programme ask which scope.
    db.add(RoleGrant(participant_id=regional.id, role=Role.CURATOR, school_id=schools[1].id))
    pair = await arrange.pair(db, mentor, [mentee], next_kind=MeetingKind.TRIAL)
    await arrange.meeting(
        db, pair, MeetingKind.INTRO, arrange.NOW - dt.timedelta(days=2), status=MeetingStatus.HELD
    )
    await arrange.meeting(
        db,
        pair,
        MeetingKind.TRIAL,
        arrange.NOW + dt.timedelta(days=1),
        status=MeetingStatus.PROPOSED,
    )
    await arrange.invite(db, schools[0], Role.MENTEE)
    await arrange.invite(db, schools[1], Role.MENTOR, code="MENTOR12")
    await db.commit()
    people = [
        ("Ольга (куратор)", 101),
        ("Анна (куратор)", 102),
        ("Вера (координатор)", 103),
        ("Нина (координатор)", 104),
        ("Вера (регион)", 206),
        ("Иван (наставник)", 201),
        ("Мария (наставляемая)", 202),
        ("Елена (наставляемая)", 203),
        ("Олег (наставник)", 204),
        ("Ирина (наставляемая)", 205),
        ("Админ", ADMIN),
        ("Новичок 1", 301),
        ("Новичок 2", 302),
        ("Прохожий", 303),
    ]
    return [make(name, user_id) for name, user_id in people]
