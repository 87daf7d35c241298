"""Club events arranged directly (a published event with places, answers), and the
people of a club test: a coordinator, young specialists in two schools, a mentor and a
young specialist of another municipality."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    ClubAudience,
    ClubEvent,
    ClubEventKind,
    ClubEventStatus,
    ClubRsvp,
    Municipality,
    Participant,
    Role,
    RsvpStatus,
    School,
)
from tests.arrange.constants import NOW
from tests.arrange.people import mentee, mentor, staff
from tests.arrange.places import municipality_other, municipality_with_schools

COORDINATOR, CURATOR_A, CURATOR_B, OTHER_COORDINATOR = 701, 702, 703, 704
YOUNG_A, YOUNG_A2, YOUNG_B, MENTOR_A, YOUNG_OTHER, YOUNG_C = 711, 712, 713, 714, 715, 716
# 26.11.2026 15:00 in Moscow: three days after the tests' now.
STARTS = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)


@dataclass
class Club:
    municipality: Municipality
    other: Municipality
    school_a: School
    school_b: School
    school_c: School
    coordinator: Participant
    curator_a: Participant
    curator_b: Participant
    young_a: Participant
    young_a2: Participant
    young_b: Participant
    young_c: Participant
    mentor_a: Participant
    young_other: Participant


async def club_world(db: AsyncSession) -> Club:
    mun, (a, b, c) = await municipality_with_schools(db)
    other = await municipality_other(db)
    school_other = await db.scalar(select(School).where(School.municipality_id == other.id))
    assert school_other is not None
    coord = await staff(
        db, COORDINATOR, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun
    )
    cur_a = await staff(db, CURATOR_A, "Козлова Анна Викторовна", Role.CURATOR, school=a)
    cur_b = await staff(db, CURATOR_B, "Белова Нина Петровна", Role.CURATOR, school=b)
    await staff(db, OTHER_COORDINATOR, "Орлова Вера Ивановна", Role.COORDINATOR, municipality=other)
    young_a = await mentee(db, YOUNG_A, "Иванова Мария Петровна", a)
    young_a2 = await mentee(db, YOUNG_A2, "Смирнова Дарья Олеговна", a)
    young_b = await mentee(db, YOUNG_B, "Кузнецова Анна Сергеевна", b)
    young_c = await mentee(db, YOUNG_C, "Попова Елена Игоревна", c)
    mentor_a = await mentor(db, MENTOR_A, "Петров Иван Сергеевич", a, years=15)
    young_other = await mentee(db, YOUNG_OTHER, "Лебедева Ольга Андреевна", school_other)
    return Club(
        mun,
        other,
        a,
        b,
        c,
        coord,
        cur_a,
        cur_b,
        young_a,
        young_a2,
        young_b,
        young_c,
        mentor_a,
        young_other,
    )


async def club_event(
    db: AsyncSession,
    municipality: Municipality,
    *,
    school: School | None = None,
    title: str = "Мастер-класс «Первый урок»",
    starts_at: dt.datetime = STARTS,
    audience: ClubAudience = ClubAudience.YOUNG,
    capacity: int | None = None,
    status: ClubEventStatus = ClubEventStatus.PUBLISHED,
    created_by: Participant | None = None,
) -> ClubEvent:
    event = ClubEvent(
        municipality_id=municipality.id,
        school_id=school.id if school else None,
        title=title,
        kind=ClubEventKind.MASTER_CLASS,
        starts_at=starts_at,
        place="МБОУ «Гимназия № 3», каб. 12",
        audience=audience,
        capacity=capacity,
        status=status,
        created_by_id=created_by.id if created_by else None,
        created_at=NOW,
        published_at=NOW if status == ClubEventStatus.PUBLISHED else None,
    )
    db.add(event)
    await db.commit()
    return event


async def rsvp(
    db: AsyncSession, event: ClubEvent, person: Participant, status: RsvpStatus = RsvpStatus.GOING
) -> None:
    db.add(
        ClubRsvp(
            event_id=event.id,
            participant_id=person.id,
            status=status,
            queued_at=NOW,
            updated_at=NOW,
        )
    )
    await db.commit()
