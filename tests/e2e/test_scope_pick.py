"""/export, /spravka and /indicators for a person with several scopes of their own,
through the fake Bot API: a curator of two schools and a regional coordinator who also
curates a school pick which file to make (or which screen to open) with a button; one
with a single scope gets the file at once; forged buttons (another school, a region or
municipality not theirs, a teacher, a nonsense level) build nothing and send nothing."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ScopePickCb
from models import Role, RoleGrant
from tests.arrange import digest as w
from tests.fakes.client import Person, PersonFactory

DENIED = "Это действие вам недоступно."
STALE = "Эта кнопка уже не действует"


async def test_a_curator_of_two_schools_picks_the_school_for_export_and_spravka(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    db.add(RoleGrant(participant_id=world.curator_a.id, role=Role.CURATOR, school_id=world.b.id))
    await db.commit()
    anna = person("Анна", user_id=w.CURATOR_A)

    reply = await anna.send("/export")
    assert "У вас несколько зон" in reply.text
    assert anna.buttons() == [f"🏫 {world.b.name}", f"🏫 {world.a.name}"]  # by name
    reply = await anna.click(world.b.name)
    assert reply.alert == "Готовлю файл…"  # the press answered before the file is built
    doc = anna.api.chat(w.CURATOR_A)[-1]
    assert doc.kind == "document" and doc.content is not None
    assert doc.filename is not None and "Гимназия" in doc.filename
    book = load_workbook(io.BytesIO(doc.content))
    texts = " ".join(
        str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value
    )
    assert "Белкина" in texts and "Иванова" not in texts  # school B's people only

    reply = await anna.send("/spravka")
    assert "Черновик справки" in reply.text
    await anna.click(world.a.name)
    doc = anna.api.chat(w.CURATOR_A)[-1]
    assert doc.kind == "document" and doc.content is not None
    assert doc.filename is not None and doc.filename.endswith(".docx")
    body = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert world.a.name in body


async def test_a_regional_coordinator_who_curates_a_school_picks_region_or_school(
    db: AsyncSession, person: PersonFactory
) -> None:
    world = await w.world(db)
    _, _, zaitseva = await w.region(db, world)
    db.add(RoleGrant(participant_id=zaitseva.id, role=Role.CURATOR, school_id=world.c.id))
    await db.commit()
    vera = person("Вера", user_id=w.REGIONAL)
    await vera.send("/export")
    assert vera.buttons() == ["🗺 Московская область", f"🏫 {world.c.name}"]
    await vera.click("Московская область")
    doc = vera.api.chat(w.REGIONAL)[-1]
    assert doc.filename == "Наставничество_Московская_область_2026-11-23.xlsx"
    await vera.send("/export")
    await vera.click(world.c.name)
    doc = vera.api.chat(w.REGIONAL)[-1]
    assert doc.filename is not None and "Лицей" in doc.filename

    # /indicators asks too: the region's screen, or her school's.
    reply = await vera.send("/indicators")
    assert "У вас несколько зон. Какую открыть (/indicators)?" in reply.text
    reply = await vera.click(world.c.name)
    assert world.c.name in reply.text and "Всего по региону" not in reply.text
    await vera.send("/indicators")
    reply = await vera.click("Московская область")
    assert "<b>Всего по региону</b> (муниципалитетов: 2)" in reply.text


async def test_forged_scope_buttons_build_nothing(db: AsyncSession, person: PersonFactory) -> None:
    world = await w.world(db)
    region, pushchino, _ = await w.region(db, world)

    async def forge(p: Person, data: str) -> str | None:
        await p.send("/help")
        own = p.api.chat(p.user_id)[-1]
        before = len(p.api.chat(p.user_id))
        alert = (await p.press(own, data)).alert
        assert all(m.kind != "document" for m in p.api.chat(p.user_id)[before:]), data
        return alert

    def cb(what: str, lvl: str, id_: int) -> str:
        return ScopePickCb(what=what, lvl=lvl, id=id_).pack()

    anna = person("Анна", user_id=w.CURATOR_A)  # school A's curator
    coordinator = person("Вера", user_id=w.COORDINATOR)  # Серпухов's
    ivanova = person("Мария", user_id=w.IVANOVA)  # a mentee
    for p, data in (
        (anna, cb("export", "s", world.b.id)),  # another school
        (anna, cb("spravka", "m", world.municipality.id)),  # her municipality: not hers
        (anna, cb("export", "r", region.id)),
        (coordinator, cb("export", "m", pushchino.id)),  # another municipality
        (coordinator, cb("spravka", "r", region.id)),  # the region: its coordinator's
        (ivanova, cb("export", "s", world.a.id)),  # a teacher
    ):
        assert await forge(p, data) == DENIED, (p.first_name, data)
    for data in (cb("export", "z", world.a.id), "scp:export:s:" + "9" * 30):
        alert = await forge(anna, data)
        assert alert is not None and STALE in alert, data
    # One scope of her own: the file at once, no question.
    await anna.send("/export")
    assert anna.api.chat(w.CURATOR_A)[-1].kind == "document"
