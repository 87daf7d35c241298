"""/portfolio — «Мои достижения»: the person's entries (contest with level and result,
publication, open lesson or talk, attestation with the category), each with an optional
file; «Портфолио достижений» as a .docx; a mentor's and a curator's view of their
mentees' portfolios. Every id from a button is checked by services.portfolio."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.filters import NotCommand
from bot.i18n import t
from bot.ui.callbacks import PortfolioAction, PortfolioCb
from bot.ui.digest.export import plain
from bot.ui.replies import edit_or_send, send_below
from bot.ui.views import portfolio as views
from models import AchievementKind
from services import portfolio, portfolio_doc
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError, NotFound
from services.validation import FieldError


class PortfolioForm(StatesGroup):
    title = State()  # data: kind
    file = State()  # data: kind, title, level, result


async def _show_own(message: Message, session: AsyncSession, actor: Actor) -> None:
    if actor.participant_id is None:
        raise NotFound()
    entries = await portfolio.entries_of(session, actor, actor.participant_id)
    people = await portfolio.people_to_see(session, actor)
    await message.answer(views.text(entries), reply_markup=views.markup(entries, people, own=True))


async def show(message: Message, state: FSMContext, session: AsyncSession, actor: Actor) -> None:
    if actor.participant_id is None or not actor.roles:
        await message.answer(t("portfolio.members_only"))
        return
    await state.clear()
    await _show_own(message, session, actor)


async def on_button(
    query: CallbackQuery,
    callback_data: PortfolioCb,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
) -> None:
    action = callback_data.action
    if actor.participant_id is None:
        raise NotFound()
    if action == PortfolioAction.ADD:
        await send_below(query, t("portfolio.q.kind"), views.kinds_markup())
    elif action == PortfolioAction.KIND:
        kind = AchievementKind(callback_data.value)
        if kind == AchievementKind.ATTESTATION:
            await state.set_state(PortfolioForm.file)
            await state.set_data({"kind": kind.value, "title": t("portfolio.attestation_title")})
            await edit_or_send(query, t("portfolio.q.category"), views.categories_markup())
            return
        await state.set_state(PortfolioForm.title)
        await state.set_data({"kind": kind.value})
        await edit_or_send(query, t(f"portfolio.q.title.{kind.value}"))
    elif action in (PortfolioAction.LEVEL, PortfolioAction.RESULT):
        data = await state.get_data()
        if "kind" not in data or await state.get_state() != PortfolioForm.file.state:
            raise DomainError("portfolio.stale")
        key = "level" if action == PortfolioAction.LEVEL else "result"
        await state.update_data({key: callback_data.value})
        if action == PortfolioAction.LEVEL:
            await edit_or_send(query, t("portfolio.q.result"), views.results_markup())
        else:
            await edit_or_send(query, t("portfolio.q.file"), views.no_file_markup())
    elif action == PortfolioAction.NO_FILE:
        await _save(query.message, state, session, actor, clock, None, None)
    elif action == PortfolioAction.FILE:
        file_id, name = await portfolio.file_of(session, actor, callback_data.id)
        if isinstance(query.message, Message):
            await query.message.answer_document(file_id, caption=name)
    elif action == PortfolioAction.PERSON:
        entries = await portfolio.entries_of(session, actor, callback_data.id)
        record = await portfolio.record(session, actor, callback_data.id)
        await send_below(
            query,
            views.text(entries, record.name),
            views.markup(entries, [], own=False, person_id=callback_data.id),
        )
    elif action == PortfolioAction.DOC:
        whose = callback_data.id or actor.participant_id
        record = await portfolio.record(session, actor, whose)
        content = portfolio_doc.build(record, plain)
        if isinstance(query.message, Message):
            await query.message.answer_document(
                BufferedInputFile(content, filename=t("portfolio.doc.filename")),
                caption=t("portfolio.doc.caption"),
            )


async def typed_title(message: Message, state: FSMContext) -> None:
    if not message.text:
        await message.answer(t("portfolio.text_only"))
        return
    try:
        title = portfolio.clean_title(message.text)
    except FieldError as exc:
        await message.answer(t(exc.code, **exc.params))
        return
    data = await state.get_data()
    await state.set_state(PortfolioForm.file)
    await state.update_data({"title": title})
    if data.get("kind") == AchievementKind.CONTEST.value:
        await message.answer(t("portfolio.q.level"), reply_markup=views.levels_markup())
    else:
        await message.answer(t("portfolio.q.file"), reply_markup=views.no_file_markup())


async def file_sent(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    document = message.document
    if document is None:
        await message.answer(t("portfolio.file_only"), reply_markup=views.no_file_markup())
        return
    await _save(message, state, session, actor, clock, document.file_id, document.file_name)


async def _save(
    message: object,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    file_id: str | None,
    file_name: str | None,
) -> None:
    data = await state.get_data()
    if "kind" not in data or "title" not in data:
        raise DomainError("portfolio.stale")
    await state.clear()  # a second press finds nothing to save
    await portfolio.add(
        session,
        actor,
        AchievementKind(str(data["kind"])),
        str(data["title"]),
        data.get("level"),
        data.get("result"),
        file_id,
        file_name,
        clock.now(),
    )
    if isinstance(message, Message):
        await message.answer(t("portfolio.saved"))
        await _show_own(message, session, actor)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show, Command("portfolio"))
    router.callback_query.register(on_button, PortfolioCb.filter())
    router.message.register(typed_title, PortfolioForm.title, NotCommand())
    router.message.register(file_sent, PortfolioForm.file, NotCommand())
    return router
