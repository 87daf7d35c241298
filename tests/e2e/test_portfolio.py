"""«Мои достижения»: a mentee adds a contest with a diploma file; her mentor and her
school's curator see it and open the file, another school's curator and another mentee
do not; the «Портфолио достижений» document at completion, opened and checked;
withdrawal deletes the entries."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.callbacks import PortfolioAction, PortfolioCb
from models import (
    Achievement,
    ClubAttendance,
    GoalStatus,
    Pair,
    PairStatus,
    PlanGoal,
)
from services import portfolio
from services.clock import FixedClock
from services.erasure import erase_person
from tests import arrange
from tests.arrange import NOW
from tests.arrange import club as arrange_club
from tests.fakes.client import Deliver, PersonFactory


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


async def test_a_contest_with_a_diploma_seen_by_the_mentor_and_the_curator_only(
    db: AsyncSession, person: PersonFactory, deliver: Deliver, clock: FixedClock
) -> None:
    w = await arrange_club.club_world(db)
    await arrange.pair(db, w.mentor_a, [w.young_a])
    maria = person("Мария", user_id=arrange_club.YOUNG_A)

    reply = await maria.send("/portfolio")
    assert "Мои достижения" in reply.text and "Пока ничего" in reply.text
    await maria.click("Добавить достижение")
    await maria.click("Конкурс")
    reply = await maria.send("ок")
    assert "Слишком коротко" in reply.text
    await maria.send("Конкурс «Дебют»")
    await maria.click("муниципальный уровень")
    reply = await maria.click("призёр")
    assert "Прикрепите файл" in reply.text
    reply = await maria.send("вот диплом")
    assert "Пришлите файл документом" in reply.text
    reply = await maria.send_document("Диплом Дебют.pdf", b"%PDF diploma")
    assert "Добавлено" in reply.text
    text = maria.api.chat(maria.user_id)[-1].text
    assert "Конкурс: Конкурс «Дебют» — муниципальный уровень, призёр, 📎" in text
    entry = await db.scalar(select(Achievement))
    assert entry is not None and entry.file_name == "Диплом Дебют.pdf"

    # The mentor and the school's curator see it and open the file.
    for tg in (arrange_club.MENTOR_A, arrange_club.CURATOR_A):
        viewer = person("x", user_id=tg)
        await viewer.send("/portfolio")
        reply = await viewer.click("Иванова Мария Петровна")
        assert "Конкурс «Дебют»" in reply.text
        reply = await viewer.click("Диплом Дебют.pdf")
        assert reply.messages[-1].kind == "document"
    # Another school's curator and another mentee: nothing, even with forged ids.
    for tg in (arrange_club.CURATOR_B, arrange_club.YOUNG_A2):
        outsider = person("x", user_id=tg)
        await outsider.send("/portfolio")
        assert "Иванова Мария Петровна" not in " ".join(outsider.buttons())
        for action, target in (
            (PortfolioAction.PERSON, w.young_a.id),
            (PortfolioAction.FILE, entry.id),
            (PortfolioAction.DOC, w.young_a.id),
        ):
            data = PortfolioCb(action=action, id=target).pack()
            reply = await outsider.press(outsider.api.chat(tg)[-1], data)
            assert reply.alert and "Не нашёл" in reply.alert, (tg, action)

    # Completion: the pair's final meeting held → the document comes once.
    pair = await db.scalar(select(Pair))
    assert pair is not None
    db.add(PlanGoal(pair_id=pair.id, mentee_id=w.young_a.id, title="Дисциплина на уроке",
                    target_month=dt.date(2027, 3, 1), status=GoalStatus.DONE,
                    created_at=NOW, updated_at=NOW))  # fmt: skip
    event = await arrange_club.club_event(db, w.municipality, starts_at=NOW - dt.timedelta(days=2))
    db.add(ClubAttendance(event_id=event.id, participant_id=w.young_a.id, marked_at=NOW))
    pair.status = PairStatus.COMPLETED
    pair.next_kind = None
    pair.stage_since = NOW
    await db.commit()
    assert await portfolio.plan_completion_documents(db, clock.now()) == 1
    await portfolio.plan_completion_documents(db, clock.now())
    await deliver()
    docs = [m for m in maria.api.chat(maria.user_id) if m.filename == "Портфолио достижений.docx"]
    assert len(docs) == 1 and docs[0].content
    text = _docx_text(docs[0].content)
    assert "Портфолио достижений" in text
    assert "Иванова Мария Петровна, МБОУ «Средняя школа № 12»" in text
    assert "Наставник: Петров Иван Сергеевич" in text
    assert "Дисциплина на уроке" in text
    assert "Мастер-класс «Первый урок»" in text
    assert "Конкурс | Конкурс «Дебют» | муниципальный уровень, призёр" in text

    # Withdrawal deletes the entries.
    await erase_person(db, w.young_a, NOW)
    await db.commit()
    assert await db.scalar(select(Achievement)) is None
