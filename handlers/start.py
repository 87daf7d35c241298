"""/start with or without an invite code, the consent screen, and self-registration
up to the questionnaire (role, municipality, school)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import keyboards, questionnaire
from bot.ui.callbacks import (
    ConsentAction,
    ConsentCb,
    MunicipalityCb,
    RoleCb,
    SchoolCb,
    SchoolPageCb,
)
from bot.ui.consent import consent_document
from bot.ui.questionnaire import Form, FormMode
from bot.ui.render import role_name
from bot.ui.views import registration as registration_view
from models import Invite, Participant, ParticipantStatus, Role
from services import consent, invites, participants, schools
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.invites import InviteError
from services.participants import answers_of
from services.questionnaire import Answers, fields_for, fields_to_add


class Registration(StatesGroup):
    role = State()
    municipality = State()
    school = State()


async def start(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    settings: Settings,
) -> None:
    code = (command.args or "").strip() or None
    me = await _me(session, actor)
    if code is None and await _resume_form(message, state, session, me):
        return
    await state.clear()
    invite = None
    if code is not None:
        try:
            invite = await invites.check(session, code, clock)
        except InviteError as err:
            refusal = t(err.code) + "\n\n" + t("invite.self_register_hint")
            if me is None:
                await _greet(message, state, settings, invite_code=None, before=refusal)
            else:
                await message.answer(refusal)
            return
    if me is None or me.status == ParticipantStatus.REGISTERING:
        if me is None:
            greeting = registration_view.greeting(invite)
            await _greet(message, state, settings, invite_code=code, before=greeting)
            return
        # Consent is on record but the questionnaire was left unfinished (and its answers
        # are gone: another /start code, or a restart): start it again, with the invite
        # it began with.
        if invite is None:
            invite = await participants.remembered_invite(session, me, clock)
        await _after_consent(message, state, session, invite=invite)
        return
    if me.status == ParticipantStatus.PENDING and invite is None:
        await message.answer(t("start.pending"))
        return
    if invite is not None:
        if me.has_role(invite.role) and any(
            g.school_id == invite.school_id for g in me.roles if g.role == invite.role
        ):
            await message.answer(t("start.already_has_role", role=role_name(invite.role)))
            return
        answers = answers_of(me)
        missing = fields_to_add(invite.role, answers)
        await questionnaire.start(
            message,
            state,
            session,
            mode=FormMode.ADD_ROLE,
            role=invite.role,
            fields=missing,
            answers=answers,
            invite=code,
            school_id=invite.school_id,
            all_fields=fields_for(invite.role),
        )
        return
    await message.answer(t("start.welcome_back", name=me.full_name or ""))


async def _me(session: AsyncSession, actor: Actor) -> Participant | None:
    """The whole participant, for /start's decisions (no query for a newcomer)."""
    if actor.participant_id is None:
        return None
    return await participants.find_live(session, actor.telegram_id)


async def _resume_form(
    message: Message, state: FSMContext, session: AsyncSession, me: Participant | None
) -> bool:
    """A plain /start in the middle of the questionnaire repeats where the person is,
    instead of throwing away the answers (and the invite) given so far."""
    if me is None or me.status != ParticipantStatus.REGISTERING:
        return False
    current = await state.get_state()
    if current == Form.field.state:
        await questionnaire.ask(message, state, session, hint=t("form.resumed"))
        return True
    if current == Form.summary.state:
        await questionnaire.show_summary(message, state, session)
        return True
    return False


async def _greet(
    message: Message,
    state: FSMContext,
    settings: Settings,
    invite_code: str | None,
    before: str | None = None,
) -> None:
    """Show the consent (after a greeting, in the same message: one tap, one message).
    Nothing about the person is stored until «Согласен»."""
    await state.update_data(invite=invite_code)
    text = consent_document(settings).text
    await message.answer(
        f"{before}\n\n{text}" if before else text, reply_markup=keyboards.consent()
    )


async def agree(
    query: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    settings: Settings,
    callback_answer: CallbackAnswer,
) -> None:
    if not isinstance(query.message, Message):
        return
    document = consent_document(settings)
    known = actor.participant_id
    if known is not None and await consent.is_current(session, known, document.version):
        # A second press: the first one already moved on to the questionnaire.
        callback_answer.text = t("erasure.consent.already")
        return
    if known is not None and actor.status != ParticipantStatus.REGISTERING:
        raise DomainError("error.stale_button")
    # The invite is checked first (a read), so that the consent, the person and the
    # invite they came with are written in one transaction.
    data = await state.get_data()
    invite, refused = None, None
    if data.get("invite"):
        try:
            invite = await invites.check(session, data["invite"], clock)
        except InviteError as err:
            refused = err
    await consent.give(
        session,
        telegram_id=query.from_user.id,
        username=query.from_user.username,
        document=document,
        clock=clock,
        hmac_key=settings.consent_key(),
        invite_code=invite.code if invite is not None else None,
        # The update's identity found nobody on this account; the chat's updates come
        # one at a time, so nobody was added since.
        newcomer=known is None,
    )
    callback_answer.text = t("consent.recorded")
    await query.message.edit_reply_markup(reply_markup=None)
    if refused is not None:
        await query.message.answer(t(refused.code) + "\n\n" + t("invite.self_register_hint"))
    await _after_consent(query.message, state, session, invite=invite)


