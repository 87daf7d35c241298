"""The digest picture and text for the curator's guide, made by the real code.

A throwaway SQLite database is migrated, filled with the demo municipality
(``python -m bot demo-data``'s people), and its Moscow school gets twelve weeks of
work: pairs and a group, meetings every week or two with ratings, a stalled pair, a
pair whose mentee said «не подходит» with a low rating this week, a pair without an
order, the school's headcount. Then the digest of the school's curator is composed on
Monday 23 November 2026, 08:30 in Moscow, exactly as the outbox sends it
(bot.ui.digest.compose: services.digest.content and bot.ui.digest.chart), and:

- the chart goes to docs/digest-chart.png (Telegram gets it as a JPEG; the guide's
  copy is the same picture in PNG);
- the text (as the person reads it, without markup) and the buttons replace the block
  between the «digest-example» markers in docs/curator-guide.md.

Run: ``uv run python -m bench.digest_example`` (deterministic: the same files each time).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import io
import random
import re
import tempfile
from pathlib import Path

from PIL import Image
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.i18n import create_i18n
from bot.migrate import upgrade
from bot.ui.digest.compose import Composed, compose
from models import (
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    PlanGoal,
    Role,
    RoleGrant,
    School,
)
from models.db import create_engine, create_sessionmaker
from models.surveys import Headcount
from services import demo
from services.access import Actor
from services.clock import FixedClock

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "docs" / "digest-chart.png"
GUIDE = ROOT / "docs" / "curator-guide.md"
START, END = "<!-- digest-example:start -->", "<!-- digest-example:end -->"

NOW = dt.datetime(2026, 11, 23, 5, 30, tzinfo=dt.UTC)  # Monday 08:30 in Moscow
WEEK = dt.timedelta(days=7)
CYCLE = (MeetingKind.INTRO, MeetingKind.TRIAL, MeetingKind.PLANNING)


def _meeting(pair: Pair, kind: MeetingKind, at: dt.datetime) -> Meeting:
    return Meeting(
        pair_id=pair.id,
        kind=kind,
        status=MeetingStatus.HELD,
        starts_at=at,
        format=MeetingFormat.OFFLINE,
        place="кабинет 12",
        created_by_id=pair.mentor_id,
        duration_min=45,
        logged_at=at + dt.timedelta(hours=1),
        created_at=at,
    )


def _feedback(m: Meeting, who: int, rating: int, hard: str | None = None) -> Feedback:
    return Feedback(
        meeting_id=m.id,
        participant_id=who,
        status=FeedbackStatus.GIVEN,
        rating=rating,
        hard=hard,
        shared=False,
        requested_at=m.starts_at + dt.timedelta(hours=1),
        due_at=m.starts_at + dt.timedelta(hours=49),
        given_at=m.starts_at + dt.timedelta(hours=3),
    )


async def _people(session: AsyncSession, school_id: int, role: Role) -> list[Participant]:
    return list(
        await session.scalars(
            select(Participant)
            .join(RoleGrant, RoleGrant.participant_id == Participant.id)
            .where(RoleGrant.role == role, RoleGrant.school_id == school_id)
            .order_by(Participant.id)
        )
    )


async def _pair(
    session: AsyncSession,
    school: School,
    mentor: Participant,
    mentees: list[Participant],
    weeks_ago: int,
    *,
    order: bool = True,
) -> Pair:
    formed = NOW - weeks_ago * WEEK - dt.timedelta(days=3)
    pair = Pair(
        school_id=school.id,
        mentor_id=mentor.id,
        status=PairStatus.ACTIVE,
        next_kind=MeetingKind.INTRO,
        stage_since=formed,
        formed_at=formed,
        order_number=f"{40 + mentor.id % 50}-од" if order else None,
        order_date=formed.date() if order else None,
    )
    pair.members = [PairMember(mentee_id=m.id, joined_at=formed) for m in mentees]
    session.add(pair)
    await session.flush()
    return pair


async def _weeks_of_work(session: AsyncSession, school: School, rnd: random.Random) -> None:
    """Twelve weeks of a school's work, ending the week before NOW."""
    mentors = await _people(session, school.id, Role.MENTOR)
    mentees = await _people(session, school.id, Role.MENTEE)
    # A group of two, three pairs; the rest of the mentees wait for a mentor.
    units = [
        (mentors[0], mentees[0:2], 12, True),
        (mentors[1], mentees[2:3], 11, True),
        (mentors[2], mentees[3:4], 9, False),  # no order yet
        (mentors[3 % len(mentors)], mentees[4:5], 8, True),
    ]
    pairs = [await _pair(session, school, m, ms, weeks, order=o) for m, ms, weeks, o in units]
    for n, (pair, (_, members, weeks, _)) in enumerate(zip(pairs, units, strict=True)):
        stalled = n == 1  # meets no more after its introduction
        troubled = n == 3  # the trial of this week goes badly
        held: list[Meeting] = []
        week = weeks
        while week >= 1:
            kind = CYCLE[len(held)] if len(held) < len(CYCLE) else MeetingKind.REGULAR
            if troubled and kind == MeetingKind.TRIAL:
                week = 1  # last week
            at = NOW - week * WEEK + dt.timedelta(days=rnd.randint(0, 3), hours=8)
            m = _meeting(pair, kind, at)
            session.add(m)
            await session.flush()
            held.append(m)
            bad = troubled and kind == MeetingKind.TRIAL
            for mentee in members:
                rating = 2 if bad else rnd.choice((4, 5, 5))
                hard = "Не совпадаем по предмету" if bad else None
                session.add(_feedback(m, mentee.id, rating, hard))
            session.add(_feedback(m, pair.mentor_id, rnd.choice((4, 5))))
            if stalled:
                break
            week -= rnd.choice((1, 1, 2))
        pair.next_kind = CYCLE[len(held)] if len(held) < len(CYCLE) else MeetingKind.REGULAR
        pair.stage_since = held[-1].starts_at
        if troubled:
            pair.mentor_fit = True
        if len(held) >= len(CYCLE):
            for mentee in members:
                session.add(
                    PlanGoal(
                        pair_id=pair.id,
                        mentee_id=mentee.id,
                        title="Разработать технологическую карту урока",
                        target_month=dt.date(2027, 2, 1),
                        status=GoalStatus.IN_PROGRESS,
                        created_at=held[2].starts_at,
                        updated_at=held[2].starts_at,
                    )
                )
    session.add(
        Headcount(
            school_id=school.id,
            academic_year="2026/2027",
            teachers=48,
            under_35=14,
            young_specialists=8,
            source="bot",
            entered_at=NOW - 10 * WEEK,
        )
    )
    await session.commit()


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _guide_block(made: Composed) -> str:
    buttons = [b.text for row in made.markup.inline_keyboard for b in row]
    lines = [START, "", "```text", _plain(made.text), "```", ""]
    if buttons:
        lines += ["Кнопки под сводкой: " + ", ".join(f"«{b}»" for b in buttons) + ".", ""]
    lines += [
        f"![Картинка к сводке: встречи по неделям и показатели против целей]({CHART.name})",
        "",
        END,
    ]
    return "\n".join(lines)


