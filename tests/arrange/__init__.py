"""Arranging data directly in the database, one module per entity (tests act through
the bot; they set up here). Everything is re-exported: ``from tests import arrange``,
then ``arrange.pair(...)``, ``arrange.meeting(...)``."""

from tests.arrange.agreement import addendum
from tests.arrange.constants import ADMIN_ID, DEFAULT_TEST_URL, KEEP_TABLES, NOW
from tests.arrange.feedback import ask_feedback, feedback, trial_with_feedback_asked
from tests.arrange.invites import invite
from tests.arrange.meetings import meeting
from tests.arrange.pairs import (
    Arranged,
    PairSetup,
    mentor_and_mentees,
    pair,
    school_with_pair,
)
from tests.arrange.people import (
    ASSESS,
    DISCIPLINE,
    PARENTS,
    consent_version,
    mentee,
    mentor,
    staff,
    teacher,
)
from tests.arrange.places import municipality_other, municipality_with_schools, school_in_zone
from tests.arrange.world import (
    COORDINATOR,
    CURATOR_A,
    CURATOR_B,
    MENTEE,
    MENTEE_2,
    MENTEE_3,
    ORLOV,
    PETROV,
    SIDOROVA,
    ZAITSEV,
    World,
    world,
)

__all__ = [
    "ADMIN_ID",
    "ASSESS",
    "COORDINATOR",
    "CURATOR_A",
    "CURATOR_B",
    "DEFAULT_TEST_URL",
    "DISCIPLINE",
    "KEEP_TABLES",
    "MENTEE",
    "MENTEE_2",
    "MENTEE_3",
    "NOW",
    "ORLOV",
    "PARENTS",
    "PETROV",
    "SIDOROVA",
    "ZAITSEV",
    "Arranged",
    "PairSetup",
    "World",
    "addendum",
    "ask_feedback",
    "consent_version",
    "feedback",
    "invite",
    "meeting",
    "mentee",
    "mentor",
    "mentor_and_mentees",
    "municipality_other",
    "municipality_with_schools",
    "pair",
    "school_in_zone",
    "school_with_pair",
    "staff",
    "teacher",
    "trial_with_feedback_asked",
    "world",
]
