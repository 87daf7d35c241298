"""CLI: the Excel export and the «Информационная справка» of a school, a municipality or
a region.

python -m bot export (--school ID|NAME | --municipality ID|NAME | --region ID|NAME) FILE
python -m bot spravka (--school ID|NAME | --municipality ID|NAME | --region ID|NAME) FILE
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest.export import plain
from services import export, regions, spravka
from services.access import Actor
from services.clock import SystemClock
from services.export import scope as export_scope
from services.export.scope import ExportScope, Level

ADMIN = Actor(telegram_id=0, is_admin=True)  # whoever holds the server acts as an admin


def _where(parser: argparse.ArgumentParser, suffix: str) -> None:
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--school", help="id школы или часть названия")
    where.add_argument("--municipality", help="id муниципалитета или часть названия")
    where.add_argument("--region", help="id региона или часть названия")
    parser.add_argument("file", type=Path, help=f"куда записать {suffix}")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    _where(
        sub.add_parser("export", help="выгрузка в Excel (школа, муниципалитет или регион)"),
        ".xlsx",
    )
    _where(
        sub.add_parser(
            "spravka",
            help="информационная справка, черновик .docx (школа, муниципалитет или регион)",
        ),
        ".docx",
    )


async def _scope(session: AsyncSession, args: argparse.Namespace, now: dt.datetime) -> ExportScope:
    if getattr(args, "region", None) is not None:
        found_region = await regions.find_region(session, args.region)
        return await export_scope.region(session, ADMIN, found_region.id, now)
    level = Level.SCHOOL if args.school is not None else Level.MUNICIPALITY
    needle = args.school if args.school is not None else args.municipality
    found = export_scope.unique(await export_scope.find(session, needle, level), needle)
    if level == Level.SCHOOL:
        return await export_scope.school(session, ADMIN, found, now)
    return await export_scope.municipality(session, ADMIN, found, now)


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    scope = await _scope(session, args, SystemClock().now())
    if args.command == "spravka":
        await spravka.draft(session, ADMIN, scope, plain, args.file)
        print(plain("spravka.cli.done", scope=scope.name, year=scope.year, file=str(args.file)))
        return 0
    done = await export.export(session, ADMIN, scope, plain, args.file)
    sheets = ", ".join(f"{name}: {n}" for name, n in done.rows.items())
    print(f"{scope.name}, {scope.year}: {args.file} ({sheets})")
    return 0
