"""Loader options shared by services.

A pair loads its people in the same query (mentor, members and their mentees joined):
the names every pair view shows. Meant for ``session.get`` of one pair, which makes
the rows unique; a select of many pairs with these options needs ``.unique()`` (the
members are a collection; SQLAlchemy refuses to return the rows without it).

A Participant in turn loads its roles, profiles and ticked deficits (selectin): four
more queries for the mentors and four for the mentees, which the views of meetings,
feedback and /my never read. Pairs loaded with these options bring their people
without those; code that needs them loads the participant itself (tests refuse lazy
loads, so a miss shows up there)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from models.pairs import Pair, PairMember
from models.participants import Participant

_NOT_THE_PROFILE = (
    lazyload(Participant.roles),
    lazyload(Participant.mentee_profile),
    lazyload(Participant.mentor_profile),
    lazyload(Participant.catalogue_marks),
)

PAIR_PEOPLE_NAMES: tuple[_AbstractLoad, ...] = (
    joinedload(Pair.mentor).options(*_NOT_THE_PROFILE),
    joinedload(Pair.members).joinedload(PairMember.mentee).options(*_NOT_THE_PROFILE),
)
