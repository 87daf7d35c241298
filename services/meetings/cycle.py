"""The meeting cycle: which kind comes after which, and how a held (or skipped)
meeting moves the pair on."""

from __future__ import annotations

import datetime as dt

from models import MEETING_ORDER, MeetingKind, Pair, PairStatus


def kind_after(kind: MeetingKind) -> MeetingKind | None:
    """What comes after a held meeting of this kind: regular meetings repeat until the
    mentor moves the pair to the final one; after the final one, nothing."""
    if kind == MeetingKind.REGULAR:
        return MeetingKind.REGULAR
    if kind == MeetingKind.FINAL:
        return None
    return MEETING_ORDER[MEETING_ORDER.index(kind) + 1]


def advance(pair: Pair, kind: MeetingKind, now: dt.datetime) -> None:
    """A held (or skipped) meeting of ``kind`` moves the pair on, unless the pair is
    already past that stage (the curator skipped it while the meeting was open)."""
    current = pair.next_kind
    if current is not None and MEETING_ORDER.index(kind) < MEETING_ORDER.index(current):
        return
    nxt = kind_after(kind)
    if nxt != current:
        pair.stage_since = now
    pair.next_kind = nxt
    if nxt is None:
        pair.status = PairStatus.COMPLETED
