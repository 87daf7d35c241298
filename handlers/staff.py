"""The curator's and coordinator's area: /pending, /unmatched and /pairs with their
buttons, behind one filter. The use cases live in approvals, matching, pairs, bulk
matching and spravka; handlers/__init__.py puts their routers behind this filter."""

from __future__ import annotations

from aiogram import Router
from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.filters import Command, Filter, or_f
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import t
from bot.ui.callbacks import (
    AddendumCb,
    AddendumEndCb,
    ApprovalCb,
    BulkMatchCb,
    FormPairCb,
    GroupChoiceCb,
    HolidayCb,
    MatchCb,
    OrderChoiceCb,
    PairCb,
    PairsPageCb,
    PauseCb,
    PickMentorCb,
    ProgrammeCb,
    UnmatchedPageCb,
)
from bot.ui.staff_states import BulkDraft, PairDraft, PairTyping
from services.access import Actor
from services.errors import AccessDenied

COMMANDS = ("pending", "unmatched", "pairs", "spravka", "holidays", "programme")
BUTTONS = (
    ApprovalCb,
    BulkMatchCb,
    UnmatchedPageCb,
    MatchCb,
    PickMentorCb,
    GroupChoiceCb,
    OrderChoiceCb,
    FormPairCb,
    PairsPageCb,
    PairCb,
    PauseCb,
    AddendumCb,
    AddendumEndCb,
    HolidayCb,
    ProgrammeCb,
)


class IsStaff(Filter):
    async def __call__(self, _: Message | CallbackQuery, actor: Actor) -> bool:
        return actor.is_staff


async def forget_typing(message: Message, state: FSMContext) -> None:
    """A new /pairs or /unmatched drops a half-typed order, reason or pause date, so a
    later message is not taken for one. Other features' steps are left alone."""
    current = await state.get_state()
    if current in PairDraft or current in PairTyping or current in BulkDraft:
        await state.clear()
    raise SkipHandler


async def staff_only(message: Message) -> None:
    await message.answer(t("error.staff_only"))


async def not_yours(query: CallbackQuery) -> None:
    raise AccessDenied()


def create_router(*areas: Router) -> Router:
    """The staff's filter over ``areas`` (their routers, in order)."""
    staff = Router(name=__name__)
    staff.message.filter(IsStaff())
    staff.callback_query.filter(IsStaff())
    staff.message.register(forget_typing, Command("unmatched", "pairs"))
    staff.include_routers(*areas)
    return staff


def create_gate_router() -> Router:
    """Everyone else who reaches for the staff's commands or buttons is told once."""
    gate = Router(name=__name__ + ".gate")
    gate.message.register(staff_only, Command(*COMMANDS))
    gate.callback_query.register(not_yours, or_f(*(cb.filter() for cb in BUTTONS)))
    return gate
