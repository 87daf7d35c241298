"""The preview of a file import and its buttons, shared by the bot and the command
line (which prints the same text without HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from services.imports.layout import RowError, Skipped
from services.imports.schools import ImportResult, SchoolsPlan

BOT_LIST_LIMIT = 15  # lines per section in a chat; the command line prints them all


# Kept next to its only view while bot/ui/callbacks.py is being reorganised; the
# token ties the buttons to the preview they were sent with.
class ImportCb(CallbackData, prefix="imp"):
    action: str  # all | valid | cancel
    token: str


def bullet_list(items: Iterable[str], limit: int | None) -> str:
    """Lines as bullets, at most `limit` of them and «…и ещё N»."""
    items = list(items)
    shown = items if limit is None else items[:limit]
    text = "\n".join(f"  • {line}" for line in shown)
    if limit is not None and len(items) > limit:
        text += "\n  " + t("imports.more", n=len(items) - limit)
    return text


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def error_line(error: RowError) -> str:
    problem = t(error.code, **error.params)
    if error.column and error.value:
        return t("imports.error.cell", row=error.row, column=error.column, value=error.value,
                 problem=Html(problem))  # fmt: skip
    if error.column:
        return t("imports.error.column", row=error.row, column=error.column, problem=Html(problem))
    return t("imports.error.row", row=error.row, problem=Html(problem))


def skipped_line(item: Skipped) -> str:
    return t(f"imports.skipped.{item.reason}", row=item.row, text=item.text)


def preview_text(plan: SchoolsPlan, filename: str, *, limit: int | None) -> str:
    lay = plan.parsed.layout
    head = [t("imports.preview.title", file=filename)]
    where = Html(t("imports.preview.sheet", sheet=lay.sheet) if lay.sheet else "")
    rows = ", ".join(str(n) for n in lay.header_rows)
    head.append(t("imports.preview.header", where=where, rows=rows, n=len(lay.header_rows)))
    columns = ", ".join(f"«{_e(h)}» → {t('imports.column.' + k)}" for h, k in lay.columns)
    head.append(t("imports.preview.columns", columns=Html(columns)))
    if lay.unused:
        unused = ", ".join(f"«{_e(u)}»" for u in lay.unused)
        head.append(t("imports.preview.unused", columns=Html(unused)))
    if plan.defaulted_zones:
        head.append(
            t("imports.preview.default_zone", n=plan.defaulted_zones, zone=plan.default_timezone)
        )
    added = t("imports.preview.added", n=len(plan.added))
    if plan.new_municipalities:
        names = Html(", ".join(_e(m) for m in plan.new_municipalities))
        added += " " + t(
            "imports.preview.new_municipalities", n=len(plan.new_municipalities), names=names
        )
    sections = [
        (
            added,
            [
                t("imports.added.line", row=s.row, municipality=s.municipality, name=s.name,
                  zone=s.timezone)
                for s in plan.added
            ],
        ),
        (
            t("imports.preview.existing", count=len(plan.existing)),
            [t("imports.existing.line", row=s.row, municipality=s.municipality, name=s.name)
             for s in plan.existing],
        ),
        (
            t("imports.preview.skipped", count=len(plan.skipped)),
            [skipped_line(s) for s in plan.skipped],
        ),
        (
            t("imports.preview.repeats", count=len(plan.repeats)),
            [t("imports.repeat.line", row=r.row, first=r.first_row, label=r.label)
             for r in plan.repeats],
        ),
        (t("imports.preview.errors", count=len(plan.errors)), [error_line(e) for e in plan.errors]),
    ]  # fmt: skip
    body = [
        f"<b>{title}</b>" + ("\n" + bullet_list(lines, limit) if lines else "")
        for title, lines in sections
    ]
    return "\n".join(head) + "\n\n" + "\n".join(body)


def next_step(plan: SchoolsPlan, *, in_bot: bool) -> str:
    if not plan.added:
        return t("imports.next.nothing")
    if plan.errors:
        return t("imports.next.errors_bot" if in_bot else "imports.next.errors_cli")
    return t("imports.next.ok_bot" if in_bot else "imports.next.ok_cli")


def result_text(result: ImportResult) -> str:
    return t("imports.done", n=result.schools, municipalities=result.municipalities)


def confirm_markup(plan: SchoolsPlan, token: str) -> InlineKeyboardMarkup | None:
    if not plan.added:
        return None
    return import_buttons(token, has_errors=bool(plan.errors), all_label=t("imports.button.all"))


def import_buttons(token: str, *, has_errors: bool, all_label: str) -> InlineKeyboardMarkup:
    """Under an import's preview: everything (`all_label`), or only the rows without
    errors when there are some; and «Отмена». The token ties the press to its preview."""
    kb = InlineKeyboardBuilder()
    if has_errors:
        kb.button(
            text=t("imports.button.valid"), callback_data=ImportCb(action="valid", token=token)
        )
    else:
        kb.button(text=all_label, callback_data=ImportCb(action="all", token=token))
    kb.button(text=t("imports.button.cancel"), callback_data=ImportCb(action="cancel", token=token))
    kb.adjust(1)
    return kb.as_markup()


_TAG = re.compile(r"</?[a-z]+>")


def plain(text: str) -> str:
    """The same text for a terminal: no tags, no entities."""
    return html.unescape(_TAG.sub("", text))
