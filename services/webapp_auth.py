"""Signing in to the Mini App (the panel) with Telegram's initData, checked exactly as
https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app says:

- data-check-string: every field but ``hash``, as ``key=value``, sorted by key, joined
  by "\\n" (values URL-decoded);
- secret key: HMAC-SHA256 of the bot token with the key "WebAppData";
- the hash: hex HMAC-SHA256 of the data-check-string with the secret key, compared in
  constant time;
- ``auth_date`` (when Telegram signed it) not older than ``max_age`` by an injected
  clock, so a leaked initData stops working.

aiogram has the same check (aiogram.utils.web_app.check_webapp_signature), but services
import no aiogram, and it leaves the age, duplicate fields and the user to the caller:
this module does all of it in the few lines the specification takes (the unit tests
check that both agree on the signature).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

DEFAULT_MAX_AGE = dt.timedelta(hours=1)
# A clock a little ahead of Telegram's must not refuse a fresh initData.
CLOCK_SKEW = dt.timedelta(minutes=5)
MAX_LENGTH = 8192  # Telegram's initData is about 500 bytes; anything huge is not it


class InitDataError(Exception):
    """The initData is not Telegram's, is too old or says nothing of the user. ``reason``
    is a short code for logs (never the data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class WebAppUser:
    telegram_id: int
    first_name: str
    auth_date: dt.datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The hash Telegram puts into initData for these fields (tests sign with it too)."""
    return hmac.new(
        secret_key(bot_token), data_check_string(fields).encode(), hashlib.sha256
    ).hexdigest()


def _fields(init_data: str) -> dict[str, str]:
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InitDataError("empty_or_long")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise InitDataError("malformed") from exc
    fields: dict[str, str] = {}
    for key, value in pairs:
        # A repeated field would let one copy be signed and the other be read.
        if key in fields:
            raise InitDataError("duplicate_field")
        fields[key] = value
    return fields


def validate(
    init_data: str,
    bot_token: str,
    *,
    now: dt.datetime,
    max_age: dt.timedelta = DEFAULT_MAX_AGE,
) -> WebAppUser:
    """The user who opened the Mini App, if ``init_data`` is Telegram's, for this bot,
    and signed within ``max_age`` before ``now``; else InitDataError."""
    fields = _fields(init_data)
    given = fields.get("hash")
    if not given:
        raise InitDataError("no_hash")
    if not bot_token:
        raise InitDataError("no_token")
    expected = sign(fields, bot_token)
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise InitDataError("bad_hash")
    # Only signed data from here on.
    try:
        auth_date = dt.datetime.fromtimestamp(int(fields["auth_date"]), dt.UTC)
    except (KeyError, ValueError, OverflowError, OSError) as exc:
        raise InitDataError("no_auth_date") from exc
    if auth_date > now + CLOCK_SKEW:
        raise InitDataError("from_the_future")
    if now - auth_date > max_age:
        raise InitDataError("expired")
    try:
        user = json.loads(fields["user"])
        telegram_id = user["id"]
    except (KeyError, ValueError, TypeError) as exc:
        raise InitDataError("no_user") from exc
    if not isinstance(telegram_id, int) or isinstance(telegram_id, bool) or telegram_id <= 0:
        raise InitDataError("no_user")
    first_name = user.get("first_name")
    return WebAppUser(telegram_id, first_name if isinstance(first_name, str) else "", auth_date)
