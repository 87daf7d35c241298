"""The region level through the fake Bot API: an admin makes a teacher the regional
coordinator in /roles; /indicators shows the region's line (the municipalities summed)
and a row for each of its two municipalities, never the third municipality outside the
region, whatever id is forged; a municipal coordinator cannot open the region; /export
rolls up region → municipality → school (the file opened with openpyxl); /spravka (and
`python -m bot spravka --region`) drafts the region's справка with a part per
municipality (opened with python-docx)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli_export
from bot.i18n import create_i18n
from bot.ui.callbacks import GrantCb, RegionCb
from bot.ui.surveys.callbacks import IndicatorsCb
from models import AuditEvent, Municipality, Participant, Region, Role, RoleGrant, School
from services.access import Actor, managed_school_ids, school_in_scope
from services.clock import FixedClock
from services.digest import planning
from services.errors import AccessDenied
from services.export.scope import Level
from services.imports import addenda
from services.panel import dashboard
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.arrange import digest as digest_world
from tests.arrange import surveys as sv
from tests.fakes.client import Deliver, Person, PersonFactory

REGIONAL, COORDINATOR = 600, 601
DENIED = "Это действие вам недоступно."


async def region_with_two_municipalities(
    db: AsyncSession,
) -> tuple[Region, Municipality, Municipality, Municipality, list[School]]:
    """«Московская область»: Серпухов (3 schools) and Пущино (1 school); Новосибирск
    (1 school) is outside it."""
    serpukhov, schools = await arrange.municipality_with_schools(db)
    outside = await arrange.municipality_other(db)
    region = Region(name="Московская область")
    db.add(region)
    await db.flush()
    pushchino = Municipality(name="Городской округ Пущино", timezone="Europe/Moscow")
    db.add(pushchino)
    await db.flush()
    db.add(School(municipality_id=pushchino.id, name="МБОУ «СОШ № 1»", timezone="Europe/Moscow"))
    serpukhov.region_id = region.id
    pushchino.region_id = region.id
    await db.commit()
    return region, serpukhov, pushchino, outside, schools


async def _with_a_pair(db: AsyncSession, school: School, tg: int) -> None:
    mentor = await arrange.teacher(db, tg, "Петров Иван Сергеевич", Role.MENTOR, school)
    mentee = await arrange.teacher(db, tg + 1, "Иванова Мария Петровна", Role.MENTEE, school)
    await arrange.pair(db, mentor, [mentee], formed_at=dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC))


async def _forge(p: Person, data: str) -> str | None:
    own = p.api.chat(p.user_id)[-1]
    return (await p.press(own, data)).alert


async def test_an_admin_grants_the_region_and_it_rolls_up(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    region, serpukhov, pushchino, outside, schools = await region_with_two_municipalities(db)
    await _with_a_pair(db, schools[0], 700)
    await arrange.teacher(db, REGIONAL, "Зайцева Вера Андреевна", Role.MENTOR, schools[1])
    admin = person("Админ", user_id=ADMIN_ID)

    await admin.send("/roles")
    reply = await admin.send("зайцева")
    assert "Зайцева Вера Андреевна" in reply.text
    reply = await admin.click("🗺 Сделать региональным координатором")
    assert "региональный координатор (Московская область)" in reply.text
    await deliver()
    assert "Вам назначена роль: <b>региональный координатор</b>" in (
        admin.api.chat(REGIONAL)[-1].text
    )
    scoped = [
        c
        for c in admin.api.calls_of("setMyCommands")
        if c.params.get("scope", {}).get("chat_id") == REGIONAL
    ]
    menu = [c["command"] for c in scoped[-1].params["commands"]]
    assert {"indicators", "digest", "export", "spravka"} <= set(menu)
    assert "pending" not in menu and "unmatched" not in menu  # watches, does not manage
    vera = await db.scalar(select(Participant).where(Participant.telegram_id == REGIONAL))
    assert vera is not None
    await db.refresh(vera, ["roles"])
    assert (Role.REGIONAL_COORDINATOR, region.id) in [(g.role, g.region_id) for g in vera.roles]

    regional = person("Вера", user_id=REGIONAL)
    reply = await regional.send("/indicators")
    screen = reply.text
    print(screen)  # `pytest -s`: the regional coordinator's screen
    assert "📊 <b>Показатели эффективности — регион</b>\nМосковская область · 2026/2027" in screen
    assert "<b>Всего по региону</b> (муниципалитетов: 2)" in screen
    # Schools running the project: one of Серпухов's three, none of Пущино's one.
    assert (
        "<b>2. Доля школ, реализующих муниципальный проект по наставничеству</b>\n"
        "A = 1, B = 4 → <b>25 %</b>"
    ) in screen
    assert "<b>По муниципалитетам</b> (страница 1 из 1):" in screen
    assert "<b>Городской округ Серпухов</b>" in screen
    assert "<b>Городской округ Пущино</b>" in screen
    assert "Новосибирск" not in screen

    reply = await regional.click("🏙 Городской округ Пущино")
    assert "Городской округ Пущино" in reply.text and "МБОУ «СОШ № 1»" in reply.text
    assert "Серпухов" not in reply.text
    reply = await regional.click("◀️ Регион")
    assert "<b>Всего по региону</b>" in reply.text

    # Another municipality's or region's ids, forged: refused.
    for forged in (
        IndicatorsCb(action="page", m=outside.id).pack(),
        IndicatorsCb(action="method", m=outside.id).pack(),
        RegionCb(r=region.id + 1).pack(),
    ):
        assert await _forge(regional, forged) == DENIED, forged
    # Watching is not managing: no school's indicators, no municipal targets.
    assert await _forge(regional, IndicatorsCb(action="page", s=schools[0].id).pack()) == DENIED
    assert pushchino.id != serpukhov.id


async def test_a_municipal_coordinator_cannot_see_the_region(
    db: AsyncSession, person: PersonFactory
) -> None:
    region, serpukhov, pushchino, _, _ = await region_with_two_municipalities(db)
    await arrange.staff(
        db, COORDINATOR, "Орлова Елена Павловна", Role.COORDINATOR, municipality=serpukhov
    )
    coordinator = person("Елена", user_id=COORDINATOR)
    reply = await coordinator.send("/indicators")
    assert "Городской округ Серпухов" in reply.text
    assert "регион" not in reply.text and "Пущино" not in reply.text
    assert await _forge(coordinator, RegionCb(r=region.id).pack()) == DENIED
    assert await _forge(coordinator, IndicatorsCb(action="page", m=pushchino.id).pack()) == DENIED
    # Only an admin grants the region, whatever button a coordinator forges.
    herself = await db.scalar(select(Participant).where(Participant.telegram_id == COORDINATOR))
    assert herself is not None
    forged = GrantCb(role=Role.REGIONAL_COORDINATOR, participant_id=herself.id).pack()
    assert await _forge(coordinator, forged) == DENIED
    await db.refresh(herself, ["roles"])
    assert [g.role for g in herself.roles] == [Role.COORDINATOR]


async def test_a_teacher_of_a_municipality_without_a_region_is_not_granted(
    db: AsyncSession, person: PersonFactory
) -> None:
    await region_with_two_municipalities(db)
    outside_school = await db.scalar(select(School).where(School.name == "МАОУ «Школа № 7»"))
    assert outside_school is not None
    await arrange.teacher(db, REGIONAL, "Зайцева Вера Андреевна", Role.MENTOR, outside_school)
    admin = person("Админ", user_id=ADMIN_ID)
    await admin.send("/roles")
    await admin.send("зайцева")
    reply = await admin.click("🗺 Сделать региональным координатором")
    assert "не привязан ни к одному региону" in (reply.alert or reply.text)


async def _regional(db: AsyncSession, region: Region, school: School) -> Participant:
    p = await arrange.teacher(db, REGIONAL, "Зайцева Вера Андреевна", Role.MENTOR, school)
    db.add(RoleGrant(participant_id=p.id, role=Role.REGIONAL_COORDINATOR, region_id=region.id))
    await db.commit()
    return p


def _table(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    header = [str(h) for h in rows[1]]
    return [dict(zip(header, r, strict=True)) for r in rows[2:]]


async def test_the_regional_export_rolls_up_region_municipality_school(
    db: AsyncSession, person: PersonFactory
) -> None:
    region, serpukhov, _, outside, schools = await region_with_two_municipalities(db)
    await _with_a_pair(db, schools[0], 700)
    outside_school = await db.scalar(select(School).where(School.municipality_id == outside.id))
    assert outside_school is not None
    await _with_a_pair(db, outside_school, 800)  # Новосибирск: never in the region's file
    await arrange.staff(
        db, COORDINATOR, "Орлова Елена Павловна", Role.COORDINATOR, municipality=serpukhov
    )
    await _regional(db, region, schools[1])

    regional = person("Вера", user_id=REGIONAL)
    doc = (await regional.send("/export")).last
    assert doc.kind == "document" and doc.content is not None
    assert doc.filename == "Наставничество_Московская_область_2026-11-23.xlsx"
    book = load_workbook(io.BytesIO(doc.content))
    assert book.sheetnames[0] == "Показатели эффективности"
    assert book.sheetnames[-2:] == ["Сводная по муниципалитетам", "Сводная по ОО"]
    sheets = {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    everything = "\n".join(str(v) for rows in sheets.values() for row in rows for v in row)
    assert "Новосибирск" not in everything and "Школа № 7" not in everything

    by_municipality = _table(sheets["Сводная по муниципалитетам"])
    assert [r["Муниципалитет"] for r in by_municipality] == [
        "Городской округ Пущино",
        "Городской округ Серпухов",
    ]
    serp = by_municipality[1]
    assert serp["Координатор"] == "Орлова Елена Павловна"
    # The pair's mentor and mentee, and Вера (a mentor too) in the gymnasium.
    assert (serp["Наставников"], serp["Наставляемых"]) == (2, 1)
    assert by_municipality[0]["Наставников"] == 0
    headers = list(sheets["Сводная по муниципалитетам"][1])
    assert headers[2:] == list(sheets["Сводная по ОО"][1])[2:]  # the same columns

    by_school = _table(sheets["Сводная по ОО"])
    assert len(by_school) == 4  # Серпухов's three and Пущино's one
    assert "МБОУ «СОШ № 1»" in [r["ОО"] for r in by_school]
    mentees = _table(sheets["База наставляемых"])
    assert [r["ФИО"] for r in mentees] == ["Иванова Мария Петровна"]
    indicators = _table(sheets["Показатели эффективности"])
    running = next(
        r for r in indicators if str(r["Наименование показателя"]).startswith("Доля школ, реализ")
    )
    assert (running["A"], running["B"]) == (1, 4)
    assert running["Уровень"] == "сумма по муниципалитетам региона"

    audit = await db.scalar(select(AuditEvent).where(AuditEvent.action == "export.xlsx"))
    assert audit is not None and (audit.object_type, audit.object_id) == ("region", region.id)


def _docx_text(content: bytes) -> tuple[str, list[str], list[dict[str, str]]]:
    """A .docx: all its text, its second-level headings, and each two-column table."""
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    tables = []
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        parts.extend(c for row in rows for c in row)
        if len(rows[0]) == 2:
            tables.append({r[0]: r[1] for r in rows[1:]})
    headings = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 2"
    ]
    return "\n".join(parts), headings, tables


async def test_the_regional_spravka_has_a_part_per_municipality(
    db: AsyncSession, person: PersonFactory
) -> None:
    region, serpukhov, pushchino, outside, schools = await region_with_two_municipalities(db)
    await _with_a_pair(db, schools[0], 700)
    outside_school = await db.scalar(select(School).where(School.municipality_id == outside.id))
    assert outside_school is not None
    await _with_a_pair(db, outside_school, 800)  # Новосибирск: never in the region's file
    await sv.headcount(db, schools[0], 40, 12, 3)  # one of Серпухов's three schools
    await _regional(db, region, schools[1])

    reply = await person("Вера", user_id=REGIONAL).send("/spravka")

    doc = reply.last
    assert doc.kind == "document" and doc.content is not None
    assert doc.filename == "Справка_наставничество_Московская_область_2026-11-23.docx"
    assert "Информационная справка (черновик): Московская область, 2026/2027" in doc.text
    text, headings, tables = _docx_text(doc.content)
    print(text)  # `pytest -s`: the region's справка as text
    assert "в образовательных организациях муниципалитетов: Московская область" in text
    totals = tables[0]
    assert totals["Муниципалитетов"] == "2"
    assert totals["Образовательных организаций"] == "4"
    assert totals["Из них с наставническими парами или группами"] == "1"
    assert (totals["Наставников"], totals["Наставляемых"]) == ("2", "1")  # and Вера
    assert totals["Наставнических пар"] == "1"
    # Three schools of four have no headcount: no sum shown as the region's whole.
    assert totals["Молодых специалистов в ОО (численность за год)"] == "нет данных"
    assert "сумма по региону не показывается" in text

    assert headings == ["Городской округ Пущино", "Городской округ Серпухов"]
    parts = [t for t in tables if "Образовательных организаций" in t and "Проведено встреч" in t]
    by_name = dict(zip(headings, parts, strict=True))
    serp, push = by_name["Городской округ Серпухов"], by_name["Городской округ Пущино"]
    assert (serp["Образовательных организаций"], serp["Наставнических пар"]) == ("3", "1")
    assert serp["Из них с наставническими парами или группами"] == "1"
    assert serp["Молодых специалистов в ОО (численность за год)"] == "нет данных"
    assert serp["школы с парами, %"].startswith("33,3 (1 из 3")  # the municipality's own
    assert (push["Образовательных организаций"], push["Наставников"]) == ("1", "0")
    assert push["школы с парами, %"].startswith("0,0 (0 из 1")

    gap = next(line for line in text.splitlines() if " ОО: Городской округ" in line)
    assert "Городской округ Пущино — нет в 1 из 1 ОО" in gap
    assert "Городской округ Серпухов — нет в 2 из 3 ОО" in gap
    assert "Тексты отзывов участников в региональную справку не включаются" in text
    assert "Региональный координатор:" in text
    # Nothing of the municipality outside the region, and no names of people.
    for foreign in ("Новосибирск", outside.name, "Школа № 7", "Петров", "Иванова"):
        assert foreign not in text
    audit = await db.scalar(select(AuditEvent).where(AuditEvent.action == "spravka.docx"))
    assert audit is not None and (audit.object_type, audit.object_id) == ("region", region.id)
    assert pushchino.id != serpukhov.id


async def test_the_cli_drafts_the_regions_spravka(db: AsyncSession, tmp_path: Any) -> None:
    region, _, _, _, schools = await region_with_two_municipalities(db)
    await _with_a_pair(db, schools[0], 700)
    target = tmp_path / "region.docx"
    args = argparse.Namespace(
        command="spravka", school=None, municipality=None, region="Московская", file=target
    )

    with create_i18n().context():
        assert await cli_export.run(db, args) == 0

    text, headings, _ = _docx_text(target.read_bytes())
    assert headings == ["Городской округ Пущино", "Городской округ Серпухов"]
    assert "Новосибирск" not in text
    audit = await db.scalar(select(AuditEvent).where(AuditEvent.action == "spravka.docx"))
    assert audit is not None and (audit.actor_id, audit.object_id) == (None, region.id)


async def test_a_municipal_coordinator_exports_only_the_municipality(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, serpukhov, _, _, _ = await region_with_two_municipalities(db)
    await arrange.staff(
        db, COORDINATOR, "Орлова Елена Павловна", Role.COORDINATOR, municipality=serpukhov
    )
    doc = (await person("Елена", user_id=COORDINATOR).send("/export")).last
    assert doc.content is not None
    book = load_workbook(io.BytesIO(doc.content))
    assert "Сводная по муниципалитетам" not in book.sheetnames
    assert "Пущино" not in "".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


async def test_the_regional_digest_has_a_line_per_municipality(
    db: AsyncSession, clock: FixedClock, deliver: Deliver, person: PersonFactory
) -> None:
    world = await digest_world.world(db)  # Серпухов: a pair met this week, a mentee waits
    outside = await arrange.municipality_other(db)
    region = Region(name="Московская область")
    db.add(region)
    await db.flush()
    pushchino = Municipality(
        name="Городской округ Пущино", timezone="Europe/Moscow", region_id=region.id
    )
    db.add(pushchino)
    world.municipality.region_id = region.id
    await db.commit()
    await _regional(db, region, world.a)

    # Monday 23 November, 08:30 in Moscow: the curators, the coordinator and Вера.
    clock.at = dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC)
    assert await planning.plan(db, clock.at) == 4
    await deliver()
    regional = person("Вера", user_id=REGIONAL)
    text = regional.api.chat(REGIONAL)[-1].text
    print(text)  # `pytest -s`: the regional digest as the fake saw it
    assert "📋 <b>Сводка по региону за неделю</b>" in text
    assert "<b>Московская область</b>" in text
    assert "<b>По муниципалитетам</b> (сначала те, где больше задач)" in text
    serpukhov = (
        "• <b>Городской округ Серпухов</b>: застой 1 · без наставника 1 · без приказа 1 · "
        "без доп. соглашения 2 · нет численности · встреч 2"
    )
    assert serpukhov in text
    assert "Встреч проведено: <b>2</b> (0)" in text  # the region's week: its sum
    assert "• <b>Городской округ Пущино</b>: всё в порядке" in text
    assert "Новосибирск" not in text and outside.name not in text

    # /digest on demand says the same.
    reply = await regional.send("/digest")
    assert serpukhov in reply.text

    # December, a monitoring month: the first digest carries the region's workbook.
    clock.at = dt.datetime(2026, 12, 7, 5, 30, tzinfo=dt.UTC)
    assert await planning.plan(db, clock.at) == 4
    await deliver()
    doc = regional.api.chat(REGIONAL)[-1]
    assert doc.kind == "document" and doc.content is not None
    assert doc.filename == "Наставничество_Московская_область_2026-12-07.xlsx"
    book = load_workbook(io.BytesIO(doc.content))
    assert book.sheetnames[-2:] == ["Сводная по муниципалитетам", "Сводная по ОО"]


async def test_the_region_is_watched_not_managed(db: AsyncSession) -> None:
    """The region's schools are in the regional coordinator's lists, but an import that
    writes (addenda) finds none of their pairs, and a school's own checks refuse."""
    region, _, _, _, schools = await region_with_two_municipalities(db)
    await _with_a_pair(db, schools[0], 700)
    vera = await _regional(db, region, schools[1])
    await db.refresh(vera, ["roles"])
    actor = Actor.of(REGIONAL, vera, is_admin=False)
    assert actor.region_ids == frozenset({region.id}) and actor.is_staff
    watched = await managed_school_ids(db, actor)
    assert watched is not None and len(watched) == 4  # Серпухов's three and Пущино's one
    assert await managed_school_ids(db, actor, watched=False) == []
    assert await addenda._pairs(db, actor) == []
    with pytest.raises(AccessDenied):
        await school_in_scope(db, actor, schools[0].id)
    # The panel opens on the region and its municipalities, not on a school's own page.
    now = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    assert (await dashboard.scope_for(db, actor, now, None)).level == Level.REGION
    with pytest.raises(AccessDenied):
        await dashboard.scope_for(db, actor, now, dashboard.Asked(Level.SCHOOL, schools[0].id))
