"""Domain enumerations stored as short strings (portable across PostgreSQL and SQLite)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    MENTEE = "mentee"
    MENTOR = "mentor"
    CURATOR = "curator"
    COORDINATOR = "coordinator"


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
