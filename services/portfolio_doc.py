"""«Портфолио достижений» as a .docx (python-docx): the person, the programme's record
(pair, meetings held, plan goals done, club events attended) and the achievements."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document

from services.portfolio import Record

Text = Callable[..., str]


def build(record: Record, text: Text) -> bytes:
    doc = Document()
    doc.add_heading(text("portfolio.doc.title"), level=0)
    doc.add_paragraph(text("portfolio.doc.person", name=record.name, school=record.school))
    doc.add_heading(text("portfolio.doc.programme"), level=1)
    if record.mentor:
        doc.add_paragraph(text("portfolio.doc.mentor", name=record.mentor))
    if record.mentees:
        doc.add_paragraph(text("portfolio.doc.mentees", names=", ".join(record.mentees)))
    doc.add_paragraph(text("portfolio.doc.meetings", count=record.meetings_held))
    doc.add_heading(text("portfolio.doc.goals"), level=1)
    for goal in record.goals_done or [text("portfolio.doc.none")]:
        doc.add_paragraph(goal, style="List Bullet")
    doc.add_heading(text("portfolio.doc.events"), level=1)
    if record.events:
        for day, title in record.events:
            doc.add_paragraph(f"{day:%d.%m.%Y} — {title}", style="List Bullet")
    else:
        doc.add_paragraph(text("portfolio.doc.none"))
    doc.add_heading(text("portfolio.doc.achievements"), level=1)
    if record.entries:
        table = doc.add_table(rows=1, cols=4)
        head = table.rows[0].cells
        for cell, key in zip(head, ("kind", "title", "result", "date"), strict=True):
            cell.text = text(f"portfolio.doc.col.{key}")
        for e in record.entries:
            cells = table.add_row().cells
            cells[0].text = text(f"portfolio.kind.{e.kind.value}")
            cells[1].text = e.title
            parts = []
            if e.level:
                parts.append(text(f"portfolio.level.{e.level}"))
            if e.result:
                parts.append(text(f"portfolio.result.{e.result}"))
            cells[2].text = ", ".join(parts)
            cells[3].text = f"{e.on_date:%d.%m.%Y}"
    else:
        doc.add_paragraph(text("portfolio.doc.none"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
