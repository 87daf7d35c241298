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
- rewriting a stack that was empty when read: `save_stack` writes an empty record (a
  DEL in Redis) after every update of a person with no dialog open.
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


class _EmptyStackKept(StorageProxy):
    """A StorageProxy (one per update) that does not write back a stack that was empty
    when this update read it and is empty still. Safe under the update's lock: nobody
    else writes this chat's stack meanwhile."""

    _read_empty: set[str]

    async def load_stack(self, stack_id: str = DEFAULT_STACK_ID) -> Stack:
        stack = await super().load_stack(stack_id)
        if not stack.intents and not stack.last_message_id:
            if not hasattr(self, "_read_empty"):
                self._read_empty = set()
            self._read_empty.add(stack.id)
        return stack

    async def save_stack(self, stack: Stack | None) -> None:
        if (
            stack is not None
            and not stack.intents
            and not stack.last_message_id
            and stack.id in getattr(self, "_read_empty", ())
        ):
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
        return _EmptyStackKept(
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
