"""The tests' «now» (the injected clock starts here), the admin's Telegram id, and the
test database."""

import datetime as dt

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
ADMIN_ID = 900_000_001
DEFAULT_TEST_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
# Tables whose rows the migrations seed: kept between tests.
KEEP_TABLES = {"catalogue_items", "alembic_version"}
