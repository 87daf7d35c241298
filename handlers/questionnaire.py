"""Answers to the questionnaire, typed or pressed, with a hint for anything wrong."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import commands, keyboards
from bot.ui.callbacks import ChoiceCb, FixCb, SummaryCb, ToggleCb
from bot.ui.render import role_name
from handlers import form
from handlers.profile import show_profile
from handlers.states import Form
from models import AgeGroup, Participant, ParticipantStatus, QualificationCategory, Role
from services import catalogue, profile, registration, validation
from services.access import Actor
from services.clock import Clock
from services.participants import find_live
from services.questionnaire import Answers
from services.validation import FieldError

TEXT_PARSERS = {
    "full_name": validation.full_name,
    "position": validation.short_text,
    "subject": validation.short_text,
    "experience_years": validation.experience_years,
    "request_text": validation.long_text,
    "capacity": validation.capacity,
}


async def typed_answer(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    me: Participant | None,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    _, name, answers = await form.current(state)
    if name is None:
        return
    if message.text is None:
        await form.ask(message, state, session, hint=t("form.error.need_text"))
        return
    if message.text.startswith("/"):
        await form.ask(message, state, session, hint=t("form.error.command_mid_form"))
        return
    parser = TEXT_PARSERS.get(name)
    if parser is None:
        await form.ask(message, state, session, hint=t("form.error.use_buttons"))
        return
    try:
        value = parser(message.text)
    except FieldError as err:
        await form.ask(message, state, session, hint=t(err.code, **err.params))
        return
    setattr(answers, name, value)
    if name in form.OPTIONAL_FIELDS and name not in answers.confirmed:
        answers.confirmed.append(name)
    await form.store(state, answers)
    if await form.advance(message, state, session):
        await finish(message, state, session, me, clock, bot, settings)


async def _stale(query: CallbackQuery, state: FSMContext, field: str) -> bool:
    _, name, _ = await form.current(state)
    if name != field:
        await query.answer(t("error.stale_button"), show_alert=True)
        return True
    return False


async def toggle(
    query: CallbackQuery, callback_data: ToggleCb, state: FSMContext, session: AsyncSession
) -> None:
    if await _stale(query, state, callback_data.field):
        return
    items = await catalogue.active_items(session)
    if callback_data.item not in {i.id for i in items}:
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    _, _, answers = await form.current(state)
    chosen: list[int] = getattr(answers, callback_data.field)
    if callback_data.item in chosen:
        chosen.remove(callback_data.item)
    else:
        chosen.append(callback_data.item)
    await form.store(state, answers)
    markup = keyboards.field(callback_data.field, chosen, items, optional=False)
    if isinstance(query.message, Message) and isinstance(markup, InlineKeyboardMarkup):
        await query.message.edit_reply_markup(reply_markup=markup)
    await query.answer()


async def choice(
    query: CallbackQuery,
    callback_data: ChoiceCb,
    state: FSMContext,
    session: AsyncSession,
    me: Participant | None,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if await _stale(query, state, callback_data.field) or not isinstance(query.message, Message):
        return
    _, _, answers = await form.current(state)
    field, value = callback_data.field, callback_data.value
    try:
        if field == "age_group":
            answers.age_group = AgeGroup(value)
        elif field == "category":
            answers.category = QualificationCategory(value)
        elif field == "capacity":
            answers.capacity = validation.capacity(value)
        elif field in form.MULTI_FIELDS and value == "done":
            if field not in answers.confirmed:
                answers.confirmed.append(field)
        elif field in form.OPTIONAL_FIELDS and value == "skip":
            setattr(answers, field, None)
            if field not in answers.confirmed:
                answers.confirmed.append(field)
        else:
            raise ValueError(value)
    except (ValueError, FieldError):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    await form.store(state, answers)
    await query.answer()
    # The pressed keyboard is spent: remove it so an old button cannot be pressed twice.
    await query.message.edit_reply_markup(reply_markup=None)
    if await form.advance(query.message, state, session):
        await finish(query.message, state, session, me, clock, bot, settings)


async def finish(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    me: Participant | None,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    data = await state.get_data()
    if data["mode"] == "edit":
        if me is None:
            await state.clear()
            return
        await profile.update(session, me, Answers.from_json(data["answers"]), data["fields"], clock)
        await state.clear()
        await message.answer(t("profile.saved"))
        await show_profile(message, session, me)
        return
    await form.show_summary(message, state, session)


async def fix(query: CallbackQuery, state: FSMContext) -> None:
    data = await state.get_data()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=keyboards.fix_fields(data["all_fields"]))
    await query.answer()


async def fix_field(
    query: CallbackQuery, callback_data: FixCb, state: FSMContext, session: AsyncSession
) -> None:
    data = await state.get_data()
    if callback_data.field not in data["all_fields"] or not isinstance(query.message, Message):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    await query.message.edit_reply_markup(reply_markup=None)
    await state.set_state(Form.field)
    await state.update_data(fields=[callback_data.field], i=0, back_to_summary=True)
    await query.answer()
    await form.ask(query.message, state, session)


async def confirm(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    me: Participant | None,
    clock: Clock,
    bot: Bot,
    settings: Settings,
) -> None:
    if not isinstance(query.message, Message):
        return
    participant = me or await find_live(session, query.from_user.id)
    if participant is None:
        # Consent was withdrawn in the meantime: nothing may be stored.
        await state.clear()
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    data = await state.get_data()
    await query.message.edit_reply_markup(reply_markup=None)
    await query.answer()
    result = await registration.complete(
        session,
        participant,
        answers=Answers.from_json(data["answers"]),
        role=Role(data["role"]),
        school_id=data.get("school_id"),
        invite_code=data.get("invite"),
        clock=clock,
        admin_ids=settings.admin_ids,
    )
    await state.clear()
    actor = Actor.of(
        query.from_user.id, participant, is_admin=query.from_user.id in settings.admin_ids
    )
    await commands.sync(bot, query.from_user.id, actor)
    role = role_name(result.role)
    # The invite's author and the approvers hear of it through the outbox
    # (registration.complete queued their notices in its transaction).
    if result.status == ParticipantStatus.ACTIVE and participant.requested_role is None:
        await query.message.answer(
            t("registration.active", role=role, school=result.school_name or "")
        )
        return
    prefix = t("registration.invite_fell_back") + "\n\n" if result.invite_fell_back else ""
    await query.message.answer(prefix + t("registration.pending", school=result.school_name or ""))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(typed_answer, Form.field)
    router.callback_query.register(toggle, Form.field, ToggleCb.filter())
    router.callback_query.register(choice, Form.field, ChoiceCb.filter())
    router.callback_query.register(fix, Form.summary, SummaryCb.filter(F.action == "fix"))
    router.callback_query.register(fix_field, Form.summary, FixCb.filter())
    router.callback_query.register(confirm, Form.summary, SummaryCb.filter(F.action == "ok"))
    return router
