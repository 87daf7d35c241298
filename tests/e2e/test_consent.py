"""Consent first (152-ФЗ): refusal stores nothing; withdrawal erases the person."""

from __future__ import annotations

from sqlalchemy import String, Text, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from models import Base, Consent, ErasedAttributeCount, Participant, ParticipantStatus, Role
from tests import arrange
from tests.e2e.flows import answer_mentee_questionnaire
from tests.fakes.client import Deliver, PersonFactory


async def _tables_mentioning(db: AsyncSession, needles: list[str]) -> list[str]:
    """Every text column of every table searched for the given strings."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text):
                for needle in needles:
                    hit = await db.scalar(
                        select(text("1")).select_from(table).where(column.contains(needle)).limit(1)
                    )
                    if hit:
                        found.append(f"{table.name}.{column.name}")
    return found


async def _telegram_id_anywhere(db: AsyncSession, telegram_id: int) -> list[str]:
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name == "telegram_id":
                hit = await db.scalar(
                    select(text("1")).select_from(table).where(column == telegram_id).limit(1)
                )
                if hit:
                    found.append(table.name)
    return found


async def test_refusing_consent_stores_nothing(db: AsyncSession, person: PersonFactory) -> None:
    await arrange.municipality_with_schools(db)
    maria = person("Мария", username="maria_t")

    await maria.send("/start")
    reply = await maria.click("Не согласен")
    assert "Без согласия" in reply.text and "ничего" in reply.text
    assert await _telegram_id_anywhere(db, maria.user_id) == []
    assert await _tables_mentioning(db, ["maria_t"]) == []
    assert (await db.scalar(select(Participant))) is None
    assert (await db.scalar(select(Consent).where(Consent.telegram_id == maria.user_id))) is None

    # She changes her mind: the consent is shown again and registration goes on.
    reply = await maria.click("передумал")
    assert "Согласие на обработку персональных данных" in reply.text
    reply = await maria.click("Согласен")
    assert "Кем вы будете в программе" in reply.text


async def test_a_username_telegram_would_not_send_is_not_kept(
    db: AsyncSession, person: PersonFactory
) -> None:
    """Telegram's usernames are 5–32 letters, digits and «_»: one that is not (too long
    for the column, a NUL PostgreSQL refuses) is dropped, and the consent is recorded."""
    await arrange.municipality_with_schools(db)
    for i, odd in enumerate(("m" * 300, "maria\x00", "мария")):
        someone = person("Мария", user_id=8100 + i, username=odd)
        await someone.send("/start")
        reply = await someone.click("Согласен")
        assert "Кем вы будете в программе" in reply.text, odd
        found = await db.scalar(select(Participant).where(Participant.telegram_id == 8100 + i))
        assert found is not None and found.username is None, odd


async def test_consent_text_names_what_the_law_requires(
    db: AsyncSession, person: PersonFactory
) -> None:
    reply = await person("Мария").send("/start")
    consent = reply.messages[-1].text
    for required in (
        "МОУ ДПО «Учебно-методический центр»",
        "г. Серпухов, ул. Советская, д. 1",
        "Цели обработки",
        "Перечень данных",
        "Telegram",
        "обезличивание",
        "Срок",
        "/delete_me",
    ):
        assert required in consent
    assert reply.messages[-1].buttons == [
        ("✅ Согласен", "cs:agree"),
        ("Не согласен", "cs:disagree"),
    ]


async def test_privacy_shows_when_consent_was_given(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    reply = await maria.send("/privacy")
    # 09:00 UTC is 12:00 in the school's Moscow time.
    assert "Согласие дано 23.11.2026 12:00 (версия текста 2026-12)" in reply.text
    assert "Отозвать согласие" in maria.buttons()[0]


async def test_withdrawal_erases_personal_data_and_registering_again_works(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0])
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария", username="maria_t")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await answer_mentee_questionnaire(maria, "Иванова Мария Петровна")
    await maria.click("Всё верно")
    await maria.send("/profile")

    reply = await maria.send("/delete_me")
    assert "Отозвать согласие?" in reply.text
    reply = await maria.click("Да, удалить")
    assert "данные удалены" in reply.text
    # The curator is told, through the outbox, without her name.
    await deliver()
    notice = maria.api.chat(111)[-1].text
    assert "Участник (наставляемый, " in notice and "отозвал согласие" in notice
    assert "Иванова" not in notice

    db.expire_all()
    assert await _tables_mentioning(db, ["Иванова", "maria_t"]) == []
    assert await _telegram_id_anywhere(db, maria.user_id) == []
    left = await db.scalar(select(Participant).where(Participant.status == ParticipantStatus.LEFT))
    # Experience and the like could single her out: only anonymous counts stay.
    assert left is not None and left.experience_years is None and left.age_group is None
    counts = {
        (c.role, c.attribute, c.value): c.count
        for c in await db.scalars(select(ErasedAttributeCount))
    }
    assert counts[("mentee", "experience_years", "1")] == 1
    consent = await db.scalar(select(Consent).where(Consent.participant_id == left.id))
    assert consent is not None and consent.withdrawn_at is not None

    reply = await maria.send("/profile")
    assert "не зарегистрированы" in reply.text
    # Registering again later works, as a new participant.
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await answer_mentee_questionnaire(maria, "Иванова Мария Петровна")
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text
    assert (
        len(
            list(
                await db.scalars(
                    select(Participant).where(Participant.telegram_id == maria.user_id)
                )
            )
        )
        == 1
    )
    assert inspect(left).persistent


async def test_withdrawal_can_be_cancelled(db: AsyncSession, person: PersonFactory) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    ivan = person("Иван", user_id=444)
    await ivan.send("/privacy")
    await ivan.click("Отозвать согласие")
    reply = await ivan.click("Нет, оставить")
    assert "всё остаётся" in reply.text
    db.expire_all()
    assert (
        await db.scalar(select(Participant.full_name).where(Participant.telegram_id == 444))
        == "Петров Иван Сергеевич"
    )
