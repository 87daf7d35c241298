"""A survey in chat: one item per message («Вопрос 3 из 8»), 1–10 as two rows of
buttons, yes/no, a deficit's change, texts with «Пропустить»; the summary with
«Отправить» and a button per answer to change it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.render import free_text
from bot.ui.surveys.callbacks import (
    SurveyAnswerCb,
    SurveyOpenCb,
    SurveySkipCb,
    SurveyStepCb,
    SurveySubmitCb,
)
from models.surveys import DeficitChange, ItemKind, RoundKind
from services.surveys.answering import Given, Mine, Screen, Step

SUMMARY_TEXT_CUT = 80
EDIT_ROW = 6


def round_title(kind: RoundKind | str) -> str:
    return t(f"survey.round.{RoundKind(kind).value}")


def _question(step: Step, *, hint: bool = True) -> str:
    lines = []
    if step.deficit is not None:
        lines.append(t("survey.q.deficit", title=step.deficit))
    lines.append(t("survey.q.text", text=step.text))
    key = {
        ItemKind.SCALE: "survey.q.hint.scale",
        ItemKind.DEFICIT_SCALE: "survey.q.hint.scale",
        ItemKind.TEXT: "survey.q.hint.text",
    }.get(step.kind)
    if hint and key:
        lines.append(t(key))
    return "\n".join(lines)


def given_text(step: Step, given: Given | None) -> str:
    """An answer as the person gave it (HTML-safe)."""
    if given is None:
        return t("survey.given.none")
    if given.skipped:
        return t("survey.given.skipped")
    if given.text is not None:
        cut = (
            given.text
            if len(given.text) <= SUMMARY_TEXT_CUT
            else given.text[:SUMMARY_TEXT_CUT] + "…"
        )
        return t("survey.given.text", text=free_text(cut))
    if given.value is None:
        return t("survey.given.none")
    if step.kind == ItemKind.YES_NO:
        return t("survey.button.yes" if given.value else "survey.button.no")
    if step.kind == ItemKind.DEFICIT_CHANGE:
        return t(f"survey.change.{DeficitChange(given.value).name.lower()}")
    return str(given.value)


def question_text(screen: Screen, *, lead: str | None = None) -> str:
    assert screen.step is not None
    parts = [lead] if lead else []
    head = t(
        "survey.q.head",
        title=round_title(screen.round_kind),
        num=screen.number,
        total=screen.total,
    )
    body = [head, _question(screen.step)]
    if screen.given is not None:
        body.append(t("survey.q.current", answer=Html(given_text(screen.step, screen.given))))
    parts.append("\n".join(body))
    return "\n\n".join(parts)


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label


def question_markup(screen: Screen) -> InlineKeyboardMarkup:
    step = screen.step
    assert step is not None
    kb = InlineKeyboardBuilder()
    current = screen.given.value if screen.given else None
    sizes: list[int] = []

    def answer(label: str, value: int) -> None:
        kb.button(
            text=_mark(label, current == value),
            callback_data=SurveyAnswerCb(r=screen.response_id, i=step.item_id, d=step.sub, v=value),
        )

    if step.kind in (ItemKind.SCALE, ItemKind.DEFICIT_SCALE):
        for value in range(1, 11):
            answer(str(value), value)
        sizes += [5, 5]
    elif step.kind == ItemKind.YES_NO:
        answer(t("survey.button.yes"), 1)
        answer(t("survey.button.no"), 0)
        sizes.append(2)
    elif step.kind == ItemKind.DEFICIT_CHANGE:
        for change in DeficitChange:
            answer(t(f"survey.change.{change.name.lower()}"), change.value)
        sizes.append(3)
    else:
        kb.button(
            text=t("survey.button.skip"),
            callback_data=SurveySkipCb(r=screen.response_id, i=step.item_id, d=step.sub),
        )
        sizes.append(1)
    if screen.index > 0:
        kb.button(
            text=t("survey.button.back"),
            callback_data=SurveyStepCb(r=screen.response_id, n=screen.index - 1),
        )
        sizes.append(1)
    kb.adjust(*sizes)
    return kb.as_markup()


def answered_text(screen: Screen) -> str:
    """A question once answered: its buttons are gone, the answer stays in the chat."""
    assert screen.step is not None
    head = t(
        "survey.q.head",
        title=round_title(screen.round_kind),
        num=screen.number,
        total=screen.total,
    )
    return "\n".join(
        [
            head,
            _question(screen.step, hint=False),
            t("survey.q.answered", answer=Html(given_text(screen.step, screen.given))),
        ]
    )


def summary_text(screen: Screen, *, lead: str | None = None) -> str:
    lines = [t("survey.summary.head", title=round_title(screen.round_kind))]
    for n, (step, given) in enumerate(screen.summary, start=1):
        label = f"{step.deficit}: {step.text}" if step.deficit else step.text
        lines.append(
            t("survey.summary.line", num=n, text=label, answer=Html(given_text(step, given)))
        )
    lines.append("")
    lines.append(t("survey.summary.foot"))
    text = "\n".join(lines)
    return f"{lead}\n\n{text}" if lead else text


def summary_markup(screen: Screen) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("survey.button.submit"), callback_data=SurveySubmitCb(r=screen.response_id))
    for n in range(len(screen.summary)):
        kb.button(
            text=t("survey.button.edit", num=n + 1),
            callback_data=SurveyStepCb(r=screen.response_id, n=n),
        )
    rows = [1]
    left = len(screen.summary)
    while left > 0:
        rows.append(min(EDIT_ROW, left))
        left -= EDIT_ROW
    kb.adjust(*rows)
    return kb.as_markup()


def screen_text(screen: Screen, *, lead: str | None = None) -> str:
    return question_text(screen, lead=lead) if screen.step else summary_text(screen, lead=lead)


def screen_markup(screen: Screen) -> InlineKeyboardMarkup:
    return question_markup(screen) if screen.step else summary_markup(screen)


def open_markup(response_id: int, *, started: bool) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    key = "survey.button.continue" if started else "survey.button.start"
    kb.button(text=t(key), callback_data=SurveyOpenCb(r=response_id))
    return kb.as_markup()


def mine_text(items: list[Mine], closed: bool) -> str:
    if not items:
        return t("survey.mine.closed" if closed else "survey.mine.none")
    lines = [t("survey.mine.head")]
    for m in items:
        lines.append(
            t(
                "survey.mine.line",
                title=round_title(m.round_kind),
                date=m.closes_on.strftime("%d.%m.%Y"),
                answered=m.answered,
            )
        )
    return "\n".join(lines)


def mine_markup(items: list[Mine]) -> InlineKeyboardMarkup | None:
    if not items:
        return None
    kb = InlineKeyboardBuilder()
    for m in items:
        key = "survey.button.continue_title" if m.answered else "survey.button.start_title"
        kb.button(
            text=t(key, title=round_title(m.round_kind)),
            callback_data=SurveyOpenCb(r=m.response_id),
        )
    kb.adjust(1)
    return kb.as_markup()


def done_text(kind: RoundKind) -> str:
    return t("survey.done", title=round_title(kind))
