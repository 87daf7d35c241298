"""The command line for surveys, headcounts and indicators on an embedded SQLite file
(the queries are portable: the same statements run on PostgreSQL in the other tests).
The commands run in-process through the CLI's own parser and dispatcher (a process per
command costs seconds of imports); one runs as a real `python -m bot` process."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot import cli_commands
from bot.cli import _parser
from bot.config import Settings
from bot.migrate import upgrade
from tests.arrange.import_files import xlsx
from tests.arrange.instruments import municipal_instrument

ROOT = Path(__file__).resolve().parents[2]
OWN = municipal_instrument(
    title="Анкета управления образования",
    source_note="Утверждена приказом управления образования",
)


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def test_surveys_headcounts_and_indicators_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/x.db"
    settings = Settings(_env_file=None, database_url=url, bot_token=SecretStr(""))

    def cli(*args: str) -> Done:
        capsys.readouterr()
        rc = asyncio.run(cli_commands.dispatch(_parser().parse_args(list(args)), settings))
        out, err = capsys.readouterr()
        return Done(rc, out, err)

    upgrade(url)
    assert cli("demo-data").returncode == 0

    done = cli("surveys", "instrument", "show")
    assert done.returncode == 0, done.stderr
    assert "Действует анкета по умолчанию (проект)" in done.stdout
    assert "Порог «удовлетворён»: 8 из 10" in done.stdout
    assert "M1" in done.stdout and "T8" in done.stdout

    done = cli(
        "surveys",
        "rounds",
        "set",
        "--municipality",
        "1",
        "--kind",
        "midterm",
        "--opens",
        "07.12.2026",
        "--closes",
        "18.12.2026",
        "--year",
        "2026/2027",
    )
    assert done.returncode == 0, done.stderr
    assert "Промежуточная анкета 2026/2027: 07.12.2026–18.12.2026; школ: 3" in done.stdout
    bad = cli(
        "surveys",
        "rounds",
        "set",
        "--school",
        "1",
        "--kind",
        "final",
        "--opens",
        "20.06.2027",
        "--closes",
        "01.06.2027",
        "--year",
        "2026/2027",
    )
    assert bad.returncode == 1 and "не может быть раньше" in bad.stderr
    assert "Traceback" not in bad.stderr

    done = cli(
        "headcount",
        "set",
        "--school",
        "1",
        "--teachers",
        "40",
        "--under35",
        "12",
        "--young",
        "5",
    )
    assert done.returncode == 0, done.stderr
    assert "педагогических работников 40, до 35 лет 12, молодых специалистов 5" in done.stdout
    bad = cli(
        "headcount", "set", "--school", "1", "--teachers", "4", "--under35", "12", "--young", "1"
    )
    assert bad.returncode == 1 and "До 35 лет не может быть больше" in bad.stderr
    done = cli("headcount", "show", "--municipality", "1")
    assert done.returncode == 0, done.stderr
    assert "40 / 12 / 5" in done.stdout and "не введена" in done.stdout
    with sqlite3.connect(tmp_path / "x.db") as conn:
        mun, school = conn.execute(
            "SELECT m.name, s.name FROM schools s JOIN municipalities m"
            " ON m.id = s.municipality_id WHERE s.id = 1"
        ).fetchone()
    numbers = tmp_path / "numbers.xlsx"
    numbers.write_bytes(
        xlsx(
            [
                [
                    "МО",
                    "ОО",
                    "Учебный год",
                    "Численность педагогов",
                    "до 35",
                    "молодых специалистов",
                ],
                [mun, school, "2026/2027", 44, 12, 5],
                [mun, "Школа, которой нет", "2026/2027", 10, 1, 1],
            ]
        )
    )
    dry = cli("headcount", "import", str(numbers), "--dry-run")
    assert dry.returncode == 1, dry.stderr
    assert "было: педагогов 40, до 35 лет 12, молодых специалистов 5; станет: педагогов 44" in (
        dry.stdout
    )
    assert "такой школы нет в этом муниципалитете" in dry.stdout and "<b>" not in dry.stdout
    blocked = cli("headcount", "import", str(numbers))
    assert blocked.returncode == 1 and "--skip-errors" in blocked.stderr
    done = cli("headcount", "import", str(numbers), "--skip-errors")
    assert done.returncode == 0, done.stderr
    assert "сохранено строк — 1, школ — 1" in done.stdout
    assert "44 / 12 / 5" in cli("headcount", "show", "--municipality", "1").stdout

    done = cli(
        "indicators",
        "target",
        "set",
        "--municipality",
        "1",
        "--indicator",
        "satisfaction_mentees",
        "--value",
        "70",
    )
    assert done.returncode == 0, done.stderr
    done = cli("indicators", "show", "--municipality", "1")
    assert done.returncode == 0, done.stderr
    assert "Показатели эффективности" in done.stdout and "<b>" not in done.stdout
    assert "Доля школ, реализующих муниципальный проект по наставничеству" in done.stdout
    assert "По школам" in done.stdout
    done = cli("indicators", "show", "--school", "1")
    assert done.returncode == 0, done.stderr
    assert "B = 5" in done.stdout  # the young specialists the school reported

    own = tmp_path / "own.toml"
    own.write_text(OWN, encoding="utf-8")
    done = cli("surveys", "instrument", "import", str(own), "--municipality", "1")
    assert done.returncode == 0, done.stderr
    assert "Анкета «Анкета управления образования», версия mun-1: загружена; вопросов: 2" in (
        done.stdout
    )
    done = cli("surveys", "instrument", "show", "--municipality", "1")
    assert "Действует анкета муниципалитета" in done.stdout and "7 из 10" in done.stdout
    own.write_text(OWN.replace("satisfied_from = 7", "satisfied_from = 70"), encoding="utf-8")
    bad = cli("surveys", "instrument", "import", str(own), "--municipality", "1")
    assert bad.returncode == 1 and "satisfied_from — целое от 1 до 10" in bad.stderr

    # The same through a real process, as an operator runs it.
    env = {**os.environ, "DATABASE_URL": url, "BOT_TOKEN": ""}
    real = subprocess.run(
        [sys.executable, "-m", "bot", "surveys", "rounds", "show", "--school", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert real.returncode == 0, real.stderr
    assert "Промежуточная анкета: 07.12.2026–18.12.2026" in real.stdout
