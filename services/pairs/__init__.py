"""Pairs and groups: forming one (a use case, one transaction), the curator's views
(/pairs with a status per pair, the pair card), ending, pausing and resuming.

The status rules («в графике» / «нужно внимание» / «застой») are a pure function of a
pair's facts, written down in docs/pair-status.md; the queries only gather the facts.

The modules: parsing (typed input), status (the pure rules), loading (a pair with its
school, in the actor's scope), people, facts (from the database), views (the list and
the card), forming, lifecycle (close, pause, resume) and notices (what they need). Every
public name is re-exported here, so callers keep writing `pairs.card(...)`.
"""

from services.pairs.facts import UNLOGGED_AFTER
from services.pairs.forming import Draft, Formed, GroupOption, draft, form
from services.pairs.lifecycle import NUDGE_KINDS, pause, pause_options, resume
from services.pairs.loading import Loaded, pair_in_scope
from services.pairs.notices import Ended, Intro, ended, intro
from services.pairs.parsing import (
    MAX_PAUSE_DAYS,
    parse_order,
    parse_pause_until,
)
from services.pairs.people import Person
from services.pairs.status import (
    Flag,
    Health,
    Level,
    PairFacts,
    StatusRules,
    health,
    is_paused,
)
from services.pairs.views import (
    CARD_MEETINGS,
    PAGE_SIZE,
    FeedbackLine,
    MeetingLine,
    PairCard,
    PairLine,
    PairsPage,
    card,
    list_pairs,
)

__all__ = [
    "CARD_MEETINGS",
    "MAX_PAUSE_DAYS",
    "NUDGE_KINDS",
    "PAGE_SIZE",
    "UNLOGGED_AFTER",
    "Draft",
    "Ended",
    "FeedbackLine",
    "Flag",
    "Formed",
    "GroupOption",
    "Health",
    "Intro",
    "Level",
    "Loaded",
    "MeetingLine",
    "PairCard",
    "PairFacts",
    "PairLine",
    "PairsPage",
    "Person",
    "StatusRules",
    "card",
    "draft",
    "ended",
    "form",
    "health",
    "intro",
    "is_paused",
    "list_pairs",
    "pair_in_scope",
    "parse_order",
    "parse_pause_until",
    "pause",
    "pause_options",
    "resume",
]
