"""Mentor and mentee fill in the scheduling dialog at once and both press «Отправить»:
one meeting is proposed, the other person is told politely what happened and where to
look (/my), not «Что-то пошло не так»."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingStatus
from tests import arrange
from tests.arrange import mentor_and_mentees
from tests.fakes.client import Deliver, Person, PersonFactory

MENTOR, MENTEE = 721, 722


async def tap(p: Person, label: str) -> None:
    """The exact label (calendar days: «3» is inside «23»)."""
    for m in reversed(p.api.chat(p.user_id)):
        for text, data in m.buttons:
            if text == label:
                await p.press(m, data)
                return
    raise AssertionError(f"no button {label!r} in chat {p.user_id}")


async def fill_in_up_to_send(p: Person, day: str, time: str) -> None:
    await p.send("/my")
    await p.click("Назначить встречу")
    await tap(p, day)
    await p.click("День")
    await tap(p, time)
    await p.click("Очно")
    await p.send("кабинет 12")
    assert "Отправить" in " ".join(p.buttons())


async def test_both_sides_sending_at_once_propose_one_meeting_and_the_other_is_told(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await mentor_and_mentees(db, schools[0], mentor_tg=MENTOR, mentee_tgs=(MENTEE,))
    mentor, mentee = person("Иван", user_id=MENTOR), person("Мария", user_id=MENTEE)
    await fill_in_up_to_send(mentor, "30", "15:00")
    await fill_in_up_to_send(mentee, "27", "12:00")

    replies = await asyncio.gather(mentor.click("Отправить"), mentee.click("Отправить"))

    texts = [r.text + (r.alert or "") for r in replies]
    sent = [t for t in texts if "Приглашение отправлено" in t]
    told = [t for t in texts if "уже предложили встречу" in t]
    assert len(sent) == 1 and len(told) == 1, texts
    assert "/my" in told[0] and "Что-то пошло не так" not in told[0]
    [m] = list(await db.scalars(select(Meeting)))
    assert m.status == MeetingStatus.PROPOSED
    # The one told gets the proposal to confirm, as usual.
    assert await deliver() == 1
    loser = mentee if "уже предложили" in texts[1] else mentor
    assert "✅ Подтвердить" in loser.buttons()
