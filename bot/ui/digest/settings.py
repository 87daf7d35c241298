"""/digest settings: the weekday, the time (buttons only), the export with every digest,
on/off, and «Сводка сейчас»."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.digest.callbacks import DigestCb
from services.digest.settings import TIMES, Prefs


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def text(prefs: Prefs, zone: str) -> str:
    if prefs.enabled:
        export = t(
            "digest.settings.export.on" if prefs.with_export else "digest.settings.export.off"
        )
        state = t(
            "digest.settings.on",
            day=t(f"digest.day.{prefs.weekday}"),
            time=prefs.at.strftime("%H:%M"),
            export=export,
        )
    else:
        state = t("digest.settings.off")
    return t("digest.settings", state=Html(state), zone=zone)


def markup(prefs: Prefs) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for day in range(1, 8):
        label = t(f"digest.day_short.{day}")
        kb.button(
            text=f"• {label}" if day == prefs.weekday else label,
            callback_data=DigestCb(action="day", value=day),
        )
    for at in TIMES:
        minutes = at.hour * 60 + at.minute
        label = _hhmm(minutes)
        kb.button(
            text=f"• {label}" if at == prefs.at else label,
            callback_data=DigestCb(action="time", value=minutes),
        )
    kb.button(
        text=t("digest.button.export.on" if prefs.with_export else "digest.button.export.off"),
        callback_data=DigestCb(action="export", value=0 if prefs.with_export else 1),
    )
    kb.button(
        text=t("digest.button.turn_off" if prefs.enabled else "digest.button.turn_on"),
        callback_data=DigestCb(action="on", value=0 if prefs.enabled else 1),
    )
    kb.button(text=t("digest.button.now"), callback_data=DigestCb(action="now"))
    kb.adjust(7, 3, 3, 3, 1, 1, 1)
    return kb.as_markup()
