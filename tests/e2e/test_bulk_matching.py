"""«Подобрать всем» under /unmatched: the optimal proposal with each pair's reasons,
taking a pair out, another mentor for one mentee, «Подтвердить все» sending each mentor
a proposal once (art. 351.8 ТК РФ: the pair is formed, and the introductions go through
the outbox, when the mentor answers «Беру»); forged ids, a mentee and another school
refused; a proposal that went stale is re-checked, not double-proposed."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    LIVE_PAIR,
    MentorProfile,
    Outbox,
    Pair,
    PairProposal,
    PairStatus,
    Participant,
    ProposalStatus,
    Role,
)
from services.outbox import Kind
from tests import arrange
from tests.fakes.client import Deliver, PersonFactory

MENTEE_B = 205
DENIED = "Это действие вам недоступно."


async def _three_unmatched(db: AsyncSession) -> tuple[arrange.World, Participant, Participant]:
    """Иванова (math, both deficits), Смирнова (Russian, discipline) and Волков (math,
    both) at school A without a mentor; places: Петров 2, Сидорова 1, Орлов 1 (school B).
    The best proposal: Иванова and Волков with Петров (112 each), Смирнова with Сидорова
    (115, the same subject) — not Петров, who would score 87 for her."""
    w = await arrange.world(db)
    smirnova = await arrange.mentee(
        db,
        arrange.MENTEE_2,
        "Смирнова Ольга Игоревна",
        w.school_a,
        subject="русский язык",
        deficits=(arrange.DISCIPLINE,),
    )
    volkov = await arrange.mentee(db, arrange.MENTEE_3, "Волков Артём Ильич", w.school_a)
    return w, smirnova, volkov


async def _pairs(db: AsyncSession) -> list[Pair]:
    return list(
        await db.scalars(select(Pair).order_by(Pair.id).execution_options(populate_existing=True))
    )


async def test_curator_matches_everyone_removes_one_swaps_one_and_confirms_once(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w, smirnova, volkov = await _three_unmatched(db)
    other = await arrange.mentee(db, MENTEE_B, "Ковалёва Дарья Юрьевна", w.school_b)
    pairs_before = {p.id for p in await _pairs(db)}
    curator = person("Анна", user_id=arrange.CURATOR_A)

    await curator.send("/unmatched")
    reply = await curator.click("Подобрать всем")
    text = reply.text
    assert "Подбор для всех: 3 пары" in text and "сумма совпадений: 339" in text
    assert "1. Иванова Мария Петровна</b> ← Петров Иван Сергеевич · совпадение: 112" in text
    assert "2. Смирнова Ольга Игоревна</b> ← Сидорова Елена Павловна · совпадение: 115" in text
    assert "3. Волков Артём Ильич</b> ← Петров Иван Сергеевич" in text
    assert "тот же предмет: русский язык (+25)" in text and "та же школа (+30)" in text
    assert "Ковалёва" not in text  # another school's mentee
    assert "Зайцев" not in text  # no free place
    assert "✅ Подтвердить все (3 пары)" in curator.buttons()

    reply = await curator.click("× 3.")
    assert "Подбор для всех: 2 пары" in reply.text
    assert "Волков Артём Ильич — пара убрана из подбора" in reply.text

    reply = await curator.click("⇄ 1.")
    assert "Другой наставник для: Иванова Мария Петровна" in reply.text
    assert "Орлов Денис Викторович" in reply.text
    # Сидорова's only place is Смирнова's in this proposal; Петров is the current one.
    assert "Сидорова Елена" not in reply.text and "Петров Иван" not in reply.text
    reply = await curator.click("1. Орлов")
    assert "1. Иванова Мария Петровна</b> ← Орлов Денис Викторович" in reply.text
    assert "школа: МБОУ «Гимназия № 3»" in reply.text

    # Forged presses: another school's mentee, a full mentor, a mentor of no one's list.
    anchor = curator.api.chat(arrange.CURATOR_A)[-1]
    for data, refusal in (
        (f"mbk:rm:0:{other.id}:0", "нет в вашем подборе"),
        (f"mbk:sw:0:{other.id}:0", "нет в вашем подборе"),
        (f"mbk:pk:0:{other.id}:{w.orlov.id}", "нет в вашем подборе"),
        (f"mbk:pk:0:{w.mentee.id}:{w.zaitsev.id}", "нельзя выбрать"),
        (f"mbk:pk:0:{w.mentee.id}:{w.curator_b.id}", "нельзя выбрать"),
        (f"mbk:pk:0:{smirnova.id}:{w.orlov.id}", "нельзя выбрать"),  # Орлов is taken now
    ):
        reply = await curator.press(anchor, data)
        assert reply.alert is not None and refusal in reply.alert, data

    message, confirm = curator.find_button("Подтвердить все (2 пары)")
    reply = await curator.press(message, confirm)
    assert "Отправлено 2 предложения наставникам" in reply.text
    assert "Орлов Денис Викторович ← Иванова Мария Петровна" in reply.text
    assert "Сидорова Елена Павловна ← Смирнова Ольга Игоревна" in reply.text
    assert "когда наставник ответит «Беру»" in reply.text
    reply = await curator.press(message, confirm)  # the same button again
    assert reply.alert is not None and "уже подтверждён или отменён" in reply.alert

    # Nothing is formed before the mentors agree; each got one proposal.
    assert not [p for p in await _pairs(db) if p.id not in pairs_before]
    waiting = list(
        await db.scalars(select(PairProposal).where(PairProposal.status == ProposalStatus.WAITING))
    )
    assert sorted((p.mentor_id, p.mentee_id) for p in waiting) == sorted(
        [(w.orlov.id, w.mentee.id), (w.sidorova.id, smirnova.id)]
    )
    assert await deliver() == 2
    orlov = person("Денис", user_id=arrange.ORLOV)
    sidorova = person("Елена", user_id=arrange.SIDOROVA)
    assert "Иванова Мария Петровна" in orlov.api.chat(arrange.ORLOV)[-1].text
    await orlov.click("Беру")
    await sidorova.click("Беру")

    formed = [p for p in await _pairs(db) if p.id not in pairs_before]
    assert sorted((p.mentor_id, p.members[0].mentee_id) for p in formed) == sorted(
        [(w.orlov.id, w.mentee.id), (w.sidorova.id, smirnova.id)]
    )
    assert all(p.school_id == w.school_a.id for p in formed)
    intros = list(await db.scalars(select(Outbox).where(Outbox.kind == Kind.PAIR_INTRO)))
    assert len(intros) == 4
    assert await deliver() >= 4
    to_orlov = "\n".join(m.text for m in orlov.api.chat(arrange.ORLOV))
    assert "ваш наставляемый" in to_orlov

    reply = await curator.send("/unmatched")
    assert "Волков Артём Ильич" in reply.text and "Иванова" not in reply.text
    assert volkov.id not in {m.mentee_id for p in formed for m in p.members}


async def test_a_mentee_and_another_school_cannot_use_it(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, _, _ = await _three_unmatched(db)
    mentee = person("Мария", user_id=arrange.MENTEE)
    await mentee.send("/help")
    anchor = mentee.api.chat(arrange.MENTEE)[-1]
    for data in ("mbk:go:0:0:0", f"mbk:pk:0:{w.mentee.id}:{w.petrov.id}", "mbk:ok:0:0:0"):
        reply = await mentee.press(anchor, data)
        assert reply.alert == DENIED, data

    # School B's curator gets a proposal for school B only: nobody there is unmatched.
    stranger = person("Нина", user_id=arrange.CURATOR_B)
    reply = await stranger.send("/unmatched")
    assert "Все наставляемые уже в парах" in reply.text  # so no «Подобрать всем» button
    anchor = stranger.api.chat(arrange.CURATOR_B)[-1]
    reply = await stranger.press(anchor, "mbk:go:0:0:0")
    assert "Подбирать некого" in reply.text and "Иванова" not in reply.text
    for data in (
        f"mbk:rm:0:{w.mentee.id}:0",
        f"mbk:pk:0:{w.mentee.id}:{w.orlov.id}",
        "mbk:ok:0:0:0",
    ):
        reply = await stranger.press(anchor, data)
        assert reply.alert is not None, data
        assert "нет в вашем подборе" in reply.alert or "уже подтверждён" in reply.alert, data
    assert not [p for p in await _pairs(db) if p.mentor_id == w.orlov.id]
    assert not list(await db.scalars(select(PairProposal)))


async def test_a_stale_proposal_is_rechecked_on_confirm(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, smirnova, _volkov = await _three_unmatched(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    reply = await curator.click("Подобрать всем")
    assert "Подбор для всех: 3 пары" in reply.text

    # Meanwhile: Смирнова is paired by hand, and Петров takes a mentee elsewhere (1 place left).
    await arrange.pair(db, w.orlov, [smirnova])
    elsewhere = await arrange.mentee(db, 206, "Лебедева Ирина Олеговна", w.school_a)
    await arrange.pair(db, w.petrov, [elsewhere])

    reply = await curator.click("Подтвердить все")
    assert "Отправлено 1 предложение наставникам" in reply.text
    assert "Петров Иван Сергеевич ← Иванова Мария Петровна" in reply.text
    assert "Не отправлено 2 предложения" in reply.text
    assert "Смирнова Ольга Игоревна ← Сидорова Елена Павловна: у наставляемого уже есть" in (
        reply.text
    )
    assert "Волков Артём Ильич ← Петров Иван Сергеевич: у наставника не осталось" in reply.text
    sent = list(await db.scalars(select(PairProposal)))
    assert [(p.mentor_id, p.mentee_id) for p in sent] == [(w.petrov.id, w.mentee.id)]


async def test_coordinator_matches_the_whole_municipality(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, _, _ = await _three_unmatched(db)
    await arrange.mentee(db, MENTEE_B, "Ковалёва Дарья Юрьевна", w.school_b)
    await arrange.staff(
        db,
        arrange.COORDINATOR,
        "Соколова Вера Андреевна",
        Role.COORDINATOR,
        municipality=w.municipality,
    )
    await db.commit()
    coordinator = person("Вера", user_id=arrange.COORDINATOR)
    await coordinator.send("/unmatched")
    reply = await coordinator.click("Подобрать всем")
    # Four mentees, four places (Петров 2, Сидорова 1, Орлов 1): everyone matched;
    # Ковалёва gets Орлов, her school's mentor, and the mentee's school is shown.
    assert "Подбор для всех: 4 пары" in reply.text
    assert "Ковалёва Дарья Юрьевна (МБОУ «Гимназия № 3»)</b> ← Орлов Денис Викторович" in (
        reply.text
    )
    assert "Остаются без наставника" not in reply.text


async def test_a_long_proposal_is_paged_and_a_left_out_mentee_gets_a_freed_place(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, _, _ = await _three_unmatched(db)
    names = ["Алексеев", "Борисов", "Васильев", "Григорьев", "Дмитриев", "Егоров", "Жуков"]
    for i, surname in enumerate(names):
        await arrange.mentee(db, 210 + i, f"{surname} Пётр Ильич", w.school_a)
    await arrange.mentor(db, 310, "Носов Глеб Андреевич", w.school_a, capacity=3)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")

    # Ten mentees, seven places (Петров 2, Сидорова 1, Орлов 1, Носов 3).
    reply = await curator.click("Подобрать всем")
    assert "Подбор для всех: 7 пар" in reply.text and "Страница 1 из 2" in reply.text
    assert len(reply.text) < 4096 and "Остаются без наставника" not in reply.text
    assert [b for b in curator.buttons() if b.startswith("×")] == [
        f"× {n}. {who}"
        for n, who in enumerate(
            ["Иванова М. П.", "Смирнова О. И.", "Волков А. И.", "Алексеев П. И.", "Борисов П. И."],
            start=1,
        )
    ]
    reply = await curator.click("Вперёд")
    assert "Страница 2 из 2" in reply.text and "6. " in reply.text and "7. " in reply.text
    assert "Остаются без наставника: 3" in reply.text
    assert reply.text.count("места отданы тем, кому они подходят больше") == 3
    left_out = next(b for b in curator.buttons() if b.startswith("➕"))
    reply = await curator.click(left_out)
    assert "Других наставников со свободным местом нет" in reply.text
    await curator.click("К подбору")

    reply = await curator.click("× 6.")
    assert "Подбор для всех: 6 пар" in reply.text and "пара убрана из подбора" in reply.text
    reply = await curator.click(left_out)
    assert "Других наставников со свободным местом нет" not in reply.text
    reply = await curator.click("1. ")
    assert "Подбор для всех: 7 пар" in reply.text
    assert "✅ Подтвердить все (7 пар)" in curator.buttons()


async def test_two_confirmations_at_once_pair_everyone_once_within_capacity(
    db: AsyncSession, person: PersonFactory
) -> None:
    """The same button pressed twice at once, and a coordinator confirming an
    overlapping proposal at the same moment: each mentee is paired once and no mentor
    gets more mentees than places."""
    w, smirnova, volkov = await _three_unmatched(db)
    await arrange.staff(
        db,
        arrange.COORDINATOR,
        "Соколова Вера Андреевна",
        Role.COORDINATOR,
        municipality=w.municipality,
    )
    await db.commit()
    curator = person("Анна", user_id=arrange.CURATOR_A)
    coordinator = person("Вера", user_id=arrange.COORDINATOR)
    for who in (curator, coordinator):
        await who.send("/unmatched")
        await who.click("Подобрать всем")
    mine = curator.find_button("Подтвердить все")
    theirs = coordinator.find_button("Подтвердить все")

    await asyncio.gather(curator.press(*mine), curator.press(*mine), coordinator.press(*theirs))

    sent = list(
        await db.scalars(select(PairProposal).where(PairProposal.status == ProposalStatus.WAITING))
    )
    proposed = [p.mentee_id for p in sent]
    assert len(proposed) == len(set(proposed)) == 3  # each of the three once
    assert {w.mentee.id, smirnova.id, volkov.id} <= set(proposed)
    live = [p for p in await _pairs(db) if p.status in LIVE_PAIR]
    places = dict(
        (await db.execute(select(MentorProfile.participant_id, MentorProfile.capacity))).all()
    )
    for mentor in (w.petrov, w.sidorova, w.orlov):
        taken = sum(len(p.active_members) for p in live if p.mentor_id == mentor.id)
        taken += sum(1 for p in sent if p.mentor_id == mentor.id)
        assert taken <= places.get(mentor.id, 1), mentor.full_name


async def test_a_mentor_the_mentee_already_ended_a_pair_with_is_not_proposed(
    db: AsyncSession, person: PersonFactory
) -> None:
    w, _, _ = await _three_unmatched(db)
    await arrange.pair(db, w.petrov, [w.mentee], status=PairStatus.ENDED)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    reply = await curator.click("Подобрать всем")
    assert "1. Иванова Мария Петровна</b> ← Орлов Денис Викторович" in reply.text
    assert "3. Волков Артём Ильич</b> ← Петров Иван Сергеевич" in reply.text
    reply = await curator.click("⇄ 1.")
    assert "Петров Иван" not in reply.text  # his place is free, but not for her
    anchor = curator.api.chat(arrange.CURATOR_A)[-1]
    reply = await curator.press(anchor, f"mbk:pk:0:{w.mentee.id}:{w.petrov.id}")
    assert reply.alert is not None and "нельзя выбрать" in reply.alert


async def test_a_mentor_who_declined_the_mentee_is_not_proposed_and_waiting_ones_are_left(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    """«Не могу» keeps that mentor away from that mentee in the bulk proposal too; a
    mentee whose proposal waits for an answer is not proposed again, and the waiting
    proposal holds its mentor's place."""
    w, _smirnova, volkov = await _three_unmatched(db)
    db.add_all(
        [
            PairProposal(
                school_id=w.school_a.id,
                mentee_id=w.mentee.id,
                mentor_id=w.petrov.id,
                status=ProposalStatus.DECLINED,
                created_at=arrange.NOW,
                remind_on=arrange.NOW.date(),
                return_on=arrange.NOW.date(),
            ),
            PairProposal(
                school_id=w.school_a.id,
                mentee_id=volkov.id,
                mentor_id=w.sidorova.id,
                status=ProposalStatus.WAITING,
                created_at=arrange.NOW,
                remind_on=arrange.NOW.date(),
                return_on=arrange.NOW.date(),
            ),
        ]
    )
    await db.commit()
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    reply = await curator.click("Подобрать всем")
    text = reply.text
    assert "Волков" not in text  # his proposal waits for Сидорова's answer
    assert "Иванова Мария Петровна</b> ← Петров" not in text  # Петров said «Не могу»
    # Сидорова's one place is held by the waiting proposal: Смирнова goes to Петров.
    assert "Смирнова Ольга Игоревна</b> ← Петров Иван Сергеевич" in text
    assert "Иванова Мария Петровна</b> ← Орлов Денис Викторович" in text


