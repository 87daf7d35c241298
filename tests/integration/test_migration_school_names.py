"""Revision 0007 on a database that already holds the same school typed twice: each row
gets a key, the later twin a key of its own, so the unique constraint can be built."""

from __future__ import annotations

import asyncio
import os

import asyncpg
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.migrate import alembic_config
from models.db import create_engine
from tests.arrange import DEFAULT_TEST_URL


async def test_existing_twins_keep_distinct_keys() -> None:
    base = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_URL))
    name = f"nastavnik_names_{os.getpid()}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            user=base.username, password=base.password, host=base.host,
            port=base.port or 5432, database=base.database,
        )  # fmt: skip
        await conn.execute(sql)
        await conn.close()

    await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    config = alembic_config(url)
    await asyncio.to_thread(command.upgrade, config, "0006")
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO municipalities (name, timezone) VALUES "
                "('ГО Энск', 'Europe/Moscow'), ('го  энск', 'Europe/Moscow')"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO schools (municipality_id, name, timezone) VALUES "
                "(1, 'МБОУ \"СОШ №1\"', 'Europe/Moscow'), (1, 'мбоу «сош № 1»', 'Europe/Moscow'),"
                "(2, 'МБОУ «СОШ № 1»', 'Europe/Moscow')"
            )
        )
    await asyncio.to_thread(command.upgrade, config, "head")
    async with engine.connect() as conn:
        municipalities = (
            await conn.execute(text("SELECT id, name_key FROM municipalities ORDER BY id"))
        ).all()
        schools = (await conn.execute(text("SELECT id, name_key FROM schools ORDER BY id"))).all()
    assert [tuple(r) for r in municipalities] == [(1, "го энск"), (2, "го энск#2")]
    assert [tuple(r) for r in schools] == [
        (1, "мбоу сош № 1"),
        (2, "мбоу сош № 1#2"),
        (3, "мбоу сош № 1"),  # another municipality: no clash
    ]
    await asyncio.to_thread(command.downgrade, config, "0006")
    await engine.dispose()
    await admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
