"""A municipality with a working school A (a pair at the regular stage with a plan and
feedback, an unmatched mentee, a withdrawn mentee whose pair ended), a school B with a
pair of its own, and school C with nobody: what the export, the digest and the справка
tests look at; `region` puts it in a region with a second municipality and its regional
coordinator. NOW is Monday 23 November 2026, 09:00 UTC (12:00 in Moscow)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    FeedbackStatus,
    GoalStatus,
    MeetingKind,
    MeetingStatus,
    Municipality,
    Pair,
    PairStatus,
    Participant,
    PlanGoal,
    Region,
    Role,
    RoleGrant,
    School,
)
from services.erasure import erase_person
from tests import arrange
from tests.arrange import surveys as sv

NOW = arrange.NOW
CURATOR_A, CURATOR_B, COORDINATOR = 101, 102, 103
PETROV, IVANOVA, SMIRNOVA, KUZNETSOV, SIDOROVA = 301, 201, 202, 203, 302
ORLOV, BELKINA = 401, 402
REGIONAL = 600

SHARED_TEXT = "Разобрали рабочую программу по алгебре"
PRIVATE_TEXT = "Наставляемая часто опаздывает, прошу поговорить"
SCHOOL_B_TEXT = "Текст отзыва школы Б"
ERASED_NAME = "Кузнецов Павел Андреевич"
GOAL_TITLE = "Составить рабочую программу по алгебре на II полугодие"


@dataclass
class World:
    municipality: Municipality
    a: School
    b: School
    c: School
    curator_a: Participant
    curator_b: Participant
    coordinator: Participant
    petrov: Participant
    ivanova: Participant
    pair_a: Pair
    pair_b: Pair


def at(day: int, month: int = 11, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=dt.UTC)


async def world(db: AsyncSession) -> World:
    mun, (a, b, c) = await arrange.municipality_with_schools(db)
    cur_a = await arrange.staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    cur_b = await arrange.staff(db, CURATOR_B, "Белова Нина Петровна", Role.CURATOR, school=b)
    coord = await arrange.staff(
        db, COORDINATOR, "Соколова Вера Ивановна", Role.COORDINATOR, municipality=mun
    )
    petrov = await arrange.mentor(db, PETROV, "Петров Иван Сергеевич", a, years=15, capacity=2)
    ivanova = await arrange.mentee(db, IVANOVA, "Иванова Мария Петровна", a)
    await arrange.mentee(db, SMIRNOVA, "Смирнова Анна Олеговна", a)  # no mentor yet
    pair_a = await arrange.pair(
        db,
        petrov,
        [ivanova],
        formed_at=at(1, 10),
        next_kind=MeetingKind.REGULAR,
        stage_since=at(2, 11),
        order=("45-од", dt.date(2026, 10, 1)),
    )
    await arrange.meeting(db, pair_a, MeetingKind.INTRO, at(5, 10), status=MeetingStatus.HELD)
    await arrange.meeting(db, pair_a, MeetingKind.TRIAL, at(19, 10), status=MeetingStatus.HELD)
    await arrange.meeting(db, pair_a, MeetingKind.PLANNING, at(2, 11), status=MeetingStatus.HELD)
    regular = await arrange.meeting(
        db, pair_a, MeetingKind.REGULAR, at(17, 11), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, regular, ivanova, rating=5, helped=SHARED_TEXT, shared=True)
    await arrange.feedback(db, regular, petrov, rating=4, hard=PRIVATE_TEXT, shared=False)
    db.add(
        PlanGoal(
            pair_id=pair_a.id,
            mentee_id=ivanova.id,
            title=GOAL_TITLE,
            target_month=dt.date(2027, 1, 1),
            status=GoalStatus.IN_PROGRESS,
            created_at=at(2),
            updated_at=at(2),
        )
    )
    # A mentee who withdrew consent: the pair ended, the person erased.
    sidorova = await arrange.mentor(db, SIDOROVA, "Сидорова Елена Павловна", a, capacity=1)
    kuznetsov = await arrange.mentee(db, KUZNETSOV, ERASED_NAME, a)
    gone = await arrange.pair(
        db, sidorova, [kuznetsov], formed_at=at(1, 10), status=PairStatus.ENDED
    )
    trial = await arrange.meeting(db, gone, MeetingKind.INTRO, at(6, 10), status=MeetingStatus.HELD)
    await arrange.feedback(db, trial, kuznetsov, rating=2, helped="Мне неудобно по вторникам")
    await erase_person(db, kuznetsov, at(10))
    await db.commit()
    # School B.
    orlov = await arrange.mentor(db, ORLOV, "Орлов Денис Викторович", b)
    belkina = await arrange.mentee(db, BELKINA, "Белкина Ольга Игоревна", b)
    pair_b = await arrange.pair(
        db, orlov, [belkina], formed_at=at(1, 10), next_kind=MeetingKind.TRIAL
    )
    intro_b = await arrange.meeting(
        db, pair_b, MeetingKind.INTRO, at(18, 11), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, intro_b, belkina, rating=5, helped=SCHOOL_B_TEXT, shared=True)
    await arrange.feedback(
        db, intro_b, orlov, status=FeedbackStatus.REQUESTED, due_at=NOW + dt.timedelta(days=1)
    )
    await sv.headcount(db, a, 40, 12, 3)
    return World(mun, a, b, c, cur_a, cur_b, coord, petrov, ivanova, pair_a, pair_b)


async def region(db: AsyncSession, world: World) -> tuple[Region, Municipality, Participant]:
    """«Московская область»: the world's Серпухов and Пущино (one school, nobody in it);
    Новосибирск stays outside. Зайцева (a mentor of school C) watches the region."""
    found = Region(name="Московская область")
    db.add(found)
    await db.flush()
    pushchino = Municipality(
        name="Городской округ Пущино", timezone="Europe/Moscow", region_id=found.id
    )
    db.add(pushchino)
    await db.flush()
    db.add(School(municipality_id=pushchino.id, name="МБОУ «СОШ № 1»", timezone="Europe/Moscow"))
    world.municipality.region_id = found.id
    await arrange.municipality_other(db)
    zaitseva = await arrange.teacher(db, REGIONAL, "Зайцева Вера Андреевна", Role.MENTOR, world.c)
    db.add(
        RoleGrant(participant_id=zaitseva.id, role=Role.REGIONAL_COORDINATOR, region_id=found.id)
    )
    await db.commit()
    return found, pushchino, zaitseva
