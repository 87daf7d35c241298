"""SQLAlchemy models. Importing this package registers every table on Base.metadata."""

from models.base import Base
from models.catalogue import CatalogueItem
from models.enums import (
    AgeGroup,
    CatalogueKind,
    ParticipantStatus,
    QualificationCategory,
    Role,
)
from models.geo import Municipality, School
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

__all__ = [
    "AgeGroup",
    "AuditEvent",
    "Base",
    "CatalogueItem",
    "CatalogueKind",
    "CatalogueMark",
    "Consent",
    "Invite",
    "MenteeProfile",
    "MentorProfile",
    "Municipality",
    "Participant",
    "ParticipantStatus",
    "QualificationCategory",
    "Role",
    "RoleGrant",
    "School",
]
