"""The people of a pair as the screens and notices show them."""

from __future__ import annotations

from dataclasses import dataclass

from models import LIVE_PAIR, Pair, PairMember, Participant


@dataclass(frozen=True)
class Person:
    participant_id: int
    full_name: str | None  # None: the person withdrew consent and was erased
    username: str | None
    telegram_id: int | None
    blocked_bot: bool


def person(p: Participant) -> Person:
    return Person(p.id, p.full_name, p.username, p.telegram_id, p.blocked_bot)


def shown_members(p: Pair) -> list[PairMember]:
    # A closed pair shows everyone it had; a live one only who is still in it.
    members = p.active_members if p.status in LIVE_PAIR else p.members
    return sorted(members, key=lambda m: (m.joined_at, m.id))
