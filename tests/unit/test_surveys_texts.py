"""Every text key the surveys, indicators and headcounts build from pieces exists in the
Russian catalogue (the literal ones are checked by test_i18n), and the indicators'
names are the seeds' own wording."""

from __future__ import annotations

import pytest
from aiogram.utils.i18n import I18n

from bot.i18n import t
from bot.ui.surveys.headcount import QUESTIONS
from models.surveys import DeficitChange, RoundKind
from services.indicators import BY_CODE, Level, TargetSource
from services.surveys.rounds import RoundState

KEYS = [
    *(f"survey.round.{k.value}" for k in RoundKind),
    *(f"survey.error.closed.{k.value}" for k in RoundKind),
    *(f"surveys.button.dates.{k.value}" for k in RoundKind),
    *(f"surveys.button.results.{k.value}" for k in RoundKind),
    *(f"survey.change.{c.name.lower()}" for c in DeficitChange),
    *(f"surveys.res.change.{c.name.lower()}" for c in DeficitChange),
    *(f"surveys.state.{s.value}" for s in RoundState),
    *(f"surveys.month.{m}" for m in range(1, 13)),
    *(f"surveys.wd.{d}" for d in range(1, 8)),
    "surveys.res.role.mentee",
    "surveys.res.role.mentor",
    *(f"headcount.q.{f}" for f in QUESTIONS),
    *(f"headcount.entered.{s}" for s in ("bot", "cli", "import")),
    *(
        f"indicator.{code}.{part}"
        for code in BY_CODE
        for part in ("name", "short", "method", "collect")
    ),
    *(f"indicators.section.{level.value}" for level in (Level.MUNICIPALITY, Level.SCHOOL)),
    "indicators.head.school",
    "indicators.head.municipality",
    *(f"targets.no_default.{s.value}" for s in TargetSource),
    "survey.q.hint.scale",
    "survey.q.hint.text",
    "surveys.instrument.own",
    "surveys.instrument.default",
    "survey.button.start",
    "survey.button.continue",
    "survey.button.start_title",
    "survey.button.continue_title",
    "survey.mine.none",
    "survey.mine.closed",
    "headcount.button.enter",
    "headcount.button.change",
    "surveys.dates.cancel",
    "surveys.dates.back",
    "surveys.dates.save",
    *(f"command.{c}" for c in ("survey", "surveys", "indicators", "headcount")),
]
PLURAL = [
    "surveys.rate.started",
    "surveys.mun.head",
    "surveys.res.mean",
    "surveys.res.deficit_mean",
    "surveys.res.texts",
    "headcount.list.head",
]


@pytest.mark.usefixtures("in_locale")
@pytest.mark.parametrize("key", KEYS)
def test_key_exists(key: str) -> None:
    text = I18n.get_current(no_error=False).gettext(key)
    assert text and text != key


@pytest.mark.usefixtures("in_locale")
@pytest.mark.parametrize("key", PLURAL)
def test_plural_forms(key: str) -> None:
    forms = {
        t(key, n, name="N", year="Y", mean="5", title="T", skipped=0, entered=1) for n in (1, 3, 5)
    }
    assert all(key not in f for f in forms)
    assert len(forms) >= 2 or key == "surveys.rate.started"


@pytest.mark.usefixtures("in_locale")
def test_indicator_names_are_the_seeds_own() -> None:
    assert t("indicator.satisfaction_mentees.name") == (
        "Уровень удовлетворенности наставляемых участием в программах наставничества, % (опросный)"
    )
    assert t("indicator.schools_running.name") == (
        "Доля школ, реализующих муниципальный проект по наставничеству"
    )
    assert t("indicator.beneficiaries_satisfied.name") == (
        "Доля благополучателей проекта удовлетворенных деятельностью в проекте"
    )
    assert t("indicator.contest_participation.name") == (
        "Увеличится доля педагогов, в том числе молодых, принимающих участие в конкурсах "
        "профессионального мастерства (от общего количества молодых педагогов)"
    )
    assert t("indicator.young_in_contests.name") == (
        "Охват молодых педагогов профессиональными конкурсами и вовлечением в проекты"
    )
    assert t("indicator.young_publications.name") == (
        "Степень публикационной активности молодых педагогов"
    )
    for code in ("contest_participation", "young_in_contests", "young_publications"):
        assert "выбор проекта" in t(f"indicator.{code}.method"), code
    method = t("indicator.satisfaction_mentors.method", threshold=8)
    assert "8 и выше из 10" in method and "выбор проекта" in method
