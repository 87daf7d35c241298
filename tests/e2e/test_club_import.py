"""The club's year plan from a file: sent to the bot after /club_import (bad rows
reported line by line, nothing half-imported; a fixed file previewed, then added as
drafts on the button) and through `python -m bot club import FILE [--dry-run]`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli
from models import ClubAudience, ClubEvent, ClubEventKind, ClubEventStatus
from tests.arrange import club as arrange_club
from tests.arrange.import_files import csv_bytes, xlsx
from tests.fakes.client import PersonFactory

HEADER = ["№", "Наименование мероприятия", "Форма проведения", "Дата проведения", "Время",
          "Место проведения", "Целевая аудитория"]  # fmt: skip
GOOD = [
    [1, "Установочное заседание клуба", "заседание", "17.12.2026", "15:00", "УМЦ, ауд. 12",
     "молодые специалисты"],
    [2, "Мастер-класс «Первый урок»", "мастер-класс", "15.01.2027", "14.30",
     "МБОУ «Гимназия № 3»", "все"],
    [3, "Форум молодых специалистов", "", "22.04.2027", "", "", "наставники"],
]  # fmt: skip


async def _count(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(ClubEvent)) or 0)


async def test_a_plan_with_bad_rows_is_reported_line_by_line_and_nothing_is_imported(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    reply = await olga.send("/club_import")
    assert any(m.filename for m in reply.messages)  # the example file
    bad = [
        *GOOD,
        [4, "Круглый стол", "круглый стол", "в течение месяца", "", "", "все"],
        [5, "Конкурс «Дебют»", "конкурс", "01.02.2027", "", "", "родители"],
        [6, "Семинар прошлого года", "семинар", "01.09.2026", "", "", "все"],
    ]
    reply = await olga.send_document("план.xlsx", xlsx([HEADER, *bad]))
    text = reply.text
    assert "Ошибки в 3 строках — ничего не загружено" in text
    assert "строка 5" in text.lower() or "Строка 5" in text
    assert "в течение месяца" in text and "родители" in text and "эта дата уже прошла" in text
    assert not any("Загрузить" in b for b in olga.buttons())
    assert await _count(db) == 0

    # Fixed: previewed, then added as drafts on the button; a second press adds nothing.
    await olga.send("/club_import")
    reply = await olga.send_document("план.xlsx", xlsx([HEADER, *GOOD]))
    assert "Будет добавлено 3 мероприятия" in reply.text
    assert "строка 2: 17.12.2026 15:00 — Установочное заседание клуба" in reply.text
    assert "Где время не указано, поставлено 15:00" in reply.text
    button = olga.find_button("Загрузить 3 мероприятия")
    reply = await olga.press(*button)
    assert "Добавлено 3 мероприятия" in reply.text
    reply = await olga.press(*button)
    assert reply.alert
    events = list(await db.scalars(select(ClubEvent).order_by(ClubEvent.starts_at)))
    assert [(e.kind, e.audience, e.status) for e in events] == [
        (ClubEventKind.MEETING, ClubAudience.YOUNG, ClubEventStatus.DRAFT),
        (ClubEventKind.MASTER_CLASS, ClubAudience.ALL, ClubEventStatus.DRAFT),
        (ClubEventKind.FORUM, ClubAudience.MENTORS, ClubEventStatus.DRAFT),
    ]
    assert events[0].starts_at == dt.datetime(2026, 12, 17, 12, 0, tzinfo=dt.UTC)  # 15:00 MSK

    # The same file again: everything is already in the plan.
    await olga.send("/club_import")
    reply = await olga.send_document("план.csv", csv_bytes([HEADER, *GOOD]))
    assert "Уже в плане (то же название и день), пропущено: 3" in reply.text
    assert await _count(db) == 3


async def test_a_mentee_cannot_import_a_plan(db: AsyncSession, person: PersonFactory) -> None:
    await arrange_club.club_world(db)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    reply = await maria.send("/club_import")
    assert "Это могут только организаторы клуба" in reply.text


async def test_the_plan_from_the_command_line(
    db: AsyncSession,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
) -> None:
    await arrange_club.club_world(db)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_TOKEN", "")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([HEADER, *GOOD]))
    code = await _cli(["club", "import", str(path), "--municipality", "Серпухов", "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0 and "Будет добавлено 3 мероприятия" in out and "<b>" not in out
    assert await _count(db) == 0
    code = await _cli(["club", "import", str(path), "--municipality", "Серпухов"])
    assert code == 0 and "Добавлено 3 мероприятия" in capsys.readouterr().out
    assert await _count(db) == 3


async def _cli(argv: list[str]) -> int:
    import asyncio

    return await asyncio.to_thread(cli.main, argv)
