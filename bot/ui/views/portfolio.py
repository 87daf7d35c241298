"""«Мои достижения»: the list of entries and its buttons, the form's questions."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import PortfolioAction, PortfolioCb
from models import AchievementKind
from services.portfolio import CATEGORIES, LEVELS, RESULTS, Entry


def entry_line(e: Entry) -> str:
    extra = [t(f"portfolio.level.{e.level}")] if e.level else []
    if e.result:
        extra.append(t(f"portfolio.result.{e.result}"))
    if e.file_name:
        extra.append("📎")
    return t(
        "portfolio.line",
        kind=t(f"portfolio.kind.{e.kind.value}"),
        title=e.title,
        extra=(" — " + ", ".join(extra)) if extra else "",
        date=f"{e.on_date:%d.%m.%Y}",
    )


def text(entries: list[Entry], name: str | None = None) -> str:
    head = t("portfolio.title.of", name=name) if name else t("portfolio.title")
    if not entries:
        return head + "\n\n" + t("portfolio.empty")
    return head + "\n\n" + "\n".join(entry_line(e) for e in entries)


def markup(
    entries: list[Entry], people: list[tuple[int, str]], *, own: bool, person_id: int = 0
) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if own:
        kb.button(
            text=t("portfolio.button.add"), callback_data=PortfolioCb(action=PortfolioAction.ADD)
        )
    kb.button(
        text=t("portfolio.button.doc"),
        callback_data=PortfolioCb(action=PortfolioAction.DOC, id=person_id),
    )
    for e in entries:
        if e.file_name:
            kb.button(
                text=t("portfolio.button.file", name=e.file_name[:40]),
                callback_data=PortfolioCb(action=PortfolioAction.FILE, id=e.id),
            )
    for pid, name in people:
        kb.button(
            text="👤 " + name, callback_data=PortfolioCb(action=PortfolioAction.PERSON, id=pid)
        )
    kb.adjust(1)
    return kb.as_markup()


def _choices(action: PortfolioAction, values: tuple[str, ...], key: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for v in values:
        kb.button(text=t(f"{key}.{v}"), callback_data=PortfolioCb(action=action, value=v))
    kb.adjust(1)
    return kb.as_markup()


def kinds_markup() -> InlineKeyboardMarkup:
    return _choices(PortfolioAction.KIND, tuple(k.value for k in AchievementKind), "portfolio.kind")


def levels_markup() -> InlineKeyboardMarkup:
    return _choices(PortfolioAction.LEVEL, LEVELS, "portfolio.level")


def results_markup() -> InlineKeyboardMarkup:
    return _choices(PortfolioAction.RESULT, RESULTS, "portfolio.result")


def categories_markup() -> InlineKeyboardMarkup:
    return _choices(PortfolioAction.RESULT, CATEGORIES, "portfolio.result")


def no_file_markup() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("portfolio.button.no_file"),
        callback_data=PortfolioCb(action=PortfolioAction.NO_FILE),
    )
    return kb.as_markup()
