"""The catalogue of professional deficits and competencies («Мои дефициты»)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import CatalogueItem

# Groups follow the diagnostic blocks of the professional standard «Педагог»
# (shared/domain/instruments.md). The first migration seeds the same rows; later
# edits go through the database, so this tuple is only the starting point.
CATALOGUE: tuple[tuple[str, str, str], ...] = (
    ("docs_programme", "Нормативно-правовые и документация", "Рабочая программа и КТП"),
    ("docs_fgos", "Нормативно-правовые и документация", "ФГОС и ФОП"),
    ("docs_journal", "Нормативно-правовые и документация", "Электронный журнал и отчёты"),
    ("subj_content", "Предметные", "Содержание предмета"),
    ("subj_exams", "Предметные", "Подготовка к ОГЭ, ЕГЭ, ВПР"),
    ("meth_goals", "Методические", "Цели и структура урока"),
    ("meth_methods", "Методические", "Выбор методов и приёмов"),
    ("meth_diff", "Методические", "Дифференциация обучения"),
    ("meth_assess", "Методические", "Оценивание"),
    ("meth_literacy", "Методические", "Функциональная грамотность"),
    ("psy_discipline", "Психолого-педагогические", "Дисциплина на уроке"),
    ("psy_motivation", "Психолого-педагогические", "Мотивация учеников"),
    ("psy_special", "Психолого-педагогические", "Дети с ОВЗ"),
    ("psy_individual", "Психолого-педагогические", "Индивидуальные особенности учеников"),
    ("comm_parents", "Коммуникативные", "Работа с родителями"),
    ("comm_colleagues", "Коммуникативные", "Общение с коллегами и администрацией"),
    ("comm_conflicts", "Коммуникативные", "Разрешение конфликтов"),
    ("edu_class", "Воспитательная работа", "Классное руководство"),
    ("edu_events", "Воспитательная работа", "Воспитательные мероприятия"),
    ("org_load", "Организационные", "Нагрузка и тайм-менеджмент"),
    ("ict_resources", "Цифровые навыки (ИКТ)", "Цифровые образовательные ресурсы"),
    ("ict_platforms", "Цифровые навыки (ИКТ)", "Образовательные платформы"),
    ("pers_stress", "Личностные", "Стресс и профессиональное выгорание"),
    ("pers_confidence", "Личностные", "Уверенность в себе"),
    ("pers_adaptation", "Личностные", "Адаптация в коллективе"),
)


@dataclass(frozen=True)
class CatalogueEntry:
    id: int
    code: str
    group_title: str
    title: str


async def active_items(session: AsyncSession) -> list[CatalogueEntry]:
    rows = await session.scalars(
        select(CatalogueItem)
        .where(CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.sort_order, CatalogueItem.id)
    )
    return [CatalogueEntry(r.id, r.code, r.group_title, r.title) for r in rows]


async def titles(session: AsyncSession, ids: list[int]) -> list[str]:
    if not ids:
        return []
    rows = await session.scalars(
        select(CatalogueItem).where(CatalogueItem.id.in_(ids)).order_by(CatalogueItem.sort_order)
    )
    return [r.title for r in rows]
