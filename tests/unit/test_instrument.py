"""The questionnaire file: the project's default parses and is marked as our own; a
municipality's file is checked (one satisfaction item per role, asked in every round,
a 1–10 scale; per-deficit items for mentees; known kinds, roles and rounds)."""

from __future__ import annotations

import pytest

from models import Role
from models.surveys import ItemKind, Measure, RoundKind
from services.surveys.instrument import DEFAULT_FILE, InstrumentError, parse
from tests.arrange.instruments import municipal_instrument

GOOD = (
    municipal_instrument(
        version="serpukhov-1",
        source_note="Утверждена приказом УО",
        mentor_rounds='"final", "entry", "midterm"',
    )
    + """
[[item]]
code = "A2"
role = "mentee"
kind = "deficit_change"
rounds = ["final"]
text = "Что изменилось?"
"""
)


def test_the_default_is_our_own_instrument_with_every_item_of_the_guide() -> None:
    spec = parse(DEFAULT_FILE.read_bytes())
    assert spec.satisfied_from == 8
    assert "собственный вариант проекта" in spec.source_note
    assert "не приводят вопросов анкеты" in spec.source_note
    codes = {i.code for i in spec.items}
    assert {f"M{n}" for n in range(1, 10)} <= codes
    assert {f"T{n}" for n in range(1, 9)} <= codes
    main = {i.role: i for i in spec.items if i.measure == Measure.SATISFACTION}
    assert {r: i.code for r, i in main.items()} == {Role.MENTEE: "M1", Role.MENTOR: "T1"}
    final_only = {i.code for i in spec.items if i.rounds == (RoundKind.FINAL,)}
    assert {"M6", "M9", "T8", "D2"} <= final_only
    change = next(i for i in spec.items if i.kind == ItemKind.DEFICIT_CHANGE)
    assert change.measure == Measure.DEFICIT_CHANGE and change.role == Role.MENTEE


def test_a_municipality_file_is_read_in_its_order() -> None:
    spec = parse(GOOD.encode())
    assert [i.code for i in spec.items] == ["A1", "B1", "A2"]
    assert spec.items[1].rounds == (RoundKind.ENTRY, RoundKind.MIDTERM, RoundKind.FINAL)
    assert spec.satisfied_from == 7 and len(spec.sha256) == 64


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("satisfied_from = 7", "satisfied_from = 11"),
        # the mentor's satisfaction item loses its measure
        (
            'rounds = ["final", "entry", "midterm"]\nmeasure',
            'rounds = ["final", "entry", "midterm"]\nmeasur_',
        ),
        ('role = "mentor"', 'role = "curator"'),
        ('kind = "deficit_change"', 'kind = "essay"'),
        ('rounds = ["final"]', 'rounds = ["spring"]'),
        ('code = "A2"', 'code = "A1"'),
        ('rounds = ["final", "entry", "midterm"]', 'rounds = ["final"]'),
    ],
)
def test_bad_files_are_refused_with_what_is_wrong(change: str, problem: str) -> None:
    bad = GOOD.replace(change, problem, 1)
    assert bad != GOOD
    with pytest.raises(InstrumentError) as err:
        parse(bad.encode())
    assert err.value.code == "surveys.instrument.bad_file" and err.value.params["detail"]


def test_not_toml_at_all() -> None:
    with pytest.raises(InstrumentError):
        parse("это не анкета".encode())
    with pytest.raises(InstrumentError):
        parse(b"\xff\xfe")
    mentor_deficits = GOOD.replace(
        'role = "mentee"\nkind = "deficit_change"', 'role = "mentor"\nkind = "deficit_change"'
    )
    with pytest.raises(InstrumentError):
        parse(mentor_deficits.encode())
