"""The panel's API over HTTP, served by the webhook's aiohttp application (and on its
own for polling mode), signed in by Telegram's initData: a curator sees their school
only, a coordinator the municipality with a line per school and opens a school; a
regional coordinator the region with a line per municipality (no names at that level),
opens a municipality but not a school, nor anything outside the region; a mentee gets
403, a forged or old initData 401, with a Russian message; another school's id is
refused; «Выгрузить Excel» queues the workbook through the outbox and it reaches the
person's chat (the region's too)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiogram import Bot, Dispatcher
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.panel.app import build_panel_app
from bot.runner import build_webhook_app, panel_of
from models import ClubEventStatus, Municipality, Outbox, OutboxStatus, Role, RoleGrant, School
from services.access import Actor
from services.clock import FixedClock
from services.regions import region_report
from tests import arrange
from tests.arrange import digest as w
from tests.arrange import webapp
from tests.arrange.club import club_event, rsvp
from tests.arrange.constants import ADMIN_ID, NOW
from tests.fakes.bot_api import FakeBotAPI
from tests.fakes.client import Deliver

SECRET = "Zq8_wV3-nT6yH1bK9mC4xR7pL2sD5fG0"
URL = "https://bot.example.ru/panel/"


@pytest.fixture
def panel_settings(settings: Settings) -> Settings:
    return Settings(
        **{
            **settings.model_dump(),
            "webhook_url": "https://bot.example.ru",
            "webhook_secret": SecretStr(SECRET),
            "webapp_url": URL,
        },
        _env_file=None,
    )


@pytest.fixture
async def client(
    panel_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    dp: Dispatcher,
    bot: Bot,
) -> AsyncIterator[TestClient[Any, Any]]:
    dp["settings"] = panel_settings
    app = build_webhook_app(bot, dp, panel_settings, sessionmaker)
    async with TestClient(TestServer(app)) as c:
        yield c


async def _get(client: TestClient[Any, Any], tg: int | None, **kw: Any) -> tuple[int, Any]:
    query = kw.pop("query", "")
    headers = webapp.header(tg, **kw) if tg is not None else {}
    response = await client.get("/panel/api/dashboard" + query, headers=headers)
    return response.status, await response.json()


def _pair_ids(body: dict[str, Any]) -> set[int]:
    return {p["id"] for p in body["pairs"]}


async def test_the_club_events_of_the_scope_with_who_comes(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    whole = await club_event(db, world.municipality, title="Заседание клуба", capacity=20)
    await rsvp(db, whole, world.ivanova)
    await club_event(db, world.municipality, school=world.a, title="Открытый урок в школе А")
    await club_event(db, world.municipality, school=world.b, title="Семинар школы Б")
    await club_event(db, world.municipality, title="Черновик", status=ClubEventStatus.DRAFT)
    status, body = await _get(client, w.CURATOR_A)
    assert status == 200
    items = body["events"]["items"]
    assert [i["title"] for i in items] == ["Заседание клуба", "Открытый урок в школе А"]
    assert items[0]["going"] == "придут: 1 из 20"
    assert items[1]["going"] == "придут: 0"
    assert items[0]["when"]  # in the school's zone, as the digest shows it
    assert body["events"]["message"] == ""


async def test_a_curator_sees_their_school_only(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    status, body = await _get(client, w.CURATOR_A)
    assert status == 200
    assert body["scope"]["level"] == "school"
    assert body["scope"]["name"] == world.a.name
    assert _pair_ids(body) == {world.pair_a.id}
    text = str(body)
    assert "Белкина" not in text and "Орлов" not in text  # school B's people
    (pair,) = body["pairs"]
    assert pair["mentor"] == "Петров Иван Сергеевич"
    assert pair["mentees"] == ["Иванова Мария Петровна"]
    assert pair["stage"] == "regular"
    assert pair["stage_label"] == "регулярная встреча"
    assert pair["last_meeting_label"] == "17.11.2026"
    assert (pair["rating_mentor"], pair["rating_mentees"]) == (4.0, 5.0)
    assert pair["level"] in {"on_track", "attention", "stalled"}
    # Twelve weeks of meetings; the week of 16 November has the regular meeting.
    assert len(body["weekly"]) == 12
    assert sum(x["held"] for x in body["weekly"]) >= 1
    codes = [i["code"] for i in body["indicators"]]
    assert "coverage_young" in codes and "satisfaction_mentees" in codes
    coverage = next(i for i in body["indicators"] if i["code"] == "coverage_young")
    assert coverage["b"] == 3 and coverage["target"] == 100  # headcount of school A
    assert [u["name"] for u in body["unmatched"]["items"]] == ["Смирнова Анна Олеговна"]
    assert body["unmatched"]["total"] == 1
    assert [r["kind"] for r in body["surveys"]["rounds"]] == ["entry", "midterm", "final"]
    assert body["events"]["items"] == [] and "/club" in body["events"]["message"]
    assert body["schools"] == []  # no municipality lines for a curator
    # Every label is a text, none a locale key left unformatted.
    assert "panel." not in json.dumps(body, ensure_ascii=False)
    assert body["weekly_total"].startswith("Всего за 12 недель: ")
    assert [(o["level"], o["id"]) for o in body["options"]] == [("school", world.a.id)]


async def test_another_schools_id_is_refused_to_a_curator(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    status, body = await _get(client, w.CURATOR_A, query=f"?school={world.b.id}")
    assert status == 403
    assert "вне вашей зоны" in body["message"]
    for bad in (
        "?school=abc",
        "?school=-1",
        "?school=99999999999",
        "?school=999999",
        "?school=²",  # a digit to str.isdigit, not to int()
        "?school=" + "9" * 40,
    ):
        status, _ = await _get(client, w.CURATOR_A, query=bad)
        assert status == 404, bad
    response = await client.post(
        f"/panel/api/export?school={world.b.id}", headers=webapp.header(w.CURATOR_A)
    )
    assert response.status == 403
    assert (await db.scalars(select(Outbox).where(Outbox.kind == "panel.export"))).all() == []


async def test_a_coordinator_sees_every_school_and_opens_one(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    status, body = await _get(client, w.COORDINATOR)
    assert status == 200
    assert body["scope"]["level"] == "municipality"
    assert _pair_ids(body) == {world.pair_a.id, world.pair_b.id}
    lines = {s["name"]: s for s in body["schools"]}
    assert set(lines) == {world.a.name, world.b.name, world.c.name}
    assert lines[world.a.name]["pairs"] == 1 and lines[world.a.name]["unmatched"] == 1
    assert lines[world.c.name]["pairs"] == 0
    assert "panel." not in json.dumps(body, ensure_ascii=False)
    # The municipality first, then its schools; no region (the municipality has none).
    assert body["options"][0] == {
        "level": "municipality",
        "id": world.municipality.id,
        "name": "Весь муниципалитет",
    }
    assert [(o["level"], o["id"]) for o in body["options"][1:]] == [
        ("school", s.id) for s in sorted((world.a, world.b, world.c), key=lambda s: s.name)
    ]

    # A school of another municipality is not theirs.
    other = await arrange.municipality_other(db)
    nsk = await db.scalar(select(School.id).where(School.municipality_id == other.id))
    status, _ = await _get(client, w.COORDINATOR, query=f"?school={nsk}")
    assert status == 403

    status, school_b = await _get(client, w.COORDINATOR, query=f"?school={world.b.id}")
    assert status == 200
    assert school_b["scope"]["level"] == "school"
    assert _pair_ids(school_b) == {world.pair_b.id}


async def test_a_mentee_gets_403_and_a_forged_or_old_init_data_401(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    await w.world(db)
    status, body = await _get(client, w.IVANOVA)
    assert status == 403
    assert body["error"] == "forbidden"
    assert "кураторам и координаторам" in body["message"]
    assert "Иванова" not in str(body)

    status, body = await _get(client, None)
    assert status == 401
    assert "Telegram" in body["message"]

    # The coordinator's initData with the user changed to curator A's... fails its hash.
    values = dict(parse_qsl(webapp.init_data(w.COORDINATOR)))
    values["user"] = values["user"].replace(str(w.COORDINATOR), str(w.CURATOR_A))
    response = await client.get(
        "/panel/api/dashboard", headers={"Authorization": "tma " + webapp.encode(values)}
    )
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "tma"

    status, _ = await _get(client, w.CURATOR_A, auth_date=NOW - dt.timedelta(hours=1, seconds=1))
    assert status == 401
    status, _ = await _get(client, w.CURATOR_A, token="7000000002:ANOTHER-bot-token")
    assert status == 401
    for header in ("Bearer x", "tma", "tma ", webapp.init_data(w.CURATOR_A)):
        response = await client.get("/panel/api/dashboard", headers={"Authorization": header})
        assert response.status == 401, header
    # A fresh one of the same person is fine: the refusals above could pass.
    status, _ = await _get(client, w.CURATOR_A, auth_date=NOW - dt.timedelta(minutes=59))
    assert status == 200


async def test_the_admin_from_settings_opens_the_municipality(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    region, _, _ = await w.region(db, world)
    status, body = await _get(client, ADMIN_ID)
    assert status == 200
    assert body["scope"]["id"] == world.municipality.id
    # …and goes up to its region from there.
    assert ("region", region.id) in [(o["level"], o["id"]) for o in body["options"]]
    status, up = await _get(client, ADMIN_ID, query=f"?region={region.id}")
    assert status == 200 and up["scope"]["level"] == "region"
    # …but has no chat row for the export to go to: told so, nothing queued.
    response = await client.post("/panel/api/export", headers=webapp.header(ADMIN_ID))
    assert response.status == 409
    assert "/export" in (await response.json())["message"]


async def test_export_is_queued_through_the_outbox_and_reaches_the_chat(
    db: AsyncSession,
    client: TestClient[Any, Any],
    deliver: Deliver,
    fake_api: FakeBotAPI,
    clock: FixedClock,
) -> None:
    world = await w.world(db)
    headers = webapp.header(w.COORDINATOR)
    response = await client.post(f"/panel/api/export?school={world.b.id}", headers=headers)
    assert response.status == 202
    assert "придёт в чат" in (await response.json())["message"]
    # A double press in the same minute adds nothing.
    again = await client.post(f"/panel/api/export?school={world.b.id}", headers=headers)
    assert again.status == 202
    rows = (await db.scalars(select(Outbox).where(Outbox.kind == "panel.export"))).all()
    assert len(rows) == 1
    assert rows[0].recipient_id == world.coordinator.id
    assert rows[0].payload == {"level": "school", "id": world.b.id}
    assert fake_api.chat(w.COORDINATOR) == []  # nothing sent from the request itself

    assert await deliver() == 1
    (message,) = fake_api.chat(w.COORDINATOR)
    assert message.kind == "document"
    assert message.filename is not None and message.filename.endswith(".xlsx")
    assert message.content is not None
    book = load_workbook(io.BytesIO(message.content))
    texts = " ".join(
        str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value
    )
    assert "Белкина" in texts and "Иванова" not in texts  # school B only
    status = await db.scalar(select(Outbox.status).where(Outbox.id == rows[0].id))
    assert status == OutboxStatus.SENT


async def test_the_page_and_its_files_come_from_the_bot_with_no_cdn(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    page = await client.get("/panel/")
    assert page.status == 200
    html = await page.text()
    assert "Панель наставничества" in html
    assert "https://telegram.org/js/telegram-web-app.js" in html
    srcs = [part.split('"')[1] for part in html.split("src=")[1:]]
    hrefs = [part.split('"')[1] for part in html.split("href=")[1:]]
    # Everything but Telegram's own script is served from here.
    assert [s for s in srcs + hrefs if "://" in s] == [
        "https://telegram.org/js/telegram-web-app.js"
    ]
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self' https://telegram.org" in csp
    assert "Set-Cookie" not in page.headers
    for name in ("panel.js", "panel.css"):
        asset = await client.get("/panel/static/" + name)
        assert asset.status == 200 and len(await asset.read()) > 1000
    for bad in ("../app.py", "index.html", "..%2Fapp.py"):
        assert (await client.get("/panel/static/" + bad)).status == 404
    redirect = await client.get("/panel", allow_redirects=False)
    assert redirect.status == 308 and redirect.headers["Location"] == "/panel/"


async def test_polling_mode_serves_the_panel_on_its_own_app(
    db: AsyncSession,
    panel_settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    dp: Dispatcher,
) -> None:
    world = await w.world(db)
    app = build_panel_app(panel_of(dp, panel_settings, sessionmaker))
    async with TestClient(TestServer(app)) as c:
        status, body = await _get(c, w.CURATOR_B)
    assert status == 200
    assert _pair_ids(body) == {world.pair_b.id}


async def test_without_webapp_url_no_panel_is_served(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    dp: Dispatcher,
    bot: Bot,
) -> None:
    plain = Settings(
        **{
            **settings.model_dump(),
            "webhook_url": "https://bot.example.ru",
            "webhook_secret": SecretStr(SECRET),
        },
        _env_file=None,
    )
    app = build_webhook_app(bot, dp, plain, sessionmaker)
    async with TestClient(TestServer(app)) as c:
        assert (await c.get("/panel/")).status == 404
        assert (await c.get("/panel/api/dashboard")).status == 404


async def test_a_regional_coordinator_sees_the_region_and_opens_a_municipality(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    region, pushchino, zaitseva = await w.region(db, world)
    serpukhov = world.municipality

    status, body = await _get(client, w.REGIONAL)
    assert status == 200
    assert body["scope"]["level"] == "region" and body["scope"]["name"] == "Московская область"
    assert [(o["level"], o["id"], o["name"]) for o in body["options"]] == [
        ("region", region.id, "Московская область: весь регион"),
        ("municipality", pushchino.id, "Городской округ Пущино"),  # by name
        ("municipality", serpukhov.id, "Городской округ Серпухов"),
    ]
    lines = {m["name"]: m for m in body["municipalities"]}
    assert list(lines) == ["Городской округ Серпухов", "Городской округ Пущино"]  # worst first
    serp = lines["Городской округ Серпухов"]
    assert serp["id"] == serpukhov.id
    assert serp["pairs"] == 2  # school A's and school B's
    assert serp["on_track"] + serp["attention"] + serp["stalled"] == 2
    assert serp["unmatched"] == 1  # Смирнова
    assert serp["held"] == 2  # 17 and 18 November, the week before Monday 23
    assert lines["Городской округ Пущино"]["pairs"] == 0
    assert body["schools"] == [] and body["pairs"] == []
    assert body["unmatched"]["total"] == 1 and body["unmatched"]["items"] == []
    assert "имена — на странице муниципалитета" in body["unmatched"]["more"]
    assert sum(week["held"] for week in body["weekly"]) >= 2
    # No person's name at the region's level.
    flat = json.dumps(body, ensure_ascii=False)
    for name in ("Петров", "Иванова", "Смирнова", "Белкина", "Орлов", "Новосибирск"):
        assert name not in flat, name
    # The region's indicators are /indicators' region line (the municipalities summed).
    await db.refresh(zaitseva, ["roles"])
    actor = Actor.of(w.REGIONAL, zaitseva, is_admin=False)
    report = await region_report(db, actor, region.id, NOW)
    assert [(v["code"], v["a"], v["b"]) for v in body["indicators"]] == [
        (v.code, v.a, v.b) for v in report.values
    ]

    # One tap down: Серпухов with its pairs, the way back to the region, no school to open.
    status, mun = await _get(client, w.REGIONAL, query=f"?municipality={serpukhov.id}")
    assert status == 200
    assert mun["scope"]["level"] == "municipality"
    assert _pair_ids(mun) == {world.pair_a.id, world.pair_b.id}
    assert [(o["level"], o["id"]) for o in mun["options"]] == [
        ("region", region.id),
        ("municipality", serpukhov.id),
    ]
    assert {s["name"] for s in mun["schools"]} == {world.a.name, world.b.name, world.c.name}

    # Watched, not managed: a school's own page, the municipality outside, another region.
    outside = await db.scalar(
        select(Municipality.id).where(Municipality.name == "Город Новосибирск")
    )
    refused = [f"?school={world.a.id}", f"?municipality={outside}", f"?region={region.id + 1}"]
    for query in refused:
        status, answer = await _get(client, w.REGIONAL, query=query)
        assert status in (403, 404), query
        assert "вне вашей зоны" in answer["message"], query
    for query in (f"?region={region.id}&school={world.a.id}", "?region=abc", "?municipality=-1"):
        status, _ = await _get(client, w.REGIONAL, query=query)
        assert status == 404, query


async def test_a_regional_coordinator_who_curates_a_school_finds_it_from_the_region(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    _, _, zaitseva = await w.region(db, world)
    db.add(RoleGrant(participant_id=zaitseva.id, role=Role.CURATOR, school_id=world.c.id))
    await db.commit()
    status, body = await _get(client, w.REGIONAL)
    assert status == 200 and body["scope"]["level"] == "region"  # as /export: the region
    assert ("school", world.c.id) in [(o["level"], o["id"]) for o in body["options"]]
    status, school = await _get(client, w.REGIONAL, query=f"?school={world.c.id}")
    assert status == 200 and school["scope"]["name"] == world.c.name
    status, _ = await _get(client, w.REGIONAL, query=f"?school={world.a.id}")
    assert status == 403  # the region's other schools stay their curators'


async def test_a_municipal_coordinator_cannot_open_the_region(
    db: AsyncSession, client: TestClient[Any, Any]
) -> None:
    world = await w.world(db)
    region, pushchino, _ = await w.region(db, world)
    status, body = await _get(client, w.COORDINATOR)
    assert status == 200 and body["scope"]["level"] == "municipality"
    assert "region" not in {o["level"] for o in body["options"]}
    for query in (f"?region={region.id}", f"?municipality={pushchino.id}"):
        status, _ = await _get(client, w.COORDINATOR, query=query)
        assert status == 403, query
    status, _ = await _get(client, w.CURATOR_A, query=f"?region={region.id}")
    assert status == 403


async def test_the_regions_export_from_the_panel_reaches_the_chat(
    db: AsyncSession, client: TestClient[Any, Any], deliver: Deliver, fake_api: FakeBotAPI
) -> None:
    world = await w.world(db)
    region, _, zaitseva = await w.region(db, world)
    response = await client.post("/panel/api/export", headers=webapp.header(w.REGIONAL))
    assert response.status == 202
    row = await db.scalar(select(Outbox).where(Outbox.kind == "panel.export"))
    assert row is not None and row.payload == {"level": "region", "id": region.id}
    assert row.recipient_id == zaitseva.id
    assert await deliver() == 1
    (message,) = fake_api.chat(w.REGIONAL)
    assert message.kind == "document" and message.content is not None
    assert message.filename == "Наставничество_Московская_область_2026-11-23.xlsx"
    book = load_workbook(io.BytesIO(message.content))
    assert book.sheetnames[-2:] == ["Сводная по муниципалитетам", "Сводная по ОО"]

    # From a municipality's page: that municipality's workbook; a school's is refused.
    query = f"?municipality={world.municipality.id}"
    response = await client.post("/panel/api/export" + query, headers=webapp.header(w.REGIONAL))
    assert response.status == 202
    assert await deliver() == 1
    message = fake_api.chat(w.REGIONAL)[-1]
    assert message.filename == "Наставничество_Городской_округ_Серпухов_2026-11-23.xlsx"
    response = await client.post(
        f"/panel/api/export?school={world.a.id}", headers=webapp.header(w.REGIONAL)
    )
    assert response.status == 403
