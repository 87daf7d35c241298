"""A municipality for the matching and /pairs tests: two schools with curators, a
mentee without a mentor and four mentors who fit her more or less."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Participant, Role, School
from tests.arrange.pairs import pair
from tests.arrange.people import DISCIPLINE, mentee, mentor, staff
from tests.arrange.places import municipality_with_schools

CURATOR_A, CURATOR_B, COORDINATOR = 101, 102, 103
MENTEE, MENTEE_2, MENTEE_3 = 201, 202, 203
PETROV, SIDOROVA, ORLOV, ZAITSEV = 301, 302, 303, 304


@dataclass
class World:
    municipality: Municipality
    school_a: School  # МБОУ «Средняя школа № 12»
    school_b: School  # МБОУ «Гимназия № 3»
    curator_a: Participant
    curator_b: Participant
    mentee: Participant
    petrov: Participant  # same school, same subject, covers both deficits, 2 places
    sidorova: Participant  # same school, other subject, covers one deficit
    orlov: Participant  # other school, same subject, covers both
    zaitsev: Participant  # same school, subject, covers both, but no free place


async def world(db: AsyncSession) -> World:
    mun, schools = await municipality_with_schools(db)
    a, b = schools[0], schools[1]
    cur_a = await staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    cur_b = await staff(db, CURATOR_B, "Белова Нина Петровна", Role.CURATOR, school=b)
    ivanova = await mentee(db, MENTEE, "Иванова Мария Петровна", a, username="ivanova_m")
    petrov = await mentor(db, PETROV, "Петров Иван Сергеевич", a, years=15, capacity=2)
    sidorova = await mentor(
        db,
        SIDOROVA,
        "Сидорова Елена Павловна",
        a,
        subject="русский язык",
        years=20,
        competencies=(DISCIPLINE,),
        capacity=1,
    )
    orlov = await mentor(db, ORLOV, "Орлов Денис Викторович", b, years=10, capacity=1)
    zaitsev = await mentor(db, ZAITSEV, "Зайцев Олег Юрьевич", a, years=25, capacity=1)
    busy = await mentee(db, 299, "Кузнецов Павел Андреевич", a)
    await pair(db, zaitsev, [busy])
    return World(mun, a, b, cur_a, cur_b, ivanova, petrov, sidorova, orlov, zaitsev)
