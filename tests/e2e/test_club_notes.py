"""A school curator's plain announcement: the audience, a preview with how many it
reaches, then the outbox; only that school's chosen people get it; a second «Отправить»
sends nothing more; a mentee cannot send one; withdrawal erases the text."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import ClubNoteAction, ClubNoteCb
from models import ClubAnnouncement, Outbox, Participant
from services.erasure import erase_person
from services.outbox import Kind
from tests.arrange import NOW
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory


async def test_curator_announces_to_her_schools_mentees_after_a_preview(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange_club.club_world(db)
    anna = person("Анна", user_id=arrange_club.CURATOR_A)
    await anna.send("/announce")
    assert anna.buttons() == ["Всем участникам", "Наставникам", "Наставляемым", "✖️ Отмена"]
    await anna.click("Наставляемым")
    reply = await anna.send_sticker()
    assert "Напишите объявление текстом или пришлите фото" in reply.text
    reply = await anna.send("Завтра в 15:00 — <b>встреча</b> молодых педагогов в каб. 12")
    assert "Так его увидят" in reply.text and "Получат 2 человека" in reply.text
    assert "&lt;b&gt;встреча&lt;/b&gt;" in reply.text  # markup typed stays text
    sent_on = anna.find_button("Отправить (2)")
    reply = await anna.press(*sent_on)
    assert "Объявление отправляется: 2 получателя" in reply.text
    reply = await anna.press(*sent_on)  # a second press
    assert reply.alert and "уже отправлено" in reply.alert
    rows = await db.scalar(
        select(func.count()).select_from(Outbox).where(Outbox.kind == Kind.CLUB_SCHOOL_NOTE)
    )
    assert rows == 2
    await deliver()
    for tg in (arrange_club.YOUNG_A, arrange_club.YOUNG_A2):
        got = person("x", user_id=tg).api.chat(tg)
        assert any("Объявление куратора" in m.text for m in got)
    for tg in (arrange_club.MENTOR_A, arrange_club.YOUNG_B):
        assert not any(
            "Объявление куратора" in m.text for m in person("x", user_id=tg).api.chat(tg)
        )
    note = await db.scalar(select(ClubAnnouncement))
    assert note is not None and note.recipients == 2

    # The curator withdraws: her text is erased, the count stays.
    author = await db.get(Participant, note.author_id)
    assert author is not None
    await erase_person(db, author, NOW)
    await db.commit()
    note = await db.scalar(select(ClubAnnouncement).execution_options(populate_existing=True))
    assert note is not None and note.text is None and note.recipients == 2


async def test_a_mentee_cannot_send_a_school_announcement(
    db: AsyncSession, person: PersonFactory
) -> None:
    await arrange_club.club_world(db)
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    reply = await maria.send("/announce")
    assert "Объявления отправляют куратор школы" in reply.text
    data = ClubNoteCb(action=ClubNoteAction.MENTEES).pack()
    reply = await maria.press(maria.api.chat(maria.user_id)[-1], data)
    assert reply.alert and "куратор школы" in reply.alert
    data = ClubNoteCb(action=ClubNoteAction.SEND).pack()
    reply = await maria.press(maria.api.chat(maria.user_id)[-1], data)
    assert reply.alert and "куратор школы" in reply.alert
    assert await db.scalar(select(ClubAnnouncement)) is None


async def test_the_clubs_organiser_announces_with_a_photo_to_young_specialists(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    await olga.send("/announce")
    assert olga.buttons() == [
        "Всем участникам",
        "Молодым специалистам",
        "Наставникам",
        "Наставляемым",
        "Кураторам",
        "✖️ Отмена",
    ]
    await olga.click("Молодым специалистам")
    reply = await olga.send_photo()
    assert "Получат 4 человека (Городской округ Серпухов)" in reply.text
    assert "🖼 + фото" in reply.text
    reply = await olga.click("Отправить (4)")
    assert "4 получателя" in reply.text
    await deliver()
    for young in (w.young_a, w.young_a2, w.young_b, w.young_c):
        got = person("x", user_id=young.telegram_id).api.chat(young.telegram_id or 0)
        assert got[-1].kind == "photo" and "Клуб «Пеликаша»: объявление" in got[-1].text
    for other in (w.mentor_a, w.young_other):
        got = person("x", user_id=other.telegram_id).api.chat(other.telegram_id or 0)
        assert not any(m.kind == "photo" for m in got)
