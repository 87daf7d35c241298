"""/export through the fake Bot API, the file opened with openpyxl: a curator gets their
school (the seeds' sheets and columns, real dates and numbers, bold frozen headers with
a filter, no other school's row, texts only where the author opened them, a withdrawn
person anonymised); a coordinator gets the municipality with «Сводная по ОО» and no
feedback texts; a mentee is refused; every export is in the audit log."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEvent
from tests.arrange import digest as w
from tests.fakes.bot_api import BotMessage
from tests.fakes.client import PersonFactory

SCHOOL_SHEETS = [
    "Показатели эффективности",
    "База наставляемых",
    "База наставников",
    "Пары и группы",
    "Персонализированные программы",
    "Встречи",
    "Обратная связь",
    "Анкетирование",
    "Мероприятия",
    "Конкурсы и достижения",
    "Учёт работы наставников",
]


def _book(message: BotMessage) -> Workbook:
    assert message.kind == "document"
    assert message.content is not None
    return load_workbook(io.BytesIO(message.content))


def _table(ws: Worksheet) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[1]]
    return [dict(zip(header, r, strict=True)) for r in rows[2:]]


def _all_text(book: Workbook) -> str:
    return "\n".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


async def test_curator_exports_their_school(db: AsyncSession, person: PersonFactory) -> None:
    world = await w.world(db)
    curator = person("Анна", user_id=w.CURATOR_A)

    reply = await curator.send("/export")

    doc = reply.last
    assert doc.filename == "Наставничество_МБОУ_Средняя_школа_№_12_2026-11-23.xlsx"
    assert "Выгрузка в Excel: МБОУ «Средняя школа № 12», 2026/2027" in doc.text
    book = _book(doc)
    assert book.sheetnames == SCHOOL_SHEETS
    text = _all_text(book)
    for foreign in ("Гимназия", "Орлов", "Белкина", w.SCHOOL_B_TEXT):
        assert foreign not in text
    # The withdrawn mentee: counted, never named, nothing they typed.
    assert w.ERASED_NAME not in text and "Кузнецов" not in text
    assert "Мне неудобно по вторникам" not in text

    for ws in book.worksheets:
        title = ws["A1"]
        assert title.font.b
        assert "МБОУ «Средняя школа № 12» · 2026/2027 учебный год · выгружено 23.11.2026 12:00" in (
            title.value
        )
        assert all(c.font.b for c in ws[2] if c.value is not None)
        assert ws.freeze_panes == "A3"
        assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A2:")
        assert ws.column_dimensions["A"].width >= 7

    mentees = {r["ФИО"]: r for r in _table(book["База наставляемых"])}
    assert set(mentees) == {
        "Иванова Мария Петровна",
        "Смирнова Анна Олеговна",
        "выбывший участник",
    }
    ivanova = mentees["Иванова Мария Петровна"]
    assert ivanova["ОО"] == "МБОУ «Средняя школа № 12»"
    assert ivanova["Должность, предмет"] == "учитель, математика"
    assert ivanova["Стаж, лет"] == 1
    assert ivanova["Молодой специалист (0–3)"] == "да"
    assert ivanova["Перечень запросов («Мои дефициты»)"] == (
        "Дисциплина на уроке; Работа с родителями"
    )
    assert ivanova["Наставник"] == "Петров Иван Сергеевич"
    assert ivanova["Приказ №"] == "45-од"
    assert ivanova["Приказ, дата"] == dt.datetime(2026, 10, 1)
    assert ivanova["Согласие на обработку ПД"] == dt.datetime(2026, 11, 23)
    assert ivanova["Персонализированная программа: целей"] == 1
    assert ivanova["Персонализированная программа: выполнено"] == 0
    assert ivanova["Удовлетворённость: средняя оценка встреч (1–5)"] == 5
    assert ivanova["Итог"] == "в программе"
    assert mentees["Смирнова Анна Олеговна"]["Итог"] == "без наставника"
    gone = mentees["выбывший участник"]
    assert gone["Итог"] == "выбыл (согласие отозвано, данные удалены)"
    assert gone["Стаж, лет"] is None and gone["Наставник"] is None

    meetings = _table(book["Встречи"])
    assert len(meetings) == 5  # four of the working pair, one of the ended pair
    regular = next(m for m in meetings if m["Вид встречи"] == "регулярная встреча")
    assert regular["Дата и время"] == dt.datetime(2026, 11, 17, 12, 0)  # Moscow time
    assert regular["Пара"] == "Петров Иван Сергеевич — Иванова Мария Петровна"
    assert regular["Оценка наставника"] == 4
    assert regular["Оценка наставляемых"] == 5
    assert regular["Длительность, мин"] == 45
    assert book["Встречи"]["D3"].number_format == "DD.MM.YYYY HH:MM"

    feedback = _table(book["Обратная связь"])
    shared = next(f for f in feedback if f["Автор"] == "Иванова Мария Петровна")
    assert shared["Что было полезно"] == w.SHARED_TEXT
    private = next(f for f in feedback if f["Автор"] == "Петров Иван Сергеевич")
    assert private["Оценка (1–5)"] == 4
    assert w.PRIVATE_TEXT not in text
    assert "только куратору" in private["Что было полезно"]
    assert any(f["Автор"] == "выбывший участник" for f in feedback)

    pairs = _table(book["Пары и группы"])
    assert {p["Итог"] for p in pairs} == {"работает", "завершена досрочно"}
    working = next(p for p in pairs if p["Итог"] == "работает")
    assert working["Встреч"] == 4 and working["Начало"] == dt.datetime(2026, 10, 1)
    goals = _table(book["Персонализированные программы"])
    assert [g["Постановка цели и задач на конкретный период"] for g in goals] == [w.GOAL_TITLE]
    assert goals[0]["Срок"] == dt.datetime(2027, 1, 1)

    indicators = _table(book["Показатели эффективности"])
    assert indicators[0]["№ п/п"] == 1
    coverage = indicators[0]
    assert coverage["Наименование показателя"].startswith("Доля учителей – молодых специалистов")
    assert (coverage["A"], coverage["B"]) == (1, 3)
    assert coverage["Фактическое значение, %"] == 33.3
    assert coverage["Значение показателя эффективности, 2026/2027"] == 100
    assert "Методы сбора информации и инструменты оценки" in coverage
    # «Мои достижения» feed 002's contest participation: nobody entered a contest yet.
    contest = next(
        r for r in indicators if str(r["Наименование показателя"]).startswith("Увеличится доля")
    )
    assert (contest["A"], contest["B"]) == (0, 3)
    assert contest["Значение показателя эффективности, 2026/2027"] == 50
    assert "выбор проекта" in contest["Методика расчёта показателя"]

    events = list(await db.scalars(select(AuditEvent).where(AuditEvent.action == "export.xlsx")))
    assert [(e.actor_id, e.object_type, e.object_id) for e in events] == [
        (world.curator_a.id, "school", world.a.id)
    ]


async def test_coordinator_exports_the_municipality_with_schools_rolled_up(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    coordinator = person("Вера", user_id=w.COORDINATOR)

    reply = await coordinator.send("/export")

    doc = reply.last
    assert doc.filename == "Наставничество_Городской_округ_Серпухов_2026-11-23.xlsx"
    book = _book(doc)
    assert book.sheetnames == [*SCHOOL_SHEETS, "Сводная по ОО"]
    summary = {r["ОО"]: r for r in _table(book["Сводная по ОО"])}
    assert set(summary) == {s.name for s in (world.a, world.b, world.c)}
    a = summary["МБОУ «Средняя школа № 12»"]
    assert a["Куратор"] == "Козлова Анна Викторовна"
    assert (a["Наставников"], a["Наставляемых"], a["Из них молодых специалистов"]) == (2, 2, 2)
    assert (a["Молодых специалистов в ОО"], a["Педагогов до 35 в ОО"]) == (3, 12)
    assert (a["Пар"], a["Групп"], a["Программ"], a["Встреч"]) == (2, 0, 1, 5)
    lyceum = summary["МБОУ «Лицей»"]
    assert lyceum["Наставников"] == 0 and lyceum["Молодых специалистов в ОО"] is None
    text = _all_text(book)
    assert "Орлов Денис Викторович" in text  # the whole municipality
    for secret in (w.SHARED_TEXT, w.PRIVATE_TEXT, w.SCHOOL_B_TEXT):
        assert secret not in text
    events = list(await db.scalars(select(AuditEvent).where(AuditEvent.action == "export.xlsx")))
    assert [(e.actor_id, e.object_type) for e in events] == [(world.coordinator.id, "municipality")]


async def test_teachers_are_refused(db: AsyncSession, person: PersonFactory) -> None:
    await w.world(db)
    for user_id in (w.IVANOVA, w.PETROV):
        reply = await person("Учитель", user_id=user_id).send("/export")
        assert reply.text == "Эта команда доступна кураторам и координаторам программы."
        assert all(m.kind == "text" for m in reply.messages)
    assert list(await db.scalars(select(AuditEvent))) == []
