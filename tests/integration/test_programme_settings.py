"""Programme rhythm and thresholds, the municipality-wide programme, holidays — and
that the reminders follow them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Programme
from services import holidays, programme_settings, programmes
from services.errors import DomainError
from services.programme_settings import Changes
from tests import arrange

TODAY = dt.date(2026, 11, 23)
ROOT = Path(__file__).resolve().parents[2]


async def test_school_programme_changes_and_send_rules_follow(db: AsyncSession) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    quiet = programme_settings.parse_quiet("22:00-07:30")
    p = await programme_settings.set_for_school(
        db,
        schools[0].id,
        Changes(
            meeting_interval_days=7,
            silent_after_days=10,
            quiet_from=quiet[0],
            quiet_to=quiet[1],
            rest_days="7",
        ),
        TODAY,
    )
    assert (p.meeting_interval_days, p.silent_after_days, p.rest_days) == (7, 10, "7")
    await holidays.add(
        db, mun.id, "Зимние каникулы", dt.date(2026, 12, 29), dt.date(2027, 1, 11), arrange.NOW
    )
    rules = await programmes.send_rules(db, schools[0].id, TODAY)
    assert rules.quiet_from == dt.time(22, 0) and rules.quiet_to == dt.time(7, 30)
    assert rules.rest_days == frozenset({7})
    assert rules.is_day_off(dt.date(2027, 1, 5)) and not rules.is_day_off(dt.date(2026, 11, 28))


async def test_municipality_programme_replaces_schools_own(db: AsyncSession) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await programmes.for_school(db, schools[1].id, TODAY)  # a default row, as the bot makes
    await db.commit()
    shared, replaced = await programme_settings.set_for_municipality(
        db, mun.id, Changes(feedback_deadline_hours=72), TODAY
    )
    assert replaced == 1 and shared.school_id is None
    for school in schools:
        assert (await programmes.for_school(db, school.id, TODAY)).feedback_deadline_hours == 72
    # A school may still take its own copy and differ.
    own = await programme_settings.set_for_school(
        db, schools[2].id, Changes(stage_stuck_days=45), TODAY
    )
    assert own.school_id == schools[2].id and own.feedback_deadline_hours == 72
    assert len((await db.scalars(select(Programme))).all()) == 2


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        (Changes(rest_days="8"), "programme.bad_rest_days"),
        (Changes(meeting_interval_days=0), "programme.bad_number"),
        (Changes(starts_on=dt.date(2027, 7, 1)), "programme.bad_dates"),
    ],
)
async def test_bad_values_are_refused(db: AsyncSession, changes: Changes, code: str) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    with pytest.raises(DomainError) as err:
        await programme_settings.set_for_school(db, schools[0].id, changes, TODAY)
    assert err.value.code == code


def test_cli_programme_and_holidays_on_sqlite(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db", "BOT_TOKEN": ""}
    csv = tmp_path / "schools.csv"
    csv.write_text(
        "Муниципалитет;Школа;Часовой пояс\nГО Серпухов;Школа № 1;Europe/Moscow\n", encoding="utf-8"
    )

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    assert cli("migrate").returncode == 0
    assert cli("schools", "import", str(csv)).returncode == 0
    done = cli("programme", "set", "--school", "1", "--interval", "7", "--quiet", "22:00-07:00")
    assert done.returncode == 0, done.stderr
    assert "встречи каждые 7 дн." in done.stdout and "тихие часы 22:00–07:00" in done.stdout
    bad = cli("programme", "set", "--school", "1", "--quiet", "поздно")
    assert bad.returncode == 1 and "ЧЧ:ММ-ЧЧ:ММ" in bad.stderr and "Traceback" not in bad.stderr
    hol = cli(
        "holidays",
        "add",
        "--municipality",
        "1",
        "--from",
        "29.12.2026",
        "--to",
        "11.01.2027",
        "--title",
        "Зимние каникулы",
    )
    assert hol.returncode == 0 and "29.12.2026–11.01.2027" in hol.stdout
