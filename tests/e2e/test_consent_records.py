"""Consent records: provable after withdrawal by the id's keyed hash, the texts kept by
version, one record per press however many presses, renewal of an older version."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.config import Settings
from bot.ui.consent import consent_document
from models import AppSecret, Consent, ConsentText, Participant, Role
from services import app_secrets, consent
from services.clock import FixedClock
from tests import arrange
from tests.arrange.cli import run_bot
from tests.e2e.flows import answer_mentee_questionnaire
from tests.fakes.client import PersonFactory
from tests.statements import counting


async def _consents(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Consent)) or 0)


async def test_consent_is_proven_by_telegram_id_after_withdrawal_and_not_by_another_id(
    db: AsyncSession, person: PersonFactory, clock: FixedClock
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await answer_mentee_questionnaire(maria)
    await maria.click("Всё верно")
    await maria.send("/delete_me")
    await maria.click("Да, удалить")

    db.expire_all()
    assert await db.scalar(select(Consent.telegram_id)) is None  # the id itself is gone
    proof = await consent.proof_for(db, maria.user_id, None, clock.now())
    assert len(proof) == 1
    assert proof[0].text_version == arrange.consent_version()
    assert proof[0].given_at == clock.now() and proof[0].withdrawn_at == clock.now()
    assert proof[0].text_sha256 == await db.scalar(select(ConsentText.sha256))
    assert await consent.proof_for(db, maria.user_id + 1, None, clock.now()) == []


async def test_the_consent_text_is_stored_by_version_when_first_agreed_to(
    db: AsyncSession, person: PersonFactory, settings: Settings, in_locale: None
) -> None:
    await arrange.municipality_with_schools(db)
    for p in (person("Мария"), person("Иван")):
        await p.send("/start")
        await p.click("Согласен")
    stored = list(await db.scalars(select(ConsentText)))
    document = consent_document(settings)
    assert len(stored) == 1  # written once, however many agree
    assert stored[0].version == document.version and stored[0].text == document.text
    assert stored[0].sha256 == document.sha256
    assert "Кто видит мои данные" in stored[0].text


async def test_pressing_agree_twice_records_one_consent_and_asks_the_first_question_once(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.invite(db, schools[0], Role.MENTEE)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    message, data = maria.find_button("Согласен")
    first = await maria.press(message, data)
    assert "Вопрос 1 из 8" in first.text
    second = await maria.press(message, data)
    assert second.alert == "Согласие уже записано"
    assert "Вопрос 1" not in second.text
    assert await _consents(db) == 1
    questions = [m for m in maria.api.chat(maria.user_id) if "Вопрос 1 из 8" in m.text]
    assert len(questions) == 1


async def test_giving_the_same_consent_twice_in_the_service_writes_one_row(
    db: AsyncSession, clock: FixedClock
) -> None:
    document = consent.ConsentDocument(version="v1", text="Текст")
    first = await consent.give(db, telegram_id=10, username=None, document=document, clock=clock)
    second = await consent.give(db, telegram_id=10, username=None, document=document, clock=clock)
    assert first.id == second.id
    assert await _consents(db) == 1


async def test_a_later_consent_neither_stores_the_text_again_nor_reads_the_key_again(
    db: AsyncSession, engine: AsyncEngine, person: PersonFactory, clock: FixedClock
) -> None:
    """The text and the stored key never change once written: the process keeps them
    (two round trips fewer per «Согласен»), and every record is still provable."""
    await arrange.municipality_with_schools(db)
    maria, ivan = person("Мария"), person("Иван")
    await maria.send("/start")
    with counting(engine) as first:
        await maria.click("Согласен")
    await ivan.send("/start")
    with counting(engine) as later:
        await ivan.click("Согласен")
    assert any("consent_texts" in s for s in first) and any("app_secrets" in s for s in first)
    assert not any("consent_texts" in s or "app_secrets" in s for s in later), "\n".join(later)
    # Who he is, a declined row of his released, his row, his consent, the audit.
    assert len(later) == 5, "\n".join(later)
    for p in (maria, ivan):
        assert len(await consent.proof_for(db, p.user_id, None, clock.now())) == 1
    assert await db.scalar(select(func.count()).select_from(ConsentText)) == 1


async def test_a_text_whose_transaction_failed_is_stored_by_the_next_consent(
    db: AsyncSession, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known to be stored only once its transaction commits."""
    document = consent.ConsentDocument(version="v9", text="Текст девятый")

    async def failing(*_: object, **__: object) -> bytes:
        raise RuntimeError("the key could not be read")

    monkeypatch.setattr(app_secrets, "consent_write_key", failing)
    with pytest.raises(RuntimeError):
        await consent.give(db, telegram_id=21, username=None, document=document, clock=clock)
    await db.rollback()
    monkeypatch.undo()
    await consent.give(db, telegram_id=22, username=None, document=document, clock=clock)
    stored = await db.scalar(select(ConsentText.text).where(ConsentText.version == "v9"))
    assert stored == "Текст девятый"


