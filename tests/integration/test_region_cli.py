"""`python -m bot region …` and `python -m bot export --region` end to end on an
embedded SQLite file: a region created, a municipality attached by part of its name, a
regional coordinator granted by Telegram id, the region's workbook written; wrong names
refused with a clear message and nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from openpyxl import load_workbook

from services.demo import DEMO_TELEGRAM_ID_BASE
from tests.arrange.cli import run_cli


async def test_a_region_from_the_command_line(tmp_path: Path) -> None:
    for args in (("migrate",), ("demo-data",)):
        rc, _, err = await run_cli(tmp_path, *args)
        assert rc == 0, err

    rc, out, err = await run_cli(tmp_path, "region", "create", "Московская  область")
    assert rc == 0, err
    assert out.strip() == "Регион создан: 1: Московская область"
    rc, _, err = await run_cli(tmp_path, "region", "create", "Московская область")
    assert (rc, err.strip()) == (1, "Регион «Московская область» уже есть.")

    rc, _, err = await run_cli(tmp_path, "region", "attach", "москов", "Нет такого")
    assert rc == 1 and "Муниципалитет «Нет такого» не найден" in err
    rc, out, err = await run_cli(tmp_path, "region", "attach", "москов", "серпух")
    assert rc == 0, err
    assert "К региону «Московская область» привязаны: Городской округ Серпухов" in out

    rc, _, err = await run_cli(tmp_path, "region", "grant", "1", "12345")
    assert rc == 1 and "Telegram id 12345 не найден" in err
    someone = str(DEMO_TELEGRAM_ID_BASE + 1)
    rc, out, err = await run_cli(tmp_path, "region", "grant", "1", someone)
    assert rc == 0, err
    assert "региональный координатор региона «Московская область»" in out
    rc, out, _ = await run_cli(tmp_path, "region", "list")
    assert out.strip() == "1: Московская область — Городской округ Серпухов"

    whole = tmp_path / "region.xlsx"
    rc, out, err = await run_cli(tmp_path, "export", "--region", "москов", str(whole))
    assert rc == 0, err
    book = load_workbook(whole, read_only=True)
    assert book.sheetnames[-2:] == ["Сводная по муниципалитетам", "Сводная по ОО"]
    rows = list(book["Сводная по муниципалитетам"].iter_rows(values_only=True))
    assert [r[0] for r in rows[2:]] == ["Городской округ Серпухов"]

    with sqlite3.connect(tmp_path / "x.db") as conn:
        grants = conn.execute(
            "SELECT g.region_id FROM role_grants g JOIN participants p"
            " ON p.id = g.participant_id"
            " WHERE g.role = 'regional_coordinator' AND p.telegram_id = ?",
            (int(someone),),
        ).fetchall()
    assert grants == [(1,)]
