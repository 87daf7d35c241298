"""Calendar files (.ics, RFC 5545) for meetings, so both sides can add a meeting to the
calendar on their phone. One UID per meeting: a moved meeting replaces the event (a
higher SEQUENCE), a cancelled one removes it (METHOD:CANCEL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import icalendar

from models import MeetingFormat

PRODID = "-//Nastavnik-bot//Meetings//RU"
UID_DOMAIN = "nastavnik-bot"
DEFAULT_DURATION_MIN = 60


def uid(meeting_id: int) -> str:
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def filename(meeting_id: int) -> str:
    return f"meeting-{meeting_id}.ics"


@dataclass(frozen=True)
class IcsEvent:
    meeting_id: int
    starts_at: dt.datetime  # aware; written in UTC
    summary: str  # the kind of meeting, in Russian
    sequence: int = 0
    duration_min: int | None = None
    format: MeetingFormat | None = None
    place: str | None = None  # a room for OFFLINE, a link for ONLINE
    description: str | None = None
    # Another kind of event (a club event) names its own UID; meetings use uid().
    uid: str | None = None


def build(event: IcsEvent, *, stamp: dt.datetime, cancel: bool = False) -> bytes:
    """A VCALENDAR with one VEVENT; ``cancel`` makes it the cancellation of that event."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    vevent = icalendar.Event()
    vevent.add("uid", event.uid or uid(event.meeting_id))
    vevent.add("dtstamp", stamp.astimezone(dt.UTC))
    start = event.starts_at.astimezone(dt.UTC)
    vevent.add("dtstart", start)
    vevent.add("dtend", start + dt.timedelta(minutes=event.duration_min or DEFAULT_DURATION_MIN))
    vevent.add("summary", event.summary)
    vevent.add("sequence", event.sequence)
    if event.place:
        if event.format == MeetingFormat.ONLINE:
            vevent.add("url", event.place)
        vevent.add("location", event.place)
    if event.description:
        vevent.add("description", event.description)
    if cancel:
        vevent.add("status", "CANCELLED")
    else:
        vevent.add("status", "CONFIRMED")
    cal.add_component(vevent)
    return bytes(cal.to_ical())
