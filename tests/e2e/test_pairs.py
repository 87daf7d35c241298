"""Forming pairs and groups from /unmatched: the ranked mentors with their reasons, the
order (приказ), the introductions both sides receive; ending a pair and re-pairing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import (
    Meeting,
    MeetingKind,
    MeetingStatus,
    Outbox,
    OutboxStatus,
    Pair,
    PairMember,
    PairStatus,
    Programme,
)
from services import outbox
from services.clock import FixedClock
from services.outbox import Kind
from services.pairs import early_end
from tests import arrange
from tests.e2e.flows import mentor_takes
from tests.fakes.client import Deliver, PersonFactory


async def _pairs(db: AsyncSession) -> list[Pair]:
    return list(
        await db.scalars(select(Pair).order_by(Pair.id).execution_options(populate_existing=True))
    )


async def test_curator_picks_the_best_ranked_mentor_and_forms_a_pair_with_an_order(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentee = person("Мария", user_id=arrange.MENTEE)
    mentor = person("Иван", user_id=arrange.PETROV)

    reply = await curator.send("/unmatched")
    assert "Без наставника: 1 наставляемый" in reply.text
    assert "Иванова Мария Петровна" in reply.text and "Дисциплина на уроке" in reply.text
    assert "Кузнецов" not in reply.text  # already in Зайцев's pair

    reply = await curator.click("Подобрать наставника: Иванова М. П.")
    text = reply.text
    assert "Хочу научиться держать дисциплину" in text
    order = [text.index(n) for n in ("Петров Иван", "Орлов", "Сидорова", "Зайцев")]
    assert order == sorted(order), "best mentor first, the mentor with no place last"
    petrov = text[text.index("1. Петров") : text.index("2. Орлов")]
    assert "та же школа (+30)" in petrov
    assert "тот же предмет: математика (+25)" in petrov
    assert "закрывает 2 из 2 дефицитов: Дисциплина на уроке, Работа с родителями (+40)" in petrov
    assert "свободных мест: 2 из 2" in petrov and "стаж 15 лет" in petrov
    sidorova = text[text.index("Сидорова") : text.index("Зайцев")]
    assert "закрывает 1 из 2 дефицитов: Дисциплина на уроке (+20)" in sidorova
    assert "тот же предмет" not in sidorova
    assert "школа: МБОУ «Гимназия № 3»" in text  # Орлов works at another school
    zaitsev = text[text.index("Зайцев") :]
    assert "⛔ нет свободных мест" in zaitsev
    assert curator.buttons()[0].startswith("1. Петров И. С.")

    reply = await curator.click("1. Петров И. С.")
    assert "Есть ли приказ" in reply.text
    assert "Добавить в группу" not in " ".join(curator.buttons())
    await curator.click("Указать приказ")
    reply = await curator.send("завтра")
    assert "Не получилось разобрать приказ" in reply.text
    reply = await curator.send("№ 45 от 31.02.2026")
    assert "Проверьте дату приказа" in reply.text
    reply = await curator.send("приказ № 45-о от 01.09.2026")
    assert "Проверьте и подтвердите" in reply.text and "№ 45-о от 01.09.2026" in reply.text
    reply = await curator.click("Сформировать пару")
    assert "Предложение отправлено наставнику" in reply.text
    assert "Иванова Мария Петровна" in reply.text
    assert w.petrov.id not in {p.mentor_id for p in await _pairs(db)}  # not before «Беру»
    reply = await mentor_takes(mentor, deliver)
    assert "Пара сформирована" in reply.text and "Иванова Мария Петровна" in reply.text

    (formed,) = [p for p in await _pairs(db) if p.mentor_id == w.petrov.id]
    assert formed.status == PairStatus.ACTIVE and formed.next_kind == MeetingKind.INTRO
    assert formed.order_number == "45-о" and formed.order_date == dt.date(2026, 9, 1)
    assert formed.formed_by_id == w.curator_a.id and formed.formed_at == arrange.NOW
    assert [m.mentee_id for m in formed.members] == [w.mentee.id]
    assert await db.scalar(select(Programme).where(Programme.school_id == w.school_a.id))

    assert await deliver() == 3  # both introductions and the curator's news
    to_mentor = mentor.api.chat(arrange.PETROV)[-1].text
    assert "ваш наставляемый" in to_mentor and "Иванова Мария Петровна" in to_mentor
    assert "@ivanova_m" in to_mentor
    assert "Дисциплина на уроке, Работа с родителями" in to_mentor
    assert "Хочу научиться держать дисциплину в 7 «Б»" in to_mentor
    assert "№ 45-о от 01.09.2026" in to_mentor
    assert "Назначьте встречу-знакомство: /my" in to_mentor
    to_mentee = mentee.api.chat(arrange.MENTEE)[-1].text
    assert "ваш наставник" in to_mentee and "Петров Иван Сергеевич" in to_mentee
    assert f'href="tg://user?id={arrange.PETROV}"' in to_mentee  # he has no @username
    assert "стаж 15 лет" in to_mentee and "Назначьте встречу-знакомство: /my" in to_mentee

    reply = await curator.send("/unmatched")
    assert "Все наставляемые уже в парах" in reply.text


async def test_second_mentee_joins_the_mentor_group_and_both_are_introduced(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    first = await arrange.pair(db, w.petrov, [w.mentee], order=("12", dt.date(2026, 9, 1)))
    await arrange.mentee(
        db, arrange.MENTEE_2, "Смирнова Ольга Игоревна", w.school_a, deficits=(arrange.ASSESS,)
    )
    curator = person("Анна", user_id=arrange.CURATOR_A)
    newcomer = person("Ольга", user_id=arrange.MENTEE_2)
    mentor = person("Иван", user_id=arrange.PETROV)

    await curator.send("/unmatched")
    await curator.click("Подобрать наставника: Смирнова О. И.")
    reply = await curator.click("Петров И. С.")
    assert "уже есть пара в этой школе: Иванова Мария Петровна" in reply.text
    assert curator.buttons() == ["👥 Добавить в группу", "➕ Отдельная пара"]
    await curator.click("Добавить в группу")
    await curator.click("Без приказа")
    reply = await curator.click("Добавить в группу")
    assert "в группу наставника" in reply.text
    reply = await mentor_takes(mentor, deliver)
    assert "добавлен в вашу группу" in reply.text
    assert "Иванова Мария Петровна" in reply.text and "Смирнова Ольга Игоревна" in reply.text

    pairs = [p for p in await _pairs(db) if p.mentor_id == w.petrov.id]
    assert [p.id for p in pairs] == [first.id]
    assert len(pairs[0].active_members) == 2
    assert pairs[0].order_number == "12"  # «Без приказа» keeps the group's order

    assert await deliver() == 3
    to_mentor = mentor.api.chat(arrange.PETROV)[-1].text
    assert "Смирнова Ольга Игоревна" in to_mentor and "теперь у вас 2 наставляемых" in to_mentor
    to_newcomer = newcomer.api.chat(arrange.MENTEE_2)[-1].text
    assert "Петров Иван Сергеевич" in to_newcomer and "наставнической группе" in to_newcomer
    assert "Оценивание" in to_newcomer


async def test_separate_pair_with_a_mentor_who_already_has_one(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange.world(db)
    await arrange.pair(db, w.petrov, [w.mentee])
    await arrange.mentee(db, arrange.MENTEE_2, "Смирнова Ольга Игоревна", w.school_a)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    await curator.click("Подобрать наставника: Смирнова О. И.")
    await curator.click("Петров И. С.")
    await curator.click("Отдельная пара")
    await curator.click("Без приказа")
    await curator.click("Сформировать пару")
    reply = await mentor_takes(person("Иван", user_id=arrange.PETROV), deliver)
    assert "Пара сформирована" in reply.text
    pairs = [p for p in await _pairs(db) if p.mentor_id == w.petrov.id]
    assert [len(p.active_members) for p in pairs] == [1, 1]


async def test_cancel_and_stale_confirmation_form_nothing(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    await curator.click("Подобрать наставника")
    await curator.click("1. Петров")
    await curator.click("Без приказа")
    confirm, _ = curator.find_button("Сформировать пару")
    reply = await curator.click("Отмена")
    assert "Подбор отменён" in reply.text
    # The confirmation's button, pressed after the cancel, forms nothing.
    data = f"mfm:ok:{w.mentee.id}:{w.petrov.id}"
    reply = await curator.press(confirm, data)
    assert reply.alert is not None and "не действует" in reply.alert
    assert [p.mentor_id for p in await _pairs(db)] == [w.zaitsev.id]


async def test_curator_ends_a_pair_with_notice_then_re_pairs_the_mentee(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee])
    upcoming = await arrange.meeting(
        db, p, MeetingKind.INTRO, arrange.NOW + dt.timedelta(days=5), status=MeetingStatus.CONFIRMED
    )
    await outbox.enqueue(
        db,
        recipient_id=w.mentee.id,
        kind=Kind.MEETING_REMIND_DAY,
        due_at=arrange.NOW + dt.timedelta(days=4),
        now=arrange.NOW,
        dedupe_key="test:remind",
        payload={"meeting_id": upcoming.id},
        meeting_id=upcoming.id,
        pair_id=p.id,
    )
    await db.commit()
    curator = person("Анна", user_id=arrange.CURATOR_A)
    mentee = person("Мария", user_id=arrange.MENTEE)
    mentor = person("Иван", user_id=arrange.PETROV)

    await curator.send("/pairs")
    await curator.click("Петров И. С. → Иванова М. П.")
    reply = await curator.click("Завершить пару")
    # Monday 23.11: three working days ahead is Thursday 26.11.
    assert "Самая ранняя дата завершения: <b>26.11.2026</b>" in reply.text
    assert "Напишите причину" in reply.text
    reply = await curator.send("ok")
    assert "Напишите причину словами" in reply.text
    reply = await curator.send("Наставник переходит в другую школу")
    assert "Уведомление отправлено. Пара завершится <b>26.11.2026</b>" in reply.text
    assert "⏳ <b>Пара завершится 26.11.2026</b> (досрочно, по инициативе: куратор)" in reply.text
    assert "Причина: Наставник переходит в другую школу" in reply.text
    assert "↩️ Отменить завершение" in curator.buttons()
    still = await db.get(Pair, p.id, populate_existing=True)
    assert still is not None and still.status == PairStatus.ACTIVE

    assert await deliver() == 2  # the mentor and the mentee; the curator acted
    for who, tg in ((mentee, arrange.MENTEE), (mentor, arrange.PETROV)):
        text = who.api.chat(tg)[-1].text
        assert "Пара завершается досрочно" in text and "<b>26.11.2026</b>" in text
        assert "Наставник переходит в другую школу" in text

    # Wednesday: not yet. Just after midnight of Thursday 26.11 in Moscow: ended.
    async with sessionmaker() as session:
        assert await early_end.tick(session, dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)) == 0
    thursday = dt.datetime(2026, 11, 25, 21, 30, tzinfo=dt.UTC)
    async with sessionmaker() as session:
        assert await early_end.tick(session, thursday) == 1
    async with sessionmaker() as session:
        assert await early_end.tick(session, thursday) == 0

    ended = await db.get(Pair, p.id, populate_existing=True)
    assert ended is not None and ended.status == PairStatus.ENDED
    assert ended.ended_at == thursday
    assert ended.end_reason == "Наставник переходит в другую школу"
    meeting = await db.get(Meeting, upcoming.id, populate_existing=True)
    assert meeting is not None and meeting.status == MeetingStatus.CANCELLED
    reminder = await db.scalar(
        select(Outbox)
        .where(Outbox.dedupe_key == "test:remind")
        .execution_options(populate_existing=True)
    )
    assert reminder is not None and reminder.status == OutboxStatus.CANCELLED

    clock.at = dt.datetime(2026, 11, 26, 6, 0, tzinfo=dt.UTC)  # 09:00 in Moscow
    assert await deliver() == 2
    for who, tg in ((mentee, arrange.MENTEE), (mentor, arrange.PETROV)):
        text = who.api.chat(tg)[-1].text
        assert "пара завершена" in text.lower()
        assert "Наставник переходит в другую школу" in text

    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П.")
    assert "завершена досрочно" in reply.text
    reply = await curator.click("Подобрать другого наставника")
    assert "Подбор наставника" in reply.text
    assert "пара с этим наставником уже завершалась (-50)" in reply.text
    text = reply.text
    assert text.index("Орлов") < text.index("Петров Иван")  # the former mentor drops
    await curator.click("Орлов Д. В.")
    await curator.click("Без приказа")
    await curator.click("Сформировать пару")
    reply = await mentor_takes(person("Дмитрий", user_id=arrange.ORLOV), deliver)
    assert "Пара сформирована" in reply.text
    live = [x for x in await _pairs(db) if x.status == PairStatus.ACTIVE]
    assert {x.mentor_id for x in live} == {w.orlov.id, w.zaitsev.id}
    members = await db.scalar(
        select(func.count(PairMember.id)).where(PairMember.mentee_id == w.mentee.id)
    )
    assert members == 2  # the ended pair keeps its history


async def test_a_mentee_already_paired_cannot_be_paired_twice(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    await curator.click("Подобрать наставника")
    await curator.click("1. Петров")
    await curator.click("Без приказа")
    # Meanwhile another curator paired her.
    await arrange.pair(db, w.sidorova, [w.mentee])
    reply = await curator.click("Сформировать пару")
    assert reply.alert is not None and "уже есть наставник" in reply.alert
    assert {p.mentor_id for p in await _pairs(db)} == {w.zaitsev.id, w.sidorova.id}
