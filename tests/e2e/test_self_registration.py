"""Registration without a code: role, school, questionnaire, and the curator decides."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Participant, ParticipantStatus, Role
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.e2e.flows import answer_mentee_questionnaire, self_register_mentee
from tests.fakes.client import Deliver, PersonFactory


async def _row(db: AsyncSession, telegram_id: int) -> Participant | None:
    db.expire_all()
    return await db.scalar(select(Participant).where(Participant.telegram_id == telegram_id))


async def test_self_registration_is_approved_by_the_school_curator(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    curator = person("Анна", user_id=222)
    maria = person("Мария")

    await maria.send("/start")
    await maria.click("Согласен")
    reply = await maria.click("Наставляемый")
    assert "Выберите школу" in reply.text
    reply = await maria.send("гимназ")  # search by part of the name
    assert "Гимназия № 3" in reply.text or "Гимназия № 3" in " ".join(maria.buttons())
    assert maria.buttons() == ["МБОУ «Гимназия № 3»"]
    await maria.click("Гимназия № 3")
    await answer_mentee_questionnaire(maria)
    reply = await maria.click("Всё верно")
    assert "Анкета отправлена куратору школы: МБОУ «Гимназия № 3»." in reply.text
    row = await _row(db, maria.user_id)
    assert row is not None and row.status == ParticipantStatus.PENDING and row.roles == []

    # The curator gets the request with buttons through the outbox, and sees it in /pending.
    await deliver()
    request = maria.api.chat(222)[-1]
    assert "Иванова Мария Петровна" in request.text and "наставляемый" in request.text
    reply = await curator.send("/pending")
    assert "Ждёт решения 1 заявка" in reply.text
    reply = await curator.click("Подтвердить")
    assert "Подтверждено: Иванова Мария Петровна" in reply.text
    await deliver()
    assert "подтвердил вашу регистрацию" in maria.api.chat(maria.user_id)[-1].text
    row = await _row(db, maria.user_id)
    assert row is not None and row.status == ParticipantStatus.ACTIVE
    assert [(g.role, g.school_id) for g in row.roles] == [(Role.MENTEE, schools[1].id)]
    # Pressing the old button again changes nothing.
    reply = await curator.press(request, request.buttons[0][1])
    assert reply.alert is not None and "уже принято решение" in reply.alert


async def test_declined_self_registration_erases_the_person(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    curator = person("Анна", user_id=222)
    maria = person("Мария")
    await self_register_mentee(maria)
    await deliver()

    reply = await curator.click("Отклонить")
    assert "Отклонено: Иванова Мария Петровна" in reply.text
    await deliver()
    assert "отклонил заявку" in maria.api.chat(maria.user_id)[-1].text
    assert await _row(db, maria.user_id) is None
    declined = await db.scalar(
        select(Participant).where(Participant.status == ParticipantStatus.DECLINED)
    )
    assert declined is not None and declined.full_name is None
    assert declined.telegram_id is None  # kept only until the notice went out
    # She may apply again.
    reply = await maria.send("/start")
    assert "Согласие на обработку персональных данных" in reply.text


async def test_request_goes_to_admins_when_school_has_no_curator(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    # An admin in the participants' base gets the notice (the outbox sends to participants);
    await arrange.teacher(db, ADMIN_ID, "Админов Пётр Ильич", Role.MENTOR, schools[0])
    maria = person("Мария")
    await self_register_mentee(maria, school="Лицей")
    await deliver()
    assert "Иванова Мария Петровна" in maria.api.chat(ADMIN_ID)[-1].text
    admin = person("Админ", user_id=ADMIN_ID)
    reply = await admin.send("/pending")
    assert "Ждёт решения 1 заявка" in reply.text


async def test_admin_outside_the_base_finds_the_request_in_pending(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    # an admin who is only in ADMIN_IDS gets no message, and finds requests in /pending.
    await arrange.municipality_with_schools(db)
    maria = person("Мария")
    await self_register_mentee(maria, school="Лицей")
    await deliver()
    assert maria.api.chat(ADMIN_ID) == []
    reply = await person("Админ", user_id=ADMIN_ID).send("/pending")
    assert "Ждёт решения 1 заявка" in reply.text


async def test_curator_of_another_school_cannot_decide(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    await arrange.staff(db, 333, "Орлова Вера Павловна", Role.CURATOR, school=schools[0])
    maria = person("Мария")
    await self_register_mentee(maria)
    await deliver()
    request = maria.api.chat(222)[-1]
    outsider = person("Вера", user_id=333)

    reply = await outsider.send("/pending")
    assert "Новых заявок нет" in reply.text
    # Forged: the other school's button data pressed by this curator.
    reply = await outsider.press(request, request.buttons[0][1])
    assert reply.alert is not None and "недоступно" in reply.alert
    row = await _row(db, maria.user_id)
    assert row is not None and row.status == ParticipantStatus.PENDING


async def test_pending_person_is_told_to_wait(db: AsyncSession, person: PersonFactory) -> None:
    await arrange.municipality_with_schools(db)
    maria = person("Мария")
    await self_register_mentee(maria)
    reply = await maria.send("/start")
    assert "ждёт подтверждения куратора" in reply.text


async def test_pending_person_with_an_invite_link_becomes_active(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[1], Role.MENTEE)
    maria = person("Мария")
    await self_register_mentee(maria)
    reply = await maria.send("/start INVITE12")
    assert "Проверьте анкету" in reply.text  # nothing is asked again
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе — <b>наставляемый</b>" in reply.text
    row = await _row(db, maria.user_id)
    assert row is not None and row.status == ParticipantStatus.ACTIVE
    assert row.requested_role is None
    reply = await person("Админ", user_id=ADMIN_ID).send("/pending")
    assert "Новых заявок нет" in reply.text
