"""aiogram-dialog wired for this bot: the dialogs' buttons that outlived their dialog,
and what the dialogs cost an update that has no dialog open (most of them).

aiogram-dialog, set up on the Dispatcher, loads the chat's dialog stack on every message
and button press, builds a dialog manager for every handler and saves the stack again
afterwards. Here it is set up on the router that holds the dialogs (``zone``), after
every other handler, so only the updates that reach the dialogs pay for it; the few
handlers elsewhere that open or close a dialog (a ``dialog_manager`` parameter) get the
same machinery around themselves alone (``_DialogsForHandler``). Registration, the
questionnaire, feedback and the staff's commands never touch the stack (with MemoryStorage
0.2–0.4 ms of CPU an update; with Redis a GET as well).

Two more things are redundant for this bot, and with Redis (two webhook workers) each
was a round trip on every update that reaches the dialogs:

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

from aiogram import BaseMiddleware, Dispatcher, Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, StorageKey
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram_dialog import setup_dialogs
from aiogram_dialog.api.entities import DEFAULT_STACK_ID, Stack
from aiogram_dialog.api.entities.events import EventContext
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent
from aiogram_dialog.api.internal import STORAGE_KEY
from aiogram_dialog.context.intent_middleware import (
    IntentMiddlewareFactory,
    context_saver_middleware,
    context_unlocker_middleware,
)
from aiogram_dialog.context.storage import StorageProxy
from aiogram_dialog.manager.manager_middleware import MANAGER_KEY, ManagerMiddleware

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


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

# The flag _DialogsForHandler looks for, set by `setup` on every handler outside the
# zone that takes a dialog manager.
_NEEDS_DIALOGS = "dialogs"


class DialogZone(Router):
    """The router that holds the dialogs, with aiogram-dialog set up on it alone."""


def zone(*dialogs: Router) -> DialogZone:
    found = DialogZone(name="dialogs")
    found.include_routers(*dialogs)
    return found


def _intent_factory(router: Router) -> IntentMiddlewareFactory:
    for middleware in router.message.outer_middleware:
        owner = getattr(middleware, "__self__", None)
        if isinstance(owner, IntentMiddlewareFactory):
            return owner
    raise RuntimeError("aiogram-dialog's intent middleware is not on the zone's messages")


def _manager_middleware(router: Router) -> ManagerMiddleware:
    for middleware in router.message.middleware:
        if isinstance(middleware, ManagerMiddleware):
            return middleware
    raise RuntimeError("aiogram-dialog's manager middleware is not on the zone's messages")


class _DialogsForHandler(BaseMiddleware):
    """Around a handler outside the zone that takes ``dialog_manager`` (/my closes a
    forgotten date picker, a button opens a dialog): what aiogram-dialog does around the
    zone's handlers, in the same order — load the stack (the intent middleware), unlock
    after, a manager for the handler, the context and stack saved after it."""

    def __init__(self, factory: IntentMiddlewareFactory, manager: ManagerMiddleware) -> None:
        self.factory = factory
        self.manager = manager

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        found: HandlerObject | None = data.get("handler")
        if found is None or not found.flags.get(_NEEDS_DIALOGS) or STORAGE_KEY in data:
            return await handler(event, data)

        async def saved(e: TelegramObject, d: dict[str, Any]) -> Any:
            return await context_saver_middleware(handler, e, d)  # type: ignore[no-untyped-call]

        async def managed(e: TelegramObject, d: dict[str, Any]) -> Any:
            return await self.manager(saved, e, d)  # type: ignore[arg-type]

        async def unlocked(e: TelegramObject, d: dict[str, Any]) -> Any:
            return await context_unlocker_middleware(managed, e, d)  # type: ignore[no-untyped-call]

        if isinstance(event, CallbackQuery):
            return await self.factory.process_callback_query(unlocked, event, data)
        if isinstance(event, Message):
            return await self.factory.process_message(unlocked, event, data)
        return await handler(event, data)


async def _stale_dialog(handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
    """A button of a dialog that is closed or was replaced by a newer one."""
    try:
        return await handler(event, data)
    except (UnknownIntent, OutdatedIntent):
        if isinstance(event, CallbackQuery):
            await event.answer(t("error.stale_button"), show_alert=True)
        return None


def _flag_handlers_outside(router: Router, zone: DialogZone) -> None:
    """Flag every handler under ``router``, the zone excepted, that takes a dialog
    manager."""
    if router is zone:
        return
    for observer in router.observers.values():
        for handler in observer.handlers:
            if MANAGER_KEY in handler.params:
                handler.flags[_NEEDS_DIALOGS] = True
    for sub in router.sub_routers:
        _flag_handlers_outside(sub, zone)


def setup(dp: Dispatcher) -> None:
    """Called once per Dispatcher, after the routers (the zone is one of them)."""
    zones = [router for router in dp.sub_routers if isinstance(router, DialogZone)]
    if len(zones) != 1:
        raise RuntimeError("expected one DialogZone among the Dispatcher's routers")
    (dialogs,) = zones
    dialogs.callback_query.outer_middleware(_stale_dialog)
    setup_dialogs(dialogs, events_isolation=HeldByTheUpdate())
    factory = _intent_factory(dialogs)

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
    _flag_handlers_outside(dp, dialogs)
    around = _DialogsForHandler(factory, _manager_middleware(dialogs))
    dp.message.middleware(around)
    dp.callback_query.middleware(around)
