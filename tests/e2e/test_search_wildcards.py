"""Searches by typed text treat "%", "_" and the escape character as characters:
typing "%" in /roles must not list everyone in the coordinator's scope."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import Role
from tests import arrange
from tests.fakes.client import PersonFactory

COORDINATOR = 555


async def _arrange(db: AsyncSession) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(
        db, COORDINATOR, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=mun
    )
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    await arrange.teacher(db, 445, "Иванова Мария Петровна", Role.MENTEE, schools[1])


@pytest.mark.parametrize("typed", ["%", "_", "%%", "__", "Петров/", "%петров%", "П_тров", "ов/%"])
async def test_roles_search_with_wildcards_finds_nobody(
    db: AsyncSession, person: PersonFactory, typed: str
) -> None:
    await _arrange(db)
    olga = person("Ольга", user_id=COORDINATOR)
    await olga.send("/roles")
    reply = await olga.send(typed)
    assert "никого не нашлось" in reply.text
    assert "Петров Иван" not in reply.text and "Иванова Мария" not in reply.text


async def test_roles_search_by_part_of_a_name_still_finds_in_any_case(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _arrange(db)
    olga = person("Ольга", user_id=COORDINATOR)
    for typed in ("сергеевич", "СЕРГЕЕВИЧ", "Иван Сергеевич"):
        await olga.send("/roles")
        reply = await olga.send(typed)
        assert "Петров Иван Сергеевич" in reply.text, typed
        assert "Иванова Мария" not in reply.text


async def test_school_search_with_a_percent_sign_lists_no_schools(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange.municipality_with_schools(db)
    maria = person("Мария")
    await maria.send("/start")
    await maria.click("Согласен")
    await maria.click("Наставляемый")
    reply = await maria.send("%")
    assert "школ не нашлось" in reply.text
    reply = await maria.send("гимназ")
    assert maria.buttons() == ["МБОУ «Гимназия № 3»"]
