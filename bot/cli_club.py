"""CLI of the club: python -m bot club import FILE [--dry-run] [--municipality ID|NAME]."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.imports import plain
from bot.ui.views import club_import as view
from models import Municipality
from services.clock import SystemClock
from services.club import plan_import
from services.club.scope import Organising
from services.errors import DomainError
from services.export import scope as export_scope
from services.export.scope import Level


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    club = sub.add_parser("club", help="клуб молодых педагогов «Пеликаша»")
    club_sub = club.add_subparsers(dest="club_command", required=True)
    imp = club_sub.add_parser("import", help="импорт плана работы клуба из xlsx или csv")
    imp.add_argument("file", type=Path, help=".xlsx или .csv")
    imp.add_argument("--dry-run", action="store_true", help="только показать, что будет сделано")
    imp.add_argument(
        "--municipality",
        default=None,
        help="id или часть названия муниципалитета (если их в базе несколько)",
    )


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.is_file():  # noqa: ASYNC240 - a local file named on the command line
        raise DomainError("schools.import.no_file", path=str(path))
    data = path.read_bytes()  # noqa: ASYNC240
    found = await export_scope.find(session, args.municipality or "", Level.MUNICIPALITY)
    mun = await session.get(Municipality, export_scope.unique(found, args.municipality or ""))
    assert mun is not None
    where = Organising(mun.id, None, mun.timezone)
    now = SystemClock().now()
    plan = await plan_import.preview(session, data, path.name, where, now)
    print(plain(view.preview_text(plan, path.name, mun.timezone, limit=None, in_bot=False)))
    if args.dry_run or plan.errors or not plan.events:
        return 1 if plan.errors else 0
    done = await plan_import.apply(session, data, path.name, where, None, now)
    print()
    print(plain(view.done_text(done)))
    return 0
