"""The справка's page: the committed template is the one the script builds (styles and
margins a Word user expects), and texts that Word cannot hold are cleaned."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from services.spravka import make_template
from services.spravka.document import TEMPLATE
from services.spravka.facts import MAX_QUOTE_CHARS, clean


def _page(path: Path) -> tuple[object, ...]:
    doc = Document(str(path))
    section = doc.sections[0]
    styles = {s.name for s in doc.styles}
    return (
        round(section.left_margin.cm, 1) if section.left_margin else None,
        round(section.right_margin.cm, 1) if section.right_margin else None,
        doc.styles["Normal"].font.name,
        "Table Text" in styles,
        "Table Grid" in styles,
        len(doc.paragraphs),
    )


def test_committed_template_matches_the_script(tmp_path: Path) -> None:
    built = make_template.build(tmp_path / "template.docx")
    assert _page(TEMPLATE) == _page(built) == (3.0, 1.5, "Times New Roman", True, True, 0)


def test_clean_drops_what_word_cannot_hold() -> None:
    assert clean(" Трудно\x01 с\x0b\tдисциплиной \n") == "Трудно с дисциплиной"
    long = clean("я" * (MAX_QUOTE_CHARS + 50))
    assert len(long) == MAX_QUOTE_CHARS and long.endswith("…")
