"""The addendum (дополнительное соглашение) on the pair card: the curator records its
number, date, period (from the calendar), form, pay and rate type; the card shows it, or
flags a pair without one (so do the export and the digest); two weeks before the period
ends everyone is told and the curator lets the pair complete on that date; the refusals
(a mentee, another school's curator)."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.ui.callbacks import AddendumCb
from models import MentoringForm, Pair, PairAddendum, PairStatus
from services.clock import FixedClock
from services.pairs import addenda, early_end
from tests import arrange
from tests.arrange.import_files import xlsx
from tests.fakes.client import Deliver, PersonFactory


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


async def test_two_weeks_before_the_period_ends_all_are_told_and_the_curator_lets_it_complete(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    # The period ends on Tuesday 8.12.2026: told on 24.11, two weeks ahead, not on 23.11.
    await arrange.addendum(db, p, number="9-н", ends_on=dt.date(2026, 12, 8))
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentee = person("Мария", user_id=arrange.MENTEE)
    async with sessionmaker() as session:
        assert await addenda.period_tick(session, arrange.NOW) == 0  # 15 days: not yet
    clock.at = arrange.NOW + dt.timedelta(days=1)
    async with sessionmaker() as session:
        assert await addenda.period_tick(session, clock.at) == 3
    async with sessionmaker() as session:
        await addenda.period_tick(session, clock.at + dt.timedelta(hours=1))  # no repeats
    assert await deliver() == 3  # the mentor, the mentee, the curator
    assert "заканчивается <b>08.12.2026</b>" in mentee.api.chat(arrange.MENTEE)[-1].text
    assert "Завершить в этот день" not in " ".join(mentee.buttons())
    to_curator = curator.api.chat(arrange.CURATOR_A)[-1].text
    assert "Период наставничества заканчивается 08.12.2026" in to_curator
    assert "Доп. соглашение № 9-н" in to_curator

    reply = await curator.click("Завершить в этот день")
    assert "Пара завершится в день окончания периода" in reply.text
    assert "⏳ <b>Пара завершится 08.12.2026</b>" in reply.text
    assert "Окончание периода по доп. соглашению № 9-н" in reply.text
    reply = await curator.click("Завершить в этот день")
    assert reply.alert is not None and "уже назначено" in reply.alert
    async with sessionmaker() as session:
        assert await early_end.tick(session, dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)) == 0
    async with sessionmaker() as session:
        assert await early_end.tick(session, dt.datetime(2026, 12, 8, 6, 0, tzinfo=dt.UTC)) == 1
    ended = await db.get(Pair, p.id, populate_existing=True)
    assert ended is not None and ended.status == PairStatus.ENDED


async def test_a_pair_without_an_addendum_is_flagged_in_the_export_and_the_digest(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    with_one = await arrange.pair(db, w.petrov, [w.mentee])
    await arrange.addendum(db, with_one, number="3-н")
    curator = person("Анна", user_id=arrange.CURATOR_A)
    reply = await curator.send("/export")
    doc = next(m for m in reply.messages if m.kind == "document")
    ws = load_workbook(io.BytesIO(doc.content or b""))["Пары и группы"]
    rows = list(ws.iter_rows(values_only=True))
    column = [str(h) for h in rows[1]].index("Доп. соглашение (ст. 351.8 ТК РФ)")
    values = {r[1]: r[column] for r in rows[2:]}
    assert values["Петров Иван Сергеевич"] == (
        "№ 3-н от 01.09.2026; 01.09.2026–31.05.2027; индивидуальная; оплачивается"
    )
    assert values["Зайцев Олег Юрьевич"] == "⚠ нет"
    reply = await curator.send("/digest")
    assert "Пар без доп. соглашения о наставничестве: <b>1</b>" in reply.text


async def test_addenda_imported_from_xlsx_for_many_pairs_with_errors_per_row(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    mine = await arrange.pair(db, w.petrov, [w.mentee])
    foreign = await arrange.mentee(db, 998, "Лебедева Ольга Ивановна", w.school_b)
    await arrange.pair(db, w.orlov, [foreign])  # another school's pair
    curator = person("Анна", user_id=arrange.CURATOR_A)
    data = xlsx(
        [
            ["Реестр доп. соглашений"],
            ["ФИО наставника", "ФИО наставляемого", "Номер соглашения", "Дата соглашения",
             "Дата начала", "Дата окончания", "Форма", "Оплачивается", "Тип оплаты"],
            ["Петров Иван Сергеевич", "Иванова Мария Петровна", "№ 15-н", "01.09.2026",
             "01.09.2026", "31.05.2027", "индивидуальная", "да", "доплата"],
            ["Зайцев Олег Юрьевич", "", "16-н", "01.09.2026", "01.09.2026", "31.08.2026",
             "индивидуальная", "да", ""],
            ["Сидорова Елена Павловна", "", "17-н", "01.09.2026", "01.09.2026", "31.05.2027",
             "", "", ""],
            ["Орлов Денис Викторович", "", "18-н", "01.09.2026", "01.09.2026", "31.05.2027",
             "", "", ""],
            ["Зайцев Олег Юрьевич", "", "19-н", "вчера", "01.09.2026", "31.05.2027",
             "парная", "", ""],
        ]
    )  # fmt: skip
    reply = await curator.send_document("соглашения.xlsx", data)
    text = reply.text
    assert "Будет записано: 1 соглашение" in text
    assert "строка 3: Петров Иван Сергеевич — Иванова Мария Петровна — № 15-н" in text
    assert "Не загрузятся 4 строки" in text
    assert "строка 4" in text and "Окончание периода должно быть позже его начала" in text
    assert "строка 5" in text and "нет такой действующей пары в ваших школах" in text
    assert "строка 6" in text  # Орлов: a pair of another school is not hers
    assert "строка 7" in text and "не похоже на дату" in text
    assert "Лебедева" not in text
    reply = await curator.click("Импортировать только без ошибок")
    assert "Записано 1 доп. соглашение" in reply.text
    (saved,) = list(await db.scalars(select(PairAddendum)))
    assert saved.pair_id == mine.id and saved.number == "15-н"
    assert saved.ends_on == dt.date(2027, 5, 31) and saved.paid and saved.rate_type == "доплата"

    # A mentee sending the same file is refused.
    mentee = person("Мария", user_id=arrange.MENTEE)
    reply = await mentee.send_document("соглашения.xlsx", data)
    assert "Будет записано" not in reply.text
