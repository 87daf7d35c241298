"""What /holidays looks like: the municipality's school holidays of the academic year,
with «➕ Добавить каникулы» and a «🗑» per holiday for those who may change them; for a
person with several municipalities, first the choice of one, and the way back to it."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import HolidayAction, HolidayCb
from bot.ui.dates import day
from services.holidays import HolidayItem, YearHolidays


def period(item: HolidayItem) -> Html:
    """«Зимние каникулы: 29.12.2026–11.01.2027», HTML-safe (the title may come from the
    server's command line, as typed)."""
    return Html(
        t("holidays.period", title=item.title, starts=day(item.starts_on), ends=day(item.ends_on))
    )


def list_text(found: YearHolidays) -> str:
    head = t("holidays.title", municipality=found.municipality_name, year=found.year)
    if found.items:
        body = "\n".join("• " + period(item) for item in found.items)
    else:
        body = t("holidays.none")
    tail = t("holidays.hint.editor" if found.may_edit else "holidays.hint.reader")
    return f"{head}\n\n{body}\n\n{tail}"


def list_markup(found: YearHolidays, *, several: bool = False) -> InlineKeyboardMarkup | None:
    """``several``: the person has other municipalities to go back to."""
    if not found.may_edit and not several:
        return None
    kb = InlineKeyboardBuilder()
    if found.may_edit:
        kb.button(
            text=t("holidays.button.add"),
            callback_data=HolidayCb(action=HolidayAction.ADD, m=found.municipality_id),
        )
        for item in found.items:
            # A button's text is not HTML: the title as it is.
            dates = f"{item.starts_on:%d.%m}–{item.ends_on:%d.%m}"
            kb.button(
                text=f"{t('holidays.button.remove')} {item.title} {dates}",
                callback_data=HolidayCb(
                    action=HolidayAction.ASK, h=item.id, m=found.municipality_id
                ),
            )
    if several:
        pick = HolidayCb(action=HolidayAction.PICK)
        kb.button(text=t("holidays.button.other"), callback_data=pick)
    kb.adjust(1)
    return kb.as_markup()


def pick_text() -> str:
    return t("holidays.pick")


def pick_markup(municipalities: list[tuple[int, str]]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for municipality_id, name in municipalities:
        kb.button(
            text=f"🏙 {name}", callback_data=HolidayCb(action=HolidayAction.LIST, m=municipality_id)
        )
    kb.adjust(1)
    return kb.as_markup()


def confirm_text(item: HolidayItem) -> str:
    return t("holidays.remove.ask", period=period(item))


def confirm_markup(item: HolidayItem) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("holidays.button.remove_yes"),
        callback_data=HolidayCb(action=HolidayAction.REMOVE, h=item.id, m=item.municipality_id),
    )
    back = HolidayCb(action=HolidayAction.LIST, m=item.municipality_id)
    kb.button(text=t("holidays.button.back"), callback_data=back)
    kb.adjust(1)
    return kb.as_markup()
