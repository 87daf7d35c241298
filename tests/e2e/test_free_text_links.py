"""Texts typed by participants reach curators (and the other side) with every link,
e-mail, @mention and /command inside <code>: Telegram never makes those clickable, so a
curator is not one tap from a link someone typed. The meeting's own online link stays
a link."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from models import MeetingKind, MeetingStatus, MenteeProfile
from tests import arrange
from tests.arrange import mentor_and_mentees
from tests.fakes.client import Deliver, Person, PersonFactory

URL = "https://evil.example/login?a=1&b=2"
TYPED = f"Зайдите на {URL}, пишите @evil_bot или на x@evil.example, наберите /start"


def assert_defanged(text: str) -> None:
    """Every link-like piece is present and only ever inside <code>."""
    escaped_url = URL.replace("&", "&amp;")
    for piece in (escaped_url, "@evil_bot", "x@evil.example", "/start"):
        assert f"<code>{piece}" in text, (piece, text)
    outside = re.sub(r"<code>.*?</code>", "", text)
    for piece in ("evil.example", "@evil_bot", "/start"):
        assert piece not in outside, (piece, outside)


async def test_low_rating_alert_shows_the_typed_link_as_code(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    await arrange.trial_with_feedback_asked(db)
    mentee = person("Мария", user_id=303)
    await deliver()
    await mentee.click("2")
    await mentee.send(TYPED)
    assert await deliver() == 1
    alert = mentee.api.chat(301)[-1]
    assert "Низкая оценка встречи" in alert.text
    assert_defanged(alert.text)


async def test_pair_card_shows_typed_comments_and_reasons_as_code(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    p = await arrange.pair(db, w.petrov, [w.mentee], next_kind=MeetingKind.TRIAL)
    intro = await arrange.meeting(
        db, p, MeetingKind.INTRO, arrange.NOW - dt.timedelta(days=8), status=MeetingStatus.HELD
    )
    await arrange.feedback(db, intro, w.mentee, rating=2, hard=TYPED)
    await arrange.feedback(db, intro, w.petrov, rating=4, helped=TYPED)
    skipped = await arrange.meeting(
        db, p, MeetingKind.TRIAL, arrange.NOW - dt.timedelta(days=9), status=MeetingStatus.CANCELLED
    )
    skipped.skip_reason = TYPED
    await db.commit()

    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/pairs")
    reply = await curator.click("Петров И. С. → Иванова М. П.")
    assert "оценка 2 из 5" in reply.text
    assert reply.text.count("<code>@evil_bot</code>") == 3
    assert_defanged(reply.text)
    assert "@ivanova_m" in reply.text  # the contact we show is meant to be tapped


async def test_mentee_request_in_the_mentor_suggestions_shows_the_link_as_code(
    db: AsyncSession, person: PersonFactory
) -> None:
    w = await arrange.world(db)
    await db.execute(
        update(MenteeProfile)
        .where(MenteeProfile.participant_id == w.mentee.id)
        .values(request_text=TYPED)
    )
    await db.commit()
    curator = person("Анна", user_id=arrange.CURATOR_A)
    await curator.send("/unmatched")
    reply = await curator.click("Подобрать наставника: Иванова М. П.")
    assert "Зайдите на" in reply.text
    assert_defanged(reply.text)


async def _schedule(p: Person, online: bool, place: str) -> None:
    await p.send("/my")
    await p.click("Назначить встречу")
    for m in reversed(p.api.chat(p.user_id)):
        day = next((d for label, d in m.buttons if label == "30"), None)
        if day:
            await p.press(m, day)
            break
    await p.click("День")
    await p.click("15:00")
    await p.click("Онлайн" if online else "Очно")
    await p.send(place)
    await p.click("Отправить")


async def test_online_link_stays_a_link_and_a_typed_place_does_not(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    _, schools = await arrange.municipality_with_schools(db)
    await mentor_and_mentees(db, schools[0], mentor_tg=731, mentee_tgs=(732,))
    mentor, mentee = person("Иван", user_id=731), person("Мария", user_id=732)

    await _schedule(mentor, online=True, place="https://zoom.us/j/123456")
    assert await deliver() == 1
    proposal = mentee.api.chat(732)[-1].text
    assert "https://zoom.us/j/123456" in proposal
    assert "<code>https://zoom.us" not in proposal

    await mentor.send("/my")
    await mentor.click("Отменить")
    await mentor.click("Да, отменить")
    await _schedule(mentor, online=False, place="кабинет 12, схема: school.example/map")
    await deliver()
    proposal = mentee.api.chat(732)[-1].text
    assert "<code>school.example/map</code>" in proposal
