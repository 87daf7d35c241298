"""The preview of a headcount file and its buttons, shared by the bot and the command
line (which prints the same text without HTML). The buttons are the import layer's
(ImportCb): the preview waiting for them says which kind of file it was."""

from __future__ import annotations

import html

from aiogram.types import InlineKeyboardMarkup

from bot.i18n import Html, t
from bot.ui.imports import bullet_list, error_line, import_buttons, skipped_line
from services.headcounts import Counts
from services.imports.headcount_file import HeadcountLine, HeadcountsPlan, HeadcountsResult


def _numbers(c: Counts) -> str:
    return t(
        "hc_import.numbers",
        teachers=c.teachers,
        under_35=c.under_35,
        young=c.young_specialists,
    )


def _line(line: HeadcountLine) -> str:
    if line.before is not None and line.before != line.counts:
        return t(
            "hc_import.changed.line",
            row=line.row,
            school=line.school,
            year=line.year,
            before=_numbers(line.before),
            after=_numbers(line.counts),
        )
    return t(
        "hc_import.line",
        row=line.row,
        school=line.school,
        year=line.year,
        numbers=_numbers(line.counts),
    )


def preview_text(plan: HeadcountsPlan, filename: str, *, limit: int | None) -> str:
    lay = plan.parsed.layout
    head = [t("hc_import.title", file=filename)]
    where = Html(t("imports.preview.sheet", sheet=lay.sheet) if lay.sheet else "")
    rows = ", ".join(str(n) for n in lay.header_rows)
    head.append(t("imports.preview.header", where=where, rows=rows, n=len(lay.header_rows)))
    columns = ", ".join(
        f"«{html.escape(h, quote=False)}» → {t('imports.column.' + k)}" for h, k in lay.columns
    )
    head.append(t("imports.preview.columns", columns=Html(columns)))
    sections = [
        (t("hc_import.new", count=len(plan.new)), [_line(x) for x in plan.new]),
        (t("hc_import.changed", count=len(plan.changed)), [_line(x) for x in plan.changed]),
        (t("hc_import.same", count=len(plan.same)), [_line(x) for x in plan.same]),
        (
            t("imports.preview.skipped", count=len(plan.skipped)),
            [skipped_line(s) for s in plan.skipped],
        ),
        (
            t("imports.preview.repeats", count=len(plan.repeats)),
            [
                t("imports.repeat.line", row=r.row, first=r.first_row, label=r.label)
                for r in plan.repeats
            ],
        ),
        (
            t("imports.preview.errors", count=len(plan.errors)),
            [error_line(e) for e in plan.errors],
        ),
    ]
    body = [
        f"<b>{title}</b>" + ("\n" + bullet_list(lines, limit) if lines else "")
        for title, lines in sections
    ]
    return "\n".join(head) + "\n\n" + "\n".join(body)


def next_step(plan: HeadcountsPlan, *, in_bot: bool) -> str:
    if not plan.to_save:
        return t("hc_import.next.nothing")
    if plan.errors:
        return t("hc_import.next.errors_bot" if in_bot else "imports.next.errors_cli")
    return t("hc_import.next.ok_bot" if in_bot else "hc_import.next.ok_cli")


def result_text(result: HeadcountsResult) -> str:
    return t("hc_import.done", rows=result.saved, schools=result.schools)


def confirm_markup(plan: HeadcountsPlan, token: str) -> InlineKeyboardMarkup | None:
    if not plan.to_save:
        return None
    return import_buttons(token, has_errors=bool(plan.errors), all_label=t("hc_import.button.all"))
