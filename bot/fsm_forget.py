"""Forgetting a person's FSM records: their form state and data, and aiogram-dialog's
stacks and contexts (kept under other destinies, with random intent ids in the key)."""

from __future__ import annotations

from aiogram.fsm.storage.base import BaseStorage, StorageKey
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.fsm.storage.redis import RedisStorage

_MARK = "\x00destiny\x00"


def _glob_escape(value: str) -> str:
    return "".join("\\" + c if c in "*?[]\\" else c for c in value)


async def forget(storage: BaseStorage, bot_id: int, user_id: int) -> None:
    """Delete every record of the person's private chat, whatever its destiny."""
    if isinstance(storage, MemoryStorage):
        for key in [k for k in storage.storage if user_id in (k.user_id, k.chat_id)]:
            del storage.storage[key]
        return
    if isinstance(storage, RedisStorage):
        # The key builder places the destiny after the chat and user: everything of this
        # chat shares what comes before it.
        sample = StorageKey(bot_id=bot_id, chat_id=user_id, user_id=user_id, destiny=_MARK)
        try:
            head = storage.key_builder.build(sample).split(_MARK, 1)[0]
        except ValueError:  # a key builder without destinies: the chat's key is the head
            plain = StorageKey(bot_id=bot_id, chat_id=user_id, user_id=user_id)
            head = storage.key_builder.build(plain) + ":"
        pattern = _glob_escape(head) + "*"
        keys = [k async for k in storage.redis.scan_iter(match=pattern, count=500)]
        if keys:
            await storage.redis.delete(*keys)
        return
    key = StorageKey(bot_id=bot_id, chat_id=user_id, user_id=user_id)
    await storage.set_state(key, None)
    await storage.set_data(key, {})
