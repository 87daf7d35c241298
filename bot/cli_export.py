"""CLI: the Excel export and (later) the справка of a school or a municipality.

python -m bot export (--school ID|NAME | --municipality ID|NAME) FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest.export import plain
from services import export
from services.access import Actor
from services.clock import SystemClock
from services.export import scope as export_scope
from services.export.scope import Level

ADMIN = Actor(telegram_id=0, is_admin=True)  # whoever holds the server acts as an admin


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser("export", help="выгрузка в Excel (школа или муниципалитет)")
    where = exp.add_mutually_exclusive_group(required=True)
    where.add_argument("--school", help="id школы или часть названия")
    where.add_argument("--municipality", help="id муниципалитета или часть названия")
    exp.add_argument("file", type=Path, help="куда записать .xlsx")


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    now = SystemClock().now()
    level = Level.SCHOOL if args.school is not None else Level.MUNICIPALITY
    needle = args.school if args.school is not None else args.municipality
    found = export_scope.unique(await export_scope.find(session, needle, level), needle)
    if level == Level.SCHOOL:
        scope = await export_scope.school(session, ADMIN, found, now)
    else:
        scope = await export_scope.municipality(session, ADMIN, found, now)
    done = await export.export(session, ADMIN, scope, plain, args.file)
    sheets = ", ".join(f"{name}: {n}" for name, n in done.rows.items())
    print(f"{scope.name}, {scope.year}: {args.file} ({sheets})")
    return 0
