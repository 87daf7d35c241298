"""The files the bot imports, described as data: the list of schools (now), the
headcounts of the surveys issue and the club's plan of events (read by the same layer;
their features come later). README.md lists these columns for people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from services.imports.errors import CellError
from services.imports.spec import Column, FileSpec, Kind

MUNICIPALITY = Column(
    "municipality",
    "Муниципалитет",
    (
        "муниципалитет",
        "муниципальное образование",
        "наименование муниципального образования",
        "наименование муниципалитета",
        "=мо",
        "=мр",
        "=го",
        "=мо го",
        "=мр го",
        "=мр мо",
        "район",
        "муниципальный район",
        "муниципальный округ",
        "городской округ",
        "городской округ район",
        "территория",
        "municipality",
    ),
)
SHORT_NAME = Column(
    "short_name",
    "Краткое наименование",
    (
        "краткое наименование",
        "сокращенное наименование",
        "краткое название",
        "сокращенное название",
        "=краткое",
        "=сокращенное",
        "short name",
    ),
)
FULL_NAME = Column(
    "full_name",
    "Полное наименование",
    (
        "полное наименование",
        "полное название",
        "официальное наименование",
        "=полное",
        "full name",
    ),
)
NAME = Column(
    "name",
    "Школа",
    (
        "школа",
        "наименование",
        "название",
        "наименование оо",
        "=оо",
        "=оу",
        "образовательная организация",
        "образовательное учреждение",
        "общеобразовательная организация",
        "организация",
        "учреждение",
        "school",
        "name",
    ),
    # «Наименование муниципального образования» names the municipality.
    unless=("муниципального", "муниципалитета", "района", "округа", "мероприятия", "мо"),
)
TIMEZONE = Column(
    "timezone",
    "Часовой пояс",
    (
        "часовой пояс",
        "часовая зона",
        "пояс",
        "=время",
        "=tz",
        "timezone",
        "time zone",
        "=utc",
        "=gmt",
        "=мск",
    ),
    kind=Kind.TIMEZONE,
)

SCHOOLS = FileSpec(
    name="schools",
    title="Список школ",
    # Short and full names before the plain one: «Полное наименование ОО» is the full
    # name although «наименование ОО» would also fit.
    columns=(MUNICIPALITY, SHORT_NAME, FULL_NAME, NAME, TIMEZONE),
    one_of=(("short_name", "name", "full_name"),),
    identity=("municipality", ("short_name", "name", "full_name")),
    section="municipality",
    template=("municipality", "short_name", "full_name", "timezone"),
    examples=(
        (
            "Городской округ Серпухов",
            "МБОУ «СОШ № 1»",
            "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
            "общеобразовательная школа № 1»",
            "МСК",
        ),
        ("Городской округ Серпухов", "МБОУ «Гимназия № 3»", "", "Europe/Moscow"),
        ("Город Норильск", "МАОУ «СШ № 7»", "", "UTC+7"),
        ("Дульдургинский район", "МБОУ «Дульдургинская СОШ № 2»", "", "Забайкальский край"),
    ),
)


def _not_more_than_total(got: Mapping[str, Any]) -> CellError | None:
    total = got.get("teachers")
    for part in ("under_35", "young_specialists"):
        if total is not None and got.get(part) is not None and got[part] > total:
            return CellError("imports.err.more_than_total", part=got[part], total=total)
    return None


HEADCOUNTS = FileSpec(
    name="headcounts",
    title="Численность педагогов",
    columns=(
        MUNICIPALITY,
        SHORT_NAME,
        FULL_NAME,
        Column(
            "name",
            "Школа",
            NAME.synonyms,
            unless=(*NAME.unless, "педагогических", "педагогов", "специалистов"),
        ),
        Column(
            "academic_year",
            "Учебный год",
            ("учебный год", "=год", "уч год", "academic year"),
            kind=Kind.ACADEMIC_YEAR,
        ),
        Column(
            "young_specialists",
            "Из них молодых специалистов (стаж 0–3 года)",
            (
                "молодых специалистов",
                "молодые специалисты",
                "молодых специалистов стаж 0 3 года",
                "стаж 0 3",
                "стаж до 3 лет",
                "=мс",
            ),
            kind=Kind.INTEGER,
            required=True,
        ),
        Column(
            "under_35",
            "Из них до 35 лет",
            ("до 35 лет", "до 35", "моложе 35", "младше 35", "under 35"),
            kind=Kind.INTEGER,
            required=True,
            unless=("специалистов", "специалисты", "стаж"),
        ),
        Column(
            "teachers",
            "Численность педагогических работников",
            (
                "численность педагогических работников",
                "численность педагогов",
                "количество педагогических работников",
                "количество педагогов",
                "кол во педагогов",
                "всего педагогов",
                "педагогических работников",
                "педагогов всего",
                "teachers",
            ),
            kind=Kind.INTEGER,
            required=True,
            unless=("35", "молодых", "молодые", "специалистов", "стаж"),
        ),
    ),
    one_of=(("short_name", "name", "full_name"),),
    identity=("municipality", ("short_name", "name", "full_name"), "academic_year"),
    section="municipality",
    checks=(_not_more_than_total,),
    template=("municipality", "name", "academic_year", "teachers", "under_35", "young_specialists"),
    examples=(
        ("Городской округ Серпухов", "МБОУ «СОШ № 1»", "2025/2026", 58, 12, 4),
        ("Городской округ Серпухов", "МБОУ «Гимназия № 3»", "2025/2026", 41, 9, 2),
    ),
)

CLUB_PLAN = FileSpec(
    name="club-plan",
    title="План работы клуба",
    columns=(
        Column(
            "title",
            "Мероприятие",
            (
                "мероприятие",
                "наименование мероприятия",
                "наименование мероприятий",
                "название мероприятия",
                "тема",
                "=мероприятия",
                "=наименование",
                "=название",
                "event",
                "title",
            ),
            required=True,
        ),
        Column(
            "kind",
            "Форма",
            ("форма", "форма проведения", "вид", "тип", "вид мероприятия", "формат", "type"),
        ),
        Column(
            "date",
            "Дата",
            ("дата", "дата проведения", "срок", "сроки", "срок проведения", "date"),
            kind=Kind.DATE,
            required=True,
        ),
        Column(
            "time",
            "Время",
            ("время", "время проведения", "начало", "time"),
            kind=Kind.TIME,
            unless=("дата",),
        ),
        Column(
            "place",
            "Место",
            ("место", "место проведения", "адрес", "площадка", "place"),
        ),
        Column(
            "audience",
            "Участники",
            (
                "участники",
                "аудитория",
                "целевая аудитория",
                "категория участников",
                "для кого",
                "audience",
            ),
            kind=Kind.AUDIENCE,
        ),
    ),
    identity=("title", "date"),
    template=("title", "kind", "date", "time", "place", "audience"),
    examples=(
        (
            "Установочное заседание клуба «Пеликаша»",
            "заседание",
            dt.date(2026, 9, 17),
            dt.time(15, 0),
            "МОУ ДПО УМЦ, ауд. 12",
            "молодые специалисты, наставники",
        ),
        (
            "Мастер-класс «Первый урок»",
            "мастер-класс",
            dt.date(2026, 10, 15),
            dt.time(14, 30),
            "МБОУ «Гимназия № 3»",
            "молодые специалисты",
        ),
    ),
)

SPECS: dict[str, FileSpec] = {s.name: s for s in (SCHOOLS, HEADCOUNTS, CLUB_PLAN)}

# The addenda (доп. соглашения) of many pairs at once, by a curator (issue 14): a row
# names the pair by its mentor (and the mentee, for a mentor of several pairs).
ADDENDA = FileSpec(
    name="addenda",
    title="Доп. соглашения о наставничестве",
    columns=(
        Column("mentor", "Наставник", ("наставник", "фио наставника", "mentor"), required=True),
        Column("mentee", "Наставляемый", ("наставляемый", "фио наставляемого", "mentee")),
        Column(
            "number",
            "Номер соглашения",
            ("номер соглашения", "номер", "=№", "№ соглашения", "number"),
            required=True,
            unless=("телефона",),
        ),
        Column(
            "signed",
            "Дата соглашения",
            ("дата соглашения", "дата", "от"),
            kind=Kind.DATE,
            required=True,
            unless=("начала", "окончания"),
        ),
        Column(
            "starts",
            "Начало периода",
            ("начало", "начало периода", "дата начала", "с"),
            kind=Kind.DATE,
            required=True,
        ),
        Column(
            "ends",
            "Окончание периода",
            ("окончание", "окончание периода", "дата окончания", "по"),
            kind=Kind.DATE,
            required=True,
        ),
        Column("form", "Форма", ("форма", "форма наставничества")),
        Column("paid", "Оплачивается", ("оплачивается", "оплата")),
        Column("rate", "Тип оплаты", ("тип оплаты", "вид оплаты", "ставка")),
    ),
    identity=("mentor", "mentee"),
    template=("mentor", "mentee", "number", "signed", "starts", "ends", "form", "paid", "rate"),
    examples=(
        (
            "Петров Иван Сергеевич",
            "Иванова Мария Петровна",
            "12-н",
            "01.09.2026",
            "01.09.2026",
            "31.05.2027",
            "индивидуальная",
            "да",
            "доплата за наставничество",
        ),
    ),
)
