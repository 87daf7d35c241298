"""The schools import against the database: preview then apply in one transaction,
matching what exists however it is spelled, never creating a school twice (also when
two imports race), the coordinator's reach, and errors that block or are left out."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import Municipality, Role, School
from services.access import Actor
from services.errors import AccessDenied, DomainError
from services.imports import schools
from tests import arrange
from tests.arrange import NOW
from tests.arrange.import_files import REGISTRY_SCHOOLS, excel_csv, registry_xlsx, xlsx

CLI = None  # the server's command line acts as an admin


async def _import(
    db: AsyncSession,
    data: bytes,
    name: str = "schools.xlsx",
    *,
    actor: Actor | None = CLI,
    only_valid: bool = False,
) -> schools.ImportResult:
    _, result = await schools.apply(
        db, data, name, actor=actor, default_timezone="Europe/Moscow", only_valid=only_valid,
        at=NOW,
    )  # fmt: skip
    return result


async def _rows(db: AsyncSession) -> list[tuple[str, str, str | None, str]]:
    db.expire_all()
    rows = await db.execute(
        select(Municipality.name, School.name, School.full_name, School.timezone)
        .join(School.municipality)
        .order_by(School.id)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_registry_file_imports_all_its_schools_once(db: AsyncSession) -> None:
    plan = await schools.preview(
        db, registry_xlsx(), "реестр.xlsx", actor=CLI, default_timezone="Europe/Moscow"
    )
    assert len(plan.added) == 6 and plan.errors == [] and len(plan.repeats) == 1
    assert plan.new_municipalities == ["Городской округ Серпухов", "Дульдургинский район"]
    assert await db.scalar(select(func.count()).select_from(School)) == 0  # nothing written

    result = await _import(db, registry_xlsx())
    assert (result.schools, result.municipalities) == (6, 2)
    assert await _rows(db) == [(m, s, f, "Europe/Moscow") for m, s, f in REGISTRY_SCHOOLS]

    again = await schools.preview(
        db, registry_xlsx(), "реестр.xlsx", actor=CLI, default_timezone="Europe/Moscow"
    )
    assert again.added == [] and len(again.existing) == 6
    assert (await _import(db, registry_xlsx())).schools == 0
    assert await db.scalar(select(func.count()).select_from(School)) == 6


async def test_existing_schools_match_however_they_are_spelled(db: AsyncSession) -> None:
    mun = Municipality(name="ГОРОДСКОЙ ОКРУГ  СЕРПУХОВ", timezone="Europe/Moscow")
    db.add(mun)
    await db.flush()
    db.add(School(municipality_id=mun.id, name='мбоу "сош №1"', timezone="Europe/Moscow"))
    # Known by its full name only: the registry's short name is new, the full one is not.
    db.add(
        School(
            municipality_id=mun.id,
            name="Лицей № 2",
            full_name=REGISTRY_SCHOOLS[2][2],
            timezone="Europe/Samara",
        )
    )
    await db.commit()

    plan = await schools.preview(
        db, registry_xlsx(), "r.xlsx", actor=CLI, default_timezone="Asia/Chita"
    )
    assert [(s.row, s.name) for s in plan.existing] == [
        (6, "мбоу «сош № 1»"),
        (8, "МАОУ «Лицей № 2»"),
    ] or [s.row for s in plan.existing] == [6, 8]
    assert plan.new_municipalities == ["Дульдургинский район"]
    await _import(db, registry_xlsx(), actor=CLI)
    assert await db.scalar(select(func.count()).select_from(Municipality)) == 2
    rows = await _rows(db)
    assert len(rows) == 6
    # New schools of an existing municipality take its zone; of a new one, the default.
    zones = {name: zone for _, name, _, zone in rows}
    assert zones["МБОУ «СОШ № 12»"] == "Europe/Moscow"
    assert zones["МБОУ «Алханайская ООШ»"] == "Europe/Moscow"


async def test_a_windows_1251_csv_with_zones_as_people_write_them(db: AsyncSession) -> None:
    await _import(db, excel_csv(), "schools.csv")
    zones = {(m, s): z for m, s, _, z in await _rows(db)}
    assert zones == {
        ("Городской округ Серпухов", "МБОУ «СОШ № 1»"): "Europe/Moscow",
        ("Город Норильск", "МАОУ «СШ № 7»"): "Asia/Krasnoyarsk",
        ("Город Норильск", "МАОУ «Гимназия № 4»"): "Asia/Krasnoyarsk",
        ("Город Екатеринбург", "МАОУ «Гимназия № 9»"): "Asia/Yekaterinburg",
        ("Город Екатеринбург", "МАОУ «СОШ № 10»"): "Asia/Yekaterinburg",
    }
    mun = await db.scalar(select(Municipality).where(Municipality.name == "Город Норильск"))
    assert mun is not None and mun.timezone == "Asia/Krasnoyarsk"


BAD = xlsx(
    [
        ["Муниципалитет", "Школа", "Часовой пояс"],
        ["ГО Серпухов", "СОШ № 1", "МСК"],
        ["ГО Серпухов", "СОШ № 2", "Марс"],
        ["ГО Серпухов", "СОШ № 3", ""],
    ]
)


async def test_a_file_with_errors_writes_nothing_unless_told_to_leave_them_out(
    db: AsyncSession,
) -> None:
    with pytest.raises(DomainError) as err:
        await _import(db, BAD)
    assert err.value.code == "imports.has_errors"
    assert await db.scalar(select(func.count()).select_from(School)) == 0
    result = await _import(db, BAD, only_valid=True)
    assert result.schools == 2
    assert [s for _, s, _, _ in await _rows(db)] == ["СОШ № 1", "СОШ № 3"]


async def test_a_coordinator_imports_into_their_own_municipality_only(db: AsyncSession) -> None:
    mun, _ = await arrange.municipality_with_schools(db)
    coordinator = await arrange.staff(db, 801, "Коорд К. К.", Role.COORDINATOR, municipality=mun)
    actor = Actor(
        telegram_id=801,
        participant_id=coordinator.id,
        roles=frozenset({Role.COORDINATOR}),
        coordinator_municipality_ids=frozenset({mun.id}),
    )
    data = xlsx(
        [
            ["Муниципальное образование", "Школа"],
            ["городской округ серпухов", "МБОУ «СОШ № 40»"],
            ["Город Новосибирск", "МАОУ «Лицей № 9»"],
            [None, "МБОУ «СОШ № 41»"],  # no municipality: the coordinator's own
            ["Городской округ Серпухов", 'МБОУ "Гимназия № 3"'],  # exists
        ]
    )
    plan = await schools.preview(db, data, "x.xlsx", actor=actor, default_timezone="Asia/Omsk")
    assert [s.name for s in plan.added] == ["МБОУ «СОШ № 40»", "МБОУ «СОШ № 41»"]
    assert [(s.row, s.reason, s.text) for s in plan.skipped] == [(3, "scope", "Город Новосибирск")]
    assert [s.row for s in plan.existing] == [5]
    assert plan.new_municipalities == []
    result = await _import(db, data, actor=actor)
    assert (result.schools, result.municipalities) == (2, 0)
    assert await db.scalar(select(func.count()).select_from(Municipality)) == 1


async def test_curators_and_mentees_may_not_import(db: AsyncSession) -> None:
    _, (school, *_) = await arrange.municipality_with_schools(db)
    for role in (Role.CURATOR, Role.MENTEE):
        actor = Actor(
            telegram_id=1,
            participant_id=1,
            roles=frozenset({role}),
            school_id=school.id,
            curator_school_ids=frozenset({school.id}) if role == Role.CURATOR else frozenset(),
        )
        with pytest.raises(AccessDenied):
            await schools.preview(
                db, excel_csv(), "s.csv", actor=actor, default_timezone="Europe/Moscow"
            )


async def test_the_database_refuses_a_second_school_of_the_same_name(db: AsyncSession) -> None:
    mun, _ = await arrange.municipality_with_schools(db)
    db.add(School(municipality_id=mun.id, name="мбоу «средняя школа №12»", timezone="UTC"))
    with pytest.raises(IntegrityError):
        await db.commit()
    await db.rollback()


async def test_two_imports_at_once_never_create_a_school_twice(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async def one() -> object:
        async with sessionmaker() as session:
            try:
                return await _import(session, registry_xlsx())
            except DomainError as err:
                return err.code

    outcomes = await asyncio.gather(one(), one(), one())
    assert all(isinstance(o, schools.ImportResult) or o == "imports.conflict" for o in outcomes)
    assert await db.scalar(select(func.count()).select_from(School)) == 6
    assert await db.scalar(select(func.count()).select_from(Municipality)) == 2


async def test_a_new_municipality_takes_the_files_best_spelling(db: AsyncSession) -> None:
    data = xlsx(
        [
            ["МО", "Школа"],
            ["ГОРОДСКОЙ ОКРУГ ЭНСК", "СОШ № 1"],
            ["городской  округ энск", "СОШ № 2"],
            ["Городской округ Энск", "СОШ № 3"],
        ]
    )
    await _import(db, data)
    assert [m for m, *_ in await _rows(db)] == ["Городской округ Энск"] * 3
