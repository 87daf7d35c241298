"""The catalogue of professional deficits and competencies («Мои дефициты»)."""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

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


KEPT_FOR = 300.0
"""Seconds a process keeps the active items it read. The catalogue is reference data:
the first migration seeds it and the bot never writes it; an edit made in the database
shows in the forms within five minutes. Reading it was a transaction of its own on
every tick of a deficit in the questionnaire (BEGIN, SELECT, COMMIT)."""

monotonic: Callable[[], float] = time.monotonic  # tests move it

_kept: weakref.WeakKeyDictionary[AsyncEngine, tuple[float, tuple[CatalogueEntry, ...]]] = (
    weakref.WeakKeyDictionary()
)


async def active_items(session: AsyncSession) -> list[CatalogueEntry]:
    """The active items in their order, as this process read them at most KEPT_FOR
    seconds ago (per database: tests and benchmarks run several)."""
    engine = session.bind
    now = monotonic()
    if isinstance(engine, AsyncEngine):
        kept = _kept.get(engine)
        if kept is not None and 0 <= now - kept[0] < KEPT_FOR:
            return list(kept[1])
    rows = await session.scalars(
        select(CatalogueItem)
        .where(CatalogueItem.active.is_(True))
        .order_by(CatalogueItem.sort_order, CatalogueItem.id)
    )
    entries = tuple(CatalogueEntry(r.id, r.code, r.group_title, r.title) for r in rows)
    if isinstance(engine, AsyncEngine):
        _kept[engine] = (now, entries)
    return list(entries)


async def titles(session: AsyncSession, ids: list[int]) -> list[str]:
    if not ids:
        return []
    rows = await session.scalars(
        select(CatalogueItem).where(CatalogueItem.id.in_(ids)).order_by(CatalogueItem.sort_order)
    )
    return [r.title for r in rows]
