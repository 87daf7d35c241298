"""/unmatched and forming a pair: a ranked list of mentors with the reasons, the choice
of a group or a separate pair, an optional order (приказ), then confirmation."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, t
from bot.ui.callbacks import (
    FormPairCb,
    GroupChoiceCb,
    MatchCb,
    OrderChoiceCb,
    PairCb,
    PickMentorCb,
    UnmatchedPageCb,
)
from bot.ui.notices.pairs import order_text, short_name
from bot.ui.render import free_text
from services import matching, pairs
from services.access import Actor
from services.clock import Clock
from services.errors import DomainError
from services.matching import Reason, Suggestion, UnmatchedItem


class PairDraft(StatesGroup):
    order = State()  # waiting for a typed order number and date
    confirm = State()


DRAFT_KEY = "pair_draft"


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace the pressed message; a second press of the same button changes nothing."""
    await query.answer()
    if not isinstance(query.message, Message):
        return
    try:
        await query.message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def drop_draft(state: FSMContext) -> None:
    current = await state.get_state()
    if current in (PairDraft.order.state, PairDraft.confirm.state):
        await state.clear()
    else:
        await state.update_data({DRAFT_KEY: None})


async def forget_typing(state: FSMContext) -> None:
    """A new /pairs or /unmatched drops a half-typed order, reason or pause date, so a
    later message is not taken for one. Other features' steps are left alone."""
    current = await state.get_state()
    if current is not None and current.split(":")[0] in ("PairDraft", "PairAction"):
        await state.clear()


# --- /unmatched ------------------------------------------------------------------------


def _mentee_line(n: int, item: UnmatchedItem, with_school: bool) -> str:
    details = [item.subject or "", t("pairs.experience", n=item.experience_years or 0)]
    if with_school:
        details.insert(0, item.school_name)
    return t(
        "matching.list.item",
        num=n,
        name=item.full_name + (" 🚫" if item.blocked_bot else ""),
        details=", ".join(d for d in details if d),
        deficits=", ".join(item.deficits) or t("pairs.intro.no_deficits"),
    )


