"""/profile edits, /help and the menu by role, invites made in the bot, role grants,
and refusals for people without the role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueKind, Invite, Participant, Role
from tests import arrange
from tests.arrange import ADMIN_ID
from tests.e2e.flows import answer_mentor_questionnaire
from tests.fakes.client import Deliver, PersonFactory


async def _participant(db: AsyncSession, telegram_id: int) -> Participant:
    db.expire_all()
    p = await db.scalar(
        select(Participant)
        .where(Participant.telegram_id == telegram_id)
        .execution_options(populate_existing=True)
    )
    assert p is not None
    return p


async def test_profile_shows_every_field_and_edits_one(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTEE, schools[0])
    ivan = person("Иван", user_id=444)

    reply = await ivan.send("/profile")
    for label in (
        "ФИО",
        "Должность",
        "Предмет",
        "Стаж",
        "Возраст",
        "Категория",
        "Дефициты",
        "Запрос",
    ):
        assert f"<b>{label}:</b>" in reply.text
    assert "Петров Иван Сергеевич" in reply.text and "наставляемый" in reply.text

    await ivan.click("✏️ Предмет")
    reply = await ivan.send("физика")
    assert "Сохранено" in reply.text and "<b>Предмет:</b> физика" in reply.text
    assert (await _participant(db, 444)).subject == "физика"

    await ivan.click("✏️ Стаж")
    reply = await ivan.send("сорок")
    assert "Нужно число цифрами" in reply.text
    await ivan.send("3")
    assert (await _participant(db, 444)).experience_years == 3

    await ivan.click("✏️ Дефициты")
    await ivan.click("Оценивание")
    reply = await ivan.click("Готово")
    assert "<b>Дефициты:</b> Оценивание" in reply.text
    p = await _participant(db, 444)
    assert len(p.marks(CatalogueKind.DEFICIT)) == 1
    # Editing again, keeping «Оценивание» and adding another, keeps both.
    await ivan.click("✏️ Дефициты")
    await ivan.click("Мотивация учеников")
    reply = await ivan.click("Готово")
    assert "<b>Дефициты:</b> Оценивание, Мотивация учеников" in reply.text
    assert len((await _participant(db, 444)).marks(CatalogueKind.DEFICIT)) == 2


async def test_profile_button_for_a_field_not_in_the_profile_is_refused(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTEE, schools[0])
    ivan = person("Иван", user_id=444)
    await ivan.send("/profile")
    card = ivan.api.chat(444)[-1]
    reply = await ivan.press(card, "pf:capacity")  # a mentor's field, forged
    assert reply.alert is not None and "не действует" in reply.alert


async def test_mentee_is_refused_staff_commands(db: AsyncSession, person: PersonFactory) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTEE, schools[0])
    ivan = person("Иван", user_id=444)
    assert "доступна кураторам" in (await ivan.send("/pending")).text
    assert "доступна кураторам" in (await ivan.send("/invite")).text
    assert "координаторам" in (await ivan.send("/roles")).text
    help_text = (await ivan.send("/help")).text
    assert "/profile" in help_text and "/pending" not in help_text and "/delete_me" in help_text
    # A forged invite button is refused too.
    card = ivan.api.chat(444)[-1]
    reply = await ivan.press(card, "ir:mentor")
    assert reply.alert is not None and "недоступно" in reply.alert
    assert (await db.scalar(select(Invite))) is None


async def test_curator_invites_a_mentor_who_registers(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await arrange.staff(db, 222, "Козлова Анна Викторовна", Role.CURATOR, school=schools[1])
    curator = person("Анна", user_id=222)
    help_text = (await curator.send("/help")).text
    assert "/pending" in help_text and "/invite" in help_text

    reply = await curator.send("/invite")
    assert curator.buttons() == ["наставляемый", "наставник"]
    reply = await curator.click("наставник")
    assert "https://t.me/nastavnik_test_bot?start=" in reply.text
    assert "Гимназия № 3" in reply.text and "Действует до 23.12.2026" in reply.text
    code = reply.text.split("?start=")[1].split()[0]

    ivan = person("Иван")
    await ivan.send(f"/start {code}")
    await ivan.click("Согласен")
    await answer_mentor_questionnaire(ivan)
    reply = await ivan.click("Всё верно")
    assert "Ваша роль в программе — <b>наставник</b>" in reply.text
    p = await _participant(db, ivan.user_id)
    assert p.mentor_profile is not None and p.mentor_profile.capacity == 2
    assert [(g.role, g.school_id) for g in p.roles] == [(Role.MENTOR, schools[1].id)]
    await deliver()
    assert "По вашей ссылке зарегистрировался" in curator.api.chat(222)[-1].text
    # The menu follows the roles: the mentor's chat got its own command list.
    scoped = [
        c
        for c in ivan.api.calls_of("setMyCommands")
        if c.params.get("scope", {}).get("chat_id") == ivan.user_id
    ]
    commands = [c["command"] for c in scoped[-1].params["commands"]]
    assert "profile" in commands and "pending" not in commands


async def test_admin_invites_a_coordinator_who_makes_a_curator(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    mun, schools = await arrange.municipality_with_schools(db)
    await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[2])
    admin = person("Админ", user_id=ADMIN_ID)
    await admin.send("/invite")
    await admin.click("координатор")
    reply = await admin.click("Городской округ Серпухов")
    code = reply.text.split("?start=")[1].split()[0]

    olga = person("Ольга")
    reply = await olga.send(f"/start {code}")
    assert "координатор" in reply.text
    await olga.click("Согласен")
    await olga.send("Соколова Ольга Николаевна")
    reply = await olga.send("методист УМЦ")
    assert "Проверьте анкету" in reply.text
    reply = await olga.click("Всё верно")
    assert "координатор" in reply.text
    p = await _participant(db, olga.user_id)
    assert [(g.role, g.municipality_id) for g in p.roles] == [(Role.COORDINATOR, mun.id)]

    reply = await olga.send("/roles")
    assert "часть ФИО" in reply.text
    reply = await olga.send("петров")
    assert "Петров Иван Сергеевич" in reply.text
    reply = await olga.click("Назначить куратором")
    assert "Назначено: куратор (МБОУ «Лицей»)" in reply.text
    await deliver()
    ivan_chat = olga.api.chat(444)
    assert "Вам назначена роль: <b>куратор</b>" in ivan_chat[-1].text
    ivan = await _participant(db, 444)
    assert sorted(g.role for g in ivan.roles) == [Role.CURATOR, Role.MENTOR]
    # Ivan, now also a curator, can make invites for his school.
    reply = await person("Иван", user_id=444).send("/invite")
    assert "Для какой роли" in reply.text


async def test_coordinator_cannot_grant_outside_the_municipality(
    db: AsyncSession, person: PersonFactory
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    other = await arrange.municipality_other(db)
    await arrange.staff(db, 555, "Соколова Ольга Николаевна", Role.COORDINATOR, municipality=other)
    ivan_id = (await arrange.teacher(db, 444, "Петров Иван Сергеевич", Role.MENTOR, schools[0])).id
    olga = person("Ольга", user_id=555)
    await olga.send("/roles")
    reply = await olga.send("Петров")
    assert "никого не нашлось" in reply.text
    card = olga.api.chat(555)[-1]
    reply = await olga.press(card, f"gr:curator:{ivan_id}")
    assert reply.alert is not None and "недоступно" in reply.alert
    assert [g.role for g in (await _participant(db, 444)).roles] == [Role.MENTOR]
