"""Questionnaire answers: what a person may type, and the hint they get otherwise."""

from __future__ import annotations

import pytest

from services import validation
from services.errors import DomainError
from services.validation import FieldError


def _code(exc: pytest.ExceptionInfo[FieldError]) -> str:
    return exc.value.code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Иванова Мария Петровна", "Иванова Мария Петровна"),
        ("  иванова   мария  ", "Иванова Мария"),
        ("петрова-водкина анна сергеевна", "Петрова-Водкина Анна Сергеевна"),
        ("Семёнова Алёна", "Семёнова Алёна"),
        ("Smith John", "Smith John"),
        ("Иванов И. И.", "Иванов И. И."),
    ],
)
def test_full_name_accepts_two_to_four_words_and_capitalises(typed: str, stored: str) -> None:
    assert validation.full_name(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "Иванова",  # one word
        "Иванова Мария Петровна Сергеевна Васильевна",  # five words
        "Иванова Мария 2",  # digits
        "Иванова1 Мария",
        "",
        "   ",
        "Иванова, Мария",
        "@ivanova Мария",
    ],
)
def test_full_name_refuses_what_is_not_a_name(typed: str) -> None:
    with pytest.raises(FieldError) as exc:
        validation.full_name(typed)
    assert _code(exc) == "form.error.full_name"


def test_full_name_of_200_characters_is_too_long_with_the_length_and_the_limit() -> None:
    typed = "Иванова " + "а" * 192
    assert len(typed) == 200
    with pytest.raises(FieldError) as exc:
        validation.full_name(typed)
    assert _code(exc) == "form.error.too_long"
    assert exc.value.params == {"length": 200, "limit": validation.MAX_NAME}


def test_field_error_is_a_domain_error_so_handlers_show_its_text() -> None:
    assert issubclass(FieldError, DomainError)


@pytest.mark.parametrize(("typed", "years"), [("0", 0), (" 3 ", 3), ("12", 12), ("50", 50)])
def test_experience_accepts_whole_years(typed: str, years: int) -> None:
    assert validation.experience_years(typed) == years


@pytest.mark.parametrize("typed", ["пять", "3.5", "-1", "", "3 года"])
def test_experience_must_be_a_number(typed: str) -> None:
    with pytest.raises(FieldError) as exc:
        validation.experience_years(typed)
    assert _code(exc) == "form.error.not_a_number"


@pytest.mark.parametrize("typed", ["51", "99"])
def test_experience_over_the_limit_is_out_of_range(typed: str) -> None:
    with pytest.raises(FieldError) as exc:
        validation.experience_years(typed)
    assert _code(exc) == "form.error.experience_range"
    assert exc.value.params == {"limit": validation.MAX_EXPERIENCE}


@pytest.mark.parametrize(("typed", "value"), [("1", 1), (" 2 ", 2), ("10", 10)])
def test_capacity_accepts_one_to_ten(typed: str, value: int) -> None:
    assert validation.capacity(typed) == value


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0", "form.error.capacity_range"),
        ("11", "form.error.capacity_range"),
        ("два", "form.error.not_a_number"),
        ("", "form.error.not_a_number"),
    ],
)
def test_capacity_outside_one_to_ten_is_refused(typed: str, code: str) -> None:
    with pytest.raises(FieldError) as exc:
        validation.capacity(typed)
    assert _code(exc) == code


def test_short_text_squashes_spaces_and_needs_a_letter() -> None:
    assert validation.short_text("  учитель   математики ") == "учитель математики"
    with pytest.raises(FieldError) as exc:
        validation.short_text("123")
    assert _code(exc) == "form.error.short_text"
    with pytest.raises(FieldError) as exc:
        validation.short_text("а" * 151)
    assert _code(exc) == "form.error.too_long"


def test_long_text_keeps_line_breaks_and_limits_length() -> None:
    assert validation.long_text(" Первое.\nВторое. ") == "Первое.\nВторое."
    with pytest.raises(FieldError) as exc:
        validation.long_text("а" * 1001)
    assert _code(exc) == "form.error.too_long"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("007", 7),
        ("9" * 18, int("9" * 18)),
        ("9" * 19, None),  # past what a bigint holds, whatever the digits
        ("²", None),  # a digit to str.isdigit; int() refuses it
        ("١٢٣", None),  # Arabic-Indic digits: int() would read them
        ("-5", None),
        ("", None),
        ("12a", None),
    ],
)
def test_as_id_takes_plain_digits_only(text: str, expected: int | None) -> None:
    assert validation.as_id(text) == expected
