"""WEBAPP_URL: https only (Telegram opens Mini Apps over https), blank means no panel;
the sign-in lifetime defaults to an hour."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings, describe_error


def test_the_panel_is_off_by_default_and_with_a_blank_url() -> None:
    assert Settings(_env_file=None).webapp_url is None
    assert Settings(_env_file=None, webapp_url="  ").webapp_url is None
    assert Settings(_env_file=None).webapp_auth_max_age == 3600


def test_an_https_url_is_taken() -> None:
    url = " https://bot.example.ru/panel/ "
    assert Settings(_env_file=None, webapp_url=url).webapp_url == url.strip()


@pytest.mark.parametrize("url", ["http://bot.example.ru/panel/", "bot.example.ru", "https://"])
def test_anything_but_https_is_refused_in_one_russian_line(url: str) -> None:
    with pytest.raises(ValidationError) as exc:
        Settings(_env_file=None, webapp_url=url)
    line = describe_error(exc.value)
    assert line.startswith("Ошибка настройки: WEBAPP_URL:")
    assert "https" in line
