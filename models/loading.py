"""Loader options shared by services.

A pair loads its people (mentor joined, members selectin with their mentee joined): the
names every pair view shows. A Participant in turn loads its roles, profiles and ticked
deficits (selectin): four more queries for the mentors and four for the mentees, which
the views of meetings, feedback and /my never read. Pairs loaded with these options
bring their people without those; code that needs them loads the participant itself
(tests refuse lazy loads, so a miss shows up there)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, lazyload, selectinload
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
    selectinload(Pair.members).joinedload(PairMember.mentee).options(*_NOT_THE_PROFILE),
)
