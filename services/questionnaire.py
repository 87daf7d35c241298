"""The questionnaire: which fields a role answers, and the answers as plain data.

Answers travel through FSM storage, so they must survive JSON (Redis in production).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from models import AgeGroup, Participant, QualificationCategory, Role

TEACHER_FIELDS = ("full_name", "position", "subject", "experience_years", "age_group", "category")
MENTEE_FIELDS = ("deficits", "request_text")
MENTOR_FIELDS = ("competencies", "capacity")
STAFF_FIELDS = ("full_name", "position")


def fields_for(role: Role) -> list[str]:
    if role == Role.MENTEE:
        return [*TEACHER_FIELDS, *MENTEE_FIELDS]
    if role == Role.MENTOR:
        return [*TEACHER_FIELDS, *MENTOR_FIELDS]
    return list(STAFF_FIELDS)


def profile_fields(p: Participant) -> list[str]:
    """The fields /profile shows and lets the person edit: the staff's, and those of
    each teacher role they hold or asked for."""
    fields: list[str] = list(STAFF_FIELDS)
    for role in (Role.MENTEE, Role.MENTOR):
        if p.has_role(role) or p.requested_role == role:
            fields += [f for f in fields_for(role) if f not in fields]
    return fields


def fields_to_add(role: Role, answered: Answers) -> list[str]:
    """Fields a registered person still lacks to take on another role."""
    return [f for f in fields_for(role) if not answered.has(f)]


@dataclass
class Answers:
    full_name: str | None = None
    position: str | None = None
    subject: str | None = None
    experience_years: int | None = None
    age_group: AgeGroup | None = None
    category: QualificationCategory | None = None
    deficits: list[int] = field(default_factory=list)
    request_text: str | None = None
    competencies: list[int] = field(default_factory=list)
    capacity: int | None = None
    # Which multi-select fields were confirmed (an empty list can be a real answer).
    confirmed: list[str] = field(default_factory=list)

    def has(self, name: str) -> bool:
        if name in ("deficits", "competencies"):
            return name in self.confirmed
        if name == "request_text":
            return "request_text" in self.confirmed
        return getattr(self, name) is not None

    def to_json(self) -> dict[str, Any]:
        # Field by field, not dataclasses.asdict (a deep copy of every value, a tenth of
        # a typed answer's handling): the values are plain, the lists copied.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("deficits", "competencies", "confirmed"):
            data[key] = list(data[key])
        for key in ("age_group", "category"):
            if data[key] is not None:
                data[key] = str(data[key].value)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answers:
        data = dict(data)
        if data.get("age_group") is not None:
            data["age_group"] = AgeGroup(data["age_group"])
        if data.get("category") is not None:
            data["category"] = QualificationCategory(data["category"])
        return cls(**data)
