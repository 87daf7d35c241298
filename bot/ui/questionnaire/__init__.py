"""The questionnaire: its typed state and the engine that asks it."""

from bot.ui.questionnaire.engine import (
    MULTI_FIELDS,
    OPTIONAL_FIELDS,
    advance,
    ask,
    show_summary,
    start,
    summary_answers,
)
from bot.ui.questionnaire.state import Form, FormMode, FormState, load, save

__all__ = [
    "MULTI_FIELDS",
    "OPTIONAL_FIELDS",
    "Form",
    "FormMode",
    "FormState",
    "advance",
    "ask",
    "load",
    "save",
    "show_summary",
    "start",
    "summary_answers",
]
