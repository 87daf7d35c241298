"""The panel in a real browser (Debian's headless Chromium driven by playwright), served
by the bot's own aiohttp application on a port: opened the way Telegram opens it, with
a curator's or a coordinator's signed initData in the address, it shows the pairs and
indicators of their scope only (a regional coordinator's: the region, a municipality a
tap away); a filter narrows the pairs; a mentee reads why she
cannot enter. telegram.org is unreachable here (as it may be anywhere): the page works
without Telegram's script, from the address alone; with a stand-in for that script it
takes the theme from it. Screenshots at phone width, light and dark, go to docs/.

Skipped when chromium or playwright is missing (.ci/run installs chromium)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiogram import Bot, Dispatcher
from aiohttp.test_utils import TestServer
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.runner import build_webhook_app
from models import MeetingKind, MeetingStatus, Outbox, PairStatus
from tests import arrange
from tests.arrange import digest as w
from tests.arrange import webapp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip(
    "playwright.async_api", reason="playwright is not installed (uv sync installs it)"
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no chromium on this machine: apt-get install -y chromium (.ci/run does it)",
)

HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">'
DOCS = Path(__file__).resolve().parents[2] / "docs"
PHONE = {"width": 390, "height": 844}
LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
}
DARK = {
    "bg_color": "#212121",
    "text_color": "#ffffff",
    "hint_color": "#aaaaaa",
    "link_color": "#8774e1",
    "button_color": "#8774e1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#0f0f0f",
}


def _address(base: str, init_data: str | None, theme: dict[str, str]) -> str:
    """The address Telegram opens: initData and theme in the fragment (never sent to
    the server)."""
    if init_data is None:
        return base
    fragment = (
        f"tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=7.0"
        f"&tgWebAppPlatform=android&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}"
    )
    return f"{base}#{fragment}"


def _stand_in(init_data: str, theme: dict[str, str], scheme: str) -> str:
    """What telegram-web-app.js gives a page, reduced to what the panel reads."""
    web_app = {"initData": init_data, "themeParams": theme, "colorScheme": scheme}
    return (
        "window.Telegram = {WebApp: Object.assign(" + json.dumps(web_app) + ", {"
        "ready() { document.documentElement.dataset.tgReady = '1'; }, expand() {},"
        "onEvent() {}})};"
    )


async def _more_pairs(db: AsyncSession, world: w.World) -> None:
    """School A also has a pair that needs attention, a paused one and a new one: the
    screenshot shows every status."""
    at = w.at
    gromov = await arrange.mentor(db, 311, "Громов Артём Ильич", world.a)
    lapina = await arrange.mentee(db, 211, "Лапина Ксения Юрьевна", world.a)
    late = await arrange.pair(
        db,
        gromov,
        [lapina],
        formed_at=at(2, 10),
        next_kind=MeetingKind.PLANNING,
        stage_since=at(3, 11),
    )
    await arrange.meeting(db, late, MeetingKind.INTRO, at(9, 10), status=MeetingStatus.HELD)
    trial = await arrange.meeting(db, late, MeetingKind.TRIAL, at(3, 11), status=MeetingStatus.HELD)
    await arrange.feedback(db, trial, lapina, rating=3)
    await arrange.feedback(db, trial, gromov, rating=4)
    zaitsev = await arrange.mentor(db, 312, "Зайцев Олег Юрьевич", world.a)
    orekhova = await arrange.mentee(db, 212, "Орехова Дарья Сергеевна", world.a)
    await arrange.pair(
        db,
        zaitsev,
        [orekhova],
        formed_at=at(5, 10),
        status=PairStatus.PAUSED,
        paused_until=dt.date(2026, 12, 7),
    )
    kim = await arrange.mentor(db, 313, "Ким Ирина Олеговна", world.a)
    fomina = await arrange.mentee(db, 213, "Фомина Алина Романовна", world.a)
    await arrange.pair(db, kim, [fomina], formed_at=at(20, 11))


@pytest.fixture
async def server(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    dp: Dispatcher,
    bot: Bot,
) -> AsyncIterator[str]:
    """The bot's webhook application with the panel, on a real port."""
    panel_settings = Settings(
        **{
            **settings.model_dump(),
            "webhook_url": "https://bot.example.ru",
            "webhook_secret": SecretStr("Zq8_wV3-nT6yH1bK9mC4xR7pL2sD5fG0"),
            "webapp_url": "https://bot.example.ru/panel/",
        },
        _env_file=None,
    )
    test_server = TestServer(build_webhook_app(bot, dp, panel_settings, sessionmaker))
    await test_server.start_server()
    try:
        yield str(test_server.make_url("/panel/"))
    finally:
        await test_server.close()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield launched
        finally:
            await launched.close()


