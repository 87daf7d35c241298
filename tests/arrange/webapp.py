"""Mini App initData as Telegram signs it, for the panel's tests."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from services.webapp_auth import sign
from tests.arrange.constants import NOW
from tests.fakes.bot_api import TOKEN


def fields(
    telegram_id: int, *, auth_date: dt.datetime = NOW, first_name: str = "Анна"
) -> dict[str, str]:
    user = {"id": telegram_id, "first_name": first_name, "language_code": "ru"}
    return {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(auth_date.timestamp())),
    }


def encode(values: dict[str, str]) -> str:
    return urlencode(values)


def init_data(
    telegram_id: int,
    *,
    token: str = TOKEN,
    auth_date: dt.datetime = NOW,
    first_name: str = "Анна",
) -> str:
    """The initData Telegram would give the Mini App opened by this person now."""
    values = fields(telegram_id, auth_date=auth_date, first_name=first_name)
    values["hash"] = sign(values, token)
    return encode(values)


def header(telegram_id: int, **kw: object) -> dict[str, str]:
    return {"Authorization": "tma " + init_data(telegram_id, **kw)}  # type: ignore[arg-type]