async def _unmatched_view(
    session: AsyncSession, actor: Actor, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = await matching.unmatched(session, actor, page)
    if not found.total:
        return t("matching.list.empty"), None
    first = found.page * matching.PAGE_SIZE + 1
    lines = [t("matching.list.title", n=found.total)]
    lines += [
        _mentee_line(first + i, item, found.many_schools) for i, item in enumerate(found.items)
    ]
    if found.pages > 1:
        lines.append(t("nav.page", page=found.page + 1, pages=found.pages))
    kb = InlineKeyboardBuilder()
    for i, item in enumerate(found.items):
        kb.button(
            text=t("matching.button.match", num=first + i, name=short_name(item_person(item))),
            callback_data=MatchCb(mentee_id=item.participant_id),
        )
    sizes = [1] * len(found.items)
    sizes.append(_nav(kb, found.page, found.pages, lambda p: UnmatchedPageCb(page=p)))
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(lines), kb.as_markup()


def item_person(item: UnmatchedItem) -> pairs.Person:
    return pairs.Person(item.participant_id, item.full_name, None, None, item.blocked_bot)


def _nav(kb: InlineKeyboardBuilder, page: int, pages: int, make: Any) -> int:
    n = 0
    if page > 0:
        kb.button(text=t("nav.prev"), callback_data=make(page - 1))
        n += 1
    if page + 1 < pages:
        kb.button(text=t("nav.next"), callback_data=make(page + 1))
        n += 1
    return n


async def unmatched(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    await forget_typing(state)
    if not actor.is_staff:
        await message.answer(t("error.staff_only"))
        return
    text, markup = await _unmatched_view(session, actor, 0)
    await message.answer(text, reply_markup=markup)


async def unmatched_page(
    query: CallbackQuery, callback_data: UnmatchedPageCb, session: AsyncSession, actor: Actor
) -> None:
    text, markup = await _unmatched_view(session, actor, callback_data.page)
    await edit(query, text, markup)


# --- suggestions -----------------------------------------------------------------------


def reason_text(reason: Reason, suggestion: Suggestion) -> str:
    params: dict[str, Any] = dict(reason.params)
    if reason.code == "covers":
        text = t(
            "matching.reason.covers",
            n=int(reason.params["total"]),
            covered=reason.params["covered"],
            titles=", ".join(suggestion.covered_titles),
        )
    elif reason.code == "experience":
        text = t("matching.reason.experience", years=t("pairs.experience", n=int(params["years"])))
    else:
        text = t(f"matching.reason.{reason.code}", **params)
    if reason.points:
        text += f" ({reason.points:+d})"
    mark = "⛔" if reason.code == "full" else ("⚠️" if reason.points < 0 else "✓")
    return f"   {mark} {text}"


def _suggestion_text(n: int, s: Suggestion, mentee_school: str) -> str:
    head = t(
        "matching.suggestion.head",
        num=n,
        name=s.full_name + (" 🚫" if s.blocked_bot else ""),
        points=s.score.total,
    )
    if s.school_name != mentee_school:
        head += "\n   " + t("matching.suggestion.school", school=s.school_name)
    return "\n".join([head, *(reason_text(r, s) for r in s.score.reasons)])


async def _suggestions_view(
    session: AsyncSession, actor: Actor, mentee_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    found = await matching.suggest(session, actor, mentee_id, page)
    m = found.mentee
    details = [m.school_name, m.subject or "", t("pairs.experience", n=m.experience_years or 0)]
    parts = [
        t(
            "matching.suggest.title",
            name=m.full_name,
            details=", ".join(d for d in details if d),
            deficits=", ".join(m.deficits) or t("pairs.intro.no_deficits"),
            request=free_text(found.request_text)
            if found.request_text
            else t("pairs.intro.no_request"),
        )
    ]
    kb = InlineKeyboardBuilder()
    if not found.items:
        parts.append(t("matching.suggest.none"))
    else:
        parts.append(t("matching.suggest.ranked", n=found.total))
        first = found.page * matching.SUGGESTIONS_PAGE + 1
        for i, s in enumerate(found.items):
            parts.append(_suggestion_text(first + i, s, m.school_name))
            kb.button(
                text=t("matching.button.pick", num=first + i, name=short_name(item_person_of(s))),
                callback_data=PickMentorCb(mentee_id=m.participant_id, mentor_id=s.mentor_id),
            )
        if found.pages > 1:
            parts.append(t("nav.page", page=found.page + 1, pages=found.pages))
    sizes = [1] * len(found.items)
    sizes.append(
        _nav(kb, found.page, found.pages, lambda p: MatchCb(mentee_id=m.participant_id, page=p))
    )
    kb.button(text=t("matching.button.back"), callback_data=UnmatchedPageCb(page=0))
    sizes.append(1)
    kb.adjust(*[s for s in sizes if s])
    return "\n\n".join(parts), kb.as_markup()


def item_person_of(s: Suggestion) -> pairs.Person:
    return pairs.Person(s.mentor_id, s.full_name, None, None, s.blocked_bot)


async def suggest(
    query: CallbackQuery,
    callback_data: MatchCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    text, markup = await _suggestions_view(
        session, actor, callback_data.mentee_id, callback_data.page
    )
    await drop_draft(state)
    if callback_data.page == 0 and isinstance(query.message, Message):
        # From a list or a pair card: a new message, so the list stays where it was.
        await query.answer()
        await query.message.answer(text, reply_markup=markup)
        return
    await edit(query, text, markup)


# --- the choices -----------------------------------------------------------------------


def _order_markup(mentee_id: int, mentor_id: int, pair_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for action in ("none", "typed"):
        kb.button(
            text=t(f"matching.button.order_{action}"),
            callback_data=OrderChoiceCb(
                action=action, mentee_id=mentee_id, mentor_id=mentor_id, pair_id=pair_id
            ),
        )
    kb.button(
        text=t("matching.button.cancel"),
        callback_data=FormPairCb(action="cancel", mentee_id=mentee_id, mentor_id=mentor_id),
    )
    kb.adjust(2, 1)
    return kb.as_markup()


async def pick(
    query: CallbackQuery,
    callback_data: PickMentorCb,
    session: AsyncSession,
    actor: Actor,
) -> None:
    draft = await pairs.draft(session, actor, callback_data.mentee_id, callback_data.mentor_id)
    head = t("matching.picked", mentor=draft.mentor_name, mentee=draft.mentee_name)
    if draft.free_places <= 0:
        head += "\n" + t("matching.warn_full", capacity=draft.capacity)
    if draft.groups:
        kb = InlineKeyboardBuilder()
        for g in draft.groups:
            label = t("matching.button.join")
            if len(draft.groups) > 1:
                label += " (" + ", ".join(_surname(n) for n in g.mentees) + ")"
            kb.button(
                text=label,
                callback_data=GroupChoiceCb(
                    mentee_id=draft.mentee_id, mentor_id=draft.mentor_id, pair_id=g.pair_id
                ),
            )
        kb.button(
            text=t("matching.button.separate"),
            callback_data=GroupChoiceCb(
                mentee_id=draft.mentee_id, mentor_id=draft.mentor_id, pair_id=0
            ),
        )
        kb.adjust(1)
        groups = "; ".join(", ".join(g.mentees) for g in draft.groups)
        await edit(
            query,
            head + "\n\n" + t("matching.ask_group", mentor=draft.mentor_name, mentees=groups),
            kb.as_markup(),
        )
        return
    await edit(
        query,
        head + "\n\n" + t("matching.ask_order"),
        _order_markup(draft.mentee_id, draft.mentor_id, 0),
    )


def _surname(full_name: str) -> str:
    return full_name.split()[0] if full_name else "—"


async def group_choice(
    query: CallbackQuery,
    callback_data: GroupChoiceCb,
    session: AsyncSession,
    actor: Actor,
) -> None:
    draft = await pairs.draft(session, actor, callback_data.mentee_id, callback_data.mentor_id)
    if callback_data.pair_id and callback_data.pair_id not in {g.pair_id for g in draft.groups}:
        raise DomainError("matching.group_gone")
    key = "matching.chose_group" if callback_data.pair_id else "matching.chose_separate"
    await edit(
        query,
        t(key, mentor=draft.mentor_name, mentee=draft.mentee_name)
        + "\n\n"
        + t("matching.ask_order"),
        _order_markup(draft.mentee_id, draft.mentor_id, callback_data.pair_id),
    )


async def _confirm_view(
    session: AsyncSession, actor: Actor, data: dict[str, Any]
) -> tuple[str, InlineKeyboardMarkup]:
    draft = await pairs.draft(session, actor, data["mentee_id"], data["mentor_id"])
    group = next((g for g in draft.groups if g.pair_id == data["pair_id"]), None)
    if data["pair_id"] and group is None:
        raise DomainError("matching.group_gone")
    order_date = dt.date.fromisoformat(data["order_date"]) if data.get("order_date") else None
    order = order_text(data.get("order_number"), order_date)
    if group is not None:
        text = t(
            "matching.confirm.group",
            mentor=draft.mentor_name,
            mentee=draft.mentee_name,
            group=", ".join(group.mentees),
            order=order,
        )
    else:
        text = t(
            "matching.confirm.pair",
            mentor=draft.mentor_name,
            mentee=draft.mentee_name,
            school=draft.school_name,
            order=order,
        )
    if draft.free_places <= 0:
        text += "\n" + t("matching.warn_full", capacity=draft.capacity)
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("matching.button.form_group" if group else "matching.button.form"),
        callback_data=FormPairCb(action="ok", mentee_id=draft.mentee_id, mentor_id=draft.mentor_id),
    )
    kb.button(
        text=t("matching.button.cancel"),
        callback_data=FormPairCb(
            action="cancel", mentee_id=draft.mentee_id, mentor_id=draft.mentor_id
        ),
    )
    kb.adjust(1)
    return text, kb.as_markup()


async def order_choice(
    query: CallbackQuery,
    callback_data: OrderChoiceCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
) -> None:
    data = {
        "mentee_id": callback_data.mentee_id,
        "mentor_id": callback_data.mentor_id,
        "pair_id": callback_data.pair_id,
        "order_number": None,
        "order_date": None,
    }
    if callback_data.action == "typed":
        # Checked now, so the person is not asked to type for a mentee they may not touch.
        await pairs.draft(session, actor, callback_data.mentee_id, callback_data.mentor_id)
        await state.set_state(PairDraft.order)
        await state.update_data({DRAFT_KEY: data})
        await edit(query, t("matching.order.ask"), None)
        return
    text, markup = await _confirm_view(session, actor, data)
    await state.set_state(PairDraft.confirm)
    await state.update_data({DRAFT_KEY: data})
    await edit(query, text, markup)


async def order_typed(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    data = (await state.get_data()).get(DRAFT_KEY)
    if not data:
        await state.clear()
        await message.answer(t("error.stale_button"))
        return
    if not message.text:
        await message.answer(t("pairs.order.bad"))
        return
    try:
        number, date = pairs.parse_order(message.text, clock.now().date())
    except DomainError as err:
        await message.answer(t(err.code, **err.params))
        return
    data = {**data, "order_number": number, "order_date": date.isoformat()}
    text, markup = await _confirm_view(session, actor, data)
    await state.set_state(PairDraft.confirm)
    await state.update_data({DRAFT_KEY: data})
    await message.answer(text, reply_markup=markup)


async def form(
    query: CallbackQuery,
    callback_data: FormPairCb,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    clock: Clock,
) -> None:
    data = (await state.get_data()).get(DRAFT_KEY)
    if callback_data.action == "cancel":
        await drop_draft(state)
        await edit(query, t("matching.cancelled"), None)
        return
    if (
        not data
        or data["mentee_id"] != callback_data.mentee_id
        or data["mentor_id"] != callback_data.mentor_id
    ):
        await query.answer(t("error.stale_button"), show_alert=True)
        return
    formed = await pairs.form(
        session,
        actor,
        mentee_id=data["mentee_id"],
        mentor_id=data["mentor_id"],
        group_pair_id=data["pair_id"] or None,
        order_number=data.get("order_number"),
        order_date=dt.date.fromisoformat(data["order_date"]) if data.get("order_date") else None,
        clock=clock,
    )
    await drop_draft(state)
    order_date = dt.date.fromisoformat(data["order_date"]) if data.get("order_date") else None
    key = "matching.formed.group" if formed.joined_group else "matching.formed.pair"
    text = t(
        key,
        mentor=formed.mentor_name,
        mentees=Html(", ".join(f"<b>{html.escape(n)}</b>" for n in formed.mentee_names)),
        order=order_text(data.get("order_number"), order_date),
    )
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("matching.button.card"), callback_data=PairCb(action="card", pair_id=formed.pair_id)
    )
    kb.button(text=t("matching.button.more"), callback_data=UnmatchedPageCb(page=0))
    kb.adjust(1)
    await edit(query, text, kb.as_markup())


def not_a_command(message: Message) -> bool:
    """Commands pass through a typing step to their own handlers."""
    return not (message.text or "").startswith("/")


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unmatched, Command("unmatched"))
    router.message.register(order_typed, PairDraft.order, not_a_command)
    router.callback_query.register(unmatched_page, UnmatchedPageCb.filter())
    router.callback_query.register(suggest, MatchCb.filter())
    router.callback_query.register(pick, PickMentorCb.filter())
    router.callback_query.register(group_choice, GroupChoiceCb.filter())
    router.callback_query.register(order_choice, OrderChoiceCb.filter())
    router.callback_query.register(form, FormPairCb.filter())
    return router
