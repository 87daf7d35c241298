"""The dashboard as JSON for the page: codes and values for filtering and sorting, with
the Russian labels made here from the locale files (the page shows them as text only,
never as HTML, so no name needs escaping on the way)."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from aiogram.utils.i18n import I18n

from bot.ui.dates import day, local_day, when
from bot.ui.views.pairs import flag_text
from models import MeetingKind
from services.export.scope import Level
from services.indicators import MIN_ANSWERS, Value
from services.pairs.status import Level as PairLevel
from services.panel.dashboard import Dashboard, Line, Option, PairRow, RoundRate

LEVELS = (PairLevel.STALLED, PairLevel.ATTENTION, PairLevel.ON_TRACK, PairLevel.PAUSED)
LEVEL_CODES = {
    PairLevel.STALLED: "stalled",
    PairLevel.ATTENTION: "attention",
    PairLevel.ON_TRACK: "on_track",
    PairLevel.PAUSED: "paused",
    PairLevel.CLOSED: "closed",
}
STAGES = (*MeetingKind, None)


def text(key: str, /, n: int | None = None, **params: Any) -> str:
    """A locale text with plain (unescaped) parameters."""
    i18n = I18n.get_current(no_error=False)
    raw = i18n.gettext(key) if n is None else i18n.gettext(key, key, n)
    if n is not None:
        params["n"] = n
    return raw.format(**params) if params else raw


def stage_label(kind: MeetingKind | None) -> str:
    return text(f"meeting.kind.{kind.value}") if kind else text("panel.stage.done")


def stage_code(kind: MeetingKind | None) -> str:
    return kind.value if kind else "done"


def level_label(level: PairLevel) -> str:
    if level == PairLevel.PAUSED:
        return text("panel.level.paused")
    return text(f"pairs.level.{LEVEL_CODES[level]}")


def _name(name: str | None) -> str:
    return name if name is not None else text("panel.pairs.erased")


def _pair(row: PairRow) -> dict[str, Any]:
    flags = [html.unescape(flag_text(f, row.zone)) for f in row.flags]
    if row.level == PairLevel.PAUSED and row.paused_until is not None:
        status = text("panel.pairs.paused", date=day(row.paused_until))
    else:
        status = level_label(row.level)
    last = row.last_held_at
    r = row.ratings
    return {
        "id": row.pair_id,
        "school_id": row.school_id,
        "school": row.school_name,
        "mentor": _name(row.mentor),
        "mentees": [_name(m) for m in row.mentees],
        "level": LEVEL_CODES[row.level],
        "level_rank": int(row.level),
        "status": status,
        "flags": flags,
        "stage": stage_code(row.stage),
        "stage_rank": STAGES.index(row.stage),
        "stage_label": stage_label(row.stage),
        "last_meeting": last.isoformat() if last else None,
        "last_meeting_label": local_day(last, row.zone) if last else text("panel.pairs.no_meeting"),
        "next_meeting_label": (
            text("panel.pairs.next", date=local_day(row.next_at, row.zone)) if row.next_at else ""
        ),
        "rating_mentor": r.mentor,
        "rating_mentor_n": r.mentor_n,
        "rating_mentees": r.mentees,
        "rating_mentees_n": r.mentees_n,
    }


def _pct(value: float) -> str:
    return f"{round(value)} %"


def _indicator(v: Value) -> dict[str, Any]:
    if v.b is None:
        shown = text("panel.indicator.no_data")
    elif v.hidden:
        shown = text("panel.indicator.hidden", answered=v.answered or 0, b=v.b, min=MIN_ANSWERS)
    else:
        pct = v.percent
        shown = text(
            "panel.indicator.value", a=v.a, b=v.b, pct=_pct(pct) if pct is not None else "—"
        )
    met = v.met
    return {
        "code": v.code,
        "name": text(f"indicator.{v.code}.short"),
        "a": v.a,
        "b": v.b,
        "percent": round(v.percent) if v.percent is not None else None,
        "target": v.target,
        "met": met,
        "text": shown,
        "target_text": (
            text("panel.indicator.target", target=v.target)
            if v.target is not None
            else text("panel.indicator.no_target")
        ),
        "met_text": (
            "" if met is None else text("panel.indicator.met" if met else "panel.indicator.not_met")
        ),
    }


def _round(r: RoundRate) -> dict[str, Any]:
    name = text(f"survey.round.{r.kind.value}")
    label = (
        text("panel.surveys.round", round=name, finished=r.finished, invited=r.invited)
        if r.invited
        else text("panel.surveys.none", round=name)
    )
    return {
        "kind": r.kind.value,
        "invited": r.invited,
        "finished": r.finished,
        "percent": r.percent,
        "label": label,
    }


def _week(first: dt.date, held: int) -> dict[str, Any]:
    return {
        "week": first.isoformat(),
        "label": first.strftime("%d.%m"),
        "held": held,
        "title": text("panel.weekly.week", day=day(first), count=held),
    }


def _line(line: Line) -> dict[str, Any]:
    return {
        "id": line.id,
        "name": line.name,
        "pairs": line.pairs,
        "on_track": line.on_track,
        "attention": line.attention,
        "stalled": line.stalled,
        "unmatched": line.unmatched,
        "held": line.held,
    }


def _option(o: Option, options: list[Option]) -> dict[str, Any]:
    if o.level == Level.REGION:
        name = text("panel.scope.region_option", name=o.name)
    elif o.level == Level.MUNICIPALITY and not any(x.level == Level.REGION for x in options):
        name = text("panel.scope.municipality")  # the only municipality there is
    else:
        name = o.name
    return {"level": o.level.value, "id": o.id, "name": name}


def dashboard(d: Dashboard) -> dict[str, Any]:
    counts = dict.fromkeys(PairLevel, 0)
    for row in d.pairs:
        counts[row.level] += 1
    lines = [_line(x) for x in d.lines]
    survey_now = None
    if d.survey_now is not None:
        note = d.survey_now
        title = text(f"survey.round.{note.kind.value}")
        name = title[:1].lower() + title[1:]  # in the middle of a sentence
        survey_now = (
            text("panel.surveys.open", round=name, day=day(note.closes_on))
            if note.state.value == "open"
            else text("panel.surveys.upcoming", round=name, day=day(note.opens_on))
        )
    return {
        "scope": {
            "level": d.level.value,
            "id": d.scope_id,
            "name": d.name,
            "year": d.year,
            "subtitle": text("panel.scope.year", year=d.year, day=day(d.today)),
        },
        "options": [_option(o, d.options) for o in d.options],
        "levels": [
            {"code": LEVEL_CODES[lv], "label": level_label(lv), "count": counts[lv]}
            for lv in LEVELS
        ],
        "stages": [{"code": stage_code(k), "label": stage_label(k)} for k in STAGES],
        "pairs": [_pair(row) for row in d.pairs],
        "weekly": [_week(first, n) for first, n in d.weekly],
        "weekly_total": text("panel.weekly.total", count=sum(n for _, n in d.weekly)),
        "indicators": [_indicator(v) for v in d.indicators],
        "health": [_indicator(v) for v in d.health],
        "schools": lines if d.level == Level.MUNICIPALITY else [],
        "municipalities": lines if d.level == Level.REGION else [],
        "surveys": {"now": survey_now, "rounds": [_round(r) for r in d.surveys]},
        "unmatched": {
            "total": d.unmatched_total,
            "items": [
                {
                    "id": w.participant_id,
                    "name": w.full_name,
                    "school": w.school_name,
                    "subject": w.subject or "",
                    "since": w.registered_at.isoformat() if w.registered_at else None,
                    "since_label": local_day(w.registered_at, d.zone) if w.registered_at else "",
                }
                for w in d.unmatched
            ],
            "more": (
                text("panel.unmatched.by_municipality")
                if d.level == Level.REGION
                else text("panel.unmatched.more", shown=len(d.unmatched), total=d.unmatched_total)
                if d.unmatched_total > len(d.unmatched)
                else ""
            ),
        },
        "events": {
            "items": [
                {
                    "title": e.title,
                    "when": when(e.starts_at, d.zone),
                    "going": (
                        text("panel.events.going", going=e.going)
                        if e.capacity is None
                        else text("panel.events.going_of", going=e.going, capacity=e.capacity)
                    ),
                }
                for e in d.events
            ],
            "message": "" if d.events else text("panel.events.none"),
        },
    }
