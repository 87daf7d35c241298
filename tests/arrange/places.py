"""Municipalities and schools."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, School


async def municipality_with_schools(db: AsyncSession) -> tuple[Municipality, list[School]]:
    mun = Municipality(name="Городской округ Серпухов", timezone="Europe/Moscow")
    db.add(mun)
    await db.flush()
    schools = [
        School(municipality_id=mun.id, name="МБОУ «Средняя школа № 12»", timezone="Europe/Moscow"),
        School(municipality_id=mun.id, name="МБОУ «Гимназия № 3»", timezone="Europe/Moscow"),
        School(municipality_id=mun.id, name="МБОУ «Лицей»", timezone="Europe/Moscow"),
    ]
    db.add_all(schools)
    await db.commit()
    return mun, schools


async def municipality_other(db: AsyncSession) -> Municipality:
    """A second municipality with one school in another time zone."""
    mun = Municipality(name="Город Новосибирск", timezone="Asia/Novosibirsk")
    db.add(mun)
    await db.flush()
    db.add(School(municipality_id=mun.id, name="МАОУ «Школа № 7»", timezone="Asia/Novosibirsk"))
    await db.commit()
    return mun


async def school_in_zone(db: AsyncSession, zone: str, name: str) -> School:
    """A municipality of its own with one school in the given IANA zone."""
    mun = Municipality(name=f"Муниципалитет {name}", timezone=zone)
    db.add(mun)
    await db.flush()
    school = School(municipality_id=mun.id, name=name, timezone=zone)
    db.add(school)
    await db.commit()
    return school
