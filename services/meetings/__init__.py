"""The meeting cycle of a pair (Р-145): introductory → trial → planning → regular
(repeated) → final → completed. Scheduling, confirming, moving, cancelling and logging
meetings, with every reminder and notice written as an outbox row in the same
transaction. Every id that comes from a button is checked against the presser here.

``Meeting.created_by_id`` is the person whose proposal is on the table: a counter-
proposal or a move hands it to the person who made it, and only the others confirm.

The modules: cycle (what comes next), parsing (typed input and the time buttons),
access (who may touch what, a pair's zone), reading (a meeting as the UI shows
it), views (a member's pairs and history), outbox_rows (notices, reminders, the .ics
sequence), checks (before a flow starts), scheduling, outcomes (logging a meeting) and
stages (final, skipping). Every public name is re-exported here, so callers keep writing
`meetings.schedule(...)`.
"""

from services.meetings.access import (
    meeting_of_member,
    members,
    pair_of_member,
    role_in,
    zone_of,
)
from services.meetings.checks import (
    check_cancellable,
    check_loggable,
    check_movable,
    check_schedulable,
    check_skippable,
    next_kind_of,
)
from services.meetings.cycle import kind_after
from services.meetings.habits import DEFAULT_DURATION, DEFAULT_TIME, Habits, school_habits
from services.meetings.outbox_rows import (
    ASK_AFTER,
    REMIND_DAY_BEFORE,
    REMIND_HOUR_BEFORE,
    reminder_times,
    sequence_of,
)
from services.meetings.outcomes import (
    DURATIONS,
    Logged,
    log_held,
    log_not_held,
    log_unscheduled,
    set_topic,
    skip_topic,
)
from services.meetings.parsing import (
    MAX_PLACE,
    MAX_TOPIC,
    clean_link,
    clean_place,
    clean_topic,
    slots,
)
from services.meetings.reading import OPEN, MeetingInfo, allowed_kinds, info, open_meeting
from services.meetings.scheduling import (
    PROPOSED_MEANWHILE,
    cancel,
    confirm,
    reschedule,
    schedule,
)
from services.meetings.stages import go_final, skip_stage
from services.meetings.views import (
    PAGE_SIZE,
    HistoryItem,
    HistoryPage,
    MyPair,
    card_of,
    history,
    meeting_for_member,
    my_pairs,
)

__all__ = [
    "ASK_AFTER",
    "DEFAULT_DURATION",
    "DEFAULT_TIME",
    "DURATIONS",
    "MAX_PLACE",
    "MAX_TOPIC",
    "OPEN",
    "PAGE_SIZE",
    "PROPOSED_MEANWHILE",
    "REMIND_DAY_BEFORE",
    "REMIND_HOUR_BEFORE",
    "Habits",
    "HistoryItem",
    "HistoryPage",
    "Logged",
    "MeetingInfo",
    "MyPair",
    "allowed_kinds",
    "cancel",
    "card_of",
    "check_cancellable",
    "check_loggable",
    "check_movable",
    "check_schedulable",
    "check_skippable",
    "clean_link",
    "clean_place",
    "clean_topic",
    "confirm",
    "go_final",
    "history",
    "info",
    "kind_after",
    "log_held",
    "log_not_held",
    "log_unscheduled",
    "meeting_for_member",
    "meeting_of_member",
    "members",
    "my_pairs",
    "next_kind_of",
    "open_meeting",
    "pair_of_member",
    "reminder_times",
    "reschedule",
    "role_in",
    "schedule",
    "school_habits",
    "sequence_of",
    "set_topic",
    "skip_stage",
    "skip_topic",
    "slots",
    "zone_of",
]
