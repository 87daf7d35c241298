"""Settings from the environment: lists, time zones, database URLs, one-line errors."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import DEFAULT_DATABASE_URL, Settings, describe_error


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own environment must not leak into these tests."""
    for name in ("ADMIN_IDS", "DEFAULT_TIMEZONE", "DATABASE_URL", "BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("raw", "ids"), [("1, 2", [1, 2]), ("1;2", [1, 2]), ("42", [42]), ("", []), (" 5 ,", [5])]
)
def test_admin_ids_from_the_environment_are_split(
    monkeypatch: pytest.MonkeyPatch, raw: str, ids: list[int]
) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    assert _settings().admin_ids == ids


def test_admin_ids_given_as_a_string_are_split() -> None:
    assert _settings(admin_ids="1, 2").admin_ids == [1, 2]


def test_admin_ids_that_are_not_numbers_are_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "1, вася")
    with pytest.raises(ValidationError) as exc:
        _settings()
    assert "ADMIN_IDS" in describe_error(exc.value)


def test_a_known_time_zone_is_kept() -> None:
    assert _settings(default_timezone="Asia/Novosibirsk").default_timezone == "Asia/Novosibirsk"


def test_an_unknown_time_zone_is_one_line_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Europe/Serpukhov")
    with pytest.raises(ValidationError) as exc:
        _settings()
    message = describe_error(exc.value)
    assert "\n" not in message
    assert message.startswith("Ошибка настройки")
    assert "DEFAULT_TIMEZONE" in message
    assert "Europe/Serpukhov" in message


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("postgresql://u:p@db/app", "postgresql+asyncpg://u:p@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("sqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
        ("sqlite+aiosqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
    ],
)
def test_database_url_uses_an_async_driver(given: str, used: str) -> None:
    assert _settings(database_url=given).database_url == used


def test_without_database_url_the_embedded_sqlite_is_used() -> None:
    settings = _settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.database_url.startswith("sqlite+aiosqlite://")


def test_the_bot_token_is_not_shown_in_the_settings_repr() -> None:
    settings = _settings(bot_token="123:secret-token")
    assert "secret-token" not in repr(settings)
    assert settings.bot_token.get_secret_value() == "123:secret-token"
