"""The club's channel post (and the organiser's message when the bot is not an admin
there), and the reminders a day and an hour before, at the right local times, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import ClubEventStatus, Outbox, OutboxStatus, Participant
from services.clock import FixedClock
from services.club import reminders
from services.outbox import Kind
from tests.arrange import club as arrange_club
from tests.fakes.bot_api import Failure
from tests.fakes.client import Deliver, PersonFactory

CHANNEL = -1001234567890


async def test_publishing_posts_to_the_club_channel_and_tells_when_the_bot_is_no_admin(
    db: AsyncSession, person: PersonFactory, deliver: Deliver
) -> None:
    w = await arrange_club.club_world(db)
    olga = person("Ольга", user_id=arrange_club.COORDINATOR)
    reply = await olga.send("/club_channel канал")
    assert "Узнайте числовой id канала" in reply.text
    reply = await olga.send(f"/club_channel {CHANNEL}")
    assert "Канал клуба для «Городской округ Серпухов» сохранён" in reply.text

    await arrange_club.club_event(db, w.municipality, status=ClubEventStatus.DRAFT)
    await olga.send("/club")
    await olga.click("Первый урок")
    await olga.click("Опубликовать")
    await deliver()
    posts = olga.api.chat(CHANNEL)
    assert len(posts) == 1 and "Мастер-класс «Первый урок»" in posts[0].text
    assert not posts[0].buttons  # nobody answers in a channel

    # The bot lost its admin rights: the organiser is told, not marked as blocking.
    olga.api.failures.append(
        Failure(
            "sendMessage",
            CHANNEL,
            400,
            "Bad Request: need administrator rights in the channel chat",
        )
    )
    await arrange_club.club_event(
        db, w.municipality, title="Круглый стол «Первый год»", status=ClubEventStatus.DRAFT
    )
    await olga.send("/club")
    await olga.click("Круглый стол")
    await olga.click("Опубликовать")
    await deliver()
    await deliver()
    told = [m for m in olga.api.chat(olga.user_id) if "Не удалось опубликовать" in m.text]
    assert told and "бот не администратор канала" in told[0].text
    assert "🔁 Опубликовать в канале ещё раз" in olga.buttons()
    me = await db.scalar(
        select(Participant)
        .where(Participant.id == w.coordinator.id)
        .execution_options(populate_existing=True)
    )
    assert me is not None and not me.blocked_bot
    assert len(olga.api.chat(CHANNEL)) == 1
    # Made an admin again: the repost goes.
    await olga.click("Опубликовать в канале ещё раз")
    await deliver()
    assert "Круглый стол «Первый год»" in olga.api.chat(CHANNEL)[-1].text


async def _reminders(db: AsyncSession) -> list[tuple[str, dt.datetime]]:
    rows = await db.scalars(
        select(Outbox)
        .where(Outbox.kind.in_((Kind.CLUB_REMIND_DAY, Kind.CLUB_REMIND_HOUR)))
        .order_by(Outbox.due_at)
        .execution_options(populate_existing=True)
    )
    return [(r.kind, r.due_at) for r in rows]


async def test_reminders_a_day_and_an_hour_before_in_local_time_once(
    db: AsyncSession,
    person: PersonFactory,
    deliver: Deliver,
    clock: FixedClock,
) -> None:
    w = await arrange_club.club_world(db)
    event = await arrange_club.club_event(db, w.municipality)  # 26.11 15:00 Moscow
    await arrange_club.rsvp(db, event, w.young_a)
    early = await arrange_club.club_event(
        db,
        w.municipality,
        title="Утренняя планёрка клуба",
        starts_at=dt.datetime(2026, 11, 27, 4, 30, tzinfo=dt.UTC),  # 07:30 Moscow
    )
    await arrange_club.rsvp(db, early, w.young_a)

    assert await reminders.plan(db, clock.now()) == 0  # three days ahead: nothing yet
    clock.at = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)  # 15:00 Moscow, a day before
    await reminders.plan(db, clock.now())
    await reminders.plan(db, clock.now())  # a second tick adds nothing
    assert await _reminders(db) == [(Kind.CLUB_REMIND_DAY, clock.now())]
    await deliver()
    maria = person("Мария", user_id=arrange_club.YOUNG_A)
    assert "Напоминание: завтра мероприятие клуба" in maria.api.chat(maria.user_id)[-1].text

    # The early event's day reminder would fall at 07:30 Moscow, in the quiet hours:
    # it comes at 08:00; its hour reminder (06:30) is never sent.
    clock.at = dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC)
    await reminders.plan(db, clock.now())
    assert (Kind.CLUB_REMIND_DAY, dt.datetime(2026, 11, 26, 5, 0, tzinfo=dt.UTC)) in (
        await _reminders(db)
    )
    clock.at = dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)  # 14:00 Moscow
    await reminders.plan(db, clock.now())
    await deliver()
    assert "Через час начинается" in maria.api.chat(maria.user_id)[-1].text
    clock.at = dt.datetime(2026, 11, 27, 3, 30, tzinfo=dt.UTC)  # 06:30 Moscow
    await reminders.plan(db, clock.now())
    hour_rows = [r for r in await _reminders(db) if r[0] == Kind.CLUB_REMIND_HOUR]
    assert hour_rows == [(Kind.CLUB_REMIND_HOUR, dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC))]
    sent = await db.scalars(select(Outbox.status).where(Outbox.kind == Kind.CLUB_REMIND_HOUR))
    assert list(sent) == [OutboxStatus.SENT]
