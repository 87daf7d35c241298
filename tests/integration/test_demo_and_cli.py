"""Demo data on PostgreSQL, and the command line end to end on an embedded SQLite file
(as a person would run it on a laptop). School imports: test_school_imports.py."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from models import (
    AgeGroup,
    Base,
    CatalogueKind,
    Consent,
    Municipality,
    Participant,
    ParticipantStatus,
    Role,
    RoleGrant,
    School,
)
from services import app_secrets, consent, demo
from services.clock import FixedClock
from tests.arrange import KEEP_TABLES, NOW
from tests.arrange.cli import run_cli


async def _count(db: AsyncSession, model: type[Base]) -> int:
    return await db.scalar(select(func.count()).select_from(model)) or 0


async def _people(db: AsyncSession, role: Role) -> list[Participant]:
    rows = await db.scalars(
        select(Participant)
        .join(RoleGrant, RoleGrant.participant_id == Participant.id)
        .where(RoleGrant.role == role)
        .order_by(Participant.id)
    )
    return list(rows.unique())


# --- demo data ------------------------------------------------------------------------


async def test_demo_data_fills_an_empty_database(db: AsyncSession) -> None:
    summary = await demo.load(db, clock=FixedClock(NOW))

    assert summary == (
        "Демо-данные: 1 муниципалитет, 3 школы, 1 координатор, 3 куратора, "
        "10 наставников, 20 наставляемых."
    )
    assert await _count(db, Municipality) == 1
    all_schools = list(await db.scalars(select(School)))
    assert len(all_schools) == 3
    assert len({s.timezone for s in all_schools}) == 3
    people = list(await db.scalars(select(Participant)))
    assert len(people) == 34
    assert {p.status for p in people} == {ParticipantStatus.ACTIVE}
    assert all(demo.is_demo(p.telegram_id) for p in people)
    assert len({p.telegram_id for p in people}) == 34
    assert len({p.full_name for p in people}) == 34
    assert all(p.registered_at == NOW for p in people)
    assert await _count(db, Consent) == 34

    grants = Counter(g.role for g in await db.scalars(select(RoleGrant)))
    assert grants == {Role.COORDINATOR: 1, Role.CURATOR: 3, Role.MENTOR: 10, Role.MENTEE: 20}
    (coordinator,) = await _people(db, Role.COORDINATOR)
    assert coordinator.roles[0].municipality_id is not None
    assert coordinator.roles[0].school_id is None
    curators = await _people(db, Role.CURATOR)
    assert sorted(c.roles[0].school_id or 0 for c in curators) == sorted(s.id for s in all_schools)

    mentors = await _people(db, Role.MENTOR)
    assert all(5 <= (m.experience_years or 0) <= 30 for m in mentors)
    assert all(m.mentor_profile is not None and m.mentor_profile.capacity >= 1 for m in mentors)
    assert all(len(m.marks(CatalogueKind.COMPETENCY)) >= 4 for m in mentors)
    assert all(m.marks(CatalogueKind.DEFICIT) == [] for m in mentors)
    assert all(m.roles[0].school_id == m.school_id for m in mentors)

    mentees = await _people(db, Role.MENTEE)
    assert all(0 <= (m.experience_years or 0) <= 3 for m in mentees)
    under_35 = sum(m.age_group == AgeGroup.UNDER_35 for m in mentees)
    assert under_35 > len(mentees) / 2
    assert all(m.mentee_profile and m.mentee_profile.request_text for m in mentees)
    assert all(len(m.marks(CatalogueKind.DEFICIT)) >= 2 for m in mentees)
    assert all(m.subject and m.position and m.category is not None for m in mentees)
    # Every school has both sides, so pairs can be formed in each.
    assert {m.school_id for m in mentees} == {s.id for s in all_schools}
    assert {m.school_id for m in mentors} == {s.id for s in all_schools}


async def test_demo_data_refuses_when_schools_exist(db: AsyncSession) -> None:
    await demo.load(db)
    again = await demo.load(db)
    assert "--force" in again
    assert await _count(db, Participant) == 34
    assert await _count(db, School) == 3


async def test_forced_demo_data_goes_next_to_real_schools_once(db: AsyncSession) -> None:
    db.add(Municipality(name="Город Новосибирск", timezone="Asia/Novosibirsk"))
    await db.flush()
    mun_id = await db.scalar(select(Municipality.id))
    db.add(School(municipality_id=mun_id, name="МАОУ «Школа № 7»", timezone="Asia/Novosibirsk"))
    await db.commit()

    assert "--force" in await demo.load(db)
    assert await _count(db, Participant) == 0
    assert (await demo.load(db, force=True)).startswith("Демо-данные: 1 муниципалитет")
    assert await _count(db, School) == 4
    assert "уже загружены" in await demo.load(db, force=True)
    assert await _count(db, Participant) == 34


async def test_demo_data_is_the_same_every_time(db: AsyncSession, engine: AsyncEngine) -> None:
    await demo.load(db)
    first = list(await db.scalars(select(Participant.full_name).order_by(Participant.id)))
    await db.rollback()  # end the read transaction, or TRUNCATE waits for its locks
    db.expunge_all()
    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    app_secrets.forget_read()
    consent.forget_stored_texts()
    await demo.load(db)
    second = list(await db.scalars(select(Participant.full_name).order_by(Participant.id)))
    assert first == second


# --- the command line on SQLite -------------------------------------------------------


async def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    return await run_cli(tmp_path, *args)


async def test_command_line_from_an_empty_file_to_an_invite_and_demo_data(
    tmp_path: Path,
) -> None:
    rc, out, err = await _cli(tmp_path, "migrate")
    assert (rc, out.strip()) == (0, "Миграции применены."), err

    csv_path = tmp_path / "schools.csv"
    csv_path.write_text(
        "муниципалитет,школа,часовой пояс\n"
        "Городской округ Серпухов,МБОУ «СОШ № 1»,Europe/Moscow\n"
        "Город Новосибирск,МАОУ «Лицей № 9»,Asia/Novosibirsk\n",
        encoding="utf-8",
    )
    rc, out, err = await _cli(tmp_path, "schools", "import", str(csv_path))
    assert rc == 0, err
    assert out.strip().endswith("✅ Добавлены 2 школы (новых муниципалитетов: 2)."), out
    rc, out, err = await _cli(tmp_path, "schools", "import", str(csv_path))
    assert rc == 0, err
    assert "Уже есть в боте: 2" in out
    assert out.strip().endswith("Добавлять нечего."), out
    rc, _, err = await _cli(tmp_path, "schools", "import", str(tmp_path / "missing.csv"))
    assert rc == 1
    assert "missing.csv" in err

    rc, out, err = await _cli(tmp_path, "invite", "--school", "1", "--role", "mentee")
    assert rc == 0, err
    link = out.strip()
    assert "?start=" in link
    code = link.rsplit("?start=", 1)[1]
    with sqlite3.connect(tmp_path / "x.db") as conn:
        stored = conn.execute("SELECT role, school_id, uses FROM invites WHERE code = ?", (code,))
        assert stored.fetchall() == [("mentee", 1, 0)]
    rc, _, err = await _cli(tmp_path, "invite", "--school", "Гимназия", "--role", "mentee")
    assert rc == 1
    assert "не найдена" in err

    rc, out, err = await _cli(tmp_path, "demo-data")
    assert rc == 0, err
    assert "--force" in out
    rc, out, err = await _cli(tmp_path, "demo-data", "--force")
    assert rc == 0, err
    assert out.strip() == (
        "Демо-данные: 1 муниципалитет, 3 школы, 1 координатор, 3 куратора, "
        "10 наставников, 20 наставляемых."
    )
    with sqlite3.connect(tmp_path / "x.db") as conn:
        (people,) = conn.execute("SELECT count(*) FROM participants").fetchone()
        (zones,) = conn.execute("SELECT count(DISTINCT timezone) FROM schools").fetchone()
    assert people == 34
    assert zones == 3
