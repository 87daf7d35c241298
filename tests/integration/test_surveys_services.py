"""Surveys below the chat, on PostgreSQL: a municipality's own questionnaire replaces the
default for new invitations while answers keep their version; withdrawal erases survey
texts and keeps the scores; invitations wait for each school's local morning; a round's
results with enough answers; headcount rows handed over by the import layer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Outbox, Participant, Role
from models.surveys import (
    DeficitChange,
    ItemKind,
    RoundKind,
    SurveyAnswer,
    SurveyInstrument,
    SurveyResponse,
)
from services import headcounts
from services.access import Actor
from services.erasure import erase_person
from services.errors import DomainError
from services.headcounts import Counts
from services.imports import headcount_file
from services.outbox import Kind
from services.surveys import answering, instrument, planning, results
from tests import arrange
from tests.arrange import surveys as sv
from tests.arrange.import_files import xlsx
from tests.arrange.instruments import municipal_instrument

DECEMBER = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)  # Wednesday, 09:00 in Moscow
OWN = municipal_instrument()


async def _responses(db: AsyncSession) -> list[SurveyResponse]:
    return list(
        await db.scalars(
            select(SurveyResponse)
            .order_by(SurveyResponse.id)
            .execution_options(populate_existing=True)
        )
    )


async def test_a_municipality_questionnaire_for_new_invitations_old_answers_keep_theirs(
    db: AsyncSession,
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    assert await planning.plan(db, DECEMBER) == 2
    default = await instrument.in_force(db, a.municipality.id, DECEMBER)
    assert default.municipality_id is None and default.version == "nastavnik-2026.1"
    old = next(r for r in await _responses(db) if r.role == Role.MENTEE)
    as_mentee = Actor(303, participant_id=a.mentee.id, roles=frozenset({Role.MENTEE}))
    screen = await answering.show(db, as_mentee, old.id, DECEMBER)
    assert screen.total == 7 and screen.step is not None and screen.step.code == "M1"

    loaded = await instrument.load(
        db, instrument.parse(OWN.encode()), DECEMBER, municipality_id=a.municipality.id
    )
    assert loaded.created and loaded.items == 2
    again = await instrument.load(
        db, instrument.parse(OWN.encode()), DECEMBER, municipality_id=a.municipality.id
    )
    assert not again.created and again.instrument_id == loaded.instrument_id
    changed = instrument.parse(OWN.replace("satisfied_from = 7", "satisfied_from = 6").encode())
    with pytest.raises(DomainError) as err:
        await instrument.load(db, changed, DECEMBER, municipality_id=a.municipality.id)
    assert err.value.code == "surveys.instrument.version_taken"

    # The final round, opened later, invites under the municipality's own version...
    await sv.round_of(db, a.school, RoundKind.FINAL, opens=dt.date(2026, 12, 3))
    assert await planning.plan(db, DECEMBER + dt.timedelta(days=1)) == 2
    fresh = [r for r in await _responses(db) if r.id != old.id and r.role == Role.MENTEE]
    assert [r.instrument_id for r in fresh] == [loaded.instrument_id]
    screen = await answering.show(db, as_mentee, fresh[0].id, DECEMBER + dt.timedelta(days=1))
    assert screen.total == 1 and screen.step is not None and screen.step.code == "A1"
    # ...while the response begun before keeps the default's seven items.
    screen = await answering.show(db, as_mentee, old.id, DECEMBER + dt.timedelta(days=1))
    assert screen.total == 7 and (await db.get(SurveyResponse, old.id)) is not None
    versions = set(await db.scalars(select(SurveyInstrument.version)))
    assert versions == {"nastavnik-2026.1", "mun-1"}


async def test_withdrawal_erases_survey_texts_of_the_person_and_their_pair_keeps_scores(
    db: AsyncSession,
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    other = await arrange.school_with_pair(db, tg=400)
    midterm = await sv.round_of(db, a.school, RoundKind.MIDTERM)
    own = await sv.response(
        db, midterm, a.mentee.id, Role.MENTEE, satisfaction=9, texts={"M7": "Иван Сергеевич"}
    )
    partner = await sv.response(
        db, midterm, a.mentor.id, Role.MENTOR, satisfaction=7, texts={"T6": "Мария молодец"}
    )
    elsewhere = await sv.response(
        db,
        await sv.round_of(db, other.school, RoundKind.MIDTERM),
        other.mentee.id,
        Role.MENTEE,
        satisfaction=5,
        texts={"M7": "Своё"},
    )
    person = await db.get(Participant, a.mentee.id)
    assert person is not None
    await erase_person(db, person, DECEMBER)
    await db.commit()
    rows = {
        (r, value, text)
        for r, value, text in await db.execute(
            select(
                SurveyAnswer.response_id, SurveyAnswer.value, SurveyAnswer.text
            ).execution_options(populate_existing=True)
        )
    }
    assert rows == {
        (own.id, 9, None),
        (own.id, None, None),
        (partner.id, 7, None),
        (partner.id, None, None),
        (elsewhere.id, 5, None),
        (elsewhere.id, None, "Своё"),
    }


async def test_invitations_wait_for_the_morning_in_each_school_zone(db: AsyncSession) -> None:
    moscow = await arrange.school_with_pair(db, tg=300)
    novosibirsk = await arrange.school_with_pair(db, tg=400, zone="Asia/Novosibirsk")
    yakutsk = await arrange.school_with_pair(db, tg=500, zone="Asia/Yakutsk")
    now = dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)  # 17:00, 21:00, 23:00 local
    assert await planning.plan(db, now) == 6
    due = {
        row.recipient_id: row.due_at
        for row in await db.scalars(select(Outbox).where(Outbox.kind == Kind.SURVEY_INVITE))
    }
    assert due[moscow.mentee.id] == now
    assert due[novosibirsk.mentee.id] == dt.datetime(2026, 12, 2, 1, 0, tzinfo=dt.UTC)
    assert due[yakutsk.mentee.id] == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)
    reminders = sorted(
        row.due_at
        for row in await db.scalars(
            select(Outbox).where(
                Outbox.kind == Kind.SURVEY_REMINDER, Outbox.recipient_id == moscow.mentee.id
            )
        )
    )
    # +3 days is Friday the 4th; +7 days is Tuesday the 8th (both working days), 08:00 local.
    assert reminders == [now + dt.timedelta(days=3), now + dt.timedelta(days=7)]


async def test_round_results_with_enough_answers(db: AsyncSession) -> None:
    a = await arrange.school_with_pair(db, tg=300, mentees=3)
    entry = await sv.round_of(db, a.school, RoundKind.ENTRY)
    final = await sv.round_of(db, a.school, RoundKind.FINAL)
    for mentee, before, after, change, text in zip(
        a.mentees,
        (5, 6, 7),
        (9, 8, 10),
        (DeficitChange.CLOSED, DeficitChange.EASIER, DeficitChange.UNCHANGED),
        ("Разбор уроков", "Вместе готовили ВПР", "Поддержка"),
        strict=True,
    ):
        await sv.response(db, entry, mentee.id, Role.MENTEE, satisfaction=before)
        await sv.response(
            db,
            final,
            mentee.id,
            Role.MENTEE,
            satisfaction=after,
            changes={"psy_discipline": change},
            texts={"M7": text},
        )
    await sv.response(db, final, a.mentor.id, Role.MENTOR, satisfaction=9)
    admin = Actor(0, is_admin=True)
    scope = await results.school_scope(db, admin, a.school.id)
    res = await results.results(db, scope, RoundKind.FINAL, DECEMBER)
    mentees, mentors = res.roles
    assert (mentees.finished, mentees.invited, mentees.hidden) == (3, 3, False)
    assert (mentors.finished, mentors.hidden, mentors.items) == (1, True, [])
    by_code = {i.code: i for i in mentees.items}
    assert by_code["M1"].counts == {9: 1, 8: 1, 10: 1} and by_code["M1"].mean == 9.0
    assert by_code["M7"].texts == ["Вместе готовили ВПР", "Поддержка", "Разбор уроков"]
    assert by_code["D2"].kind == ItemKind.DEFICIT_CHANGE
    assert by_code["D2"].per_deficit == {"Дисциплина на уроке": {1: 1, 2: 1, 3: 1}}
    assert [(s.code, s.entry, s.final) for s in mentees.shifts] == [("M1", 6.0, 9.0)]
    assert "собственный вариант проекта" in res.source_notes[0]


async def test_municipality_results_leave_out_a_school_of_one_answer(db: AsyncSession) -> None:
    # School A: three mentees answered (shown on its own); school B: one (hidden on its
    # own). Counted in the municipality, B's answer would be the municipality minus A.
    mun, (a, b, _) = await arrange.municipality_with_schools(db)
    midterm_a = await sv.round_of(db, a, RoundKind.MIDTERM)
    midterm_b = await sv.round_of(db, b, RoundKind.MIDTERM)
    for n, score in enumerate((9, 8, 7)):
        p = await arrange.mentee(db, 500 + n, f"Иванова {n}", a)
        await sv.response(db, midterm_a, p.id, Role.MENTEE, satisfaction=score, texts={"M7": "А"})
    lone = await arrange.mentee(db, 510, "Петрова Б", b)
    await sv.response(db, midterm_b, lone.id, Role.MENTEE, satisfaction=2, texts={"M7": "Б"})
    admin = Actor(0, is_admin=True)
    scope = await results.municipality_scope(db, admin, mun.id)
    mentees, _ = (await results.results(db, scope, RoundKind.MIDTERM, DECEMBER)).roles
    assert (mentees.finished, mentees.hidden, mentees.left_out) == (4, False, 1)
    by_code = {i.code: i for i in mentees.items}
    assert by_code["M1"].counts == {9: 1, 8: 1, 7: 1}  # no 2
    assert by_code["M7"].texts == ["А", "А", "А"]  # no «Б»
    school_b = await results.school_scope(db, admin, b.id)
    alone, _ = (await results.results(db, school_b, RoundKind.MIDTERM, DECEMBER)).roles
    assert alone.hidden and alone.items == []


async def test_headcount_file_previews_then_saves_in_scope_with_errors_per_row(
    db: AsyncSession,
) -> None:
    a = await arrange.school_with_pair(db, tg=300)
    other = await arrange.school_with_pair(db, tg=400)
    coordinator = Actor(
        telegram_id=1, coordinator_municipality_ids=frozenset({a.school.municipality_id})
    )
    mun = (await db.get(Municipality, a.school.municipality_id)).name  # type: ignore[union-attr]
    theirs = (await db.get(Municipality, other.school.municipality_id)).name  # type: ignore[union-attr]
    data = xlsx(
        [
            ["Численность педагогов на 2026/2027 учебный год"],
            [
                "Муниципалитет",
                "ОО",
                "Учебный год",
                "Всего педагогов",
                "До 35 лет",
                "Молодых специалистов",
            ],
            [mun, a.school.name, "2026/2027", 40, 12, 5],
            [mun, "МБОУ «Нет такой»", "2026/2027", 10, 1, 1],
            [mun, a.school.name, "2025-26", 10, 11, 1],
            [theirs, other.school.name, "2026/2027", 30, 3, 3],
            [mun, a.school.name.upper(), "2026/2027", 41, 12, 5],
        ]
    )
    assert headcount_file.is_headcount_file(data, "численность.xlsx")
    plan = await headcount_file.preview(
        db, data, "численность.xlsx", actor=coordinator, now=DECEMBER
    )
    assert [(x.row, x.school_id, x.year) for x in plan.new] == [(3, a.school.id, "2026/2027")]
    assert [(e.row, e.code) for e in plan.errors] == [
        (4, "imports.err.no_such_school"),
        (5, "imports.err.more_than_total"),
    ]
    assert [(s.row, s.reason) for s in plan.skipped] == [(6, "scope")]
    assert [(r.row, r.first_row) for r in plan.repeats] == [(7, 3)]
    with pytest.raises(DomainError):
        await headcount_file.apply(
            db, data, "численность.xlsx", actor=coordinator, only_valid=False, now=DECEMBER
        )
    _, result = await headcount_file.apply(
        db, data, "численность.xlsx", actor=coordinator, only_valid=True, now=DECEMBER
    )
    assert (result.saved, result.schools) == (1, 1)
    saved = await headcounts.of_schools(db, [a.school.id, other.school.id], "2026/2027")
    assert saved == {a.school.id: Counts(40, 12, 5)}
    # The same file again: nothing new; a changed number shows what it was.
    plan = await headcount_file.preview(db, data, "численность.xlsx", actor=None, now=DECEMBER)
    assert [x.row for x in plan.same] == [3] and [x.row for x in plan.new] == [6]
    # A school's curator is not a coordinator: refused.
    curator = Actor(telegram_id=2, curator_school_ids=frozenset({a.school.id}))
    with pytest.raises(DomainError):
        await headcount_file.preview(db, data, "численность.xlsx", actor=curator, now=DECEMBER)
