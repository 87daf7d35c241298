"""In May the digest points to the «Информационная справка»."""

from __future__ import annotations

import datetime as dt

from aiogram.utils.i18n import I18n

from bot.ui.digest import view
from services.digest.content import Digest, week_of
from services.export.scope import Level


def _digest(day: dt.date) -> Digest:
    d = Digest(Level.SCHOOL, "МБОУ «Лицей»", "2026/2027", week_of(day))
    d.held = (1, 0)  # not a quiet week: the full text is rendered
    return d


def test_in_may_the_digest_points_to_the_spravka(i18n: I18n) -> None:
    with i18n.context():
        may = view.text(_digest(dt.date(2027, 5, 17)))
        april = view.text(_digest(dt.date(2027, 4, 26)))
    assert "«Информационной справки»" in may and "/spravka" in may
    assert "/spravka" not in april
