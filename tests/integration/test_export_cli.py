"""`python -m bot export` end to end on an embedded SQLite file (the laptop case): a
school or a municipality by id or part of the name, a file that opens, an unknown or
ambiguous name refused with the candidates, the export in the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from tests.arrange.cli import run_cli


async def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    return await run_cli(tmp_path, *args)


async def test_export_a_school_and_the_municipality_from_the_command_line(
    tmp_path: Path,
) -> None:
    rc, _, err = await _cli(tmp_path, "migrate")
    assert rc == 0, err
    rc, _, err = await _cli(tmp_path, "demo-data")
    assert rc == 0, err

    school_file = tmp_path / "school.xlsx"
    rc, out, err = await _cli(tmp_path, "export", "--school", "гимназия", str(school_file))
    assert rc == 0, err
    assert out.startswith("МАОУ «Гимназия № 3», ")
    assert "База наставляемых: " in out
    book = load_workbook(school_file, read_only=True)
    assert "Сводная по ОО" not in book.sheetnames
    rows = list(book["База наставляемых"].iter_rows(values_only=True))
    assert rows[1][:2] == ("ФИО", "ОО")
    assert len(rows) > 2
    assert {r[1] for r in rows[2:]} == {"МАОУ «Гимназия № 3»"}

    whole = tmp_path / "municipality.xlsx"
    rc, out, err = await _cli(tmp_path, "export", "--municipality", "1", str(whole))
    assert rc == 0, err
    book = load_workbook(whole, read_only=True)
    assert book.sheetnames[-1] == "Сводная по ОО"
    summary = list(book["Сводная по ОО"].iter_rows(values_only=True))
    assert len(summary) == 2 + 3  # the title, the header, three schools

    rc, _, err = await _cli(tmp_path, "export", "--school", "МБОУ", str(tmp_path / "x.xlsx"))
    assert rc == 1
    assert "Подходит несколько, укажите id" in err and "Лицей" in err
    rc, _, err = await _cli(tmp_path, "export", "--school", "50%", str(tmp_path / "x.xlsx"))
    assert (rc, err.strip()) == (1, "Не найдено: «50%».")
    assert not (tmp_path / "x.xlsx").exists()

    with sqlite3.connect(tmp_path / "x.db") as conn:
        audit = conn.execute(
            "SELECT action, actor_id, object_type FROM audit_events WHERE action LIKE 'export%'"
        ).fetchall()
    assert audit == [("export.xlsx", None, "school"), ("export.xlsx", None, "municipality")]
