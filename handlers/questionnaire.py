"""Answers to the questionnaire, typed or pressed, with a hint for anything wrong."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import commands, keyboards, questionnaire
from bot.ui.callbacks import ChoiceCb, FixCb, SummaryAction, SummaryCb, ToggleCb
from bot.ui.questionnaire import Form, FormMode, FormState
from bot.ui.replies import drop_buttons
from bot.ui.views.profile import profile_view
from bot.ui.views.registration import registered_text
from models import AgeGroup, QualificationCategory, Role
from services import catalogue, profile, registration, validation
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.participants import find_live
from services.validation import FieldError

TEXT_PARSERS = {
    "full_name": validation.full_name,
    "position": validation.short_text,
    "subject": validation.short_text,
    "experience_years": validation.experience_years,
    "request_text": validation.long_text,
    "capacity": validation.capacity,
}


async def _form(state: FSMContext) -> FormState:
    form = await questionnaire.load(state)
    if form is None:
        await state.clear()
        raise DomainError("error.stale_button")
    return form


async def _on_field(state: FSMContext, field: str) -> FormState:
    """The form, if the pressed button belongs to the question on screen."""
    form = await _form(state)
    if form.current != field:
        raise DomainError("error.stale_button")
    return form


async def typed_answer(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    clock: Clock,
) -> None:
    form = await questionnaire.load(state)
    name = form.current if form else None
    if form is None or name is None:
        return
    if message.text is None:
        await questionnaire.ask(message, state, session, form=form, hint=t("form.error.need_text"))
        return
    if message.text.startswith("/"):
        hint = t("form.error.command_mid_form")
        await questionnaire.ask(message, state, session, form=form, hint=hint)
        return
    parser = TEXT_PARSERS.get(name)
    if parser is None:
        await questionnaire.ask(
            message, state, session, form=form, hint=t("form.error.use_buttons")
        )
        return
    try:
        value = parser(message.text)
    except FieldError as err:
        hint = t(err.code, **err.params)
        await questionnaire.ask(message, state, session, form=form, hint=hint)
        return
    answers = form.typed_answers()
    setattr(answers, name, value)
    if name in questionnaire.OPTIONAL_FIELDS and name not in answers.confirmed:
        answers.confirmed.append(name)
    done = await questionnaire.advance(message, state, session, form.with_answers(answers))
    if done is not None:
        await finish(message, state, session, message.chat.id, clock, done)


async def toggle(
    query: CallbackQuery, callback_data: ToggleCb, state: FSMContext, session: AsyncSession
) -> None:
    form = await _on_field(state, callback_data.field)
    items = await catalogue.active_items(session)
    if callback_data.item not in {i.id for i in items}:
        raise DomainError("error.stale_button")
    answers = form.typed_answers()
    chosen: list[int] = getattr(answers, callback_data.field)
    if callback_data.item in chosen:
        chosen.remove(callback_data.item)
    else:
        chosen.append(callback_data.item)
    await questionnaire.save(state, form.with_answers(answers))
    markup = keyboards.field(callback_data.field, chosen, items, optional=False)
    if isinstance(query.message, Message) and isinstance(markup, InlineKeyboardMarkup):
        await query.message.edit_reply_markup(reply_markup=markup)


async def choice(
    query: CallbackQuery,
    callback_data: ChoiceCb,
    state: FSMContext,
    session: AsyncSession,
    clock: Clock,
) -> None:
    form = await _on_field(state, callback_data.field)
    if not isinstance(query.message, Message):
        return
    answers = form.typed_answers()
    field, value = callback_data.field, callback_data.value
    try:
        if field == "age_group":
            answers.age_group = AgeGroup(value)
        elif field == "category":
            answers.category = QualificationCategory(value)
        elif field == "capacity":
            answers.capacity = validation.capacity(value)
        elif field in questionnaire.MULTI_FIELDS and value == "done":
            if field not in answers.confirmed:
                answers.confirmed.append(field)
        elif field in questionnaire.OPTIONAL_FIELDS and value == "skip":
            setattr(answers, field, None)
            if field not in answers.confirmed:
                answers.confirmed.append(field)
        else:
            raise ValueError(value)
    except (ValueError, FieldError):
        raise DomainError("error.stale_button") from None
    done = await questionnaire.advance(
        query.message, state, session, form.with_answers(answers), pressed=True
    )
    if done is not None:
        await finish(query.message, state, session, query.from_user.id, clock, done)


async def finish(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    telegram_id: int,
    clock: Clock,
    form: FormState,
) -> None:
    """The last field is answered: ``form``, as saved."""
    if form.mode != FormMode.EDIT:
        await questionnaire.show_summary(message, state, session, form)
        return
    me = await find_live(session, telegram_id)
    if me is None:
        await state.clear()
        return
    await profile.update(session, me, form.typed_answers(), form.fields, clock)
    await state.clear()
    await message.answer(t("profile.saved"))
    names = {e.id: e.title for e in await catalogue.active_items(session)}
    text, markup = profile_view(me, names)
    await message.answer(text, reply_markup=markup)


async def fix(query: CallbackQuery, state: FSMContext) -> None:
    form = await _form(state)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=keyboards.fix_fields(form.all_fields))


async def fix_field(
    query: CallbackQuery, callback_data: FixCb, state: FSMContext, session: AsyncSession
) -> None:
    form = await _form(state)
    if callback_data.field not in form.all_fields or not isinstance(query.message, Message):
        raise DomainError("error.stale_button")
    await drop_buttons(query)
    await state.set_state(Form.field)
    fixing = form.model_copy(
        update={"fields": [callback_data.field], "position": 0, "back_to_summary": True}
    )
    await questionnaire.save(state, fixing)
    await questionnaire.ask(query.message, state, session, form=fixing)


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if not isinstance(query.message, Message):
        return
    participant = await find_live(session, query.from_user.id)
    if participant is None:
        # Consent was withdrawn in the meantime: nothing may be stored.
        await state.clear()
        raise DomainError("error.stale_button")
    form = await _form(state)
    result = await registration.complete(
        session,
        participant,
        answers=form.typed_answers(),
        role=Role(form.role),
        school_id=form.school_id,
        invite_code=form.invite,
        clock=clock,
        admin_ids=settings.admin_ids,
    )
    await state.clear()
    # The summary becomes the answer: the answers as sent, then what happens next (one
    # edit: the buttons go and the answer comes in one request). It happens once the
    # registration is stored, not before: a request to Telegram would end the read
    # transaction (bot.outgoing.release_db), and completing would start another; and
    # if completing fails, the person still has «Всё верно» to retry.
    answers = await questionnaire.summary_answers(session, form)
    sent = t("form.sent", answers=answers, result=registered_text(result, participant))
    try:
        await query.message.edit_text(sent, reply_markup=None)
    except TelegramBadRequest:
        # The summary cannot be edited any more (deleted meanwhile): the registration
        # is stored all the same, and the answer comes as a new message.
        await query.message.answer(sent)
    actor = Actor.of(
        query.from_user.id, participant, is_admin=query.from_user.id in settings.admin_ids
    )
    await commands.sync(bot, query.from_user.id, actor, settings.webapp_url)
    # The invite's author and the approvers hear of it through the outbox
    # (registration.complete queued their notices in its transaction).


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(typed_answer, Form.field)
    router.callback_query.register(toggle, Form.field, ToggleCb.filter())
    router.callback_query.register(choice, Form.field, ChoiceCb.filter())
    router.callback_query.register(
        fix, Form.summary, SummaryCb.filter(F.action == SummaryAction.FIX)
    )
    router.callback_query.register(fix_field, Form.summary, FixCb.filter())
    router.callback_query.register(
        confirm, Form.summary, SummaryCb.filter(F.action == SummaryAction.OK)
    )
    return router
