"""Feedback after a meeting (a rating in one tap, then optional texts and who may read
them) and the «подходит ли вам пара?» answer after the trial meeting."""

from __future__ import annotations

from aiogram import Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import t
from bot.ui.callbacks import FeedbackRateCb, FeedbackShareCb, FeedbackStepCb, FitCb
from bot.ui.views import feedback as views
from models import Role
from services import feedback
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.feedback import Progress, Step
from services.validation import FieldError

TEXT_STEPS = (Step.COMMENT, Step.HELPED, Step.HARD)


class FeedbackForm(StatesGroup):
    text = State()  # FSM data: fb (id), step, retry


async def _ask(
    message: Message,
    state: FSMContext,
    progress: Progress,
    *,
    lead: str | None = None,
    retry: bool = False,
) -> None:
    """Ask the next question of the feedback (or thank the person when done)."""
    parts = [lead] if lead else []
    markup: InlineKeyboardMarkup | None = None
    if progress.step in TEXT_STEPS:
        await state.set_state(FeedbackForm.text)
        await state.set_data(
            {"fb": progress.feedback_id, "step": progress.step.value, "retry": retry}
        )
        parts.append(t(f"feedback.q.{progress.step.value}"))
        # The comment after a low rating cannot be skipped at first.
        if progress.step != Step.COMMENT or retry:
            markup = views.skip_markup(progress.feedback_id, progress.step)
    elif progress.step == Step.SHARE:
        await state.clear()
        parts.append(t("feedback.q.share"))
        markup = views.share_markup(progress.feedback_id, progress.respondent_role)
    else:
        await state.clear()
        parts.append(t("feedback.done"))
    await message.answer("\n\n".join(parts), reply_markup=markup)


async def rate(
    query: CallbackQuery,
    callback_data: FeedbackRateCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    progress = await feedback.rate(
        session, actor, callback_data.id, callback_data.rating, clock.now()
    )
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask(
            query.message, state, progress, lead=t("feedback.saved", rating=callback_data.rating)
        )


async def typed(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    data = await state.get_data()
    feedback_id, step = int(data["fb"]), Step(data["step"])
    try:
        progress = await feedback.answer(
            session, actor, feedback_id, step, message.text, clock.now()
        )
    except FieldError as err:
        again = Progress(feedback_id, step, step == Step.COMMENT, Role.MENTEE)
        await _ask(message, state, again, lead=t(err.code, **err.params), retry=True)
        return
    await _ask(message, state, progress)


async def skip(
    query: CallbackQuery,
    callback_data: FeedbackStepCb,
    session: AsyncSession,
    actor: Actor,
    clock: Clock,
    state: FSMContext,
) -> None:
    data = await state.get_data()
    current = await state.get_state() == FeedbackForm.text.state and (
        data.get("fb") == callback_data.id and data.get("step") == callback_data.step
    )
    if not current or (callback_data.step == Step.COMMENT and not data.get("retry")):
        raise DomainError("error.stale_button")
    progress = await feedback.answer(
        session, actor, callback_data.id, Step(callback_data.step), None, clock.now(), skip=True
    )
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask(query.message, state, progress)


async def share(
    query: CallbackQuery, callback_data: FeedbackShareCb, session: AsyncSession, actor: Actor
) -> None:
    respondent = await feedback.share(session, actor, callback_data.id, bool(callback_data.shared))
    other = Role.MENTEE if respondent == Role.MENTOR else Role.MENTOR
    key = f"feedback.done.shared.{other.value}" if callback_data.shared else "feedback.done.private"
    if isinstance(query.message, Message):
        await query.message.edit_text(t(key))


async def fit(
    query: CallbackQuery, callback_data: FitCb, session: AsyncSession, actor: Actor, clock: Clock
) -> None:
    result = await feedback.answer_fit(
        session, actor, callback_data.pair_id, bool(callback_data.fits), clock.now()
    )
    if isinstance(query.message, Message):
        # The buttons stay: the person may change their answer.
        await query.message.answer(t("fit.saved.yes" if result.fits else "fit.saved.no"))


def _not_a_command(message: Message) -> bool:
    # Commands pass on to their own handlers; the question stays open.
    return not (message.text or "").startswith("/")


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(rate, FeedbackRateCb.filter())
    router.callback_query.register(skip, FeedbackStepCb.filter())
    router.callback_query.register(share, FeedbackShareCb.filter())
    router.callback_query.register(fit, FitCb.filter())
    router.message.register(typed, FeedbackForm.text, _not_a_command)
    return router
