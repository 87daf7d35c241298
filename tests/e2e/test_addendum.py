"""The addendum (дополнительное соглашение) on the pair card: the curator records its
number, date, period (from the calendar), form, pay and rate type; the card shows it, or
flags a pair without one; the refusals (a mentee, another school's curator)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import AddendumCb
from models import MentoringForm, PairAddendum
from tests import arrange
from tests.fakes.client import PersonFactory


async def test_curator_records_the_addendum_from_the_card_with_the_calendar(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    curator = person("Анна", user_id=arrange.CURATOR_A)

    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П.")
    assert "Нет дополнительного соглашения" in reply.text
    reply = await curator.click("Доп. соглашение")
    assert "Напишите номер соглашения" in reply.text
    reply = await curator.send("!!!")
    assert "буквы и цифры" in reply.text
    reply = await curator.send("№ 12-н")
    assert "№ 12-н. Выберите дату соглашения" in reply.text
    await curator.tap("20")  # 20 November 2026
    reply = await curator.tap("24")
    assert "Начало: 24.11.2026" in reply.text
    reply = await curator.tap("30")  # the calendar opens on June 2027, the year's end
    assert "Форма наставничества" in reply.text
    await curator.click("индивидуальная")
    await curator.click("оплачивается")
    reply = await curator.send("доплата за наставничество, фиксированная")
    assert "Соглашение № 12-н от 20.11.2026" in reply.text
    assert "Период: 24.11.2026 — 30.06.2027" in reply.text
    reply = await curator.click("Сохранить")
    assert "Доп. соглашение № 12-н сохранено" in reply.text

    saved = await db.scalar(select(PairAddendum).where(PairAddendum.pair_id == p.id))
    assert saved is not None
    assert (saved.number, saved.signed_on, saved.starts_on, saved.ends_on) == (
        "12-н",
        dt.date(2026, 11, 20),
        dt.date(2026, 11, 24),
        dt.date(2027, 6, 30),
    )
    assert saved.form == MentoringForm.INDIVIDUAL and saved.paid
    assert saved.rate_type == "доплата за наставничество, фиксированная"

    reply = await curator.click("Карточка пары")
    assert (
        "Доп. соглашение № 12-н от 20.11.2026: период 24.11.2026 — 30.06.2027, "
        "форма: индивидуальная, оплачивается (доплата за наставничество, фиксированная)"
    ) in reply.text
    assert "Новое доп. соглашение (продление)" in " ".join(curator.buttons())


async def test_a_mentee_and_another_schools_curator_cannot_open_the_addendum(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    mentee = person("Мария", user_id=arrange.MENTEE)
    stranger = person("Нина", user_id=arrange.CURATOR_B)
    await mentee.send("/my")
    await stranger.send("/pairs")
    data = AddendumCb(pair_id=p.id).pack()
    for who, tg in ((mentee, arrange.MENTEE), (stranger, arrange.CURATOR_B)):
        reply = await who.press(who.api.chat(tg)[-1], data)
        assert reply.alert == "Это действие вам недоступно."
    assert await db.scalar(select(PairAddendum)) is None
