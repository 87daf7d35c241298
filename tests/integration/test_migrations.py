"""The migrations: every revision goes up, down and up again on a fresh database, and
the models agree with what the migrations build (nothing left to autogenerate)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from bot.migrate import alembic_config
from models import Base
from models.db import create_engine
from tests import pg


@pytest.fixture
async def fresh_url(admin_url: str) -> AsyncIterator[str]:
    u = make_url(admin_url)
    name = f"nastavnik_stairway_{os.getpid()}"
    conn = await pg.connect(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    yield u.set(database=name).render_as_string(hide_password=False)
    conn = await pg.connect(admin_url)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(""))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


async def test_stairway_every_revision_up_down_up(fresh_url: str) -> None:
    config = alembic_config(fresh_url)
    for revision in _revisions():
        down = ScriptDirectory.from_config(config).get_revision(revision).down_revision or "base"
        await asyncio.to_thread(command.upgrade, config, revision)
        await asyncio.to_thread(command.downgrade, config, str(down))
        await asyncio.to_thread(command.upgrade, config, revision)


async def test_models_match_migrations(fresh_url: str) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(fresh_url), "head")
    engine = create_engine(fresh_url)
    async with engine.connect() as conn:
        diff = await conn.run_sync(
            lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata
            )
        )
    await engine.dispose()
    assert diff == []


async def test_catalogue_is_seeded(fresh_url: str) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(fresh_url), "head")
    conn = await pg.connect(fresh_url)
    count = await conn.fetchval("SELECT count(*) FROM catalogue_items WHERE active")
    await conn.close()
    assert count >= 20
