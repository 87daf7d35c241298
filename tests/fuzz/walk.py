"""A random walk of updates over the bot, as a crowd of careless, curious and hostile
people would send them: pressing the buttons the bot really sent (fresh and stale),
forged buttons (another scope's ids, ids that do not exist, garbage), hostile texts,
every content type, commands in the middle of forms, now and then the outbox flushed
and the clock moved on.

What it checks: no update ends in an unhandled error (the error handler's ERROR log or
«Что-то пошло не так» in a chat, or an exception out of the Dispatcher), and at the end
nobody is stuck: after /cancel every person gets an answer to /help.

Used by tests/e2e/test_fuzz_walk.py (a short walk) and bench/fuzz.py (a long one)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from services.clock import FixedClock
from tests.fakes.client import Person

UNEXPECTED = "Что-то пошло не так"

COMMANDS = (
    "/start",
    "/help",
    "/cancel",
    "/profile",
    "/privacy",
    "/my",
    "/meetings",
    "/plan",
    "/pending",
    "/unmatched",
    "/pairs",
    "/invite",
    "/roles",
    "/honor",
    "/indicators",
    "/digest",
    "/export",
    "/spravka",
    "/holidays",
    "/programme",
    "/delete_me",
    "/start INVITE12",
    "/start MENTOR12",
    "/start nonexistent",
    "/start " + "A" * 300,
    "/unknown_command",
)

HOSTILE_TEXTS = (
    "Иванова Мария Петровна",
    "Петров Иван Сергеевич",
    "учитель",
    "математика",
    "1",
    "0",
    "11",
    "-1",
    "99999999999999999999",
    "пять",
    "Пропустить",
    "",
    " ",
    "а" * 5000,
    "<b>жирный</b> <a href='http://x'>ссылка</a> &amp; &lt;",
    "https://example.com/?q=%27;DROP TABLE participants;--",
    "'; DROP TABLE participants; --",
    "Иван\x00ов\u202e Иван",
    "\x07\x1b[31mкрасный",
    "👩‍🏫🧑‍🎓" * 50,
    "%_%",
    "/",
    "12.12.2026 15:00",
    "№ 17 от 01.09.2026",
    "Отмена",
)

_INT = re.compile(r"-?\d+")


@dataclass
class Failure:
    step: int
    who: str
    action: str
    what: str


@dataclass
class WalkReport:
    steps: int = 0
    presses: int = 0
    forged: int = 0
    texts: int = 0
    failures: list[Failure] = field(default_factory=list)


class _ErrorLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _forge(data: str, rng: random.Random) -> str:
    """Another id in a real button's data: a neighbour, a huge one, zero, negative, or
    a different field value; sometimes plain garbage."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(["", "x", ":" * 10, "ap:ok:abc", "pv:" + "z" * 60, "\x00"])
    numbers = list(_INT.finditer(data))
    if numbers and roll < 0.8:
        m = rng.choice(numbers)
        value = int(m.group())
        new = rng.choice([value + 1, value - 1, 0, -1, 2**31, 2**63 + 7, value * 1000])
        return data[: m.start()] + str(new) + data[m.end() :]
    parts = data.split(":")
    if len(parts) > 1:
        i = rng.randrange(1, len(parts))
        # «²» is a digit to str.isdigit but not to int(); a dialog's choice ids
        # (aiogram-dialog passes any) are words or numbers of the form's own.
        parts[i] = rng.choice(
            ["ok", "no", "admin", "coordinator", "curator", "", "-1", "🙂", "²", "9" * 25]
        )
    return ":".join(parts)


