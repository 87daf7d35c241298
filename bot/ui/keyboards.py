"""Inline keyboards. Texts come from the locale; callback data from ui.callbacks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import t
from bot.ui.callbacks import (
    ChoiceCb,
    ConsentAction,
    ConsentCb,
    FixCb,
    MunicipalityCb,
    RoleCb,
    SchoolCb,
    SchoolPageCb,
    SummaryAction,
    SummaryCb,
    ToggleCb,
)
from models import AgeGroup, QualificationCategory, Role
from services.catalogue import CatalogueEntry
from services.schools import Choice, Page

P = ParamSpec("P")


def _kept(
    build: Callable[P, InlineKeyboardMarkup],
) -> Callable[P, InlineKeyboardMarkup]:
    """A keyboard that depends only on its (hashable) arguments and the locale, built
    once for each and then handed out as is: the questionnaire's keyboards are the same
    for everybody, and building one (pydantic buttons, packed callback data, the
    builder's deep copy) cost more than sending it. Nothing changes a keyboard once
    built (a view that adds rows copies them, see views.agreement and ui.panel)."""
    kept: dict[tuple[object, ...], InlineKeyboardMarkup] = {}

    @functools.wraps(build)
    def keyboard(*args: P.args, **kwargs: P.kwargs) -> InlineKeyboardMarkup:
        key = (I18n.get_current(no_error=False).current_locale, args, tuple(kwargs.items()))
        found = kept.get(key)
        if found is None:
            if len(kept) >= 1024:  # the ticked catalogue's combinations are not bounded
                kept.clear()
            found = kept[key] = build(*args, **kwargs)
        return found

    return keyboard


@_kept
def consent() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("consent.button.agree"), callback_data=ConsentCb(action=ConsentAction.AGREE))
    kb.button(
        text=t("consent.button.disagree"), callback_data=ConsentCb(action=ConsentAction.DISAGREE)
    )
    kb.adjust(2)
    return kb.as_markup()


@_kept
def reconsider() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("consent.button.reconsider"),
        callback_data=ConsentCb(action=ConsentAction.RECONSIDER),
    )
    return kb.as_markup()


@_kept
def roles() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for role in (Role.MENTEE, Role.MENTOR):
        kb.button(text=t(f"registration.role_button.{role.value}"), callback_data=RoleCb(role=role))
    kb.adjust(1)
    return kb.as_markup()


def municipalities(items: list[Choice]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for m in items:
        kb.button(text=m.name, callback_data=MunicipalityCb(id=m.id))
    kb.adjust(1)
    return kb.as_markup()


def schools(page: Page) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for s in page.items:
        kb.button(text=s.name[:60], callback_data=SchoolCb(id=s.id))
    sizes = [1] * len(page.items)
    nav = 0
    if page.page > 0:
        kb.button(text=t("nav.prev"), callback_data=SchoolPageCb(page=page.page - 1))
        nav += 1
    if page.page + 1 < page.pages:
        kb.button(text=t("nav.next"), callback_data=SchoolPageCb(page=page.page + 1))
        nav += 1
    if nav:
        sizes.append(nav)
    kb.adjust(*sizes)
    return kb.as_markup()


def field(
    name: str, selected: list[int], catalogue: list[CatalogueEntry], optional: bool
) -> InlineKeyboardMarkup | None:
    """Buttons for a questionnaire field, or None for a typed answer."""
    if name in ("deficits", "competencies"):
        return multiselect(name, frozenset(selected), tuple(catalogue))
    if name in ("age_group", "category", "capacity") or optional:
        return _choices(name)
    return None


@_kept
def _choices(name: str) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    if name == "age_group":
        for age in AgeGroup:
            kb.button(
                text=t(f"age_group.{age.value}"), callback_data=ChoiceCb(field=name, value=age)
            )
        kb.adjust(2)
    elif name == "category":
        for cat in QualificationCategory:
            kb.button(
                text=t(f"category.{cat.value}"), callback_data=ChoiceCb(field=name, value=cat)
            )
        kb.adjust(1)
    elif name == "capacity":
        for n in range(1, 6):
            kb.button(text=str(n), callback_data=ChoiceCb(field=name, value=str(n)))
        kb.adjust(5)
    else:  # an optional typed answer
        kb.button(text=t("form.button.skip"), callback_data=ChoiceCb(field=name, value="skip"))
    return kb.as_markup()


@_kept
def summary() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=t("form.button.confirm"), callback_data=SummaryCb(action=SummaryAction.OK))
    kb.button(text=t("form.button.fix"), callback_data=SummaryCb(action=SummaryAction.FIX))
    kb.adjust(2)
    return kb.as_markup()


def fix_fields(fields: list[str]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for f in fields:
        kb.button(text=t(f"form.label.{f}"), callback_data=FixCb(field=f))
    kb.adjust(2)
    return kb.as_markup()


@_kept
def multiselect(
    name: str, selected: frozenset[int], catalogue: tuple[CatalogueEntry, ...]
) -> InlineKeyboardMarkup:
    """The catalogue with ticks, one item a row, and «Готово».

    Built directly rather than with InlineKeyboardBuilder: it is redrawn on every tick and
    the builder deep-copies every button on export, the largest cost of the whole
    registration flow (bench/registration.py).
    """
    rows = [
        [
            InlineKeyboardButton(
                text=("✅ " if item.id in selected else "▫️ ") + item.title,
                callback_data=ToggleCb(field=name, item=item.id).pack(),
            )
        ]
        for item in catalogue
    ]
    done = ChoiceCb(field=name, value="done").pack()
    rows.append([InlineKeyboardButton(text=t("form.button.done"), callback_data=done)])
    return InlineKeyboardMarkup(inline_keyboard=rows)
