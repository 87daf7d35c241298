"""Demonstration data for `python -m bot demo-data`: a municipality, three schools, staff,
mentors and mentees with believable profiles, so a curator can try every screen at once.

The data is deterministic (a seeded random), so two runs on empty databases give the
same people, and screenshots and guides stay reproducible.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import (
    AgeGroup,
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    Consent,
    MenteeProfile,
    MentorProfile,
    Municipality,
    Participant,
    ParticipantStatus,
    QualificationCategory,
    Role,
    RoleGrant,
    School,
)
from services.clock import Clock, SystemClock

SEED = 20261123

# Demo people are NOT real Telegram accounts. They get ids so that they show in lists
# (which list live people by telegram_id), from a range no real user can have: Telegram
# user ids have at most 52 significant bits, and these are above 2**52 (yet below 2**53,
# so they survive a trip through JSON doubles). Anything sent to them fails with
# «chat not found» instead of reaching a stranger.
DEMO_TELEGRAM_ID_BASE = 9_000_000_000_000_000
DEMO_TELEGRAM_ID_LAST = DEMO_TELEGRAM_ID_BASE + 999_999
DEMO_CONSENT_VERSION = "demo"

MUNICIPALITY = ("Городской округ Серпухов", "Europe/Moscow")
# One municipality, three time zones on purpose: the demo shows that reminders and
# digests follow each school's local time (the seeds span UTC+3 to UTC+9).
SCHOOLS = (
    ("МБОУ «Средняя общеобразовательная школа № 12»", "Europe/Moscow"),
    ("МАОУ «Гимназия № 3»", "Asia/Yekaterinburg"),
    ("МБОУ «Лицей № 1»", "Asia/Novosibirsk"),
)
MENTORS = 10
MENTEES = 20

_SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кудрявцев",
    "Белов",
    "Комаров",
)
_FEMALE_NAMES = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Екатерина",
    "Юлия",
    "Дарья",
    "Анастасия",
    "Ксения",
    "Виктория",
    "Алина",
    "Полина",
    "Людмила",
    "Галина",
    "Марина",
    "Вера",
)
_MALE_NAMES = (
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Максим",
    "Иван",
    "Михаил",
    "Николай",
    "Павел",
    "Артём",
    "Владимир",
)
# Fathers' names as (masculine patronymic, feminine patronymic).
_PATRONYMICS = (
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Андреевич", "Андреевна"),
    ("Николаевич", "Николаевна"),
    ("Викторович", "Викторовна"),
    ("Игоревич", "Игоревна"),
    ("Юрьевич", "Юрьевна"),
    ("Михайлович", "Михайловна"),
    ("Петрович", "Петровна"),
    ("Олегович", "Олеговна"),
    ("Дмитриевич", "Дмитриевна"),
)

# (position, subject); primary school teachers teach "начальные классы".
_TEACHING = (
    ("учитель", "математика"),
    ("учитель", "русский язык и литература"),
    ("учитель", "английский язык"),
    ("учитель", "физика"),
    ("учитель", "химия"),
    ("учитель", "биология"),
    ("учитель", "история и обществознание"),
    ("учитель", "информатика"),
    ("учитель", "география"),
    ("учитель начальных классов", "начальные классы"),
    ("учитель", "физическая культура"),
)

_REQUESTS = (
    "Не успеваю готовить рабочие программы и вести электронный журнал, хочу научиться "
    "планировать время.",
    "Тяжело удерживать дисциплину в 7-х классах, нужна помощь с приёмами.",
    "Хочу разобраться, как готовить девятиклассников к ОГЭ.",
    "Боюсь родительских собраний, нужен совет, как говорить с родителями.",
    "Прошу помочь выстроить систему оценивания и обратной связи на уроке.",
    "Впервые взяла классное руководство, не знаю, с чего начать.",
    "Хочу научиться работать с детьми с ОВЗ в инклюзивном классе.",
    "Нужна помощь с заданиями на функциональную грамотность.",
    "Устаю к концу недели, хочу понять, как не выгореть в первый год.",
    "Хочу чаще использовать цифровые ресурсы, но не знаю, какие выбрать.",
    "Как мотивировать старшеклассников, которым предмет не нужен для экзаменов?",
    "Хочу, чтобы опытный коллега посетил мои уроки и подсказал, что улучшить.",
)


@dataclass(frozen=True)
class _Person:
    full_name: str
    female: bool


class _Names:
    """Distinct Russian ФИО, mostly women (as in Russian schools)."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.used: set[str] = set()

    def next(self) -> _Person:
        while True:
            female = self.rnd.random() < 0.8
            surname = self.rnd.choice(_SURNAMES)
            if female:
                surname += "а"
                name = self.rnd.choice(_FEMALE_NAMES)
            else:
                name = self.rnd.choice(_MALE_NAMES)
            patronymic = self.rnd.choice(_PATRONYMICS)[1 if female else 0]
            full = f"{surname} {name} {patronymic}"
            if full not in self.used:
                self.used.add(full)
                return _Person(full, female)


