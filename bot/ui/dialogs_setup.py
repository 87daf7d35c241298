"""aiogram-dialog wired for this bot: the dialogs' buttons that outlived their dialog,
and what the dialogs cost an update that has no dialog open (most of them).

aiogram-dialog loads the chat's dialog stack on every message and button press and
saves it again afterwards, under a lock of its own. Two things here are redundant for
this bot, and with Redis (two webhook workers) each was a round trip on every update:

- its lock: the Dispatcher's own event isolation already holds the chat for the whole
  update (bot.factory: a lock per chat in memory, or in Redis across workers), the bot
  answers private chats only (so the chat is the person), and no dialog is driven from
  outside an update (no background manager). A second lock on the same chat, taken and
  released inside the first, protects nothing more: SET NX and a release script saved;
- rewriting a stack the update left as it read it: `save_stack` wrote an empty record
  (a DEL in Redis) after every update of a person with no dialog open, and the same
  stack again after every step inside a dialog.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StorageKey
from aiogram.types import CallbackQuery, TelegramObject
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.entities import DEFAULT_STACK_ID, Stack
from aiogram_dialog.api.entities.events import EventContext
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent
from aiogram_dialog.context.intent_middleware import IntentMiddlewareFactory
from aiogram_dialog.context.storage import StorageProxy

from bot.i18n import t


class HeldByTheUpdate(BaseEventIsolation):
    """The dialogs' lock: a no-op, as the update's own lock already holds this chat."""

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        yield

    async def close(self) -> None:
        pass


def _as_saved(stack: Stack) -> dict[str, Any]:
    """What `StorageProxy.save_stack` writes for this stack."""
    if not stack.intents and not stack.last_message_id:
        return {}
    return {
        "_id": stack.id,
        "intents": list(stack.intents),
        "last_message_id": stack.last_message_id,
        "last_reply_keyboard": stack.last_reply_keyboard,
        "last_media_id": stack.last_media_id,
        "last_media_unique_id": stack.last_media_unique_id,
        "last_income_media_group_id": stack.last_income_media_group_id,
    }


class _UnchangedStackKept(StorageProxy):
    """A StorageProxy (one per update) that does not write back a stack this update
    read and left as it was: empty for a person with no dialog open, and the same
    intents and message while one dialog goes from window to window. Safe under the
    update's lock: nobody else writes this chat's stack meanwhile."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._as_read: dict[str, dict[str, Any]] = {}  # by stack id

    async def load_stack(self, stack_id: str = DEFAULT_STACK_ID) -> Stack:
        stack = await super().load_stack(stack_id)
        self._as_read[stack.id] = _as_saved(stack)
        return stack

    async def save_stack(self, stack: Stack | None) -> None:
        if stack is not None and self._as_read.get(stack.id) == _as_saved(stack):
            return
        await super().save_stack(stack)


def _intent_factory(dp: Dispatcher) -> IntentMiddlewareFactory:
    for middleware in dp.message.outer_middleware:
        owner = getattr(middleware, "__self__", None)
        if isinstance(owner, IntentMiddlewareFactory):
            return owner
    raise RuntimeError("aiogram-dialog's intent middleware is not on dp.message")


async def _stale_dialog(
    handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
    event: TelegramObject,
    data: dict[str, Any],
) -> Any:
    """A button of a dialog that is closed or was replaced by a newer one."""
    try:
        return await handler(event, data)
    except (UnknownIntent, OutdatedIntent):
        if isinstance(event, CallbackQuery):
            await event.answer(t("error.stale_button"), show_alert=True)
        return None


def setup(dp: Dispatcher) -> None:
    """Called once per Dispatcher, after the routers (the dialogs are among them)."""
    dp.callback_query.outer_middleware(_stale_dialog)
    setup_dialogs(dp, events_isolation=HeldByTheUpdate())
    factory = _intent_factory(dp)

    def storage_proxy(event_context: EventContext, fsm_storage: BaseStorage) -> StorageProxy:
        return _UnchangedStackKept(
            bot=event_context.bot,
            storage=fsm_storage,
            events_isolation=factory.events_isolation,
            state_groups=factory.registry.states_groups(),
            user_id=event_context.user.id,
            chat_id=event_context.chat.id,
            thread_id=event_context.thread_id,
            business_connection_id=event_context.business_connection_id,
        )

    factory.storage_proxy = storage_proxy  # type: ignore[method-assign]
