"""SQLAlchemy models. Importing this package registers every table on Base.metadata."""

from models.agreement import PairProposal
from models.base import Base
from models.catalogue import CatalogueItem
from models.digest import DigestSetting
from models.enums import (
    LIVE_PAIR,
    MEETING_ORDER,
    AgeGroup,
    CatalogueKind,
    FeedbackStatus,
    GoalStatus,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    OutboxStatus,
    PairStatus,
    ParticipantStatus,
    ProposalStatus,
    QualificationCategory,
    Role,
)
from models.geo import Municipality, School
from models.pairs import Feedback, LeaderLock, Meeting, Outbox, Pair, PairMember, PlanGoal
from models.participants import (
    AuditEvent,
    CatalogueMark,
    Consent,
    Invite,
    MenteeProfile,
    MentorProfile,
    Participant,
    RoleGrant,
)
from models.privacy import AppSecret, ConsentText, ErasedAttributeCount
from models.programme import Holiday, Programme
from models.surveys import (
    Headcount,
    IndicatorTarget,
    SurveyAnswer,
    SurveyInstrument,
    SurveyItem,
    SurveyResponse,
    SurveyRound,
)

__all__ = [
    "LIVE_PAIR",
    "MEETING_ORDER",
    "AgeGroup",
    "AppSecret",
    "AuditEvent",
    "Base",
    "CatalogueItem",
    "CatalogueKind",
    "CatalogueMark",
    "Consent",
    "ConsentText",
    "DigestSetting",
    "ErasedAttributeCount",
    "Feedback",
    "FeedbackStatus",
    "GoalStatus",
    "Headcount",
    "Holiday",
    "IndicatorTarget",
    "Invite",
    "LeaderLock",
    "Meeting",
    "MeetingFormat",
    "MeetingKind",
    "MeetingStatus",
    "MenteeProfile",
    "MentorProfile",
    "Municipality",
    "Outbox",
    "OutboxStatus",
    "Pair",
    "PairMember",
    "PairProposal",
    "PairStatus",
    "Participant",
    "ParticipantStatus",
    "PlanGoal",
    "Programme",
    "ProposalStatus",
    "QualificationCategory",
    "Role",
    "RoleGrant",
    "School",
    "SurveyAnswer",
    "SurveyInstrument",
    "SurveyItem",
    "SurveyResponse",
    "SurveyRound",
]
