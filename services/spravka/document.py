"""The справка as a Word document (python-docx) on the page of template.docx.

Two kinds of content, told apart on the page: what the bot computed (plain text and the
tables, «нет данных» with the reason where it cannot compute a figure) and what only the
curator can say, a highlighted «[впишите …]» to replace. Texts come from the caller's
locale (spravka.po) through ``text``: services import no aiogram.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from models.enums import MEETING_ORDER
from services.export import figures
from services.export.lookups import Text
from services.export.scope import Level
from services.indicators import MIN_ANSWERS, Value
from services.spravka.facts import Facts, Work, clean

TEMPLATE = Path(__file__).with_name("template.docx")
Cell = str | int | float | None


class Blank(str):
    """A place for the curator's words: highlighted on the page."""


class Draft:
    def __init__(self, text: Text) -> None:
        self.doc: DocumentObject = Document(str(TEMPLATE))
        self.t = text
        self.no_data = text("spravka.no_data")

    def blank(self, key: str, **params: object) -> Blank:
        return Blank(self.t(key, **params))

    def heading(self, key: str, level: int = 1, **params: object) -> None:
        self.doc.add_heading(self.t(key, **params), level=level)

    def para(self, *parts: str, style: str | None = None) -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        self._runs(p, parts)
        return p

    def bullet(self, *parts: str) -> Paragraph:
        return self.para(*parts, style="List Bullet")

    def _runs(self, p: Paragraph, parts: Sequence[str]) -> None:
        for part in parts:
            run = p.add_run(part)
            if isinstance(part, Blank):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
                run.italic = True

    def cell(self, value: Cell) -> str:
        if value is None:
            return self.no_data
        if isinstance(value, float):
            return f"{value:.1f}".replace(".", ",")
        return str(value)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float]
    ) -> None:
        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, title in zip(table.rows[0].cells, header, strict=True):
            p = cell.paragraphs[0]
            p.style = self.doc.styles["Table Text"]
            p.add_run(title).bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                p = cell.paragraphs[0]
                p.style = self.doc.styles["Table Text"]
                self._runs(p, [value if isinstance(value, Blank) else self.cell(value)])
        for column, width in zip(table.columns, widths, strict=True):
            for cell in column.cells:
                cell.width = Cm(width)
        self.doc.add_paragraph()


def _pct(v: Value) -> float | None:
    return round(v.percent, 1) if v.percent is not None else None


def _why(d: Draft, v: Value) -> str:
    """What a «нет данных» lacks, or how the figure compares with its target."""
    if v.b is None:
        return d.t("spravka.why.no_headcount")
    if v.b == 0:
        return d.t("spravka.why.zero_b")
    if v.hidden:
        return d.t("spravka.why.hidden", min=MIN_ANSWERS)
    notes = []
    if v.met is not None:
        notes.append(d.t("spravka.why.met" if v.met else "spravka.why.not_met"))
    if v.known is not None and v.schools is not None and v.known < v.schools:
        notes.append(d.t("spravka.why.partial", known=v.known, schools=v.schools))
    return "; ".join(notes)


def _schools_rows(d: Draft, f: Facts, school_ids: Sequence[int]) -> list[list[Cell]]:
    running = sum(1 for s in school_ids if f.counts[s].pairs or f.counts[s].groups)
    return [
        [d.t("spravka.row.schools"), len(school_ids)],
        [d.t("spravka.row.schools_running"), running],
    ]


