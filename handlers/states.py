from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class Registration(StatesGroup):
    role = State()
    municipality = State()
    school = State()


class Form(StatesGroup):
    """The questionnaire: one state, the current field is in FSM data."""

    field = State()
    summary = State()


class RolesSearch(StatesGroup):
    query = State()
