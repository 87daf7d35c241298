"""Webhook mode refuses to start without a long secret, and its path is never the token
nor guessable from it."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_error

TOKEN = "123456:AAH-very-secret-bot-token_value"
SECRET = "k3P9_xQ2-mZ7vB4nR8tY1wE6uI0oL5aS"  # 32 characters


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_PATH", "BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **values)


def _error(**values: Any) -> str:
    with pytest.raises(ValidationError) as exc:
        _settings(**values)
    return describe_error(exc.value)


def test_polling_needs_no_webhook_secret() -> None:
    assert _settings().webhook_secret is None


def test_webhook_without_a_secret_is_refused_in_one_line_naming_the_setting() -> None:
    message = _error(webhook_url="https://bot.example.ru")
    assert "\n" not in message
    assert message.startswith("Ошибка настройки: WEBHOOK_SECRET: не задан")


def test_webhook_secret_given_in_the_environment_as_empty_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEBHOOK_URL", "https://bot.example.ru")
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    with pytest.raises(ValidationError) as exc:
        Settings(_env_file=None)
    assert "WEBHOOK_SECRET: не задан" in describe_error(exc.value)


@pytest.mark.parametrize(
    "secret",
    [
        "s3cret",  # too short to resist guessing
        SECRET[:31],
        SECRET[:-1] + "!",  # Telegram allows only A-Z a-z 0-9 _ -
        "й" * 40,
        "a" * 257,
    ],
)
def test_a_short_or_malformed_webhook_secret_is_refused(secret: str) -> None:
    message = _error(webhook_url="https://bot.example.ru", webhook_secret=secret)
    assert message.startswith("Ошибка настройки: WEBHOOK_SECRET: нужно от 32 до 256 символов")
    assert secret not in message  # the error line never shows the secret itself


def test_a_long_webhook_secret_is_accepted() -> None:
    settings = _settings(webhook_url="https://bot.example.ru", webhook_secret=SECRET)
    assert settings.webhook_secret is not None
    assert settings.webhook_secret.get_secret_value() == SECRET


def test_the_default_webhook_path_is_derived_from_the_secret_not_the_token() -> None:
    settings = _settings(webhook_url="https://bot.example.ru", webhook_secret=SECRET)
    route = settings.webhook_route
    assert route.startswith("/telegram/") and len(route) == len("/telegram/") + 64
    assert TOKEN not in route and TOKEN.split(":")[1] not in route and "123456" not in route
    assert SECRET not in route
    other = _settings(webhook_url="https://bot.example.ru", webhook_secret=SECRET[::-1])
    assert other.webhook_route != route  # a different secret, a different path


def test_an_explicit_webhook_path_is_used() -> None:
    settings = _settings(
        webhook_url="https://bot.example.ru", webhook_secret=SECRET, webhook_path="/hook/abc"
    )
    assert settings.webhook_route == "/hook/abc"


@pytest.mark.parametrize("path", [f"/telegram/{TOKEN.split(':')[1]}", "hook", "/a b"])
def test_a_webhook_path_with_the_token_or_odd_characters_is_refused(path: str) -> None:
    message = _error(webhook_url="https://bot.example.ru", webhook_secret=SECRET, webhook_path=path)
    assert message.startswith("Ошибка настройки: WEBHOOK_PATH:")
    assert TOKEN.split(":")[1] not in message
