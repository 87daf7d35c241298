"""A reverse proxy for tests: one webhook endpoint in front of several bot workers, each
update to the next live worker in turn (round robin), as a load balancer would do. It
keeps which worker got which update, and passes Telegram's secret header through."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class AlternatingProxy:
    workers: list[str]  # base URLs, e.g. http://127.0.0.1:8081
    host: str = "127.0.0.1"
    port: int = 0
    routed: list[tuple[int, int]] = field(default_factory=list)  # (update_id, worker)
    dead: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._next = 0
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        self._client = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server: Any = site._server
        self.port = server.sockets[0].getsockname()[1]
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._client is not None:
            await self._client.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._client is not None
        body = await request.read()
        headers = {"Content-Type": "application/json"}
        if SECRET_HEADER in request.headers:
            headers[SECRET_HEADER] = request.headers[SECRET_HEADER]
        for _ in range(len(self.workers)):
            index = self._next % len(self.workers)
            self._next += 1
            if index in self.dead:
                continue
            try:
                async with self._client.post(
                    self.workers[index] + request.path, data=body, headers=headers
                ) as answer:
                    text = await answer.text()
                    if answer.status == 200:
                        self.routed.append((int(json.loads(body)["update_id"]), index))
                    return web.Response(status=answer.status, text=text)
            except aiohttp.ClientConnectionError:
                self.dead.add(index)  # the next worker takes it, as Telegram would retry
        return web.Response(status=502, text="no worker")
