"""Hostile input in the club's form: too long, markup, a sticker where text is asked,
text where a button is asked; nothing typed before is lost, markup stays text."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEvent
from tests.arrange import club as arrange_club
from tests.fakes.client import PersonFactory


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
    await olga.click("семинар")
    await olga.tap("27")
    await olga.click("16:30")
    await olga.send("<script>alert(1)</script> каб. 5")
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
