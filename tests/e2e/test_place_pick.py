"""A coordinator of two municipalities (or one who also curates a school elsewhere)
picks which one /programme, /surveys and /headcount open: they used to open the
municipality with the lowest id, and the other was out of reach in the bot. The
buttons' ids are checked against who pressed them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ProgrammeAction, ProgrammeCb
from bot.ui.surveys.callbacks import HeadcountCb, SurveysScopeCb
from models import Municipality, Role, RoleGrant, School
from tests import arrange
from tests.fakes.client import Person, PersonFactory, Reply

TWO, ELSEWHERE, OUTSIDER = 105, 106, 107
PICK = "У вас несколько муниципалитетов или школ. Что открыть ({})?"
DENIED = "Это действие вам недоступно."


async def _world(db: AsyncSession) -> tuple[int, int, int]:
    """Серпухов (three schools) and Новосибирск (one); a coordinator of both; a
    coordinator of Серпухов who curates Новосибирск's school; a third municipality's
    coordinator."""
    mun, _ = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    third = await arrange.school_in_zone(db, "Asia/Yekaterinburg", "Школа № 1")
    both = await arrange.staff(db, TWO, "Орлова Вера Павловна", Role.COORDINATOR, municipality=mun)
    both.roles.append(RoleGrant(role=Role.COORDINATOR, municipality_id=other.id))
    mixed = await arrange.staff(
        db, ELSEWHERE, "Ковалёва Анна Сергеевна", Role.COORDINATOR, municipality=mun
    )
    novosibirsk_school = await db.scalar(
        select(School.id).where(School.municipality_id == other.id)
    )
    mixed.roles.append(RoleGrant(role=Role.CURATOR, school_id=novosibirsk_school))
    outsider_mun = await db.get(Municipality, third.municipality_id)
    await arrange.staff(
        db, OUTSIDER, "Титова Нина Львовна", Role.COORDINATOR, municipality=outsider_mun
    )
    await db.commit()
    return mun.id, other.id, third.municipality_id


def _labels(reply: Reply) -> list[str]:
    return [label for label, _ in reply.last.buttons]


async def test_a_coordinator_of_two_municipalities_picks_in_each_command(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _world(db)
    vera = person("Вера", user_id=TWO)
    both = ["🏙 Город Новосибирск", "🏙 Городской округ Серпухов"]

    reply = await vera.send("/programme")
    assert reply.text == PICK.format("/programme")
    assert _labels(reply) == both
    reply = await vera.click("Город Новосибирск")
    assert "⚙️ <b>Программа наставничества</b> — Город Новосибирск" in reply.text
    assert "для муниципалитета и для всех его школ (1 школа)" in reply.text

    reply = await vera.send("/surveys")
    assert reply.text == PICK.format("/surveys")
    reply = await vera.click("Город Новосибирск")
    assert "Город Новосибирск · 2026/2027 учебный год · 1 школа" in reply.text
    assert "МАОУ «Школа № 7»" in _labels(reply)

    reply = await vera.send("/headcount")
    assert reply.text == PICK.format("/headcount")
    reply = await vera.click("Городской округ Серпухов")
    assert "Городской округ Серпухов · 2026/2027 учебный год" in reply.text
    assert "введена: 0 из 3 школ" in reply.text
    assert "отправьте боту файл Excel или CSV (образец и столбцы — /import)" in reply.text


async def test_a_coordinator_who_curates_a_school_elsewhere_gets_both(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _world(db)
    anna = person("Анна", user_id=ELSEWHERE)
    reply = await anna.send("/headcount")
    assert reply.text == PICK.format("/headcount")
    assert _labels(reply) == ["🏙 Городской округ Серпухов", "🏫 МАОУ «Школа № 7»"]
    reply = await anna.click("Школа № 7")
    assert "МАОУ «Школа № 7»" in reply.text
    reply = await anna.send("/programme")
    reply = await anna.click("Школа № 7")
    assert "⚙️ <b>Программа наставничества</b> — МАОУ «Школа № 7»" in reply.text


async def test_forged_places_open_nothing(db: AsyncSession, person: PersonFactory) -> None:
    serpukhov, novosibirsk, third = await _world(db)

    async def forge(p: Person, data: str) -> Reply:
        await p.send("/help")
        return await p.press(p.api.chat(p.user_id)[-1], data)

    vera = person("Вера", user_id=TWO)
    nina = person("Нина", user_id=OUTSIDER)
    anna = person("Анна", user_id=ELSEWHERE)
    for p, m in ((vera, third), (nina, serpukhov), (nina, novosibirsk), (anna, novosibirsk)):
        for cb in (
            ProgrammeCb(action=ProgrammeAction.VIEW, lvl="m", id=m),
            SurveysScopeCb(m=m),
            HeadcountCb(action="page", m=m),
        ):
            reply = await forge(p, cb.pack())
            assert reply.alert == DENIED, (p.first_name, cb)
            assert "Программа наставничества" not in reply.text
    # Her own single municipality: no choice, as before.
    reply = await nina.send("/programme")
    assert "— Муниципалитет Школа № 1" in reply.text
