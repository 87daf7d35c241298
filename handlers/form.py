"""The questionnaire engine shared by registration, adding a role and /profile edits.

Everything lives in FSM data as JSON (it must survive Redis):
mode (register | add_role | edit), role, invite, school_id, fields (to ask now),
all_fields (shown in the summary), i (current field), answers, back_to_summary.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui import keyboards
from bot.ui.render import answers_text
from handlers.states import Form
from services import catalogue
from services.questionnaire import Answers

OPTIONAL_FIELDS = frozenset({"request_text"})
CHOICE_FIELDS = frozenset({"age_group", "category"})
MULTI_FIELDS = frozenset({"deficits", "competencies"})


async def start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    *,
    mode: str,
    role: str,
    fields: list[str],
    answers: Answers,
    invite: str | None = None,
    school_id: int | None = None,
    all_fields: list[str] | None = None,
) -> None:
    """Ask ``fields`` one by one; the summary then shows ``all_fields`` (default: the same)."""
    await state.set_state(Form.field)
    await state.set_data(
        {
            "mode": mode,
            "role": role,
            "invite": invite,
            "school_id": school_id,
            "fields": fields,
            "all_fields": all_fields or fields,
            "i": 0,
            "answers": answers.to_json(),
            "back_to_summary": False,
        }
    )
    if not fields:
        await show_summary(message, state, session)
        return
    # The introduction and the first question are one message: one tap, one message,
    # well within Telegram's one message per second to a chat.
    await ask(
        message, state, session, intro=t("form.intro", n=len(fields)) if mode != "edit" else None
    )


async def current(state: FSMContext) -> tuple[dict[str, Any], str | None, Answers]:
    data = await state.get_data()
    fields: list[str] = data.get("fields", [])
    i: int = data.get("i", 0)
    name = fields[i] if i < len(fields) else None
    return data, name, Answers.from_json(data.get("answers", {}))


async def ask(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    *,
    hint: str | None = None,
    intro: str | None = None,
    index: int | None = None,
) -> None:
    """Send the current question, or the one at ``index`` (after a hint, if the last
    answer was wrong, or an introduction)."""
    data, name, answers = await current(state)
    if index is not None:
        name = data["fields"][index] if index < len(data["fields"]) else None
    if name is None:
        return
    i = data["i"] if index is None else index
    items = await catalogue.active_items(session) if name in MULTI_FIELDS else []
    selected = getattr(answers, name) if name in MULTI_FIELDS else []
    markup = keyboards.field(name, selected, items, optional=name in OPTIONAL_FIELDS)
    question = t(f"form.q.{name}")
    if data.get("mode") == "register" and len(data["fields"]) > 1:
        question = t("form.step", i=i + 1, total=len(data["fields"])) + "\n" + question
    text = "\n\n".join(part for part in (hint, intro, question) if part)
    await message.answer(text, reply_markup=markup)


async def store(state: FSMContext, answers: Answers) -> None:
    await state.update_data(answers=answers.to_json())


async def advance(message: Message, state: FSMContext, session: AsyncSession) -> bool:
    """Move to the next field. Returns True when the form is complete (the caller
    finishes it: summary for registration, save for an edit)."""
    data = await state.get_data()
    i = data["i"] + 1
    if data.get("back_to_summary") or i >= len(data["fields"]):
        await state.update_data(i=len(data["fields"]))
        return True
    # Ask first, move after: if the question never reaches the person (Telegram kept
    # refusing), the form stays at the answered field instead of waiting for an
    # answer to a question they have not seen.
    await ask(message, state, session, index=i)
    await state.update_data(i=i)
    return False


async def show_summary(message: Message, state: FSMContext, session: AsyncSession) -> None:
    data = await state.get_data()
    answers = Answers.from_json(data["answers"])
    names = {e.id: e.title for e in await catalogue.active_items(session)}
    await state.set_state(Form.summary)
    await message.answer(
        t("form.summary", answers=answers_text(data["all_fields"], answers, names)),
        reply_markup=keyboards.summary(),
    )