async def test_a_configured_key_is_written_without_reading_or_making_the_stored_one(
    db: AsyncSession, clock: FixedClock
) -> None:
    document = consent.ConsentDocument(version="v1", text="Текст")
    # Before an operator configured a key: hashed with the stored one.
    await consent.give(db, telegram_id=11, username=None, document=document, clock=clock)
    assert await db.scalar(select(func.count()).select_from(AppSecret)) == 1
    await db.execute(delete(AppSecret))  # the stored key is read again only when needed
    await db.commit()
    app_secrets.forget_read()  # as if this process had never read it
    await consent.give(
        db, telegram_id=12, username=None, document=document, clock=clock, hmac_key="настроен"
    )
    assert await db.scalar(select(func.count()).select_from(AppSecret)) == 0  # not read
    assert len(await consent.proof_for(db, 12, "настроен", clock.now())) == 1
    assert await consent.proof_for(db, 12, None, clock.now()) == []  # another key


async def _with_old_consent(db: AsyncSession, tg: int) -> Participant:
    _, schools = await arrange.municipality_with_schools(db)
    p = await arrange.teacher(db, tg, "Петров Иван Сергеевич", Role.MENTOR, schools[0])
    record = await db.scalar(select(Consent).where(Consent.participant_id == p.id))
    assert record is not None
    record.text_version = "2026-11"  # the text before the viewers were named
    await db.commit()
    return p


async def test_a_person_with_the_old_consent_version_is_asked_once_and_only_once(
    db: AsyncSession, person: PersonFactory
) -> None:
    await _with_old_consent(db, 444)
    ivan = person("Иван", user_id=444)
    reply = await ivan.send("/profile")
    assert "изменили текст согласия" in reply.text
    assert "Кто видит мои данные" in reply.text
    assert "Петров Иван Сергеевич" in reply.text  # his message is still handled
    assert ivan.buttons() != []  # the profile's own buttons come last
    renewal = next(m for m in reply.messages if "Кто видит мои данные" in m.text)
    assert [b for b, _ in renewal.buttons] == ["✅ Согласен", "Отозвать согласие"]

    again = await ivan.send("/profile")
    assert "изменили текст согласия" not in again.text
    assert "Петров Иван Сергеевич" in again.text

    # «Отозвать согласие» leads to the usual confirmation.
    confirm = await ivan.press(renewal, renewal.buttons[1][1])
    assert "Отозвать согласие?" in confirm.text


async def test_accepting_the_new_consent_records_the_new_version(
    db: AsyncSession, person: PersonFactory
) -> None:
    p = await _with_old_consent(db, 444)
    ivan = person("Иван", user_id=444)
    reply = await ivan.send("/profile")
    renewal = next(m for m in reply.messages if "Кто видит мои данные" in m.text)
    agree = renewal.buttons[0][1]
    agreed = await ivan.press(renewal, agree)
    assert agreed.alert is not None and "записано" in agreed.alert
    versions = await db.scalars(
        select(Consent.text_version)
        .where(Consent.participant_id == p.id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.id)
    )
    assert list(versions) == ["2026-11", arrange.consent_version()]
    again = await ivan.press(renewal, agree)  # a second press of the same button
    assert again.alert == "Согласие уже записано"
    assert await _consents(db) == 2
    reply = await ivan.send("/privacy")
    assert f"версия текста {arrange.consent_version()}" in reply.text


async def test_consent_proof_on_the_command_line(tmp_path: Path) -> None:
    """The operator's command, on the one-command SQLite setup (key kept in the base)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    env = {**os.environ, "DATABASE_URL": url, "BOT_TOKEN": ""}
    env.pop("CONSENT_HMAC_KEY", None)

    async def cli(*args: str) -> tuple[int, str, str]:
        return await run_bot(*args, env=env)

    assert (await cli("migrate"))[0] == 0
    from models.db import create_engine, create_sessionmaker

    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        clock = FixedClock(arrange.NOW)
        document = consent.ConsentDocument(version="2026-12", text="Текст")
        p = await consent.give(
            session, telegram_id=77, username=None, document=document, clock=clock
        )
        await consent.withdraw(session, p, clock)
    await engine.dispose()

    rc, out, _ = await cli("consent", "proof", "77")
    assert rc == 0
    assert "версия 2026-12" in out and "дано 2026-11-23 09:00:00 UTC" in out
    assert "отозвано 2026-11-23 09:00:00 UTC" in out and document.sha256 in out
    rc, out, _ = await cli("consent", "proof", "78")
    assert rc == 1 and "нет" in out
    rc, _, err = await cli("consent", "proof", "@maria")
    assert rc == 2 and "нужен числовой Telegram-id" in err
