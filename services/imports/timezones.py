"""Time zones as people write them → IANA names.

Accepted: IANA names in any case (Asia/Yekaterinburg), «МСК» and «МСК+2» (offsets from
Moscow time), «UTC+5», «GMT+7», «UTC+05:00», the Windows style «(UTC+05:00)
Екатеринбург», and Russian city and region names (Екатеринбург, Красноярский край,
Респ. Саха (Якутия), ХМАО). A bare «+5» is refused: it may mean UTC+5 or МСК+5.
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from services.imports.errors import CellError
from services.imports.text import clean

# UTC offset → the zone of Russia that has it (Moscow time is UTC+3).
BY_OFFSET: dict[int, str] = {
    2: "Europe/Kaliningrad",
    3: "Europe/Moscow",
    4: "Europe/Samara",
    5: "Asia/Yekaterinburg",
    6: "Asia/Omsk",
    7: "Asia/Krasnoyarsk",
    8: "Asia/Irkutsk",
    9: "Asia/Yakutsk",
    10: "Asia/Vladivostok",
    11: "Asia/Magadan",
    12: "Asia/Kamchatka",
}

# Regions (by the word that tells them apart) and cities, grouped by zone. Lower case,
# ё written as е; a region's «область», «край», «республика» are dropped before lookup.
_PLACES: dict[str, tuple[str, ...]] = {
    "Europe/Kaliningrad": ("калининградская", "калининград"),
    "Europe/Moscow": (
        "мск",
        "msk",
        "москва",
        "moscow",
        "московское",
        "московская",
        "санкт-петербург",
        "петербург",
        "спб",
        "питер",
        "ленинградская",
        "белгородская",
        "белгород",
        "брянская",
        "брянск",
        "владимирская",
        "владимир",
        "воронежская",
        "воронеж",
        "ивановская",
        "иваново",
        "калужская",
        "калуга",
        "костромская",
        "кострома",
        "курская",
        "курск",
        "липецкая",
        "липецк",
        "орловская",
        "орел",
        "рязанская",
        "рязань",
        "смоленская",
        "смоленск",
        "тамбовская",
        "тамбов",
        "тверская",
        "тверь",
        "тульская",
        "тула",
        "ярославская",
        "ярославль",
        "архангельская",
        "архангельск",
        "вологодская",
        "вологда",
        "мурманская",
        "мурманск",
        "новгородская",
        "великий новгород",
        "псковская",
        "псков",
        "карелия",
        "петрозаводск",
        "коми",
        "сыктывкар",
        "ненецкий",
        "нарьян-мар",
        "нижегородская",
        "нижний новгород",
        "пензенская",
        "пенза",
        "чувашская",
        "чувашия",
        "чебоксары",
        "марий эл",
        "йошкар-ола",
        "мордовия",
        "саранск",
        "татарстан",
        "казань",
        "ростовская",
        "ростов-на-дону",
        "краснодарский",
        "краснодар",
        "кубань",
        "адыгея",
        "майкоп",
        "калмыкия",
        "элиста",
        "дагестан",
        "махачкала",
        "ингушетия",
        "магас",
        "кабардино-балкарская",
        "кабардино-балкария",
        "нальчик",
        "карачаево-черкесская",
        "карачаево-черкесия",
        "черкесск",
        "северная осетия",
        "осетия",
        "владикавказ",
        "чеченская",
        "чечня",
        "грозный",
        "ставропольский",
        "ставрополь",
        "серпухов",
        "донецкая",
        "луганская",
        "запорожская",
        "херсонская",
    ),
    "Europe/Kirov": ("кировская", "киров"),
    "Europe/Volgograd": ("волгоградская", "волгоград"),
    "Europe/Simferopol": ("крым", "симферополь", "севастополь"),
    "Europe/Samara": ("самарская", "самара", "тольятти", "удмуртская", "удмуртия", "ижевск"),
    "Europe/Astrakhan": ("астраханская", "астрахань"),
    "Europe/Saratov": ("саратовская", "саратов"),
    "Europe/Ulyanovsk": ("ульяновская", "ульяновск"),
    "Asia/Yekaterinburg": (
        "свердловская",
        "екатеринбург",
        "ekaterinburg",
        "yekaterinburg",
        "челябинская",
        "челябинск",
        "магнитогорск",
        "курганская",
        "курган",
        "тюменская",
        "тюмень",
        "оренбургская",
        "оренбург",
        "башкортостан",
        "башкирия",
        "уфа",
        "пермский",
        "пермь",
        "ханты-мансийский",
        "хмао",
        "югра",
        "ханты-мансийск",
        "сургут",
        "нижневартовск",
        "ямало-ненецкий",
        "янао",
        "салехард",
        "новый уренгой",
    ),
    "Asia/Omsk": ("омская", "омск"),
    "Asia/Novosibirsk": ("новосибирская", "новосибирск"),
    "Asia/Tomsk": ("томская", "томск"),
    "Asia/Barnaul": ("алтайский", "алтай", "барнаул", "горно-алтайск"),
    "Asia/Novokuznetsk": ("кемеровская", "кузбасс", "кемерово", "новокузнецк"),
    "Asia/Krasnoyarsk": (
        "красноярский",
        "красноярск",
        "норильск",
        "тыва",
        "тува",
        "кызыл",
        "хакасия",
        "абакан",
    ),
    "Asia/Irkutsk": ("иркутская", "иркутск", "бурятия", "улан-удэ"),
    "Asia/Chita": ("забайкальский", "чита", "агинское", "дульдурга"),
    "Asia/Yakutsk": ("амурская", "благовещенск", "саха", "якутия", "якутск"),
    "Asia/Vladivostok": (
        "приморский",
        "владивосток",
        "хабаровский",
        "хабаровск",
        "еврейская",
        "биробиджан",
    ),
    "Asia/Sakhalin": ("сахалинская", "южно-сахалинск"),
    "Asia/Magadan": ("магаданская", "магадан"),
    "Asia/Kamchatka": ("камчатский", "петропавловск-камчатский"),
    "Asia/Anadyr": ("чукотский", "анадырь"),
}
PLACES: dict[str, str] = {name: zone for zone, names in _PLACES.items() for name in names}

# Words around a place name that say what kind of place it is, not which.
_GENERIC = {
    "г",
    "гор",
    "город",
    "обл",
    "область",
    "край",
    "респ",
    "республика",
    "ао",
    "авт",
    "автономный",
    "автономная",
    "округ",
    "федерального",
    "значения",
    "время",
    "времени",
    "часовой",
    "пояс",
    "по",
    "zone",
    "time",
    "standard",
    "и",
    "-",
}
_OFFSET = re.compile(
    r"^\(?\s*(utc|gmt|мск|msk)\s*(?:([+-])\s*(\d{1,2})(?:\s*[:.]\s*(\d{2}))?)?\s*"
    r"(?:ч|час|часа|часов|h)?\s*\)?"
)
_MOSCOW_PLUS = re.compile(r"^(московское время|время московское|москва|moscow)\s*(?=[+-]\s*\d)")
_BARE_OFFSET = re.compile(r"^[+-]\s*\d{1,2}(?:\s*[:.]\s*\d{2})?$")
_WORD = re.compile(r"[a-zа-я0-9]+(?:-[a-zа-я0-9]+)*")


@functools.cache
def _iana() -> dict[str, str]:
    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def _place(text: str) -> str | None:
    tokens = [w for w in _WORD.findall(text) if w not in _GENERIC]
    # The longest run of words that names a place: «нижний новгород» before «новгород».
    for size in range(len(tokens), 0, -1):
        for start in range(len(tokens) - size + 1):
            zone = PLACES.get(" ".join(tokens[start : start + size]))
            if zone is not None:
                return zone
    return None


def parse(value: object) -> str:
    """The IANA name for a time zone written any way above; CellError if unknown."""
    shown = clean(value)
    text = shown.casefold().replace("ё", "е")
    if not text:
        raise CellError("imports.err.timezone_empty")
    iana = _iana().get(text.replace(" ", ""))
    if iana is not None and "/" in iana:
        return iana
    if _BARE_OFFSET.match(text):
        raise CellError("imports.err.timezone_bare_offset", value=shown)
    text = _MOSCOW_PLUS.sub("мск", text)
    offset = _OFFSET.match(text)
    rest = text[offset.end() :] if offset else text
    zone = _place(rest)
    if zone is not None:
        return zone
    if offset is not None and not rest.strip(" ()"):
        base, sign, hours, minutes = offset.groups()
        shift = int(hours or 0) * (-1 if sign == "-" else 1)
        utc = shift + (3 if base in ("мск", "msk") else 0)
        if minutes not in (None, "00") or utc not in BY_OFFSET:
            raise CellError("imports.err.timezone_not_russian", value=shown)
        return BY_OFFSET[utc]
    raise CellError("imports.err.timezone", value=shown)
