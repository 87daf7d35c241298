"""Settings from the environment and .env (pydantic-settings)."""

from __future__ import annotations

import hashlib
import hmac
import re
import zoneinfo
from typing import Annotated, Self

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./nastavnik.db"
# Telegram allows 1-256 of these in secret_token; anything shorter than 32 is guessable.
WEBHOOK_SECRET_MIN = 32
_SECRET_CHARS = re.compile(rf"[A-Za-z0-9_-]{{{WEBHOOK_SECRET_MIN},256}}")
_PATH_CHARS = re.compile(r"(/[A-Za-z0-9_.~-]+)+")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    bot_token: SecretStr = Field(default=SecretStr(""))
    database_url: str = DEFAULT_DATABASE_URL
    # PostgreSQL connections each process keeps open, and how many more it may open at a
    # busy moment (closed again once returned). An update holds one only while it reads
    # or writes; connections opened and closed under load cost PostgreSQL a process each
    # and every statement a new PREPARE, so the kept ones should cover a busy second.
    database_pool_size: int = Field(default=20, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=100)
    redis_url: str | None = None
    telegram_api_base: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "Europe/Moscow"

    webhook_url: str | None = None
    # Not set: /telegram/<derived from the secret>, so the path is not guessable either.
    webhook_path: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)

    # The curator's panel (a Telegram Mini App): the public https address of its page
    # (…/panel/). Unset: no panel buttons, nothing served. Webhook mode serves it on
    # WEBHOOK_PORT next to the webhook; polling mode on WEBAPP_PORT.
    webapp_url: str | None = None
    webapp_port: int = Field(default=8080, ge=1, le=65535)
    # How long an initData (the Mini App's sign-in by Telegram) stays good, seconds.
    webapp_auth_max_age: int = Field(default=3600, ge=60, le=7 * 24 * 3600)

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
    # Messages on their way at once: rate × Telegram's round trip needs (25/s × 60 ms =
    # 1.5), with room for a slow moment. A crash duplicates at most this many.
    send_in_flight: int = Field(default=4, ge=1, le=30)
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

    @field_validator("webapp_url")
    @classmethod
    def _https_page(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        value = value.strip()
        # Telegram opens Mini Apps over https only.
        if not value.startswith("https://") or len(value) <= len("https://"):
            raise ValueError("нужен адрес https://…/panel/ (Telegram открывает Mini App по https)")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Self:
        # Without the secret anyone who finds the path can post updates "from" an admin.
        if not self.webhook_url:
            return self
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        if not secret:
            raise _setting_error(
                "WEBHOOK_SECRET",
                "не задан, а без него webhook (WEBHOOK_URL) принимает обновления от кого "
                "угодно; задайте случайную строку от {n} символов",
            )
        if not _SECRET_CHARS.fullmatch(secret):
            raise _setting_error(
                "WEBHOOK_SECRET",
                "нужно от {n} до 256 символов: латиница, цифры, «_» и «-» "
                f"(сейчас {len(secret)} символов)",
            )
        token = self.bot_token.get_secret_value()
        path = self.webhook_path
        if path is not None and (
            not _PATH_CHARS.fullmatch(path) or (token and token.split(":")[-1] in path)
        ):
            raise _setting_error(
                "WEBHOOK_PATH",
                "должен начинаться с «/», состоять из латиницы, цифр, «_», «-», «.» и "
                "не содержать токен бота; лучше не задавать — путь выведется из секрета",
            )
        return self

    @property
    def webhook_route(self) -> str:
        """The path Telegram posts to: WEBHOOK_PATH, or one derived from the secret
        (one-way, so the path tells nothing of the secret, and never the token)."""
        if self.webhook_path:
            return self.webhook_path
        secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        digest = hmac.new(secret.encode(), b"nastavnik-webhook-path", hashlib.sha256)
        return "/telegram/" + digest.hexdigest()


def _setting_error(name: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(
        "setting", "{name}: " + message.replace("{n}", str(WEBHOOK_SECRET_MIN)), {"name": name}
    )


def describe_error(exc: ValidationError) -> str:
    """One line for a person: which setting is wrong and why."""
    parts = []
    for err in exc.errors():
        name = ".".join(str(p) for p in err["loc"]).upper()
        # Checks across settings (model validators) name the setting in the message.
        parts.append(f"{name}: {err['msg']}" if name else err["msg"])
    return "Ошибка настройки: " + "; ".join(parts) + " (см. .env.example)"