@dataclass
class Walker:
    people: list[Person]
    rng: random.Random
    clock: FixedClock
    deliver: Callable[[], Awaitable[int]]
    report: WalkReport = field(default_factory=WalkReport)
    seen: list[str] = field(default_factory=list)  # callback data anyone was sent

    async def run(self, steps: int) -> WalkReport:
        errors = _ErrorLog()
        logger = logging.getLogger("bot.errors")
        logger.addHandler(errors)
        try:
            i = 0
            while i < steps:
                # Now and then several people act at the same moment (races: two
                # curators deciding one request, both sides of a pair scheduling).
                crowd = self.rng.sample(
                    self.people, min(self.rng.choice([1, 1, 1, 2, 3]), steps - i)
                )
                before = len(errors.records)
                actions = await asyncio.gather(*(self._act(p) for p in crowd))
                for record in errors.records[before:]:
                    what = record.getMessage()
                    if record.exc_info and record.exc_info[1] is not None:
                        what += f" ({record.exc_info[1]!r})"[:300]
                    who = ", ".join(p.first_name for p in crowd)
                    self.report.failures.append(Failure(i, who, " | ".join(actions), what))
                i += len(crowd)
                self.report.steps += len(crowd)
                if i % 25 < len(crowd):
                    self.clock.advance(dt.timedelta(minutes=self.rng.choice([5, 60, 600, 1500])))
                    await self.deliver()
            await self._nobody_stuck()
        finally:
            logger.removeHandler(errors)
        return self.report

    async def _act(self, person: Person) -> str:
        roll = self.rng.random()
        try:
            if roll < 0.45:
                return await self._press_fresh(person)
            if roll < 0.55:
                return await self._press_stale(person)
            if roll < 0.65:
                return await self._press_forged(person)
            if roll < 0.80:
                command = self.rng.choice(COMMANDS)
                await self._send(person, command)
                return command
            if roll < 0.95:
                text = self.rng.choice(HOSTILE_TEXTS)
                self.report.texts += 1
                await self._send(person, text or "​")
                return f"text {text[:20]!r}"
            kind = self.rng.choice(["sticker", "photo"])
            await (person.send_sticker() if kind == "sticker" else person.send_photo())
            return kind
        except AssertionError:
            raise
        except Exception as exc:  # out of the Dispatcher: the error handler itself failed
            self.report.failures.append(
                Failure(self.report.steps, person.first_name, "?", repr(exc)[:300])
            )
            return "raised"

    async def _send(self, person: Person, text: str) -> None:
        reply = await person.send(text)
        self._look(person, reply.messages)

    def _look(self, person: Person, messages: list) -> None:  # type: ignore[type-arg]
        for m in messages:
            if UNEXPECTED in m.text:
                self.report.failures.append(
                    Failure(self.report.steps, person.first_name, "reply", m.text[:200])
                )
            self.seen.extend(data for _, data in m.buttons if data and "://" not in data)

    def _buttons(self, person: Person, newest: int | None) -> list[tuple[object, str]]:
        chat = person.api.chat(person.user_id)
        if newest is not None:
            chat = chat[-newest:]
        return [(m, data) for m in chat for _, data in m.buttons if data and "://" not in data]

    async def _press(self, person: Person, message: object, data: str) -> None:
        self.report.presses += 1
        reply = await person.press(message, data)  # type: ignore[arg-type]
        self._look(person, reply.messages)
        if reply.alert and UNEXPECTED in reply.alert:
            self.report.failures.append(
                Failure(self.report.steps, person.first_name, f"press {data}", reply.alert)
            )

    async def _press_fresh(self, person: Person) -> str:
        buttons = self._buttons(person, newest=3)
        if not buttons:
            await self._send(person, "/start")
            return "/start (no buttons)"
        message, data = self.rng.choice(buttons)
        await self._press(person, message, data)
        return f"press {data}"

    async def _press_stale(self, person: Person) -> str:
        buttons = self._buttons(person, newest=None)
        if not buttons:
            return await self._press_fresh(person)
        message, data = self.rng.choice(buttons)
        await self._press(person, message, data)
        return f"stale {data}"

    async def _press_forged(self, person: Person) -> str:
        chat = person.api.chat(person.user_id)
        if not chat or not self.seen:
            return await self._press_fresh(person)
        data = _forge(self.rng.choice(self.seen), self.rng)
        if len(data.encode()) > 64:
            data = data.encode()[:64].decode(errors="ignore")
        self.report.forged += 1
        await self._press(person, chat[-1], data)
        return f"forged {data!r}"

    async def _nobody_stuck(self) -> None:
        for person in self.people:
            await person.send("/cancel")
            reply = await person.send("/help")
            if not reply.messages or ("/start" not in reply.text and "/help" not in reply.text):
                self.report.failures.append(
                    Failure(
                        self.report.steps,
                        person.first_name,
                        "/help after /cancel",
                        reply.text[:200],
                    )
                )
