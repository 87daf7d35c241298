"""Every text key the code asks for exists in the Russian catalogue, and plurals agree
with the number."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import LOCALES_DIR, load_po_locales, t
from bot.ui import commands
from models import AgeGroup, ParticipantStatus, QualificationCategory, Role
from services import questionnaire

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ("bot", "handlers", "scheduler")
SERVICE_DIRS = ("services",)

# t("key") or t('key'), possibly an f-string, as the whole first argument (a key glued
# from pieces, t("role." + x), is not checked).
_T_CALL = re.compile(r"""\bt\(\s*(f?)(["'])([^"'\n]+?)\2\s*[,)]""")
# Refusals raised by services; handlers show them with t(err.code).
_RAISED = re.compile(
    r"""\b(?:DomainError|FieldError|InviteError|AccessDenied|NotFound)\(\s*(["'])(.+?)\1"""
)
_ERROR_DEFAULTS = ("error.access_denied", "error.not_found")

_FIELDS = sorted(
    {
        *questionnaire.TEACHER_FIELDS,
        *questionnaire.MENTEE_FIELDS,
        *questionnaire.MENTOR_FIELDS,
        *questionnaire.STAFF_FIELDS,
    }
)
_COMMANDS = sorted({*commands.GUEST, *commands.MEMBER, *commands.STAFF, *commands.COORDINATION})
_LIVE_STATUSES = [s.value for s in ParticipantStatus]
# What each f-string key may become. A template not listed here is skipped; list its
# values here to have it checked.
_EXPANSIONS: dict[str, list[str]] = {
    "role.{Role(role).value}": [f"role.{r.value}" for r in Role],
    "{name}.{value.value}": [f"age_group.{a.value}" for a in AgeGroup]
    + [f"category.{c.value}" for c in QualificationCategory],
    "age_group.{age.value}": [f"age_group.{a.value}" for a in AgeGroup],
    "category.{cat.value}": [f"category.{c.value}" for c in QualificationCategory],
    "form.label.{f}": [f"form.label.{f}" for f in _FIELDS],
    "form.q.{name}": [f"form.q.{f}" for f in _FIELDS],
    "command.{n}": [f"command.{c}" for c in _COMMANDS],
    "registration.role_button.{role.value}": [
        f"registration.role_button.{r.value}" for r in (Role.MENTEE, Role.MENTOR)
    ],
    "profile.status.{me.status.value}": [f"profile.status.{s}" for s in _LIVE_STATUSES],
}


def _sources(dirs: tuple[str, ...]) -> Iterator[Path]:
    for name in dirs:
        yield from sorted((ROOT / name).rglob("*.py"))


def _used_keys() -> tuple[dict[str, str], set[str]]:
    """Literal keys (key -> where) and the f-string templates found."""
    literal: dict[str, str] = {}
    templates: set[str] = set()
    for path in _sources(SOURCE_DIRS):
        text = path.read_text(encoding="utf-8")
        for match in _T_CALL.finditer(text):
            is_f, _, key = match.groups()
            where = f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, match.start()) + 1}"
            if is_f and "{" in key:
                templates.add(key)
            else:
                literal.setdefault(key, where)
    return literal, templates


@pytest.fixture(scope="module")
def catalogue() -> gettext.GNUTranslations:
    return load_po_locales(LOCALES_DIR)["ru"]


def _known(catalogue: gettext.GNUTranslations) -> set[str]:
    # The compiled catalogue keeps plural entries under (msgid, index).
    raw: dict[str | tuple[str, int], str] = catalogue._catalog  # type: ignore[attr-defined]
    return {k if isinstance(k, str) else k[0] for k in raw if k}


def test_the_source_scan_finds_the_keys() -> None:
    literal, templates = _used_keys()
    # Guards the regex: a scan that finds nothing would make the next tests pass vacuously.
    assert len(literal) > 50
    assert "consent.button.reconsider" in literal
    assert "form.q.{name}" in templates


def test_every_literal_key_used_in_the_code_has_a_russian_text(
    catalogue: gettext.GNUTranslations,
) -> None:
    literal, _ = _used_keys()
    known = _known(catalogue)
    missing = {key: where for key, where in literal.items() if key not in known}
    assert missing == {}


def test_every_value_of_an_fstring_key_has_a_russian_text(
    catalogue: gettext.GNUTranslations,
) -> None:
    _, templates = _used_keys()
    known = _known(catalogue)
    expanded = {key: tpl for tpl in templates for key in _EXPANSIONS.get(tpl, [])}
    assert expanded, "no f-string key could be expanded: update _EXPANSIONS"
    missing = {key: tpl for key, tpl in expanded.items() if key not in known}
    assert missing == {}


def test_every_refusal_raised_by_services_has_a_text(catalogue: gettext.GNUTranslations) -> None:
    known = _known(catalogue)
    codes: dict[str, str] = dict.fromkeys(_ERROR_DEFAULTS, "services/errors.py")
    for path in _sources(SERVICE_DIRS):
        for match in _RAISED.finditer(path.read_text(encoding="utf-8")):
            codes.setdefault(match.group(2), str(path.relative_to(ROOT)))
    assert "form.error.full_name" in codes
    assert {code: where for code, where in codes.items() if code not in known} == {}


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 год"), (2, "2 года"), (5, "5 лет"), (11, "11 лет"), (21, "21 год"), (0, "0 лет")],
)
def test_years_agree_with_the_number(catalogue: gettext.GNUTranslations, n: int, text: str) -> None:
    assert catalogue.ngettext("form.value.years", "form.value.years", n).format(n=n) == text


@pytest.mark.parametrize(("n", "text"), [(1, "1 год"), (3, "3 года"), (12, "12 лет")])
@pytest.mark.usefixtures("in_locale")
def test_t_with_n_chooses_the_plural_form(n: int, text: str) -> None:
    assert I18n.get_current(no_error=False).current_locale == "ru"
    assert t("form.value.years", n=n) == text


@pytest.mark.usefixtures("in_locale")
def test_t_escapes_parameters_from_users() -> None:
    text = t("form.summary.line", label="ФИО", value="<b>Иванова</b>")
    assert "&lt;b&gt;Иванова&lt;/b&gt;" in text
