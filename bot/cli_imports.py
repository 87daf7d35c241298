"""python -m bot schools import FILE [--dry-run] [--skip-errors] and
python -m bot template NAME [-o FILE]: the command line of the import layer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import imports as view
from services.clock import SystemClock
from services.errors import DomainError
from services.imports import schools, template
from services.imports.specs import SPECS


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help=".xlsx или .csv")
    parser.add_argument("--dry-run", action="store_true", help="только показать, что будет сделано")
    parser.add_argument(
        "--skip-errors",
        action="store_true",
        help="загрузить строки без ошибок, даже если в других есть ошибки",
    )


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tpl = sub.add_parser("template", help="записать образец файла для импорта (.xlsx)")
    tpl.add_argument("name", choices=sorted(SPECS), help="какой файл: schools, headcounts, …")
    tpl.add_argument("-o", "--output", type=Path, default=None, help="куда записать")


def write_template(args: argparse.Namespace) -> int:
    spec = SPECS[args.name]
    path: Path = args.output or Path(template.filename(spec))
    path.write_bytes(template.xlsx(spec))
    print(f"Образец «{spec.title}» записан: {path}")
    return 0


async def import_schools(
    session: AsyncSession, args: argparse.Namespace, settings: Settings
) -> int:
    path: Path = args.file
    if not path.is_file():  # noqa: ASYNC240 - a local file named on the command line
        raise DomainError("schools.import.no_file", path=str(path))
    data = path.read_bytes()  # noqa: ASYNC240
    plan = await schools.preview(
        session, data, path.name, actor=None, default_timezone=settings.default_timezone
    )
    print(view.plain(view.preview_text(plan, path.name, limit=None)))
    if args.dry_run or not plan.added:
        print()
        print(view.plain(view.next_step(plan, in_bot=False)))
        return 1 if plan.errors else 0
    if plan.errors and not args.skip_errors:
        print(file=sys.stderr)
        print(view.plain(t("imports.has_errors", n=len(plan.errors))), file=sys.stderr)
        print(view.plain(t("imports.next.errors_cli")), file=sys.stderr)
        return 1
    _, result = await schools.apply(
        session,
        data,
        path.name,
        actor=None,
        default_timezone=settings.default_timezone,
        only_valid=args.skip_errors,
        at=SystemClock().now(),
    )
    print()
    print(view.plain(view.result_text(result)))
    return 0