async def _open(
    browser: Any,
    address: str,
    *,
    scheme: str = "light",
    stand_in: str | None = None,
) -> Any:
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=1, color_scheme=scheme, locale="ru-RU"
    )
    page = await context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    async def telegram(route: Any) -> None:
        if stand_in is None:
            await route.abort()  # telegram.org cannot be reached
        else:
            await route.fulfill(status=200, content_type="text/javascript", body=stand_in)

    await page.route("https://telegram.org/**", telegram)
    await page.goto(address)
    page.requests = requests
    return page


async def _ready(page: Any) -> None:
    await page.wait_for_selector("#app[data-ready]", timeout=15000)


async def _rows(page: Any) -> list[str]:
    return [str(t) for t in await page.locator("#pairs-table tbody tr").all_inner_texts()]


async def test_a_curator_sees_her_schools_pairs_and_indicators_without_telegrams_script(
    db: AsyncSession, server: str, browser: Any
) -> None:
    world = await w.world(db)
    await _more_pairs(db, world)
    await arrange.mentee(db, 214, HOSTILE, world.a)  # a name is shown as text, never run
    page = await _open(browser, _address(server, webapp.init_data(w.CURATOR_A), LIGHT))
    await _ready(page)
    rows = await _rows(page)
    assert len(rows) == 4
    assert any("Петров Иван Сергеевич" in r and "Иванова Мария Петровна" in r for r in rows)
    body = await page.inner_text("body")
    assert "Орлов" not in body and "Белкина" not in body  # school B
    assert "МБОУ «Средняя школа № 12»" in body
    indicators = await page.inner_text("#indicators")
    assert "охват молодых специалистов" in indicators
    assert "удовлетворённость наставляемых" in indicators
    assert await page.locator("#weekly-chart rect").count() == 12
    unmatched = await page.inner_text("#unmatched")
    assert "Смирнова Анна Олеговна" in unmatched and HOSTILE in unmatched
    assert await page.evaluate("document.body.dataset.pwned") is None
    assert "/club" in await page.inner_text("#events")
    # The status filter: only the pair that needs attention is left.
    await page.select_option("#filter-status", "attention")
    rows = await _rows(page)
    assert len(rows) == 1 and "Громов Артём Ильич" in rows[0]
    await page.select_option("#filter-status", "")
    await page.select_option("#filter-stage", "regular")
    rows = await _rows(page)
    assert len(rows) == 1 and "Петров" in rows[0]
    # «Выгрузить Excel»: queued for her chat, said on the page.
    await page.click("#export")
    # (a selector, not a function: the page's CSP forbids eval, playwright's too)
    await page.wait_for_selector("#export-note:has-text('придёт в чат')")
    queued = await db.scalar(select(Outbox.payload).where(Outbox.kind == "panel.export"))
    assert queued == {"level": "school", "id": world.a.id}
    # Nothing but the bot's own address and the (blocked) Telegram script was asked for.
    origin = server.split("/panel/")[0]
    foreign = [u for u in page.requests if not u.startswith(origin)]
    assert all(u.startswith("https://telegram.org/js/telegram-web-app.js") for u in foreign)
    await page.context.close()


