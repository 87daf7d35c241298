"""The digest's place for the club's upcoming events: shown, in the scope's own time,
when the club fills it; absent (no invented «мероприятий нет») while it is empty. In May
the digest points to the «Информационная справка»."""

from __future__ import annotations

import datetime as dt

from aiogram.utils.i18n import I18n

from bot.ui.digest import view
from services.digest.content import ClubEvent, Digest, week_of
from services.export.scope import Level


def _digest(events: list[ClubEvent], day: dt.date = dt.date(2026, 11, 23)) -> Digest:
    d = Digest(Level.SCHOOL, "МБОУ «Лицей»", "2026/2027", week_of(day))
    d.held = (1, 0)  # not a quiet week: the full text is rendered
    d.club_events = events
    return d


def test_upcoming_club_events_are_listed_in_local_time(i18n: I18n) -> None:
    event = ClubEvent(
        "Заседание клуба «Пеликаша»: портфолио",
        dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC),
        place="МОУ ДПО УМЦ, ауд. 3",
        going=7,
    )
    with i18n.context():
        text = view.text(_digest([event]), zone="Asia/Novosibirsk")
        empty = view.text(_digest([]), zone="Asia/Novosibirsk")
    assert "<b>Ближайшие мероприятия</b>" in text
    assert (
        "📅 26.11 18:00 — Заседание клуба «Пеликаша»: портфолио, МОУ ДПО УМЦ, ауд. 3 (придут: 7)"
    ) in text.replace("&quot;", '"')
    assert "Ближайшие мероприятия" not in empty and "мероприят" not in empty


def test_in_may_the_digest_points_to_the_spravka(i18n: I18n) -> None:
    with i18n.context():
        may = view.text(_digest([], dt.date(2027, 5, 17)))
        april = view.text(_digest([], dt.date(2027, 4, 26)))
    assert "«Информационной справки»" in may and "/spravka" in may
    assert "/spravka" not in april
