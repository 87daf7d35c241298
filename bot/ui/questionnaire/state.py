"""The questionnaire's state: a typed model kept in FSM data as JSON (it must survive
Redis), and its two FSM states."""

from __future__ import annotations

import enum
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from pydantic import BaseModel, Field

from services.questionnaire import Answers

KEY = "form"


class Form(StatesGroup):
    field = State()  # the current field is FormState.current
    summary = State()


class FormMode(enum.StrEnum):
    REGISTER = "register"
    ADD_ROLE = "add_role"
    EDIT = "edit"


class FormState(BaseModel):
    """One run of the questionnaire: registration, adding a role, or a /profile edit."""

    mode: FormMode
    role: str
    invite: str | None = None
    school_id: int | None = None
    fields: list[str]  # asked now, in order
    all_fields: list[str]  # shown in the summary
    position: int = 0  # index into fields of the question on screen
    answers: dict[str, Any] = Field(default_factory=dict)  # Answers.to_json()
    back_to_summary: bool = False  # fixing one field from the summary

    @property
    def current(self) -> str | None:
        return self.fields[self.position] if self.position < len(self.fields) else None

    def typed_answers(self) -> Answers:
        return Answers.from_json(self.answers)

    def with_answers(self, answers: Answers) -> FormState:
        return self.model_copy(update={"answers": answers.to_json()})


async def load(state: FSMContext) -> FormState | None:
    data = (await state.get_data()).get(KEY)
    return FormState.model_validate(data) if data else None


async def save(state: FSMContext, form: FormState) -> None:
    """The form is all the FSM data while it runs (engine.start begins it on empty
    data), so it is written over, not merged: one write instead of a read and a write."""
    await state.set_data({KEY: form.model_dump(mode="json")})
