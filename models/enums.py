"""Domain enumerations stored as short strings (portable across PostgreSQL and SQLite)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"
    COORDINATOR = "coordinator"
    # Runs the young teachers' club of a municipality (granted by its coordinator).
    CLUB_ORGANISER = "club_organiser"
    # Watches the indicators, export and digest of a region's municipalities (granted
    # by an admin); reads, does not manage schools.
    REGIONAL_COORDINATOR = "regional_coordinator"


TEACHER_ROLES = frozenset({Role.MENTEE, Role.MENTOR})
STAFF_ROLES = frozenset({Role.CURATOR, Role.COORDINATOR})


class ParticipantStatus(enum.StrEnum):
    REGISTERING = "registering"  # consent given, questionnaire not finished
    PENDING = "pending"  # self-registered, waits for the curator
    ACTIVE = "active"
    DECLINED = "declined"  # the curator declined the self-registration
    LEFT = "left"  # consent withdrawn: personal data erased, row kept anonymous


class AgeGroup(enum.StrEnum):
    UNDER_35 = "under_35"
    FROM_35 = "from_35"


class QualificationCategory(enum.StrEnum):
    NONE = "none"
    CONFORMITY = "conformity"  # соответствие занимаемой должности
    FIRST = "first"
    HIGHEST = "highest"
    METHODIST = "methodist"  # педагог-методист
    MENTOR_TEACHER = "mentor_teacher"  # педагог-наставник


class CatalogueKind(enum.StrEnum):
    """Whether a ticked catalogue item is a mentee's deficit or a mentor's competency."""

    DEFICIT = "deficit"
    COMPETENCY = "competency"


class PairStatus(enum.StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # until Pair.paused_until; nudges wait
    COMPLETED = "completed"  # the final meeting was held
    ENDED = "ended"  # ended early by the curator, with a reason


# A pair holds its mentees and meets while it is active or paused.
LIVE_PAIR = (PairStatus.ACTIVE, PairStatus.PAUSED)


class ProposalStatus(enum.StrEnum):
    """A mentor's answer to a proposal (models.agreement.PairProposal)."""

    WAITING = "waiting"
    ACCEPTED = "accepted"  # «Беру»: the pair was formed
    DECLINED = "declined"  # «Не могу», with a reason
    RETURNED = "returned"  # unanswered: back to the curator
    WITHDRAWN = "withdrawn"  # the mentee was paired otherwise or left meanwhile


class EndingStatus(enum.StrEnum):
    """An early ending with notice (models.agreement.PairEnding)."""

    SCHEDULED = "scheduled"  # the pair ends on ends_on
    CANCELLED = "cancelled"
    DONE = "done"


class ActivityKind(enum.StrEnum):
    """Mentoring work besides meetings that a mentor logs for the hours table."""

    LESSON_VISIT = "lesson_visit"  # посещение урока
    PLAN_REVIEW = "plan_review"  # разбор конспекта/плана урока
    CONSULTATION = "consultation"  # консультация
    EVENT_PREP = "event_prep"  # совместная подготовка мероприятия


class MentoringForm(enum.StrEnum):
    """The form of mentoring set in the addendum (дополнительное соглашение)."""

    INDIVIDUAL = "individual"
    GROUP = "group"


class MeetingKind(enum.StrEnum):
    """The cycle of Р-145, in order. REGULAR repeats until the pair moves to FINAL."""

    INTRO = "intro"
    TRIAL = "trial"
    PLANNING = "planning"
    REGULAR = "regular"
    FINAL = "final"


MEETING_ORDER = (
    MeetingKind.INTRO,
    MeetingKind.TRIAL,
    MeetingKind.PLANNING,
    MeetingKind.REGULAR,
    MeetingKind.FINAL,
)


class MeetingStatus(enum.StrEnum):
    PROPOSED = "proposed"  # waits for the other side to confirm
    CONFIRMED = "confirmed"
    HELD = "held"
    NOT_HELD = "not_held"
    CANCELLED = "cancelled"


class MeetingFormat(enum.StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"


class FeedbackStatus(enum.StrEnum):
    REQUESTED = "requested"
    GIVEN = "given"
    MISSING = "missing"  # not given by the deadline and the reminders


class GoalStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"  # gave up after the retry cap