async def test_one_order_for_all_the_pairs_of_a_bulk_proposal(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    """The school's «приказ о назначении наставников» usually names every pair at once.
    Typed once (wrong text first), it is shown with the proposal, carried by every
    proposal sent and, on «Беру», by the pair formed."""
    w, smirnova, _ = await _three_unmatched(db)
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    await curator.click("Подобрать всем")
    await curator.click("× 3.")

    reply = await curator.click("Указать приказ для всех пар")
    assert "номер и дату приказа" in reply.text and "◀️ К подбору" in curator.buttons()
    reply = await curator.send("приказ сорок пять")
    assert "Не получилось разобрать приказ" in reply.text
    reply = await curator.send("31.02.2026 № 45")
    assert "Проверьте дату приказа" in reply.text
    reply = await curator.send("Приказ № 45-о от 01.09.2026")
    assert "Подбор для всех: 2 пары" in reply.text
    assert "Приказ для всех пар: <b>№ 45-о от 01.09.2026</b>" in reply.text
    assert "📄 Изменить приказ" in curator.buttons()
    # The order is no longer awaited: another text is not taken for one.
    reply = await curator.send("№ 46 от 02.09.2026")
    assert "Приказ для всех пар" not in reply.text

    # Taking the order back to change it, then returning, keeps the one typed.
    await curator.click("Изменить приказ")
    reply = await curator.click("К подбору")
    assert "Приказ для всех пар: <b>№ 45-о от 01.09.2026</b>" in reply.text

    reply = await curator.click("Подтвердить все (2 пары)")
    assert "Отправлено 2 предложения наставникам" in reply.text
    assert "Во всех предложениях указан приказ № 45-о от 01.09.2026" in reply.text
    waiting = list(await db.scalars(select(PairProposal)))
    assert len(waiting) == 2
    assert {
        (p.order_number, p.order_date.isoformat() if p.order_date else None) for p in waiting
    } == {("45-о", "2026-09-01")}

    await deliver()
    await person("Елена", user_id=arrange.SIDOROVA).click("Беру")
    pair = await db.scalar(
        select(Pair)
        .where(Pair.mentor_id == w.sidorova.id)
        .execution_options(populate_existing=True)
    )
    assert pair is not None and pair.order_number == "45-о"
    assert [m.mentee_id for m in pair.members] == [smirnova.id]
