"""The panel's routes under /panel/ on an aiohttp application: the page (with its
texts from the locale files), its own script and style (nothing from a CDN; only
Telegram's telegram-web-app.js is referenced), and the JSON API.

Every API request carries Telegram's initData: ``Authorization: tma <initData>``. It is
checked by services.webapp_auth (signature, age); the person is then the same Actor as
in the chat. No cookies, no passwords, no session of our own: 401 without valid
initData, 403 for someone who is neither a curator, a coordinator nor an admin.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram.utils.i18n import I18n
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.panel import render
from services import webapp_auth
from services.access import Actor
from services.clock import Clock
from services.errors import AccessDenied, DomainError, NotFound
from services.export.scope import Level
from services.panel import dashboard, who
from services.panel import export as panel_export
from services.validation import plain_digits

log = logging.getLogger(__name__)

PREFIX = "/panel"
STATIC = Path(__file__).parent / "static"
ASSETS = {"panel.js": "text/javascript", "panel.css": "text/css"}
TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"
MAX_ID = 2**31 - 1
# The texts the page's script shows (everything else comes with the data).
PAGE_TEXTS = (
    "panel.page.title",
    "panel.page.loading",
    "panel.error.unauthorized",
    "panel.error.forbidden",
    "panel.error.network",
    "panel.error.outside_telegram",
    "panel.scope.back",
    "panel.scope.back_region",
    "panel.scope.label",
    "panel.section.pairs",
    "panel.section.weekly",
    "panel.section.indicators",
    "panel.section.health",
    "panel.section.schools",
    "panel.section.municipalities",
    "panel.section.surveys",
    "panel.section.unmatched",
    "panel.section.events",
    "panel.filter.school",
    "panel.filter.status",
    "panel.filter.stage",
    "panel.filter.all",
    "panel.col.pair",
    "panel.col.school",
    "panel.col.municipality",
    "panel.col.status",
    "panel.col.stage",
    "panel.col.last",
    "panel.col.ratings",
    "panel.col.pairs",
    "panel.col.on_track",
    "panel.col.attention",
    "panel.col.stalled",
    "panel.col.unmatched",
    "panel.col.held",
    "panel.col.name",
    "panel.col.subject",
    "panel.col.since",
    "panel.sort.hint",
    "panel.sort.hint_region",
    "panel.pairs.none",
    "panel.pairs.shown",
    "panel.pairs.no_ratings",
    "panel.unmatched.none",
    "panel.export.button",
    "panel.export.failed",
)
SECURITY_HEADERS = {
    # Only our own script and style, and Telegram's script; the API on the same origin.
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self' https://telegram.org; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Panel:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    i18n: I18n


PANEL = web.AppKey("panel", Panel)


class Refused(Exception):
    def __init__(self, status: int, error: str, key: str) -> None:
        super().__init__(error)
        self.status, self.error, self.key = status, error, key


def _json(panel: Panel, status: int, body: dict[str, Any]) -> web.Response:
    response = web.json_response(
        body, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False)
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def _refusal(panel: Panel, refused: Refused) -> web.Response:
    with panel.i18n.context():
        message = render.text(refused.key)
    response = _json(panel, refused.status, {"error": refused.error, "message": message})
    if refused.status == 401:
        response.headers["WWW-Authenticate"] = "tma"
    return response


async def _actor(panel: Panel, request: web.Request, session: AsyncSession) -> Actor:
    scheme, _, data = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "tma" or not data.strip():
        raise Refused(401, "unauthorized", "panel.error.unauthorized")
    try:
        user = webapp_auth.validate(
            data.strip(),
            panel.settings.bot_token.get_secret_value(),
            now=panel.clock.now(),
            max_age=dt.timedelta(seconds=panel.settings.webapp_auth_max_age),
        )
    except webapp_auth.InitDataError as exc:
        log.info("panel: initData refused (%s)", exc.reason)  # the reason, never the data
        raise Refused(401, "unauthorized", "panel.error.unauthorized") from exc
    actor = await who.actor_of(session, user.telegram_id, panel.settings.admin_ids)
    if not actor.is_staff:
        raise Refused(403, "forbidden", "panel.error.forbidden")
    return actor


# The query parameter that names each level; a request names at most one.
LEVELS = {"school": Level.SCHOOL, "municipality": Level.MUNICIPALITY, "region": Level.REGION}


def _asked(request: web.Request) -> dashboard.Asked | None:
    """``?school=ID``, ``?municipality=ID`` or ``?region=ID``; none (or 0): the person's
    own scope. Anything else is a scope that is not theirs to see (404)."""
    named = [(level, request.query.get(key, "").strip()) for key, level in LEVELS.items()]
    named = [(level, raw) for level, raw in named if raw and raw != "0"]
    if not named:
        return None
    if len(named) > 1:
        raise Refused(404, "not_found", "panel.error.not_found")
    ((level, raw),) = named
    if not plain_digits(raw) or len(raw) > 20 or not 0 < int(raw) <= MAX_ID:
        raise Refused(404, "not_found", "panel.error.not_found")
    return dashboard.Asked(level, int(raw))


Handler = Callable[[Panel, web.Request, AsyncSession, Actor], Awaitable[web.Response]]


def _api(handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def run(request: web.Request) -> web.Response:
        panel = request.app[PANEL]
        try:
            async with panel.sessionmaker() as session:
                actor = await _actor(panel, request, session)
                with panel.i18n.context():
                    return await handler(panel, request, session, actor)
        except Refused as refused:
            return _refusal(panel, refused)
        except AccessDenied:
            return _refusal(panel, Refused(403, "forbidden", "panel.error.not_found"))
        except DomainError as exc:
            # NotFound, or an admin's default scope before any municipality exists.
            # (A region whose municipalities were all detached has nothing to show.)
            if isinstance(exc, NotFound) or exc.code in ("error.not_found", "region.error.empty"):
                return _refusal(panel, Refused(404, "not_found", "panel.error.not_found"))
            if exc.code == "panel.export.no_chat":
                return _refusal(panel, Refused(409, "no_chat", exc.code))
            return _refusal(panel, Refused(403, "forbidden", "panel.error.forbidden"))

    return run


async def _dashboard(
    panel: Panel, request: web.Request, session: AsyncSession, actor: Actor
) -> web.Response:
    found = await dashboard.gather(session, actor, panel.clock.now(), _asked(request))
    return _json(panel, 200, render.dashboard(found))


async def _export(
    panel: Panel, request: web.Request, session: AsyncSession, actor: Actor
) -> web.Response:
    now = panel.clock.now()
    scope = await dashboard.scope_for(session, actor, now, _asked(request))
    await panel_export.queue(session, actor, scope, now)
    return _json(panel, 202, {"queued": True, "message": render.text("panel.export.queued")})


def _page_html(i18n: I18n) -> str:
    template = (STATIC / "index.html").read_text(encoding="utf-8")
    with i18n.context():
        texts = {key.removeprefix("panel."): render.text(key) for key in PAGE_TEXTS}
        fills = {
            "title": render.text("panel.page.title"),
            "loading": render.text("panel.page.loading"),
            "noscript": render.text("panel.page.noscript"),
        }
    # Inside <script type="application/json">: "</" must not end the element.
    fills_html = {k: html.escape(v) for k, v in fills.items()}
    fills_html["texts"] = json.dumps(texts, ensure_ascii=False).replace("</", "<\\/")
    fills_html["telegram_script"] = TELEGRAM_SCRIPT
    page = template
    for key, value in fills_html.items():
        page = page.replace("{{" + key + "}}", value)
    return page


def add_panel(app: web.Application, panel: Panel) -> None:
    """Mount the panel on ``app`` (the webhook's application, or one of its own)."""
    app[PANEL] = panel
    page = _page_html(panel.i18n)
    assets = {name: (STATIC / name).read_bytes() for name in ASSETS}

    async def show_page(_: web.Request) -> web.Response:
        response = web.Response(text=page, content_type="text/html", charset="utf-8")
        response.headers.update(SECURITY_HEADERS)
        return response

    async def asset(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in assets:
            raise web.HTTPNotFound()
        response = web.Response(body=assets[name], content_type=ASSETS[name], charset="utf-8")
        response.headers.update(SECURITY_HEADERS)
        return response

    async def to_page(_: web.Request) -> web.Response:
        raise web.HTTPPermanentRedirect(PREFIX + "/")

    app.router.add_get(PREFIX, to_page)
    app.router.add_get(PREFIX + "/", show_page)
    app.router.add_get(PREFIX + "/static/{name}", asset)
    app.router.add_get(PREFIX + "/api/dashboard", _api(_dashboard))
    app.router.add_post(PREFIX + "/api/export", _api(_export))


def build_panel_app(panel: Panel) -> web.Application:
    """The panel on its own (polling mode, WEBAPP_PORT)."""
    app = web.Application()
    add_panel(app, panel)
    return app