async def _after_consent(
    message: Message, state: FSMContext, session: AsyncSession, *, invite: Invite | None
) -> None:
    """With a valid invite straight to the questionnaire; otherwise choose a role."""
    if invite is not None:
        await questionnaire.start(
            message,
            state,
            session,
            mode=FormMode.REGISTER,
            role=invite.role,
            fields=fields_for(invite.role),
            answers=Answers(),
            invite=invite.code,
            school_id=invite.school_id,
        )
        return
    await state.set_state(Registration.role)
    await state.set_data({})
    await message.answer(t("registration.choose_role"), reply_markup=keyboards.roles())


async def disagree(query: CallbackQuery, state: FSMContext) -> None:
    # Keep only the invite code (in FSM storage, not the database) so that
    # reconsidering still lands in the right school.
    data = await state.get_data()
    await state.set_state(None)
    await state.set_data({"invite": data.get("invite")})
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(t("consent.declined"), reply_markup=keyboards.reconsider())


async def reconsider(
    query: CallbackQuery, state: FSMContext, settings: Settings, actor: Actor
) -> None:
    if isinstance(query.message, Message) and actor.participant_id is None:
        await query.message.edit_reply_markup(reply_markup=None)
        data = await state.get_data()
        await _greet(query.message, state, settings, invite_code=data.get("invite"))


async def chose_role(
    query: CallbackQuery, callback_data: RoleCb, state: FSMContext, session: AsyncSession
) -> None:
    if callback_data.role not in (Role.MENTEE, Role.MENTOR) or not isinstance(
        query.message, Message
    ):
        raise DomainError("error.stale_button")
    await state.update_data(role=callback_data.role)
    await query.message.edit_reply_markup(reply_markup=None)
    items = await schools.municipalities(session)
    if not items:
        await query.message.answer(t("registration.no_schools"))
        await state.clear()
        return
    if len(items) == 1:
        await _show_schools(query.message, state, session, items[0].id)
        return
    await state.set_state(Registration.municipality)
    await query.message.answer(
        t("registration.choose_municipality"), reply_markup=keyboards.municipalities(items)
    )


async def chose_municipality(
    query: CallbackQuery, callback_data: MunicipalityCb, state: FSMContext, session: AsyncSession
) -> None:
    if not isinstance(query.message, Message):
        return
    if callback_data.id not in {m.id for m in await schools.municipalities(session)}:
        raise DomainError("error.stale_button")
    await query.message.edit_reply_markup(reply_markup=None)
    await _show_schools(query.message, state, session, callback_data.id)


async def _show_schools(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    municipality_id: int,
    page: int = 0,
    query: str | None = None,
    edit: bool = False,
) -> None:
    await state.set_state(Registration.school)
    await state.update_data(municipality_id=municipality_id, query=query)
    result = await schools.schools_page(session, municipality_id, page, query)
    if query and not result.items:
        await message.answer(t("registration.school_not_found", query=query))
        return
    text = registration_view.schools_heading(result, query)
    if edit:
        await message.edit_text(text, reply_markup=keyboards.schools(result))
    else:
        await message.answer(text, reply_markup=keyboards.schools(result))


async def school_page(
    query: CallbackQuery, callback_data: SchoolPageCb, state: FSMContext, session: AsyncSession
) -> None:
    data = await state.get_data()
    if isinstance(query.message, Message):
        await _show_schools(
            query.message,
            state,
            session,
            data["municipality_id"],
            callback_data.page,
            data.get("query"),
            edit=True,
        )


async def school_search(message: Message, state: FSMContext, session: AsyncSession) -> None:
    text = (message.text or "").strip()
    if text.startswith("/") or len(text) > 100:
        await message.answer(t("registration.school_search_hint"))
        return
    data = await state.get_data()
    await _show_schools(message, state, session, data["municipality_id"], 0, text)


async def chose_school(
    query: CallbackQuery, callback_data: SchoolCb, state: FSMContext, session: AsyncSession
) -> None:
    data = await state.get_data()
    if not isinstance(query.message, Message):
        return
    if not await schools.belongs(session, callback_data.id, data.get("municipality_id")):
        raise DomainError("error.stale_button")
    await query.message.edit_reply_markup(reply_markup=None)
    role = Role(data["role"])
    await questionnaire.start(
        query.message,
        state,
        session,
        mode=FormMode.REGISTER,
        role=role,
        fields=fields_for(role),
        answers=Answers(),
        school_id=callback_data.id,
    )


async def use_buttons(message: Message) -> None:
    await message.answer(t("form.error.use_buttons"))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    router.callback_query.register(agree, ConsentCb.filter(F.action == ConsentAction.AGREE))
    router.callback_query.register(disagree, ConsentCb.filter(F.action == ConsentAction.DISAGREE))
    router.callback_query.register(
        reconsider, ConsentCb.filter(F.action == ConsentAction.RECONSIDER)
    )
    router.callback_query.register(chose_role, Registration.role, RoleCb.filter())
    router.callback_query.register(
        chose_municipality, Registration.municipality, MunicipalityCb.filter()
    )
    router.callback_query.register(school_page, Registration.school, SchoolPageCb.filter())
    router.message.register(school_search, Registration.school, F.text)
    router.callback_query.register(chose_school, Registration.school, SchoolCb.filter())
    router.message.register(use_buttons, Registration.role)
    router.message.register(use_buttons, Registration.municipality)
    return router
