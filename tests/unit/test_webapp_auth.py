"""initData of the Mini App, checked as Telegram specifies: a valid one gives the user;
a changed field or hash, another bot's token, an old or future auth_date, missing or
repeated fields are refused. aiogram's own signature check agrees on every case."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

import pytest
from aiogram.utils.web_app import check_webapp_signature

from services.webapp_auth import DEFAULT_MAX_AGE, InitDataError, sign, validate
from tests.arrange import webapp
from tests.arrange.constants import NOW
from tests.fakes.bot_api import TOKEN

USER = 500_000_123
OTHER_TOKEN = "7000000002:ANOTHER-bot-token"


def _reason(init_data: str, *, now: dt.datetime = NOW, token: str = TOKEN) -> str:
    with pytest.raises(InitDataError) as caught:
        validate(init_data, token, now=now)
    return caught.value.reason


def test_a_valid_init_data_gives_the_user_and_aiogram_agrees() -> None:
    data = webapp.init_data(USER, first_name="Анна & Co = 1")
    user = validate(data, TOKEN, now=NOW + dt.timedelta(minutes=59))
    assert user.telegram_id == USER
    assert user.first_name == "Анна & Co = 1"
    assert user.auth_date == NOW
    assert check_webapp_signature(TOKEN, data)


def test_every_signed_field_counts_including_newer_ones() -> None:
    # Telegram adds fields over time (signature, chat_instance…): all are in the check.
    values = {**webapp.fields(USER), "signature": "c2lnbmF0dXJl", "chat_instance": "-1"}
    signed = webapp.encode({**values, "hash": sign(values, TOKEN)})
    assert validate(signed, TOKEN, now=NOW).telegram_id == USER
    assert check_webapp_signature(TOKEN, signed)
    dropped = webapp.encode({k: v for k, v in parse_qsl(signed) if k != "signature"})
    assert _reason(dropped) == "bad_hash"


def test_the_signature_matches_telegrams_published_recipe() -> None:
    # Written out once more by hand, so that sign() cannot be wrong the same way twice.
    import hashlib
    import hmac

    values = webapp.fields(USER)
    check = "\n".join(f"{k}={values[k]}" for k in sorted(values))
    key = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    assert sign(values, TOKEN) == hmac.new(key, check.encode(), hashlib.sha256).hexdigest()


def test_a_tampered_field_or_hash_is_refused() -> None:
    data = webapp.init_data(USER)
    values = dict(parse_qsl(data))
    forged = {**values, "user": values["user"].replace(str(USER), str(USER + 1))}
    assert _reason(webapp.encode(forged)) == "bad_hash"
    assert not check_webapp_signature(TOKEN, webapp.encode(forged))
    flipped = values["hash"][:-1] + ("0" if values["hash"][-1] != "0" else "1")
    assert _reason(webapp.encode({**values, "hash": flipped})) == "bad_hash"
    # A field added after signing changes the data-check-string.
    assert _reason(webapp.encode({**values, "start_param": "admin"})) == "bad_hash"


def test_another_bots_token_is_refused() -> None:
    data = webapp.init_data(USER, token=OTHER_TOKEN)
    assert check_webapp_signature(OTHER_TOKEN, data)  # well signed, for the other bot
    assert _reason(data) == "bad_hash"
    assert _reason(webapp.init_data(USER), token="") == "no_token"


def test_an_init_data_older_than_the_setting_is_refused() -> None:
    data = webapp.init_data(USER, auth_date=NOW - DEFAULT_MAX_AGE - dt.timedelta(seconds=1))
    assert check_webapp_signature(TOKEN, data)  # a signature never expires by itself
    assert _reason(data) == "expired"
    # The setting decides: a day allows it.
    assert validate(data, TOKEN, now=NOW, max_age=dt.timedelta(days=1)).telegram_id == USER
    future = webapp.init_data(USER, auth_date=NOW + dt.timedelta(hours=1))
    assert _reason(future) == "from_the_future"


def test_missing_repeated_or_broken_fields_are_refused() -> None:
    values = webapp.fields(USER)
    assert _reason(webapp.encode(values)) == "no_hash"  # never signed
    assert _reason("") == "empty_or_long"
    assert _reason("x" * 10_000) == "empty_or_long"
    assert _reason("no-equals-sign") == "malformed"
    for missing in ("user", "auth_date"):
        rest = {k: v for k, v in values.items() if k != missing}
        rest["hash"] = sign(rest, TOKEN)
        assert _reason(webapp.encode(rest)) == ("no_user" if missing == "user" else "no_auth_date")
    for bad_user in ('{"first_name":"Анна"}', '{"id":"5"}', '{"id":-5}', "not json", "[1]"):
        broken = {**values, "user": bad_user}
        broken["hash"] = sign(broken, TOKEN)
        assert _reason(webapp.encode(broken)) == "no_user"
    signed = {**values, "hash": sign(values, TOKEN)}
    assert _reason(webapp.encode(signed) + "&user=" + values["user"]) == "duplicate_field"
