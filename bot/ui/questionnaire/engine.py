"""The questionnaire engine shared by registration, adding a role and /profile edits:
asks the fields one by one (typed or pressed), then shows the summary."""

from __future__ import annotations

import contextlib

from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui import keyboards
from bot.ui.questionnaire.state import Form, FormMode, FormState, load, save
from bot.ui.render import answers_text
from services import catalogue
from services.questionnaire import Answers

OPTIONAL_FIELDS = frozenset({"request_text"})
MULTI_FIELDS = frozenset({"deficits", "competencies"})
# Answered by pressing a button only. After a press the question's own message becomes
# the record of the answer ("✓ Возраст: до 35 лет") followed by the next question: one
# edit instead of removing the buttons and sending a new message, and the answer stays
# in sight. Consecutive pressed questions live in that one message, so its record
# lists all of them.
PRESSED_FIELDS = frozenset({"age_group", "category", *MULTI_FIELDS})


async def start(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    *,
    mode: FormMode,
    role: str,
    fields: list[str],
    answers: Answers,
    invite: str | None = None,
    school_id: int | None = None,
    all_fields: list[str] | None = None,
) -> None:
    """Ask ``fields`` one by one; the summary then shows ``all_fields`` (default: the same)."""
    form = FormState(
        mode=mode,
        role=role,
        invite=invite,
        school_id=school_id,
        fields=fields,
        all_fields=all_fields or fields,
        answers=answers.to_json(),
    )
    await state.set_state(Form.field)
    await save(state, form)  # whatever the FSM data held before is gone
    if not fields:
        await show_summary(message, state, session, form)
        return
    # The introduction and the first question are one message: one tap, one message,
    # well within Telegram's one message per second to a chat.
    intro = t("form.intro", n=len(fields)) if mode != FormMode.EDIT else None
    await ask(message, state, session, form=form, intro=intro)


async def ask(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    *,
    form: FormState | None = None,
    hint: str | None = None,
    intro: str | None = None,
    position: int | None = None,
    answered: str | None = None,
) -> None:
    """Send the current question, or the one at ``position`` (after a hint, if the last
    answer was wrong, or an introduction). ``form``: the one the caller holds, else
    the one in ``state``. ``answered``: the record of the answer just pressed on
    ``message``, which then becomes that record and this question (edited, not sent)."""
    if form is None:
        form = await load(state)
    if form is None:
        return
    i = form.position if position is None else position
    if i >= len(form.fields):
        return
    name = form.fields[i]
    answers = form.typed_answers()
    items = await catalogue.active_items(session) if name in MULTI_FIELDS else []
    selected = getattr(answers, name) if name in MULTI_FIELDS else []
    markup = keyboards.field(name, selected, items, optional=name in OPTIONAL_FIELDS)
    question = t(f"form.q.{name}")
    if form.mode == FormMode.REGISTER and len(form.fields) > 1:
        question = t("form.step", i=i + 1, total=len(form.fields)) + "\n" + question
    text = "\n\n".join(part for part in (answered, hint, intro, question) if part)
    if answered is not None:
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest:
            # The pressed message cannot be edited any more (deleted meanwhile, say):
            # the question comes as a new message instead, the record of the answer
            # then waits for the summary. (Flood control and hiccups are retried by
            # bot.outgoing before this.)
            text = "\n\n".join(part for part in (hint, intro, question) if part)
    await message.answer(text, reply_markup=markup)


async def _answered(session: AsyncSession, form: FormState) -> Html:
    """The record of the pressed answer at ``form.position``, with the pressed answers
    asked right before it (in the same message)."""
    start = form.position
    while start > 0 and form.fields[start - 1] in PRESSED_FIELDS:
        start -= 1
    run = form.fields[start : form.position + 1]
    names = (
        {e.id: e.title for e in await catalogue.active_items(session)}
        if MULTI_FIELDS.intersection(run)
        else {}
    )
    return answers_text(run, form.typed_answers(), names, line="form.answered.line")


async def advance(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    form: FormState,
    *,
    pressed: bool = False,
) -> FormState | None:
    """Move past the answered field: ``form`` is the one in state with the new answer.
    Saved once, with the answer and the new position. Returns the complete form when
    no field is left (the caller finishes it: summary for registration, save for an
    edit), None while questions remain. ``pressed``: answered by a button on
    ``message``, the question's own message, which then shows the answer (and the
    next question) instead of its buttons."""
    answered = await _answered(session, form) if pressed else None
    nxt = form.position + 1
    if form.back_to_summary or nxt >= len(form.fields):
        if answered is not None:
            with contextlib.suppress(TelegramBadRequest):  # as in ask: the summary follows
                await message.edit_text(answered, reply_markup=None)
        done = form.model_copy(update={"position": len(form.fields)})
        await save(state, done)
        return done
    # Ask first, move after: if the question never reaches the person (Telegram kept
    # refusing), the form stays at the answered field instead of waiting for an
    # answer to a question they have not seen (who answers it again).
    await ask(message, state, session, form=form, position=nxt, answered=answered)
    await save(state, form.model_copy(update={"position": nxt}))
    return None


async def show_summary(
    message: Message, state: FSMContext, session: AsyncSession, form: FormState | None = None
) -> None:
    if form is None:
        form = await load(state)
    assert form is not None
    answers = await summary_answers(session, form)
    await state.set_state(Form.summary)
    await message.answer(t("form.summary", answers=answers), reply_markup=keyboards.summary())


async def summary_answers(session: AsyncSession, form: FormState) -> Html:
    """Every answer of the form, one line each, as the summary lists them."""
    names = {e.id: e.title for e in await catalogue.active_items(session)}
    return answers_text(form.all_fields, form.typed_answers(), names)
