"""The names of the meeting kinds (one catalogue, the seeds' wording) and of a pair's
stage."""

from __future__ import annotations

from bot.i18n import t
from models import MeetingKind


def kind_name(kind: MeetingKind | str) -> str:
    """«пробная рабочая встреча», for the middle of a sentence."""
    return t(f"meeting.kind.{MeetingKind(kind).value}")


def kind_title(kind: MeetingKind | str) -> str:
    """«Пробная рабочая встреча», for a label or the start of a line."""
    name = kind_name(kind)
    return name[:1].upper() + name[1:]


def stage_name(kind: MeetingKind | None) -> str:
    """What a pair is at: the kind of its next meeting, or the cycle done."""
    return kind_name(kind) if kind else t("pairs.stage.done")
