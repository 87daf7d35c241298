"""A teacher registers through a curator's invite link, as a person would in Telegram."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueKind, Consent, Participant, ParticipantStatus, Role
from tests import arrange
from tests.fakes.client import Deliver, PersonFactory


async def test_mentee_registers_through_invite(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(
        db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    await arrange.invite(db, schools[0], Role.MENTEE, created_by=curator)
    maria = person("Мария", username="maria_t")

    reply = await maria.send("/start INVITE12")
    assert "наставляемый" in reply.text and "Средняя школа № 12" in reply.text
    assert "Согласие на обработку персональных данных" in reply.text
    assert "152-ФЗ" in reply.text and "/delete_me" in reply.text
    # Nothing about her is stored before she agrees.
    assert (
        await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    ) is None

    reply = await maria.click("Согласен")
    assert "Вопрос 1 из 8" in reply.text and "фамилию, имя и отчество" in reply.text
    consent = await db.scalar(select(Consent).where(Consent.telegram_id == maria.user_id))
    assert consent is not None and consent.telegram_id == maria.user_id
    assert len(consent.text_sha256) == 64 and consent.text_version == arrange.consent_version()

    await maria.send("иванова мария петровна")
    await maria.send("учитель")
    await maria.send("математика")
    await maria.send("1")
    await maria.click("до 35 лет")
    await maria.click("без категории")
    await maria.click("Дисциплина на уроке")
    reply = await maria.click("Работа с родителями")
    assert "✅ Работа с родителями" in maria.buttons()
    await maria.click("Готово")
    reply = await maria.send("Как держать дисциплину в 7 классе")
    assert "Проверьте анкету" in reply.text
    assert "Иванова Мария Петровна" in reply.text and "1 год" in reply.text
    assert "Дисциплина на уроке, Работа с родителями" in reply.text

    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе — <b>наставляемый</b>" in reply.text

    db.expire_all()
    p = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert p is not None and p.status == ParticipantStatus.ACTIVE
    assert p.full_name == "Иванова Мария Петровна" and p.experience_years == 1
    assert [g.role for g in p.roles] == [Role.MENTEE] and p.roles[0].school_id == schools[0].id
    assert len(p.marks(CatalogueKind.DEFICIT)) == 2
    assert p.mentee_profile is not None
    assert p.mentee_profile.request_text == "Как держать дисциплину в 7 классе"
    # The curator who made the link hears about it, through the outbox.
    await deliver()
    assert any("Иванова Мария Петровна" in m.text for m in maria.api.chat(111))
    print("\n".join(maria.transcript))


async def test_a_pressed_answer_stays_in_sight_and_the_next_question_takes_its_place(
    db: AsyncSession, person: PersonFactory
) -> None:
    """On a phone: pressing an answer turns the question into a record of it and the
    next question, in the same message (no new message, nothing to scroll past); the
    pressed answers of one message are all listed; the summary, once sent, shows the
    answers and what happens next, with no buttons left to press."""
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(
        db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    await arrange.invite(db, schools[0], Role.MENTEE, created_by=curator)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    for answer in ("иванова мария петровна", "учитель", "математика", "1"):
        await maria.send(answer)
    messages = len(maria.api.chat(maria.user_id))

    reply = await maria.click("до 35 лет")
    assert len(maria.api.chat(maria.user_id)) == messages  # edited, not sent
    assert len(reply.messages) == 1
    assert reply.text.startswith("✓ <b>Возраст:</b> до 35 лет\n\n<i>Вопрос 6 из 8</i>")
    assert "квалификационная категория" in reply.text
    assert "без категории" in maria.buttons() and "до 35 лет" not in maria.buttons()

    reply = await maria.click("без категории")
    assert reply.text.startswith(
        "✓ <b>Возраст:</b> до 35 лет\n✓ <b>Категория:</b> без категории\n\n<i>Вопрос 7 из 8</i>"
    )
    # The answered question's buttons are gone: an old press is refused, nothing changes.
    stale = await maria.press(reply.last, "ch:category:none")
    assert "не действует" in (stale.alert or "") and not stale.messages

    await maria.click("Дисциплина на уроке")
    reply = await maria.click("Готово")
    assert len(maria.api.chat(maria.user_id)) == messages
    assert "✓ <b>Дефициты:</b> Дисциплина на уроке" in reply.text
    assert "✓ <b>Категория:</b> без категории" in reply.text
    assert "Вопрос 8 из 8" in reply.text and "Пропустить" in maria.buttons()

    reply = await maria.click("Пропустить")  # the last question: the record, then the summary
    assert [m.text.split("\n")[0] for m in reply.messages] == [
        "✓ <b>Возраст:</b> до 35 лет",
        "Проверьте анкету:",
    ]
    assert "✓ <b>Запрос:</b> —" in reply.messages[0].text and not reply.messages[0].buttons

    reply = await maria.click("Всё верно")
    assert len(reply.messages) == 1 and not reply.last.buttons
    assert reply.text.startswith("Ваша анкета:\n\n<b>ФИО:</b> Иванова Мария Петровна")
    assert "Ваша роль в программе — <b>наставляемый</b>" in reply.text
    assert maria.buttons() == []
