"""A fake Telegram Bot API server (aiohttp) that the real aiogram session talks to over
HTTP. It records every call, keeps the messages it "sent" (with their keyboards, so
tests can press the buttons the bot really sent), serves getUpdates for a bot run as a
real process, and can inject failures (429, 403, 5xx) for reliability tests."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 7000000001
BOT_USERNAME = "nastavnik_test_bot"
TOKEN = f"{BOT_ID}:TEST-token"

_JSON_FIELDS = {
    "reply_markup",
    "entities",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "media",
    "menu_button",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    host: str = ""  # the Host the caller used: tells two bot processes apart


@dataclass
class BotMessage:
    """A message the bot sent (or its latest edited state)."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    kind: str = "text"  # text | document | photo
    filename: str | None = None
    content: bytes | None = None

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [
            (b["text"], b.get("callback_data") or b.get("url", "")) for row in rows for b in row
        ]


@dataclass
class Failure:
    """Answer the next matching call with an error instead of success."""

    method: str | None
    chat_id: int | None
    status: int
    description: str
    retry_after: int | None = None
    times: int = 1


@dataclass
class FakeBotAPI:
    host: str = "127.0.0.1"
    port: int = 0
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], BotMessage] = field(default_factory=dict)
    alerts: list[tuple[str, str | None, bool]] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    # Rate limits like Telegram's (None = off): overall per second, per chat per second.
    global_limit: int | None = None
    per_chat_interval: float | None = None
    too_many: int = 0
    # Files people sent (file_id → name and bytes), served by getFile and /file/….
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    # Slow answers: every call waits this long first (a real round trip), and sendMessage
    # to the chats in `hang` waits that many seconds more, or until reset() (a stuck reply).
    latency: float = 0.0
    hang: dict[int, float] = field(default_factory=dict)
    # Calls being handled right now, and the most there ever were at once.
    in_progress: int = 0
    most_in_progress: int = 0
    answering: int = 0  # of them, calls already carried out whose answer is on its way back
    # The clock the rate limits run on: a test that must not sleep moves a fake one.
    monotonic: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._updates: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._update_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._window: list[float] = []
        self._last_per_chat: dict[int, float] = {}
        self._unhang = asyncio.Event()

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server: Any = site._server  # aiohttp keeps the bound socket only here
        sockets = server.sockets if server else []
        self.port = sockets[0].getsockname()[1]
        return self.base_url

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def reset(self) -> None:
        self.calls.clear()
        self.messages.clear()
        self.alerts.clear()
        self.failures.clear()
        self.global_limit = None
        self.per_chat_interval = None
        self.too_many = 0
        self.files.clear()
        self.latency = 0.0
        self.most_in_progress = self.in_progress
        self.hang.clear()
        self._unhang.set()  # answer the stuck calls now
        self._unhang = asyncio.Event()
        self.monotonic = time.monotonic
        self._window.clear()
        self._last_per_chat.clear()
        while not self._updates.empty():
            self._updates.get_nowait()

    # --- for tests -------------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for a bot that polls getUpdates."""
        update.setdefault("update_id", next(self._update_ids))
        self._updates.put_nowait(update)

    def add_file(self, file_id: str, name: str, content: bytes) -> None:
        """A file a person sent: the bot can getFile and download it."""
        self.files[file_id] = (name, content)

    def chat(self, chat_id: int) -> list[BotMessage]:
        return sorted(
            (m for (c, _), m in self.messages.items() if c == chat_id), key=lambda m: m.message_id
        )

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    # --- the server ------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if request.content_type == "application/json":
            return dict(await request.json())
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = {"filename": value.filename, "content": value.file.read()}
            elif key in _JSON_FIELDS:
                params[key] = json.loads(str(value))
            else:
                params[key] = str(value)
        # aiogram uploads a file as its own part and names it: document="attach://<part>".
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.get(value.removeprefix("attach://"), value)
        return params

    def _error(self, status: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=status)

    def _injected(self, method: str, chat_id: int | None) -> web.Response | None:
        for failure in self.failures:
            if failure.times <= 0:
                continue
            if failure.method not in (None, method):
                continue
            if failure.chat_id is not None and failure.chat_id != chat_id:
                continue
            failure.times -= 1
            return self._error(failure.status, failure.description, failure.retry_after)
        return None

    def _rate_limited(self, chat_id: int | None) -> web.Response | None:
        now = self.monotonic()
        if self.global_limit is not None:
            self._window = [t for t in self._window if now - t < 1.0]
            if len(self._window) >= self.global_limit:
                self.too_many += 1
                return self._error(429, "Too Many Requests: retry after 1", 1)
            self._window.append(now)
        if self.per_chat_interval is not None and chat_id is not None:
            last = self._last_per_chat.get(chat_id)
            if last is not None and now - last < self.per_chat_interval:
                self.too_many += 1
                return self._error(429, "Too Many Requests: retry after 1", 1)
            self._last_per_chat[chat_id] = now
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        self.in_progress += 1
        self.most_in_progress = max(self.most_in_progress, self.in_progress)
        try:
            if self.latency:  # half the round trip on the way there...
                await asyncio.sleep(self.latency / 2)
            response = await self._answer(request)
            if self.latency:  # ...and half on the way back: done, but not yet answered
                self.answering += 1
                try:
                    await asyncio.sleep(self.latency / 2)
                finally:
                    self.answering -= 1
            return response
        finally:
            self.in_progress -= 1

    async def _answer(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        chat_id = int(params["chat_id"]) if "chat_id" in params else None
        self.calls.append(Call(method, params, self.monotonic(), request.host))
        if request.match_info["token"] != TOKEN:
            return self._error(401, "Unauthorized")
        if method == "sendMessage" and chat_id in self.hang:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._unhang.wait(), self.hang[chat_id])
        failure = self._injected(method, chat_id)
        if failure is not None:
            return failure
        if method in ("sendMessage", "sendDocument", "sendPhoto"):
            limited = self._rate_limited(chat_id)
            if limited is not None:
                return limited
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return self._error(404, f"Not Found: method {method} is not faked")
        result = await handler(params) if asyncio.iscoroutinefunction(handler) else handler(params)
        return web.json_response({"ok": True, "result": result})

    # --- methods ---------------------------------------------------------------------
    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Наставник", "username": BOT_USERNAME}

    def _m_getMe(self, _: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _message_json(self, m: BotMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": {"id": m.chat_id, "type": "private"},
            "from": self._bot_user(),
        }
        if m.kind == "text":
            data["text"] = m.text
        elif m.kind == "document":
            data["document"] = {
                "file_id": f"doc{m.message_id}",
                "file_unique_id": f"u{m.message_id}",
                "file_name": m.filename,
            }
            if m.text:
                data["caption"] = m.text
        elif m.kind == "photo":
            data["photo"] = [
                {
                    "file_id": f"ph{m.message_id}",
                    "file_unique_id": f"p{m.message_id}",
                    "width": 100,
                    "height": 100,
                }
            ]
            if m.text:
                data["caption"] = m.text
        if m.reply_markup:
            data["reply_markup"] = m.reply_markup
        return data

    def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        if len(p.get("text", "")) > 4096:
            return self._error_payload("Bad Request: message is too long")
        m = BotMessage(int(p["chat_id"]), next(self._ids), p.get("text", ""), p.get("reply_markup"))
        self.messages[(m.chat_id, m.message_id)] = m
        return self._message_json(m)

    def _error_payload(self, description: str) -> dict[str, Any]:
        raise web.HTTPBadRequest(
            text=json.dumps({"ok": False, "error_code": 400, "description": description}),
            content_type="application/json",
        )

    def _send_file(self, p: dict[str, Any], kind: str) -> dict[str, Any]:
        file = p.get(kind) or {}
        m = BotMessage(
            int(p["chat_id"]),
            next(self._ids),
            p.get("caption", ""),
            p.get("reply_markup"),
            kind=kind,
            filename=file.get("filename") if isinstance(file, dict) else None,
            content=file.get("content") if isinstance(file, dict) else None,
        )
        self.messages[(m.chat_id, m.message_id)] = m
        return self._message_json(m)

    def _m_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._send_file(p, "document")

    def _m_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._send_file(p, "photo")

    def _find(self, p: dict[str, Any]) -> BotMessage:
        key = (int(p["chat_id"]), int(p["message_id"]))
        if key not in self.messages:
            self._error_payload("Bad Request: message to edit not found")
        return self.messages[key]

    def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        m = self._find(p)
        if m.text == p.get("text") and m.reply_markup == p.get("reply_markup"):
            self._error_payload("Bad Request: message is not modified")
        m.text = p.get("text", "")
        m.reply_markup = p.get("reply_markup")
        return self._message_json(m)

    def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        m = self._find(p)
        m.reply_markup = p.get("reply_markup")
        return self._message_json(m)

    def _m_deleteMessage(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self.messages.pop((int(p["chat_id"]), int(p["message_id"])), None)
        return True

    def _m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self.alerts.append((p["callback_query_id"], p.get("text"), p.get("show_alert") == "true"))
        return True

    def _m_setMyCommands(self, _: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _m_setChatMenuButton(self, _: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _m_deleteMyCommands(self, _: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _m_deleteWebhook(self, _: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _m_setWebhook(self, _: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _m_getFile(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        file_id = str(p["file_id"])
        if file_id not in self.files:
            self._error_payload("Bad Request: invalid file_id")
        content = self.files[file_id][1]
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(content),
            "file_path": f"documents/{file_id}",
        }

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.calls.append(Call("download", {"path": path}, self.monotonic()))
        parts = path.split("/")
        stored = self.files.get(parts[1]) if len(parts) >= 2 else None
        if stored is None:
            return web.Response(status=404)
        return web.Response(body=stored[1], content_type="application/octet-stream")

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        timeout = float(p.get("timeout", 0) or 0)
        try:
            first = await asyncio.wait_for(self._updates.get(), timeout=max(timeout, 0.05))
        except TimeoutError:
            return []
        batch = [first]
        while not self._updates.empty():
            batch.append(self._updates.get_nowait())
        return batch
