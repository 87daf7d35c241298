"""/spravka through the fake Bot API, the .docx opened with python-docx: a curator gets
their school's «Информационная справка» (its tables hold the figures the bot computed,
«нет данных» where it cannot compute, highlighted «[впишите …]» places, difficulties
only from texts their authors opened and without names, no other school's data); a
coordinator gets the municipality with a table per school and no feedback texts; a
mentee is refused; every справка is in the audit log; the CLI writes the same file."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_COLOR_INDEX
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli_export
from bot.i18n import create_i18n
from models import AuditEvent, MeetingKind, MeetingStatus, Role
from models.surveys import RoundKind
from tests import arrange
from tests.arrange import digest as w
from tests.arrange import surveys as sv
from tests.fakes.bot_api import BotMessage
from tests.fakes.client import PersonFactory

# Opened to the other side by its author, with characters Word cannot hold and markup.
HARD_SHARED = "Трудно\x01 удержать <b>дисциплину</b>\x0b на седьмом уроке"
HARD_SHARED_CLEAN = "Трудно удержать <b>дисциплину</b> на седьмом уроке"


def _doc(message: BotMessage) -> DocumentObject:
    assert message.kind == "document"
    assert message.content is not None
    return Document(io.BytesIO(message.content))


def _text(doc: DocumentObject) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _rows(doc: DocumentObject, first_header: str) -> list[list[str]]:
    """The rows (header first) of every table whose first header cell is that."""
    return [
        [c.text for c in row.cells]
        for table in doc.tables
        if table.rows[0].cells[0].text == first_header
        for row in table.rows
    ]


def _pairs(rows: list[list[str]]) -> dict[str, str]:
    return {r[0]: r[1] for r in rows if len(r) == 2}


def _highlighted(doc: DocumentObject) -> list[str]:
    return [
        run.text
        for p in doc.paragraphs
        for run in p.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]


async def _hard_words(db: AsyncSession, world: w.World) -> None:
    m = await arrange.meeting(
        db, world.pair_a, MeetingKind.REGULAR, w.at(20), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, m, world.ivanova, rating=3, hard=HARD_SHARED, shared=True)


async def test_curator_gets_their_schools_spravka(db: AsyncSession, person: PersonFactory) -> None:
    world = await w.world(db)
    await _hard_words(db, world)
    curator = person("Анна", user_id=w.CURATOR_A)

    reply = await curator.send("/spravka")

    doc_msg = reply.last
    assert doc_msg.filename == "Справка_наставничество_МБОУ_Средняя_школа_№_12_2026-11-23.docx"
    assert "Информационная справка (черновик): МБОУ «Средняя школа № 12», 2026/2027" in (
        doc_msg.text
    )
    doc = _doc(doc_msg)
    text = _text(doc)
    assert doc.paragraphs[0].text == "Информационная справка"
    assert "в МБОУ «Средняя школа № 12» в 2026/2027 учебном году" in text
    assert "Программа реализуется с 01.09.2026 по 30.06.2027" in text

    participants = _pairs(_rows(doc, "Показатель"))
    assert participants["Наставников"] == "2"
    assert participants["Наставляемых"] == "2"  # the withdrawn one is gone
    assert participants["Из них молодых специалистов (стаж 0–3 года)"] == "2"
    assert participants["Молодых специалистов в ОО (численность за год)"] == "3"
    assert participants["Педагогов до 35 лет в ОО (численность за год)"] == "12"
    assert participants["Наставнических пар"] == "2"
    assert participants["Наставнических групп"] == "0"
    assert participants["Пар и групп с приказом о закреплении"] == "1"
    assert participants["Персонализированных программ наставничества"] == "1"
    assert participants["Наставляемых без наставника сейчас"] == "1"  # Смирнова

    meetings = _pairs(_rows(doc, "Вид встречи"))
    assert meetings["встреча-знакомство"] == "2"
    assert meetings["регулярная встреча"] == "2"
    assert meetings["итоговая встреча"] == "0"
    assert meetings["Всего"] == "6"

    indicators = _rows(doc, "№ п/п")
    assert indicators[0] == [
        "№ п/п",
        "Наименование показателя",
        "A",
        "B",
        "Значение, %",
        "Целевое значение, %",
        "Примечание",
    ]
    coverage = indicators[1]
    assert coverage[1].startswith("Доля учителей – молодых специалистов")
    assert coverage[2:6] == ["1", "3", "33,3", "100"]
    assert coverage[6] == "целевое значение не достигнуто"
    satisfaction = next(
        r for r in indicators if r[1].startswith("Уровень удовлетворенности наставляемых")
    )
    assert satisfaction[4] == "нет данных"  # no survey answers: never a made-up figure
    assert satisfaction[6].startswith("нет данных")

    # Difficulties: the opened text, cleaned, without its author; the private one counted.
    assert f"«{HARD_SHARED_CLEAN}»" in text
    assert w.PRIVATE_TEXT not in text
    assert "только куратору: 1" in text
    for name in ("Иванова", "Петров"):
        assert not any(
            name in p.text for p in doc.paragraphs if "«" in p.text and "Трудно" in p.text
        )
    # No other school's data and no withdrawn person anywhere.
    for foreign in ("Гимназия", "Орлов", "Белкина", w.SCHOOL_B_TEXT, w.ERASED_NAME):
        assert foreign not in text
    # The places for the curator's words are highlighted.
    blanks = _highlighted(doc)
    assert "[впишите № и дату приказа о реализации программы наставничества]" in blanks
    assert "[впишите ФИО и должность]" in blanks
    assert all(b.startswith("[впишите") for b in blanks)

    events = list(await db.scalars(select(AuditEvent).where(AuditEvent.action == "spravka.docx")))
    assert [(e.actor_id, e.object_type, e.object_id) for e in events] == [
        (world.curator_a.id, "school", world.a.id)
    ]


async def test_coordinator_gets_the_municipality_with_a_table_per_school(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    await _hard_words(db, world)
    coordinator = person("Вера", user_id=w.COORDINATOR)

    reply = await coordinator.send("/spravka")

    doc_msg = reply.last
    assert doc_msg.filename == "Справка_наставничество_Городской_округ_Серпухов_2026-11-23.docx"
    doc = _doc(doc_msg)
    text = _text(doc)
    totals = _pairs(_rows(doc, "Показатель")[:13])
    assert totals["Образовательных организаций"] == "3"
    assert totals["Из них с наставническими парами или группами"] == "2"
    assert totals["Наставнических пар"] == "3"
    # Not every school entered its headcount: the sum is not shown as the whole.
    assert totals["Молодых специалистов в ОО (численность за год)"] == "нет данных"
    assert "введена не во всех ОО: сумма по муниципалитету не показывается" in text
    gap = next(line for line in text.splitlines() if "не введена в ОО:" in line)
    assert "МБОУ «Лицей»" in gap and "Средняя школа № 12" not in gap
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"
    ]
    assert headings == [s.name for s in sorted((world.a, world.b, world.c), key=lambda s: s.name)]
    per_school = [
        _pairs([[c.text for c in row.cells] for row in table.rows])
        for table in doc.tables
        if table.rows[1].cells[0].text == "Наставников" and len(table.rows) > 11
    ]
    assert len(per_school) == 3
    by_name = dict(zip(headings, per_school, strict=True))
    a = by_name["МБОУ «Средняя школа № 12»"]
    assert (
        a["Наставников"],
        a["Проведено встреч"],
        a["Молодых специалистов в ОО (численность за год)"],
    ) == (
        "2",
        "6",
        "3",
    )
    assert a["охват молодых специалистов, %"] == "33,3 (1 из 3; цель 100)"
    lyceum = by_name["МБОУ «Лицей»"]
    assert lyceum["охват молодых специалистов, %"].startswith("нет данных: не введена численность")
    assert "Орлов" not in text  # names stay out of the справка
    for secret in (HARD_SHARED_CLEAN, w.PRIVATE_TEXT, w.SCHOOL_B_TEXT, w.SHARED_TEXT):
        assert secret not in text
    assert "Тексты отзывов участников в муниципальную справку не включаются" in text
    events = list(await db.scalars(select(AuditEvent).where(AuditEvent.action == "spravka.docx")))
    assert [(e.actor_id, e.object_type) for e in events] == [(world.coordinator.id, "municipality")]


async def test_teachers_are_refused(db: AsyncSession, person: PersonFactory) -> None:
    await w.world(db)
    for user_id in (w.IVANOVA, w.PETROV):
        reply = await person("Учитель", user_id=user_id).send("/spravka")
        assert reply.text == "Эта команда доступна кураторам и координаторам программы."
        assert all(m.kind == "text" for m in reply.messages)
    assert list(await db.scalars(select(AuditEvent))) == []


async def test_cli_writes_the_schools_spravka(db: AsyncSession, tmp_path: Path) -> None:
    world = await w.world(db)
    target = tmp_path / "spravka.docx"
    args = argparse.Namespace(
        command="spravka", school="школа № 12", municipality=None, file=target
    )

    with create_i18n().context():
        assert await cli_export.run(db, args) == 0

    doc = Document(str(target))
    participants = _pairs(_rows(doc, "Показатель"))
    assert participants["Наставнических пар"] == "2"
    assert "Орлов" not in _text(doc)
    events = list(await db.scalars(select(AuditEvent).where(AuditEvent.action == "spravka.docx")))
    assert [(e.actor_id, e.object_id) for e in events] == [(None, world.a.id)]


async def test_survey_results_in_the_spravka_hide_small_groups(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    entry = await sv.round_of(
        db, world.a, RoundKind.ENTRY, opens=dt.date(2026, 10, 1), closes=dt.date(2026, 10, 20)
    )
    third = await arrange.mentee(db, 204, "Орлова Вера Андреевна", world.a)
    fourth = await arrange.mentee(db, 205, "Юдина Алла Петровна", world.a)
    for pid, score in ((world.ivanova.id, 9), (third.id, 8), (fourth.id, 6)):
        await sv.response(db, entry, pid, Role.MENTEE, satisfaction=score)
    await sv.response(db, entry, world.petrov.id, Role.MENTOR, satisfaction=10)

    reply = await person("Анна", user_id=w.CURATOR_A).send("/spravka")

    rows = _rows(_doc(reply.last), "Анкетирование")
    assert rows[1:] == [
        ["входной", "наставляемый", "3", "3", "7,7"],
        ["входной", "наставник", "1", "1", "меньше 3 ответов: не показывается"],
    ]
