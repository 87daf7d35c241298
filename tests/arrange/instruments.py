"""A municipality's own questionnaire file (TOML), as a coordinator would import it:
one satisfaction item per role, asked in every round. Tests vary the header and the
threshold; the items stay the same."""

from __future__ import annotations


def municipal_instrument(
    *,
    version: str = "mun-1",
    title: str = "Анкета муниципалитета",
    source_note: str = "Утверждена управлением образования",
    satisfied_from: int = 7,
    mentor_rounds: str = '"entry", "midterm", "final"',
) -> str:
    return f"""
[instrument]
version = "{version}"
title = "{title}"
source_note = "{source_note}"
satisfied_from = {satisfied_from}

[[item]]
code = "A1"
role = "mentee"
kind = "scale"
rounds = ["entry", "midterm", "final"]
measure = "satisfaction"
text = "Оцените участие в программе"

[[item]]
code = "B1"
role = "mentor"
kind = "scale"
rounds = [{mentor_rounds}]
measure = "satisfaction"
text = "Оцените участие в программе"
"""
