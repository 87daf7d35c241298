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
