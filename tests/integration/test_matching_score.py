"""The match score (pure) and the ranking query on PostgreSQL: candidates, free places,
scope."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models import PairStatus, School
from services import matching
from services.access import Actor
from services.errors import AccessDenied, DomainError
from services.matching import MenteeFacts, MentorFacts, rank, score
from tests import arrange

MENTEE = MenteeFacts(
    participant_id=1, school_id=10, subject="Математика", deficits=frozenset({1, 2})
)


def mentor(pid: int, **kw: object) -> MentorFacts:
    base: dict[str, object] = {
        "participant_id": pid,
        "school_id": 10,
        "subject": "математика",
        "competencies": frozenset({1, 2}),
        "capacity": 2,
        "current_mentees": 0,
        "experience_years": 12,
    }
    base.update(kw)
    return MentorFacts(**base)  # type: ignore[arg-type]


def codes(s: matching.Score) -> dict[str, int]:
    return {r.code: r.points for r in s.reasons}


def test_every_reason_adds_its_points_and_the_total_is_their_sum() -> None:
    s = score(MENTEE, mentor(2))
    assert codes(s) == {
        "same_school": 30,
        "same_subject": 25,
        "covers": 40,
        "free": 10,
        "experience": 6,
    }
    assert s.total == 111 and s.has_place and s.covered == (1, 2)


def test_subject_matches_regardless_of_case_spaces_and_yo() -> None:
    mentee = MenteeFacts(1, 10, "  Естествознание ", frozenset())
    assert "same_subject" in codes(score(mentee, mentor(2, subject="ёстествознание")))
    assert "same_subject" not in codes(score(mentee, mentor(2, subject="физика")))
    assert "same_subject" not in codes(score(MenteeFacts(1, 10, None, frozenset()), mentor(2)))


def test_partial_cover_scores_a_share_and_names_what_is_covered() -> None:
    s = score(MENTEE, mentor(2, competencies=frozenset({2, 7})))
    assert codes(s)["covers"] == 20 and s.covered == (2,)
    r = next(r for r in s.reasons if r.code == "covers")
    assert r.params == {"covered": 1, "total": 2}
    assert "covers" not in codes(score(MENTEE, mentor(2, competencies=frozenset({7}))))


def test_experience_counts_one_point_per_two_years_up_to_ten() -> None:
    assert codes(score(MENTEE, mentor(2, experience_years=3)))["experience"] == 1
    assert codes(score(MENTEE, mentor(2, experience_years=40)))["experience"] == 10
    assert "experience" not in codes(score(MENTEE, mentor(2, experience_years=None)))


def test_full_mentor_is_marked_and_ranked_last_whatever_the_score() -> None:
    full = mentor(2, capacity=1, current_mentees=1, experience_years=30)
    weak = mentor(3, school_id=11, subject="химия", competencies=frozenset(), experience_years=1)
    ranked = rank(MENTEE, [full, weak])
    assert [s.mentor_id for s in ranked] == [3, 2]
    assert ranked[1].total > ranked[0].total and not ranked[1].has_place
    assert "full" in codes(ranked[1]) and "free" not in codes(ranked[1])


def test_ranking_best_first_and_the_mentee_is_never_their_own_mentor() -> None:
    same_school = mentor(2)
    other_school = mentor(3, school_id=11)
    other_subject = mentor(4, subject="история")
    ended_before = mentor(5, ended_with_mentee=True)
    itself = mentor(1)
    ranked = rank(MENTEE, [other_subject, other_school, ended_before, same_school, itself])
    # The same school weighs more than the same subject.
    assert [s.mentor_id for s in ranked] == [2, 4, 3, 5]
    assert codes(ranked[-1])["ended_before"] == matching.ENDED_BEFORE


async def test_suggest_counts_current_mentees_and_keeps_to_the_municipality(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    w = await arrange.world(db)
    # Петров (capacity 2) already leads one mentee in a live pair and had one that ended.
    busy = await arrange.mentee(db, 240, "Юдина Алла Петровна", w.school_a)
    await arrange.pair(db, w.petrov, [busy])
    gone = await arrange.mentee(db, 241, "Яковлева Ия Петровна", w.school_a)
    await arrange.pair(db, w.petrov, [gone], status=PairStatus.ENDED)
    # A mentor of another municipality never appears.
    other_mun = await arrange.municipality_other(db)
    far_school = await db.scalar(select(School).where(School.municipality_id == other_mun.id))
    assert far_school is not None
    await arrange.mentor(db, 399, "Дальний Андрей Петрович", far_school)

    actor = Actor(
        telegram_id=arrange.CURATOR_A,
        participant_id=w.curator_a.id,
        curator_school_ids=frozenset({w.school_a.id}),
    )
    async with sessionmaker() as session:  # as a handler would: a session of its own
        found = await matching.suggest(session, actor, w.mentee.id, 0)
    names = [s.full_name for s in found.items]
    assert "Дальний Андрей Петрович" not in names
    assert names[0] == "Петров Иван Сергеевич"
    petrov = found.items[0]
    free = next(r for r in petrov.score.reasons if r.code == "free")
    assert free.params == {"free": 1, "capacity": 2}
    assert petrov.covered_titles == ["Дисциплина на уроке", "Работа с родителями"]
    assert names[-1] == "Зайцев Олег Юрьевич"
    assert found.total == 4 and found.pages == 1

    stranger = Actor(
        telegram_id=arrange.CURATOR_B,
        participant_id=w.curator_b.id,
        curator_school_ids=frozenset({w.school_b.id}),
    )
    async with sessionmaker() as session:
        with pytest.raises(AccessDenied):
            await matching.suggest(session, stranger, w.mentee.id, 0)
        with pytest.raises(DomainError, match=r"error\.staff_only"):
            await matching.unmatched(session, Actor(telegram_id=arrange.MENTEE), 0)
