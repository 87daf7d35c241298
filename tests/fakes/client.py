"""A person in a test: sends messages and presses the buttons the bot really sent.

Updates go through the very Dispatcher the bot runs with; the bot's answers go over
HTTP to the fake Bot API, and are read back from there."""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update

from tests.fakes.bot_api import BotMessage, FakeBotAPI

_update_ids = itertools.count(1)
_message_ids = itertools.count(10_000_000)
_callback_ids = itertools.count(1)
_file_ids = itertools.count(1)


@dataclass
class Reply:
    """What a person saw after one action: new messages, edits and a popup, if any."""

    messages: list[BotMessage]
    alert: str | None = None

    @property
    def text(self) -> str:
        return "\n---\n".join(m.text for m in self.messages)

    @property
    def last(self) -> BotMessage:
        return self.messages[-1]

    def __contains__(self, needle: str) -> bool:
        return needle in self.text or (self.alert is not None and needle in self.alert)


class NoSuchButton(AssertionError):
    pass


@dataclass
class Person:
    dp: Dispatcher
    bot: Bot
    api: FakeBotAPI
    user_id: int
    first_name: str = "Тест"
    username: str | None = None
    transcript: list[str] = field(default_factory=list)

    def _user(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": "ru",
        }
        if self.username:
            user["username"] = self.username
        return user

    def _chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.first_name}

    async def _feed(self, update: dict[str, Any]) -> Reply:
        before = {
            k: (m.text, m.reply_markup)
            for k, m in self.api.messages.items()
            if k[0] == self.user_id
        }
        alerts_before = len(self.api.alerts)
        await self._deliver(update)
        changed = [
            m
            for k, m in sorted(self.api.messages.items())
            if k[0] == self.user_id and before.get(k) != (m.text, m.reply_markup)
        ]
        new_alerts = self.api.alerts[alerts_before:]
        alert = next((a[1] for a in reversed(new_alerts) if a[1]), None)
        for m in changed:
            buttons = " ".join(f"[{b}]" for b, _ in m.buttons)
            self.transcript.append(
                f"bot → {self.first_name}: {m.text}" + (f"\n  {buttons}" if buttons else "")
            )
        if alert:
            self.transcript.append(f"bot (popup) → {self.first_name}: {alert}")
        return Reply(changed, alert)

    async def _deliver(self, update: dict[str, Any]) -> None:
        """Hand the update to the bot and return once it was handled."""
        await self.dp.feed_update(
            self.bot, Update.model_validate(update, context={"bot": self.bot})
        )

    def _message(self, **content: Any) -> dict[str, Any]:
        return {
            "update_id": next(_update_ids),
            "message": {
                "message_id": next(_message_ids),
                "date": int(time.time()),
                "chat": self._chat(),
                "from": self._user(),
                **content,
            },
        }

    async def send(self, text: str) -> Reply:
        self.transcript.append(f"{self.first_name}: {text}")
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return await self._feed(self._message(text=text, entities=entities))

    async def send_sticker(self) -> Reply:
        self.transcript.append(f"{self.first_name}: [стикер]")
        return await self._feed(
            self._message(
                sticker={
                    "file_id": "st1",
                    "file_unique_id": "st1u",
                    "type": "regular",
                    "width": 512,
                    "height": 512,
                    "is_animated": False,
                    "is_video": False,
                }
            )
        )

    async def send_photo(self) -> Reply:
        self.transcript.append(f"{self.first_name}: [фото]")
        return await self._feed(
            self._message(
                photo=[{"file_id": "ph1", "file_unique_id": "ph1u", "width": 90, "height": 90}]
            )
        )

    async def send_document(
        self, filename: str, content: bytes, *, mime_type: str | None = None
    ) -> Reply:
        """Send a file as a document: the fake Bot API keeps it for getFile."""
        self.transcript.append(f"{self.first_name}: [файл {filename}]")
        file_id = f"doc-{next(_file_ids)}"
        self.api.add_file(file_id, filename, content)
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": filename,
            "file_size": len(content),
        }
        if mime_type:
            document["mime_type"] = mime_type
        return await self._feed(self._message(document=document))

    def find_button(self, text: str) -> tuple[BotMessage, str]:
        """The newest message in this chat with a button whose label contains ``text``."""
        for m in reversed(self.api.chat(self.user_id)):
            for label, data in m.buttons:
                if text in label:
                    return m, data
        raise NoSuchButton(f"no button {text!r} in chat {self.user_id}")

    async def click(self, text: str) -> Reply:
        message, data = self.find_button(text)
        self.transcript.append(f"{self.first_name}: нажимает [{text}]")
        return await self.press(message, data)

    async def tap(self, label: str) -> Reply:
        """Press the button whose label is exactly ``label`` on the newest message with
        it (calendar days need an exact match: «3» is inside «23» and «2026»)."""
        for m in reversed(self.api.chat(self.user_id)):
            for text, data in m.buttons:
                if text == label:
                    self.transcript.append(f"{self.first_name}: нажимает [{text}]")
                    return await self.press(m, data)
        raise NoSuchButton(f"no button {label!r} in chat {self.user_id}")

    async def press(self, message: BotMessage, data: str) -> Reply:
        """Press a button by its raw callback data (to forge one, as an attacker would)."""
        return await self._feed(
            {
                "update_id": next(_update_ids),
                "callback_query": {
                    "id": str(next(_callback_ids)),
                    "from": self._user(),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": message.message_id,
                        "date": int(time.time()),
                        "chat": self._chat(),
                        "from": {"id": 1, "is_bot": True, "first_name": "bot"},
                        "text": message.text,
                    },
                },
            }
        )

    def buttons(self) -> list[str]:
        """Labels of the buttons on the newest message that has any."""
        for m in reversed(self.api.chat(self.user_id)):
            if m.buttons:
                return [b for b, _ in m.buttons]
        return []


# The types of the conftest fixtures that make people and flush the outbox.
PersonFactory = Callable[..., Person]
Deliver = Callable[[], Awaitable[int]]
