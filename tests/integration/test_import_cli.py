"""The import from the command line on an embedded SQLite file, as an administrator
runs it on the server: the example file, --dry-run, errors that block, --skip-errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.arrange.cli import run_cli
from tests.arrange.import_files import registry_xlsx, xlsx


async def _cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    return await run_cli(tmp_path, *args, cwd=tmp_path)


def _schools(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "x.db") as conn:
        return [r[0] for r in conn.execute("SELECT name FROM schools ORDER BY id")]


async def test_template_dry_run_and_errors_from_the_command_line(tmp_path: Path) -> None:
    rc, _, err = await _cli(tmp_path, "migrate")
    assert rc == 0, err

    rc, out, err = await _cli(tmp_path, "template", "schools")
    assert rc == 0, err
    example = tmp_path / "schools-template.xlsx"
    assert example.is_file() and "schools-template.xlsx" in out

    registry = tmp_path / "Реестр ОО.xlsx"
    registry.write_bytes(registry_xlsx())
    rc, out, err = await _cli(tmp_path, "schools", "import", str(registry), "--dry-run")
    assert rc == 0, err
    assert "Будет добавлено школ: 6" in out
    assert "Не используются: «№ п/п», «ИНН», «Адрес», «Телефон»." in out
    assert "строка 10 повторяет строку 6" in out
    assert "ничего не записано" in out
    assert "<b>" not in out and "&laquo;" not in out
    assert _schools(tmp_path) == []

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx([["МО", "Школа", "Время"], ["ГО Х", "СОШ № 1", "МСК"], ["ГО Х", "СОШ № 2", "+5"]])
    )
    rc, out, err = await _cli(tmp_path, "schools", "import", str(bad))
    assert rc == 1
    assert "строка 3, «Время»: «+5» — непонятно, от чего смещение" in out
    assert "ничего не записано" in err and "--skip-errors" in err
    assert _schools(tmp_path) == []
    rc, out, err = await _cli(tmp_path, "schools", "import", str(bad), "--skip-errors")
    assert rc == 0, err
    assert _schools(tmp_path) == ["СОШ № 1"]

    rc, out, err = await _cli(tmp_path, "schools", "import", str(example))
    assert rc == 0, err
    assert "Добавлены 4 школы" in out