async def make(db_path: Path) -> Composed:
    url = f"sqlite+aiosqlite:///{db_path}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    try:
        with create_i18n().context():
            async with sessionmaker() as session:
                await demo.load(session, clock=FixedClock(NOW - 13 * WEEK))
                await session.commit()
                school = await session.scalar(
                    select(School).where(School.timezone == "Europe/Moscow").order_by(School.id)
                )
                assert school is not None
                await _weeks_of_work(session, school, random.Random(20261123))
                curator = (await _people(session, school.id, Role.CURATOR))[0]
                person = await session.scalar(
                    select(Participant)
                    .options(selectinload(Participant.roles))
                    .where(Participant.id == curator.id)
                )
                assert person is not None and person.telegram_id is not None
                actor = Actor.of(person.telegram_id, person, is_admin=False)
                return await compose(session, actor, NOW, None)
    finally:
        await engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        made = asyncio.run(make(Path(tmp) / "example.db"))
    assert made.chart is not None, "a quiet week has no chart"
    Image.open(io.BytesIO(made.chart[1])).save(CHART, optimize=True)
    guide = GUIDE.read_text(encoding="utf-8")
    if START in guide and END in guide:
        head, rest = guide.split(START, 1)
        _, tail = rest.split(END, 1)
        GUIDE.write_text(head + _guide_block(made) + tail, encoding="utf-8")
        print(f"{GUIDE.relative_to(ROOT)}: the example block replaced")
    print(_plain(made.text))
    print(f"{CHART.relative_to(ROOT)}: {CHART.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