def is_demo(telegram_id: int | None) -> bool:
    """Whether a Telegram id belongs to a demo person (no real account behind it)."""
    return telegram_id is not None and DEMO_TELEGRAM_ID_BASE < telegram_id <= (
        DEMO_TELEGRAM_ID_LAST
    )


async def load(session: AsyncSession, *, force: bool = False, clock: Clock | None = None) -> str:
    """Fill the database with demo data and return a one-line summary.

    Refuses when schools already exist (a real deployment), unless ``force``: then the
    demo municipality and schools are reused if present, and the people are added next
    to the real ones. Demo people are loaded only once in any case.
    """
    schools_count = await session.scalar(select(func.count()).select_from(School)) or 0
    if schools_count and not force:
        return (
            f"В базе уже есть школы ({schools_count}): демо-данные не загружены. "
            "Чтобы всё равно добавить их, запустите с --force."
        )
    already = await session.scalar(
        select(func.count())
        .select_from(Participant)
        .where(Participant.telegram_id.between(DEMO_TELEGRAM_ID_BASE + 1, DEMO_TELEGRAM_ID_LAST))
    )
    if already:
        return f"Демо-данные уже загружены (участников: {already}), ничего не добавлено."

    now = (clock or SystemClock()).now()
    rnd = random.Random(SEED)
    names = _Names(rnd)
    ids = iter(range(DEMO_TELEGRAM_ID_BASE + 1, DEMO_TELEGRAM_ID_LAST + 1))
    catalogue = list(
        await session.scalars(
            select(CatalogueItem.id)
            .where(CatalogueItem.active.is_(True))
            .order_by(CatalogueItem.sort_order, CatalogueItem.id)
        )
    )

    municipality = await session.scalar(
        select(Municipality).where(Municipality.name == MUNICIPALITY[0])
    )
    if municipality is None:
        municipality = Municipality(name=MUNICIPALITY[0], timezone=MUNICIPALITY[1])
        session.add(municipality)
        await session.flush()
    schools: list[School] = []
    for name, zone in SCHOOLS:
        school = await session.scalar(
            select(School).where(School.municipality_id == municipality.id, School.name == name)
        )
        if school is None:
            school = School(municipality_id=municipality.id, name=name, timezone=zone)
            session.add(school)
        schools.append(school)
    await session.flush()

    def person(**fields: object) -> Participant:
        p = Participant(
            telegram_id=next(ids),
            status=ParticipantStatus.ACTIVE,
            registered_at=now,
            **fields,
        )
        session.add(p)
        return p

    people: list[Participant] = []

    coordinator = person(
        full_name=names.next().full_name,
        position="методист МОУ ДПО «Учебно-методический центр»",
        age_group=AgeGroup.FROM_35,
    )
    coordinator.roles = [RoleGrant(role=Role.COORDINATOR, municipality_id=municipality.id)]
    people.append(coordinator)

    for school in schools:
        curator = person(
            full_name=names.next().full_name,
            school_id=school.id,
            position="заместитель директора по учебно-воспитательной работе",
            age_group=AgeGroup.FROM_35,
            experience_years=rnd.randint(12, 30),
            category=rnd.choice((QualificationCategory.FIRST, QualificationCategory.HIGHEST)),
        )
        curator.roles = [RoleGrant(role=Role.CURATOR, school_id=school.id)]
        people.append(curator)

    mentor_categories = (
        QualificationCategory.FIRST,
        QualificationCategory.HIGHEST,
        QualificationCategory.HIGHEST,
        QualificationCategory.METHODIST,
        QualificationCategory.MENTOR_TEACHER,
    )
    for number in range(MENTORS):
        school = schools[number % len(schools)]
        position, subject = _TEACHING[number % len(_TEACHING)]
        young = number in (1, 6)  # two mentors in their late twenties
        years = rnd.randint(5, 9) if young else rnd.randint(10, 30)
        mentor = person(
            full_name=names.next().full_name,
            school_id=school.id,
            position=position,
            subject=subject,
            experience_years=years,
            age_group=AgeGroup.UNDER_35 if young else AgeGroup.FROM_35,
            # The higher categories come with years of practice.
            category=QualificationCategory.FIRST if young else rnd.choice(mentor_categories),
        )
        mentor.roles = [RoleGrant(role=Role.MENTOR, school_id=school.id)]
        mentor.mentor_profile = MentorProfile(capacity=rnd.choice((1, 2, 2, 3)))
        mentor.catalogue_marks = [
            CatalogueMark(kind=CatalogueKind.COMPETENCY, item_id=item)
            for item in sorted(rnd.sample(catalogue, min(len(catalogue), rnd.randint(4, 8))))
        ]
        people.append(mentor)

    for number in range(MENTEES):
        school = schools[number % len(schools)]
        # Mentees share subjects with the mentors, so matching has real candidates.
        position, subject = _TEACHING[(number * 7) % len(_TEACHING)]
        years = rnd.randint(0, 3)
        mentee = person(
            full_name=names.next().full_name,
            school_id=school.id,
            position=position,
            subject=subject,
            experience_years=years,
            # Most young specialists are under 35; a few changed careers later.
            age_group=AgeGroup.FROM_35 if number % 7 == 3 else AgeGroup.UNDER_35,
            # Teachers are attested only after two years in the post.
            category=QualificationCategory.CONFORMITY
            if years >= 2 and rnd.random() < 0.5
            else QualificationCategory.NONE,
        )
        mentee.roles = [RoleGrant(role=Role.MENTEE, school_id=school.id)]
        mentee.mentee_profile = MenteeProfile(request_text=_REQUESTS[number % len(_REQUESTS)])
        mentee.catalogue_marks = [
            CatalogueMark(kind=CatalogueKind.DEFICIT, item_id=item)
            for item in sorted(rnd.sample(catalogue, min(len(catalogue), rnd.randint(2, 5))))
        ]
        people.append(mentee)

    await session.flush()
    # Every stored person has a consent record; the demo ones say so by their version.
    digest = hashlib.sha256(b"demo data, no real consent text").hexdigest()
    session.add_all(
        Consent(
            participant_id=p.id,
            telegram_id=p.telegram_id,
            text_version=DEMO_CONSENT_VERSION,
            text_sha256=digest,
            given_at=now,
        )
        for p in people
    )
    await session.commit()
    return (
        f"Демо-данные: 1 муниципалитет, {len(schools)} школы, 1 координатор, "
        f"{len(schools)} куратора, {MENTORS} наставников, {MENTEES} наставляемых."
    )


__all__ = ["DEMO_TELEGRAM_ID_BASE", "DEMO_TELEGRAM_ID_LAST", "is_demo", "load"]
