"""Time zones as people write them in school lists → IANA names; the rest → an error
with a hint."""

from __future__ import annotations

import zoneinfo

import pytest

from services.imports import timezones
from services.imports.errors import CellError


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        # IANA names, any case, stray spaces
        ("Europe/Moscow", "Europe/Moscow"),
        ("asia/yekaterinburg", "Asia/Yekaterinburg"),
        (" Asia/Novosibirsk\u00a0", "Asia/Novosibirsk"),
        # Moscow time and offsets from it
        ("МСК", "Europe/Moscow"),
        ("мск", "Europe/Moscow"),
        ("MSK", "Europe/Moscow"),
        ("МСК+0", "Europe/Moscow"),
        ("МСК-1", "Europe/Kaliningrad"),
        ("МСК+1", "Europe/Samara"),
        ("МСК+2", "Asia/Yekaterinburg"),
        ("МСК +4", "Asia/Krasnoyarsk"),
        ("МСК+6 ч", "Asia/Yakutsk"),
        ("Московское время +2", "Asia/Yekaterinburg"),
        ("московское время", "Europe/Moscow"),
        # Offsets from UTC / GMT
        ("UTC+3", "Europe/Moscow"),
        ("UTC+5", "Asia/Yekaterinburg"),
        ("UTC +05:00", "Asia/Yekaterinburg"),
        ("utc+7", "Asia/Krasnoyarsk"),
        ("GMT+7", "Asia/Krasnoyarsk"),
        ("GMT+8", "Asia/Irkutsk"),
        ("UTC+9", "Asia/Yakutsk"),
        ("UTC+10", "Asia/Vladivostok"),
        ("UTC+11", "Asia/Magadan"),
        ("UTC+12", "Asia/Kamchatka"),
        ("UTC+2", "Europe/Kaliningrad"),
        ("UTC+4", "Europe/Samara"),
        ("UTC+6", "Asia/Omsk"),
        # Windows' list: the city wins over the offset
        ("(UTC+05:00) Екатеринбург", "Asia/Yekaterinburg"),
        ("(UTC+03:00) Волгоград", "Europe/Volgograd"),
        # Cities
        ("Москва", "Europe/Moscow"),
        ("г. Москва", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"),
        ("Серпухов", "Europe/Moscow"),
        ("Калининград", "Europe/Kaliningrad"),
        ("Самара", "Europe/Samara"),
        ("Екатеринбург", "Asia/Yekaterinburg"),
        ("екатеринбург", "Asia/Yekaterinburg"),
        ("Челябинск", "Asia/Yekaterinburg"),
        ("Омск", "Asia/Omsk"),
        ("г. Новосибирск", "Asia/Novosibirsk"),
        ("Норильск", "Asia/Krasnoyarsk"),
        ("Красноярск", "Asia/Krasnoyarsk"),
        ("Иркутск", "Asia/Irkutsk"),
        ("Чита", "Asia/Chita"),
        ("Якутск", "Asia/Yakutsk"),
        ("Владивосток", "Asia/Vladivostok"),
        ("Нижний Новгород", "Europe/Moscow"),
        ("Ростов-на-Дону", "Europe/Moscow"),
        ("Петропавловск-Камчатский", "Asia/Kamchatka"),
        # Regions
        ("Московская область", "Europe/Moscow"),
        ("Свердловская обл.", "Asia/Yekaterinburg"),
        ("Красноярский край", "Asia/Krasnoyarsk"),
        ("Забайкальский край", "Asia/Chita"),
        ("Республика Татарстан", "Europe/Moscow"),
        ("Респ. Саха (Якутия)", "Asia/Yakutsk"),
        ("Ханты-Мансийский автономный округ — Югра", "Asia/Yekaterinburg"),
        ("ХМАО", "Asia/Yekaterinburg"),
        ("Удмуртская Республика", "Europe/Samara"),
        ("Кемеровская область - Кузбасс", "Asia/Novokuznetsk"),
        ("Алтайский край", "Asia/Barnaul"),
        ("Приморский край", "Asia/Vladivostok"),
        ("Чукотский АО", "Asia/Anadyr"),
    ],
)
def test_a_written_zone_maps_to_iana(written: str, zone: str) -> None:
    assert timezones.parse(written) == zone


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Марс", "imports.err.timezone"),
        ("по звонку", "imports.err.timezone"),
        ("+5", "imports.err.timezone_bare_offset"),
        ("-1", "imports.err.timezone_bare_offset"),
        ("UTC", "imports.err.timezone_not_russian"),
        ("UTC+1", "imports.err.timezone_not_russian"),
        ("UTC+5:30", "imports.err.timezone_not_russian"),
        ("МСК+12", "imports.err.timezone_not_russian"),
        ("", "imports.err.timezone_empty"),
    ],
)
def test_an_unknown_zone_is_an_error_with_a_hint(written: str, code: str) -> None:
    with pytest.raises(CellError) as err:
        timezones.parse(written)
    assert err.value.code == code


def test_every_zone_of_the_table_exists() -> None:
    for zone in {*timezones.PLACES.values(), *timezones.BY_OFFSET.values()}:
        zoneinfo.ZoneInfo(zone)


def test_each_offset_zone_has_that_offset_today() -> None:
    import datetime as dt

    winter = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
    for hours, zone in timezones.BY_OFFSET.items():
        offset = winter.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
        assert offset == dt.timedelta(hours=hours), zone
