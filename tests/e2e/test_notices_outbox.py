"""Registration, approval and role notices to other people go through the outbox: they
arrive only when it is flushed, rendered at that moment, and a failing chat of the
curator never breaks the flow of the person who acted."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Outbox, OutboxStatus, Participant, Role
from services.outbox import Kind
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.e2e.flows import answer_mentee_questionnaire, self_register_mentee
from tests.fakes.bot_api import Failure
from tests.fakes.client import Deliver, PersonFactory


async def _rows(db: AsyncSession, kind: str) -> list[Outbox]:
    db.expire_all()
    return list(await db.scalars(select(Outbox).where(Outbox.kind == kind).order_by(Outbox.id)))


async def test_request_and_decision_reach_other_chats_only_through_the_outbox(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    curator = person("Анна", user_id=222)
    maria = person("Мария")

    await self_register_mentee(maria)
    assert curator.api.chat(222) == []  # nothing sent around the outbox
    [row] = await _rows(db, Kind.REG_REQUEST)
    assert row.payload == {"participant_id": row.payload["participant_id"]}  # ids only
    await deliver()
    request = curator.api.chat(222)[-1]
    assert "Иванова Мария Петровна" in request.text
    assert [label for label, _ in request.buttons] == ["✅ Подтвердить", "❌ Отклонить"]

    def menus() -> list[list[str]]:
        return [
            [c["command"] for c in call.params["commands"]]
            for call in maria.api.calls_of("setMyCommands")
            if call.params.get("scope", {}).get("chat_id") == maria.user_id
        ]

    before, menus_before = len(maria.api.chat(maria.user_id)), menus()
    await curator.click("Подтвердить")
    assert len(maria.api.chat(maria.user_id)) == before and menus() == menus_before
    await deliver()
    assert "подтвердил вашу регистрацию" in maria.api.chat(maria.user_id)[-1].text
    # Her menu follows the new role once the notice is out.
    assert "plan" in menus()[-1]


async def test_invite_author_hears_of_the_registration_only_through_the_outbox(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    curator = await arrange.staff(
        db, 111, "Смирнова Ольга Ивановна", Role.CURATOR, school=schools[0]
    )
    await arrange.invite(db, schools[0], Role.MENTEE, created_by=curator)
    maria = person("Мария")
    await maria.send("/start INVITE12")
    await maria.click("Согласен")
    await answer_mentee_questionnaire(maria)
    reply = await maria.click("Всё верно")
    assert "Ваша роль в программе" in reply.text
    assert maria.api.chat(111) == []
    [row] = await _rows(db, Kind.REG_INVITE_USED)
    assert set(row.payload) == {"participant_id", "role"}
    await deliver()
    assert "По вашей ссылке зарегистрировался участник: Иванова Мария Петровна" in (
        maria.api.chat(111)[-1].text
    )


async def test_notice_is_rendered_when_sent(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    await arrange.staff(db, 223, "Орлова Вера Павловна", Role.CURATOR, school=schools[1])
    maria = person("Мария")
    await self_register_mentee(maria)

    # Anna decides from /pending before the notices went out: Vera's request is moot.
    anna = person("Анна", user_id=222)
    await anna.send("/pending")
    await anna.click("Подтвердить")
    await deliver()
    assert not any("Заявка на участие" in m.text for m in maria.api.chat(223))
    assert [r.status for r in await _rows(db, Kind.REG_REQUEST)] == [OutboxStatus.CANCELLED] * 2
    assert "подтвердил вашу регистрацию" in maria.api.chat(maria.user_id)[-1].text


async def test_failing_curator_chat_does_not_break_the_registrants_flow(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    await arrange.staff(db, 223, "Орлова Вера Павловна", Role.CURATOR, school=schools[1])
    maria = person("Мария")
    maria.api.failures.append(Failure("sendMessage", 222, 403, "Forbidden: bot was blocked"))
    maria.api.failures.append(
        Failure("sendMessage", 223, 429, "Too Many Requests: retry after 1", retry_after=1)
    )

    reply = await self_register_mentee(maria)
    assert "Анкета отправлена куратору" in reply.text
    assert maria.api.chat(222) == [] and maria.api.chat(223) == []
    await deliver()
    # 403: Anna is marked as having blocked the bot; 429: Vera gets it after the pause.
    assert maria.api.chat(222) == []
    assert "Иванова Мария Петровна" in maria.api.chat(223)[-1].text
    db.expire_all()
    anna = await db.scalar(select(Participant).where(Participant.telegram_id == 222))
    assert anna is not None and anna.blocked_bot
    reply = await person("Вера", user_id=223).click("Подтвердить")
    assert "Подтверждено" in reply.text


async def test_declined_newcomer_is_told_once_then_nothing_of_them_remains(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    maria = person("Мария", username="maria_t")
    await self_register_mentee(maria)
    await deliver()
    await person("Анна", user_id=222).click("Отклонить")

    # Until the notice is out, only her chat id is kept, and she is a stranger to the bot.
    db.expire_all()
    row = await db.scalar(select(Participant).where(Participant.telegram_id == maria.user_id))
    assert row is not None and row.full_name is None and row.username is None
    row_id = row.id
    await deliver()
    texts = [m.text for m in maria.api.chat(maria.user_id) if "отклонил заявку" in m.text]
    assert len(texts) == 1
    db.expire_all()
    declined = await db.get(Participant, row_id, populate_existing=True)
    assert declined is not None
    assert (declined.telegram_id, declined.full_name, declined.username) == (None, None, None)
    [sent] = await _rows(db, Kind.REG_DECLINED)
    assert sent.status == OutboxStatus.SENT and sent.payload == {"role": "mentee"}
    await deliver()
    assert len([m for m in maria.api.chat(maria.user_id) if "отклонил" in m.text]) == 1


async def test_declined_newcomer_who_starts_again_before_the_notice_is_a_new_person(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    maria = person("Мария")
    await self_register_mentee(maria)
    await deliver()
    await person("Анна", user_id=222).click("Отклонить")
    reply = await maria.send("/start")
    assert "Согласие на обработку персональных данных" in reply.text
    await maria.click("Согласен")
    db.expire_all()
    rows = list(
        await db.scalars(select(Participant).where(Participant.telegram_id == maria.user_id))
    )
    assert len(rows) == 1 and rows[0].status.value == "registering"


async def test_admin_makes_a_coordinator_who_is_told_through_the_outbox(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[2])
    admin = person("Админ", user_id=ADMIN_ID)
    await admin.send("/roles")
    await admin.send("Петров")
    reply = await admin.click("Назначить координатором")
    assert "Назначено: координатор (Городской округ Серпухов)" in reply.text
    assert admin.api.chat(444) == []
    assert not [
        c
        for c in admin.api.calls_of("setMyCommands")
        if c.params.get("scope", {}).get("chat_id") == 444
    ]
    await deliver()
    assert "Вам назначена роль: <b>координатор</b> (Городской округ Серпухов)" in (
        admin.api.chat(444)[-1].text
    )
    menus = [
        c
        for c in admin.api.calls_of("setMyCommands")
        if c.params.get("scope", {}).get("chat_id") == 444
    ]
    assert "roles" in [c["command"] for c in menus[-1].params["commands"]]
    db.expire_all()
    ivan = await db.scalar(select(Participant).where(Participant.telegram_id == 444))
    assert ivan is not None
    await db.refresh(ivan, ["roles"])
    assert sorted(g.role for g in ivan.roles) == [Role.COORDINATOR, Role.MENTOR]
