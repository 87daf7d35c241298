"""Calendar files: what a phone's calendar reads from them."""

from __future__ import annotations

import datetime as dt

import icalendar

from models import MeetingFormat
from services import ics

STAMP = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
START = dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))


def _parse(data: bytes) -> tuple[icalendar.Calendar, icalendar.Component]:
    cal = icalendar.Calendar.from_ical(data)
    [event] = cal.walk("VEVENT")
    return cal, event


def test_a_meeting_is_one_event_in_utc_with_its_uid_and_place() -> None:
    event = ics.IcsEvent(
        meeting_id=42,
        starts_at=START,
        summary="Встреча-знакомство",
        format=MeetingFormat.OFFLINE,
        place="кабинет 12",
        duration_min=45,
    )
    data = ics.build(event, stamp=STAMP)
    assert b"DTSTART:20261130T100000Z" in data  # 15:00 at UTC+5, written in UTC
    cal, ev = _parse(data)
    assert str(cal["method"]) == "PUBLISH" and str(cal["version"]) == "2.0"
    assert str(ev["uid"]) == "meeting-42@nastavnik-bot"
    assert ev.decoded("dtstart") == dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
    assert ev.decoded("dtend") == dt.datetime(2026, 11, 30, 10, 45, tzinfo=dt.UTC)
    assert str(ev["summary"]) == "Встреча-знакомство"
    assert str(ev["location"]) == "кабинет 12" and "url" not in ev
    assert ev.decoded("sequence") == 0 and str(ev["status"]) == "CONFIRMED"
    assert ics.filename(42) == "meeting-42.ics"


def test_an_online_meeting_has_its_link_as_url_and_an_hour_by_default() -> None:
    event = ics.IcsEvent(
        meeting_id=7,
        starts_at=START,
        summary="Регулярная встреча",
        format=MeetingFormat.ONLINE,
        place="https://telemost.yandex.ru/j/123",
        sequence=2,
    )
    _, ev = _parse(ics.build(event, stamp=STAMP))
    assert str(ev["url"]) == "https://telemost.yandex.ru/j/123"
    assert ev.decoded("dtend") - ev.decoded("dtstart") == dt.timedelta(hours=1)
    assert ev.decoded("sequence") == 2


def test_cancellation_keeps_the_uid_and_says_cancel() -> None:
    event = ics.IcsEvent(meeting_id=7, starts_at=START, summary="Регулярная встреча", sequence=3)
    cal, ev = _parse(ics.build(event, stamp=STAMP, cancel=True))
    assert str(cal["method"]) == "CANCEL"
    assert str(ev["status"]) == "CANCELLED"
    assert str(ev["uid"]) == "meeting-7@nastavnik-bot" and ev.decoded("sequence") == 3
