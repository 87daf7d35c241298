"""The club's «Доска почёта муниципальных наставников» through the bot: the coordinator
nominates a mentor (a name, the words, a preview), nothing is shown until the mentor
agrees to its distribution, then the municipality sees it and no one else; a refusal
and a withdrawal delete the words; forged buttons and other municipalities get nothing;
the mentor's erasure takes the entry with it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import HonorAction, HonorCb
from models import HonorEntry, HonorStatus, School
from services.club import honor
from tests.arrange import club as arrange_club
from tests.arrange.people import mentor
from tests.fakes.client import Deliver, Person, PersonFactory

CITATION = (
    "Победитель муниципального конкурса «Наставник года — 2026», руководитель ШМО "
    "учителей математики, автор программы подготовки к олимпиадам."
)


def _said(p: Person, needle: str) -> list[str]:
    return [m.text for m in p.api.chat(p.user_id) if needle in (m.text or "")]


async def _entries(db: AsyncSession) -> list[HonorEntry]:
    rows = await db.scalars(
        select(HonorEntry).execution_options(populate_existing=True).order_by(HonorEntry.id)
    )
    return list(rows)


async def _nominate(olga: Person, name: str = "петров", citation: str = CITATION) -> None:
    await olga.send("/honor")
    await olga.click("Номинировать наставника")
    await olga.send(name)
    await olga.click("Петров Иван Сергеевич")
    await olga.send(citation)
    await olga.click("Отправить наставнику на согласие")


async def test_a_nominated_mentor_is_shown_only_once_they_agree_and_only_in_their_municipality(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    outsider = person("Ольга", user_id=arrange_club.YOUNG_OTHER)

    reply = await olga.send("/honor")
    assert "Доска почёта муниципальных наставников" in reply.text
    assert "Пока на доске никого нет" in reply.text
    reply = await olga.click("Номинировать наставника")
    assert "Напишите фамилию наставника" in reply.text
    reply = await olga.send("Сидоров")
    assert "нет никого с «Сидоров»" in reply.text
    reply = await olga.send("петров")
    assert olga.buttons()[0].startswith("Петров Иван Сергеевич — ")
    reply = await olga.click("Петров Иван Сергеевич")
    assert "достижения и профессиональные сферы" in reply.text
    reply = await olga.send("Молодец")  # too short: asked again, the step kept
    assert "Слишком коротко" in reply.text
    reply = await olga.send("о" * 700)
    assert "Слишком длинно: 700 знаков" in reply.text
    reply = await olga.send(CITATION)
    assert "Так запись будет выглядеть" in reply.text and CITATION in reply.text
    reply = await olga.click("Отправить наставнику на согласие")
    assert "Отправлено наставнику" in (reply.alert or reply.text)
    assert "ждёт согласия наставника" in olga.api.chat(olga.user_id)[-1].text

    (entry,) = await _entries(db)
    assert entry.status == HonorStatus.ASKED and entry.consented_at is None
    # Not on anyone's board before the mentor agrees.
    assert CITATION not in (await maria.send("/honor")).text

    await deliver()
    (request,) = _said(ivan, "Доске почёта")
    assert CITATION in request and "ст. 10.1 152-ФЗ" in request
    assert ivan.buttons() == ["✅ Согласен(на) на публикацию", "Не согласен(на)"]
    agree = ivan.find_button("Согласен(на) на публикацию")
    reply = await ivan.click("Согласен(на) на публикацию")
    assert "Вы на доске почёта" in reply.text
    reply = await ivan.press(*agree)  # a second press (a slow network)
    assert "уже ответили" in (reply.alert or "")
    (entry,) = await _entries(db)
    assert entry.status == HonorStatus.PUBLISHED and entry.consented_at is not None

    await deliver()
    assert _said(olga, "согласился(лась) на публикацию")
    board = (await maria.send("/honor")).text
    assert "Петров Иван Сергеевич" in board and CITATION in board
    assert "ждёт согласия" not in board
    assert maria.buttons() == []  # a young teacher only looks
    assert CITATION not in (await outsider.send("/honor")).text  # another municipality
    assert w.other.id != w.municipality.id


async def test_a_refusal_and_a_withdrawal_delete_the_words(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)

    await _nominate(olga)
    await deliver()
    reply = await ivan.click("Не согласен(на)")
    assert "запись не публикуется" in reply.text
    assert await _entries(db) == []
    await deliver()
    assert _said(olga, "не дал(а) согласия")

    # Nominated again, agreed, then taken off by the mentor himself.
    await _nominate(olga)
    await deliver()
    await ivan.click("Согласен(на) на публикацию")
    reply = await ivan.send("/honor")
    assert CITATION in reply.text
    reply = await ivan.click("Убрать мою запись с доски")
    assert "снята с доски почёта" in (reply.alert or "")
    assert await _entries(db) == []
    assert CITATION not in (await maria.send("/honor")).text


async def test_the_coordinator_changes_the_words_and_the_mentor_is_asked_again(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    await _nominate(olga)
    await deliver()
    old_request = ivan.find_button("Согласен(на) на публикацию")
    await ivan.click("Согласен(на) на публикацию")

    changed = "Автор методического пособия для молодых учителей математики района."
    await olga.send("/honor")
    await olga.click("Номинировать наставника")
    await olga.send("Петров")
    assert "уже номинирован" in olga.buttons()[0]
    await olga.click("Петров Иван Сергеевич")
    await olga.send(changed)
    await olga.click("Отправить наставнику на согласие")
    (entry,) = await _entries(db)
    assert entry.citation == changed and entry.status == HonorStatus.ASKED
    board = (await maria.send("/honor")).text
    assert changed not in board and CITATION not in board  # off until he agrees anew
    # The old request's buttons answer for the old words only.
    reply = await ivan.press(*old_request)
    assert "изменил текст" in (reply.alert or "")
    (entry,) = await _entries(db)
    assert entry.status == HonorStatus.ASKED
    await deliver()
    assert changed in _said(ivan, "Доске почёта")[-1]
    reply = await ivan.click("Согласен(на) на публикацию")
    assert "Вы на доске почёта" in reply.text
    assert changed in (await maria.send("/honor")).text


async def test_forged_buttons_and_other_municipalities_get_nothing(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    school_other = await db.scalar(select(School).where(School.municipality_id == w.other.id))
    assert school_other is not None
    stranger = await mentor(db, 721, "Петрова Зоя Игоревна", school_other, years=20)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    vera = person("Вера", user_id=arrange_club.OTHER_COORDINATOR)
    anna = person("Анна", user_id=arrange_club.CURATOR_A)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)

    # Her own municipality's mentors only: the other one's Петрова is not found.
    await olga.send("/honor")
    await olga.click("Номинировать наставника")
    await olga.send("Петров")
    assert not any("Петрова Зоя" in b for b in olga.buttons())
    # A forged pick of the other municipality's mentor is refused.
    anchor = olga.api.chat(olga.user_id)[-1]
    pick = HonorCb(action=HonorAction.PICK, participant_id=stranger.id).pack()
    reply = await olga.press(anchor, pick)
    assert reply.alert and "достижения" not in reply.text
    # A young teacher is no mentor: a forged pick of her is refused too.
    pick_young = HonorCb(action=HonorAction.PICK, participant_id=w.young_a.id).pack()
    assert (await olga.press(anchor, pick_young)).alert

    await _nominate(olga)
    (entry,) = await _entries(db)
    # Someone else answers for the mentor, another coordinator takes the entry off, a
    # curator (no board to keep) nominates: all refused, the entry as it was.
    agree = HonorCb(action=HonorAction.AGREE, entry_id=entry.id, shown=honor.stamp(CITATION)).pack()
    await maria.send("/honor")
    assert (await maria.press(maria.api.chat(maria.user_id)[-1], agree)).alert
    remove = HonorCb(action=HonorAction.REMOVE, entry_id=entry.id).pack()
    await vera.send("/honor")
    assert (await vera.press(vera.api.chat(vera.user_id)[-1], remove)).alert
    withdraw = HonorCb(action=HonorAction.WITHDRAW, entry_id=entry.id).pack()
    assert (await maria.press(maria.api.chat(maria.user_id)[-1], withdraw)).alert
    reply = await anna.send("/honor")
    assert "Номинировать наставника" not in anna.buttons()
    nominate = HonorCb(action=HonorAction.NOMINATE).pack()
    assert (await anna.press(anna.api.chat(anna.user_id)[-1], nominate)).alert
    (same,) = await _entries(db)
    assert same.status == HonorStatus.ASKED and same.citation == CITATION
    # A preview's «send» for another mentor than the one being written about.
    send = HonorCb(action=HonorAction.SEND, participant_id=stranger.id).pack()
    assert (await olga.press(olga.api.chat(olga.user_id)[-1], send)).alert
    assert len(await _entries(db)) == 1

    # The mentor himself agrees; the coordinator can take the entry off.
    await deliver()
    await ivan.click("Согласен(на) на публикацию")
    await olga.send("/honor")
    reply = await olga.click("Снять с доски: Петров Иван Сергеевич")
    assert "снята с доски" in (reply.alert or "")
    assert await _entries(db) == []


async def test_the_mentors_erasure_takes_the_entry_with_it(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    ivan = person("Иван", user_id=arrange_club.MENTOR_A)
    await _nominate(olga)
    await deliver()
    await ivan.click("Согласен(на) на публикацию")
    await ivan.send("/delete_me")
    await ivan.click("Да, удалить")
    assert await db.scalar(select(func.count()).select_from(HonorEntry)) == 0