async def test_a_coordinator_filters_by_school_sorts_and_opens_one_light_and_dark(
    db: AsyncSession, server: str, browser: Any
) -> None:
    world = await w.world(db)
    await _more_pairs(db, world)
    init_data = webapp.init_data(w.COORDINATOR)
    page = await _open(browser, _address(server, init_data, LIGHT))
    await _ready(page)
    assert len(await _rows(page)) == 5
    schools = await page.inner_text("#schools-table")
    assert world.a.name in schools and world.c.name in schools
    DOCS.mkdir(exist_ok=True)
    await page.screenshot(path=str(DOCS / "panel-light.png"), full_page=True)

    # A filter by school leaves school B's pair only.
    await page.select_option("#filter-school", str(world.b.id))
    rows = await _rows(page)
    assert len(rows) == 1 and "Орлов Денис Викторович" in rows[0]
    await page.select_option("#filter-school", "")
    # Sorting by mentor (a phone shows the sort buttons above the cards).
    await page.click("#pairs .sorter button >> nth=0")
    names = [r.split(" → ")[0].strip() for r in await _rows(page)]
    assert names == sorted(names)
    await page.click("#pairs .sorter button >> nth=0")
    names_desc = [r.split(" → ")[0].strip() for r in await _rows(page)]
    assert names_desc == sorted(names, reverse=True)
    # Opening school B from its line: only its pair, and the way back.
    await page.click(f"#schools-table tr[data-id='{world.b.id}']")
    await page.wait_for_selector(f"#app[data-ready='school:{world.b.id}']")
    rows = await _rows(page)
    assert len(rows) == 1 and "Орлов" in rows[0]
    await page.click("#back")
    await page.wait_for_selector(f"#app[data-ready='municipality:{world.municipality.id}']")
    await page.context.close()

    # Dark, with Telegram's script there (a stand-in): the theme comes from it.
    dark = await _open(browser, server, scheme="dark", stand_in=_stand_in(init_data, DARK, "dark"))
    await _ready(dark)
    assert await dark.evaluate("document.documentElement.dataset.tgReady") == "1"
    assert await dark.evaluate("document.documentElement.dataset.scheme") == "dark"
    background = await dark.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(15, 15, 15)"  # secondary_bg_color of the theme
    await dark.screenshot(path=str(DOCS / "panel-dark.png"), full_page=True)
    await dark.context.close()


async def test_a_regional_coordinator_opens_a_municipality_from_the_region(
    db: AsyncSession, server: str, browser: Any
) -> None:
    world = await w.world(db)
    await _more_pairs(db, world)
    region, pushchino, _ = await w.region(db, world)
    page = await _open(browser, _address(server, webapp.init_data(w.REGIONAL), LIGHT))
    await page.wait_for_selector(f"#app[data-ready='region:{region.id}']")
    assert "Московская область" in await page.inner_text("h1")
    lines = await page.inner_text("#municipalities-table")
    assert "Городской округ Серпухов" in lines and "Городской округ Пущино" in lines
    assert await page.locator("#pairs").count() == 0  # no pairs, no names at this level
    body = await page.inner_text("body")
    assert "Петров" not in body and "Смирнова" not in body
    assert "охват молодых специалистов" in await page.inner_text("#indicators")
    DOCS.mkdir(exist_ok=True)
    await page.screenshot(path=str(DOCS / "panel-region.png"), full_page=True)

    # A municipality's line opens its page, with its pairs and the way back.
    await page.click(f"#municipalities-table tr[data-id='{world.municipality.id}']")
    await page.wait_for_selector(f"#app[data-ready='municipality:{world.municipality.id}']")
    assert len(await _rows(page)) == 5
    # Its schools are listed, but their own pages are the curators' and the coordinator's.
    assert await page.locator("#schools-table tr.clickable").count() == 0
    await page.click("#back")
    await page.wait_for_selector(f"#app[data-ready='region:{region.id}']")
    # The scope list goes straight to the other municipality.
    await page.select_option("#scope", f"municipality:{pushchino.id}")
    await page.wait_for_selector(f"#app[data-ready='municipality:{pushchino.id}']")
    assert await _rows(page) == []  # nobody in Пущино's school yet
    assert "Городской округ Пущино" in await page.inner_text("h1")
    await page.context.close()


async def test_a_mentee_and_a_stale_sign_in_read_why_in_russian(
    db: AsyncSession, server: str, browser: Any
) -> None:
    await w.world(db)
    page = await _open(browser, _address(server, webapp.init_data(w.IVANOVA), LIGHT))
    await page.wait_for_selector("#app[data-error='403']")
    assert "кураторам и координаторам" in await page.inner_text("#status")
    await page.context.close()

    old = webapp.init_data(w.CURATOR_A, auth_date=arrange.NOW - dt.timedelta(hours=2))
    page = await _open(browser, _address(server, old, LIGHT))
    await page.wait_for_selector("#app[data-error='401']")
    assert "Telegram" in await page.inner_text("#status")
    await page.context.close()

    # Opened outside Telegram: no initData at all.
    page = await _open(browser, _address(server, None, LIGHT))
    await page.wait_for_selector("#app[data-error='outside']")
    assert "Откройте панель из Telegram" in await page.inner_text("#status")
    await page.context.close()
