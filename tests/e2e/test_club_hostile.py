"""Hostile input in the club's form: too long, markup, a sticker where text is asked,
text where a button is asked; nothing typed before is lost, markup stays text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent
from tests.arrange import club as arrange_club
from tests.fakes.client import Person, PersonFactory


async def test_the_form_survives_hostile_input(db: AsyncSession, person: PersonFactory) -> None:
    await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    await olga.send("/club")
    await olga.click("Добавить мероприятие")
    reply = await olga.send("Я" * 201)
    assert "Слишком длинный ответ: 201 символов, а можно до 200" in reply.text
    reply = await olga.send_sticker()
    assert "Напишите, пожалуйста, текстом." in reply.text
    await olga.send("<b>Семинар</b> & «Первый год»")
    reply = await olga.send("просто текст")  # a button is expected
    assert "Выберите, пожалуйста, кнопкой" in reply.text
    await _forged(olga, "семинар", ("lecture", "²", "x" * 40))  # no such kind
    await olga.click("семинар")
    await olga.tap("27")
    await olga.click("16:30")
    await olga.send("<script>alert(1)</script> каб. 5")
    await _forged(olga, "все участники", ("everyone", "ALL", ""))  # no such audience
    await olga.click("все участники")
    await olga.click("Без ограничения")
    reply = await olga.send("Описание " + "д" * 2000)
    assert "а можно до 2000" in reply.text
    reply = await olga.click("Без описания")
    assert "&lt;b&gt;Семинар&lt;/b&gt; &amp; «Первый год»" in reply.text
    assert "&lt;script&gt;" in reply.text
    await olga.click("Сохранить черновик")
    event = await db.scalar(select(ClubEvent))
    assert event is not None
    assert event.title == "<b>Семинар</b> & «Первый год»"
    assert event.place == "<script>alert(1)</script> каб. 5"
    assert event.capacity is None and event.description is None


async def _forged(p: Person, label: str, made_up: tuple[str, ...]) -> None:
    """Presses of the choice labelled ``label`` with made-up ids: a popup each time, the
    choice still offered."""
    question = p.api.chat(p.user_id)[-1]
    [real] = [d for b, d in question.buttons if b == label]
    widget = real.rsplit(":", 1)[0]
    for item in made_up:
        reply = await p.press(question, f"{widget}:{item}")
        assert reply.alert is not None and "Что-то пошло не так" not in reply, item
    assert p.api.chat(p.user_id)[-1].buttons == question.buttons
