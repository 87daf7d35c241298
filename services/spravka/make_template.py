"""Builds services/spravka/template.docx, the page the справка is drafted on: A4 with
the margins of Russian official papers (ГОСТ Р 7.0.97: left 3 cm, right 1.5 cm, top and
bottom 2 cm), Times New Roman 14 for the text and 12 in tables, headings in the same
face, the «Table Grid» style for tables. The document's text is added by
services.spravka.document; a school that wants its own letterhead edits the template
in Word (styles and page only: the body is replaced).

Run: ``uv run python -m services.spravka.make_template``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TEMPLATE = Path(__file__).with_name("template.docx")
FACE = "Times New Roman"


def _face(style: Any, size: int, *, bold: bool = False) -> None:
    font = style.font
    font.name = FACE
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    # East Asian and complex-script faces too, or Word shows Cyrillic in Calibri.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FACE)


def build(target: Path = TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = doc.styles["Normal"]
    _face(normal, 14)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 13)):
        style = doc.styles[name]
        _face(style, size, bold=True)
        style.paragraph_format.space_before = Pt(10)
        style.paragraph_format.space_after = Pt(4)
    doc.styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if "Table Text" not in [s.name for s in doc.styles]:
        cell = doc.styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
        cell.base_style = normal
        _face(cell, 12)
        cell.paragraph_format.space_after = Pt(0)
        cell.paragraph_format.line_spacing = 1.0
    _face(doc.styles["List Bullet"], 14)
    props = doc.core_properties
    props.title = "Информационная справка"
    props.author = "Наставник-бот"
    props.comments = "Шаблон справки о реализации программы наставничества"
    # The body is empty: the bot writes it.
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.save(str(target))
    return target


if __name__ == "__main__":
    print(build())