def _participants(d: Draft, f: Facts) -> None:
    c, w = f.total(), f.total_work()
    level = f.scope.level
    rows: list[list[Cell]] = []
    if level == Level.REGION:
        rows.append([d.t("spravka.row.municipalities"), len(f.municipalities)])
    if level != Level.SCHOOL:
        rows += _schools_rows(d, f, list(f.counts))
    rows += [
        [d.t("spravka.row.mentors"), c.mentors],
        [d.t("spravka.row.mentees"), c.mentees],
        [d.t("spravka.row.young_mentees"), c.young_mentees],
        [d.t("spravka.row.young_headcount"), c.young_headcount],
        [d.t("spravka.row.under35_headcount"), c.under35_headcount],
        [d.t("spravka.row.pairs"), c.pairs],
        [d.t("spravka.row.groups"), c.groups],
        [d.t("spravka.row.with_order"), w.with_order],
        [d.t("spravka.row.programmes"), c.programmes],
        [d.t("spravka.row.unmatched"), w.unmatched],
    ]
    d.table([d.t("spravka.col.what"), d.t("spravka.col.value")], rows, (12, 4))
    if c.young_headcount is None:
        d.para(d.t(f"spravka.headcount_missing.{level.value}"))
    d.para(d.blank("spravka.blank.selection"))


def _forms(d: Draft, f: Facts) -> None:
    c, w = f.total(), f.total_work()
    d.para(d.t("spravka.forms", pairs=c.pairs, groups=c.groups))
    d.para(d.t("spravka.formats", offline=w.offline, online=w.online))
    d.para(d.blank("spravka.blank.forms"))


def _meetings(d: Draft, f: Facts) -> None:
    w = f.total_work()
    rows: list[list[Cell]] = [
        [d.t(f"export.kind.{k.value}"), w.held_by_kind.get(k.value, 0)] for k in MEETING_ORDER
    ]
    rows.append([d.t("spravka.row.total"), w.held])
    d.table([d.t("spravka.col.meeting_kind"), d.t("spravka.col.held")], rows, (12, 4))
    d.para(d.t("spravka.cancelled", count=w.cancelled))
    d.para(d.t("spravka.pair_states", live=w.live, completed=w.completed, ended=w.ended))
    d.para(d.t("spravka.goals", goals=w.goals, done=w.goals_done))
    feedback = next((v for v in f.report.health if v.code == "health_feedback"), None)
    if feedback is not None and feedback.b:
        d.para(d.t("spravka.feedback_both", a=feedback.a, b=feedback.b))
    d.para(d.blank("spravka.blank.meetings"))


def _indicator_rows(d: Draft, values: Sequence[Value], official: bool) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for n, v in enumerate(values, start=1):
        shown_a = v.a if v.b is not None else None
        rows.append(
            [
                n,
                d.t(f"indicator.{v.code}.name"),
                shown_a,
                v.b,
                _pct(v),
                v.target if official else "—",  # the bot's own figures have no target
                _why(d, v),
            ]
        )
    return rows


def _indicators(d: Draft, f: Facts) -> None:
    header = [
        d.t("spravka.col.num"),
        d.t("spravka.col.indicator"),
        "A",
        "B",
        d.t("spravka.col.percent"),
        d.t("spravka.col.target"),
        d.t("spravka.col.note"),
    ]
    widths = (1, 6.5, 1.3, 1.3, 1.8, 1.8, 3)
    d.table(header, _indicator_rows(d, f.report.values, official=True), widths)
    d.para(d.t("spravka.indicators.method", threshold=f.report.satisfied_from))
    if f.report.health:
        d.para(d.t("spravka.indicators.health"))
        d.table(header, _indicator_rows(d, f.report.health, official=False), widths)
    d.para(d.blank("spravka.blank.indicators"))


def _surveys(d: Draft, f: Facts) -> None:
    if not f.surveys:
        d.para(d.t("spravka.surveys.none"))
    else:
        rows: list[list[Cell]] = [
            [
                d.t(f"export.round.{s.kind.value}"),
                d.t(f"export.role.{s.role.value}"),
                s.invited,
                s.finished,
                s.satisfaction
                if s.satisfaction is not None
                else d.t("spravka.surveys.hidden", min=MIN_ANSWERS)
                if s.hidden
                else None,
            ]
            for s in f.surveys
        ]
        d.table(
            [
                d.t("spravka.col.round"),
                d.t("spravka.col.role"),
                d.t("spravka.col.invited"),
                d.t("spravka.col.finished"),
                d.t("spravka.col.satisfaction"),
            ],
            rows,
            (3.5, 3.5, 2.5, 2.5, 4.5),
        )
        d.para(d.t("spravka.surveys.more"))
    d.para(d.blank("spravka.blank.surveys"))


