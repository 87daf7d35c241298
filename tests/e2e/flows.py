"""Steps several tests share, done the way a person does them."""

from __future__ import annotations

from tests.fakes.client import Deliver, Person, Reply


async def answer_mentee_questionnaire(p: Person, name: str = "Иванова Мария Петровна") -> Reply:
    await p.send(name)
    await p.send("учитель")
    await p.send("математика")
    await p.send("1")
    await p.click("до 35 лет")
    await p.click("без категории")
    await p.click("Дисциплина на уроке")
    await p.click("Готово")
    return await p.click("Пропустить")


async def answer_mentor_questionnaire(p: Person, name: str = "Петров Иван Сергеевич") -> Reply:
    await p.send(name)
    await p.send("учитель")
    await p.send("математика")
    await p.send("15")
    await p.click("35 лет и старше")
    await p.click("высшая")
    await p.click("Дисциплина на уроке")
    await p.click("Работа с родителями")
    await p.click("Готово")
    return await p.click("2")


async def self_register_mentee(
    p: Person, school: str = "Гимназия № 3", name: str = "Иванова Мария Петровна"
) -> Reply:
    await p.send("/start")
    await p.click("Согласен")
    await p.click("Наставляемый")
    await p.click(school)
    await answer_mentee_questionnaire(p, name)
    return await p.click("Всё верно")


async def mentor_takes(mentor: Person, deliver: Deliver) -> Reply:
    """The proposal reaches the mentor, who answers «Беру» (the mentor agrees first:
    forming a pair in /unmatched only proposes it)."""
    assert await deliver() >= 1
    return await mentor.click("Беру")
