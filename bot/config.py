"""Settings from the environment and .env (pydantic-settings)."""

from __future__ import annotations

import zoneinfo
from typing import Annotated

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./nastavnik.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(default=SecretStr(""))
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    telegram_api_base: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "Europe/Moscow"

    webhook_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    operator_name: str = "Оператор персональных данных (укажите OPERATOR_NAME)"
    operator_address: str = "адрес оператора (укажите OPERATOR_ADDRESS)"
    operator_details: str = ""  # ИНН / ОГРН
    processor_name: str = ""  # who processes data on the operator's behalf (the bot's host)
    # Key of the HMAC that ties consent records to a Telegram id after erasure; when
    # unset, one is generated once and kept in the database (app_secrets).
    consent_hmac_key: SecretStr | None = None
    # FSM records (form answers in progress) expire in Redis after this many days.
    fsm_ttl_days: int = Field(default=14, ge=1, le=365)

    invite_days: int = Field(default=30, ge=1, le=365)
    invite_max_uses: int = Field(default=50, ge=1, le=10000)
    # Curator and coordinator invites: one person, this many hours.
    staff_invite_hours: int = Field(default=72, ge=1, le=720)
    # Per-user throttling: a burst of `throttle_burst` updates, refilled at `throttle_rate`/s.
    throttle_rate: float = Field(default=2.0, ge=0)
    throttle_burst: int = Field(default=10, ge=1)
    # The outbox sender: messages per second overall (Telegram allows about 30) and the
    # pause between two messages to one chat.
    send_rate: float = Field(default=25, gt=0, le=30)
    send_per_chat_interval: float = Field(default=1.0, ge=0, le=60)
    # A direct reply hit by flood control (429) or a server error is tried again for at
    # most this many seconds of waiting, then given up.
    reply_retry_max_wait: float = Field(default=20.0, ge=0, le=120)
    log_level: str = "INFO"

    def consent_key(self) -> str | None:
        return self.consent_hmac_key.get_secret_value() if self.consent_hmac_key else None

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"неизвестный часовой пояс {value!r} (нужен IANA, например Europe/Moscow)"
            ) from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith(("postgres://", "postgresql://")):
            # People paste the URL their hosting gives them; use the async driver for it.
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite://") and not value.startswith("sqlite+aiosqlite://"):
            return "sqlite+aiosqlite://" + value.split("://", 1)[1]
        return value


def describe_error(exc: ValidationError) -> str:
    """One line for a person: which setting is wrong and why."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]).upper() or "?"
        parts.append(f"{name}: {err['msg']}")
    return "Ошибка настройки: " + "; ".join(parts) + " (см. .env.example)"