def _difficulties(d: Draft, f: Facts) -> None:
    diff = f.difficulties
    if not diff.allowed:
        d.para(d.t(f"spravka.difficulties.{f.scope.level.value}"))
    elif diff.quoted:
        d.para(d.t("spravka.difficulties.intro"))
        for quote in diff.quoted:
            d.bullet(d.t("spravka.difficulties.quote", text=clean(quote)))
        if diff.more:
            d.para(d.t("spravka.difficulties.more", count=diff.more))
    else:
        d.para(d.t("spravka.difficulties.none"))
    if diff.private:
        d.para(d.t("spravka.difficulties.private", count=diff.private))
    d.para(d.blank("spravka.blank.difficulties"))


def _plans(d: Draft, f: Facts) -> None:
    w = f.total_work()
    for r in f.rounds_ahead:
        d.bullet(
            d.t(
                f"spravka.plan.round.{r.kind.value}",
                opens=r.opens_on.strftime("%d.%m.%Y"),
                closes=r.closes_on.strftime("%d.%m.%Y"),
            )
        )
    if w.live:
        d.bullet(d.t("spravka.plan.finish_cycle", count=w.live))
    if w.goals > w.goals_done:
        d.bullet(d.t("spravka.plan.goals", count=w.goals - w.goals_done))
    if w.unmatched:
        d.bullet(d.t("spravka.plan.unmatched", count=w.unmatched))
    d.para(d.blank("spravka.blank.plans"))


def _values_rows(d: Draft, values: Sequence[Value]) -> list[list[Cell]]:
    """A school's or a municipality's indicators, one row each: «33,3 (1 из 3; цель 100)»."""
    rows: list[list[Cell]] = []
    for v in values:
        shown = _pct(v)
        if shown is None:
            value = _why(d, v) or d.no_data
        else:
            goal = d.t("spravka.goal_of", target=v.target) if v.target is not None else ""
            value = d.t("spravka.percent_of", pct=d.cell(shown), a=v.a, b=v.b, goal=goal)
        rows.append([d.t(f"indicator.{v.code}.short") + ", %", value])
    return rows


def _counts_rows(d: Draft, c: figures.SchoolCounts, w: Work) -> list[list[Cell]]:
    """A school's (or a municipality's schools summed) people, pairs and meetings."""
    return [
        [d.t("spravka.row.mentors"), c.mentors],
        [d.t("spravka.row.mentees"), c.mentees],
        [d.t("spravka.row.young_mentees"), c.young_mentees],
        [d.t("spravka.row.young_headcount"), c.young_headcount],
        [d.t("spravka.row.pairs"), c.pairs],
        [d.t("spravka.row.groups"), c.groups],
        [d.t("spravka.row.with_order"), w.with_order],
        [d.t("spravka.row.programmes"), c.programmes],
        [d.t("spravka.row.meetings_held"), w.held],
        [d.t("spravka.row.unmatched"), w.unmatched],
    ]


def _per_municipality(d: Draft, f: Facts) -> None:
    for part in f.municipalities:
        c, w = f.total(part.school_ids), f.total_work(part.school_ids)
        d.doc.add_heading(part.name, level=2)
        rows: list[list[Cell]] = [
            *_schools_rows(d, f, part.school_ids),
            *_counts_rows(d, c, w),
            *_values_rows(d, part.values),
        ]
        d.table([d.t("spravka.col.what"), d.t("spravka.col.value")], rows, (10, 6))


def _per_school(d: Draft, f: Facts) -> None:
    values = {s.school_id: s.values for s in f.report.schools}
    for school_id in f.scope.school_ids:
        c = f.counts[school_id]
        w: Work = f.work[school_id]
        d.doc.add_heading(f.scope.school_names[school_id], level=2)
        rows: list[list[Cell]] = [
            *_counts_rows(d, c, w),
            *_values_rows(d, values.get(school_id, [])),
        ]
        d.table([d.t("spravka.col.what"), d.t("spravka.col.value")], rows, (10, 6))


def _gaps(d: Draft, f: Facts) -> list[str]:
    """What keeps the справка from being complete, each with where to fix it."""
    out = []
    missing = f.missing_headcount()
    if missing and f.scope.level == Level.SCHOOL:
        out.append(d.t("spravka.gap.headcount"))
    elif missing and f.scope.level == Level.MUNICIPALITY:
        names = "; ".join(f.scope.school_names[s] for s in missing)
        out.append(d.t("spravka.gap.headcount_schools", names=names))
    elif missing:
        # A region has hundreds of schools: how many in each municipality, by name.
        where = [
            d.t("spravka.gap.of_schools", name=p.name, missing=n, schools=len(p.school_ids))
            for p in f.municipalities
            if (n := len(f.missing_headcount(p.school_ids)))
        ]
        out.append(d.t("spravka.gap.headcount_municipalities", names="; ".join(where)))
    w = f.total_work()
    c = f.total()
    without_order = c.pairs + c.groups - w.with_order
    if without_order > 0:
        out.append(d.t("spravka.gap.order", count=without_order))
    without_plan = c.pairs + c.groups - c.programmes
    if without_plan > 0:
        out.append(d.t("spravka.gap.plan", count=without_plan))
    if not f.surveys:
        out.append(d.t("spravka.gap.surveys"))
    elif any(s.hidden for s in f.surveys):
        out.append(d.t("spravka.gap.survey_hidden", min=MIN_ANSWERS))
    return out


def write(facts: Facts, text: Text, target: str | Path | IO[bytes]) -> None:
    d = Draft(text)
    scope = facts.scope
    level = scope.level
    d.doc.add_heading(d.t("spravka.title"), level=0)
    d.para(d.t(f"spravka.subtitle.{level.value}", scope=scope.name, year=scope.year))
    d.para(
        d.t("spravka.legend", date=scope.today.strftime("%d.%m.%Y"), no_data=d.no_data),
        d.blank("spravka.legend.blank"),
        d.t("spravka.legend.end"),
    )
    d.heading("spravka.h.period")
    d.para(
        d.t(
            "spravka.period",
            starts=facts.starts_on.strftime("%d.%m.%Y"),
            ends=facts.ends_on.strftime("%d.%m.%Y"),
            year=scope.year,
        )
    )
    d.para(d.t("spravka.order"), d.blank("spravka.blank.order"))
    d.heading("spravka.h.participants")
    _participants(d, facts)
    d.heading("spravka.h.forms")
    _forms(d, facts)
    d.heading("spravka.h.meetings")
    _meetings(d, facts)
    d.heading("spravka.h.indicators")
    _indicators(d, facts)
    d.heading("spravka.h.surveys")
    _surveys(d, facts)
    d.heading("spravka.h.difficulties")
    _difficulties(d, facts)
    d.heading("spravka.h.plans")
    _plans(d, facts)
    if level == Level.MUNICIPALITY:
        d.heading("spravka.h.schools")
        _per_school(d, facts)
    elif level == Level.REGION:
        d.heading("spravka.h.municipalities")
        _per_municipality(d, facts)
    gaps = _gaps(d, facts)
    d.heading("spravka.h.gaps")
    if gaps:
        for gap in gaps:
            d.bullet(gap)
    else:
        d.para(d.t("spravka.gap.none"))
    d.para()
    d.para(d.t(f"spravka.signature.{level.value}"), d.blank("spravka.blank.name"))
    d.para(d.t("spravka.date"), d.blank("spravka.blank.date"))
    d.doc.core_properties.title = d.t("spravka.title") + " — " + scope.name
    d.doc.save(target)  # type: ignore[arg-type]
