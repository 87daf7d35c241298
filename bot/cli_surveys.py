"""CLI: the survey instrument, the rounds' dates, headcounts and indicators.

python -m bot surveys instrument import FILE [--municipality ID]
python -m bot surveys instrument show [--municipality ID]
python -m bot surveys rounds show --school ID
python -m bot surveys rounds set (--school ID | --municipality ID) --kind final
                                 --opens 15.05.2027 --closes 30.06.2027 [--year 2026/2027]
python -m bot headcount set --school ID --teachers N --under35 N --young N [--year Y]
python -m bot headcount show --municipality ID
python -m bot headcount import FILE [--dry-run] [--skip-errors]
python -m bot indicators show (--school ID | --municipality ID)
python -m bot indicators target set (--school ID | --municipality ID) --indicator CODE
                                    --value N [--year Y]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli_imports import add_import_arguments
from models import School
from models.surveys import RoundKind
from services import headcounts, indicators
from services.access import Actor
from services.clock import SystemClock
from services.errors import DomainError, NotFound
from services.headcounts import Counts
from services.imports import headcount_file
from services.programmes import academic_year
from services.surveys import instrument, results, rounds

ADMIN = Actor(telegram_id=0, is_admin=True)  # whoever holds the server acts as an admin
_TAG = re.compile(r"<[^>]+>")


def round_title(kind: RoundKind) -> str:
    # Texts and views (aiogram) are imported where used: `python -m bot migrate` and the
    # other commands parse their arguments without loading the Telegram side.
    from bot.i18n import t

    return t(f"survey.round.{kind.value}")


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    surveys = sub.add_parser("surveys", help="анкеты удовлетворённости: анкета и даты опросов")
    s_sub = surveys.add_subparsers(dest="surveys_command", required=True)
    inst = s_sub.add_parser("instrument", help="анкета (вопросы) как данные с версией")
    i_sub = inst.add_subparsers(dest="instrument_command", required=True)
    imp = i_sub.add_parser("import", help="загрузить анкету из файла TOML")
    imp.add_argument("file", type=Path)
    imp.add_argument(
        "--municipality", type=int, help="id муниципалитета (без него — анкета по умолчанию)"
    )
    show = i_sub.add_parser("show", help="какая анкета действует")
    show.add_argument("--municipality", type=int)
    rnd = s_sub.add_parser("rounds", help="даты опросов (входной, промежуточный, итоговый)")
    r_sub = rnd.add_subparsers(dest="rounds_command", required=True)
    r_show = r_sub.add_parser("show", help="опросы школы на этот учебный год")
    r_show.add_argument("--school", type=int, required=True)
    r_set = r_sub.add_parser("set", help="изменить даты опроса школы или всех школ муниципалитета")
    scope = r_set.add_mutually_exclusive_group(required=True)
    scope.add_argument("--school", type=int)
    scope.add_argument("--municipality", type=int)
    r_set.add_argument("--kind", required=True, choices=[k.value for k in RoundKind])
    r_set.add_argument("--opens", required=True, help="ДД.ММ.ГГГГ")
    r_set.add_argument("--closes", required=True, help="ДД.ММ.ГГГГ")
    r_set.add_argument("--year", help="учебный год, например 2026/2027 (по умолчанию текущий)")

    head = sub.add_parser("headcount", help="численность педагогов школ по учебным годам")
    h_sub = head.add_subparsers(dest="headcount_command", required=True)
    h_set = h_sub.add_parser("set", help="ввести численность школы")
    h_set.add_argument("--school", type=int, required=True)
    h_set.add_argument("--teachers", type=int, required=True, help="педагогических работников")
    h_set.add_argument("--under35", type=int, required=True, help="из них до 35 лет")
    h_set.add_argument("--young", type=int, required=True, help="из них молодых специалистов")
    h_set.add_argument("--year", help="учебный год (по умолчанию текущий)")
    h_show = h_sub.add_parser("show", help="численность школ муниципалитета")
    h_show.add_argument("--municipality", type=int, required=True)
    h_imp = h_sub.add_parser("import", help="численность многих школ из xlsx или csv")
    add_import_arguments(h_imp)

    ind = sub.add_parser("indicators", help="показатели эффективности")
    d_sub = ind.add_subparsers(dest="indicators_command", required=True)
    d_show = d_sub.add_parser("show", help="показатели школы или муниципалитета")
    d_scope = d_show.add_mutually_exclusive_group(required=True)
    d_scope.add_argument("--school", type=int)
    d_scope.add_argument("--municipality", type=int)
    target = d_sub.add_parser("target", help="цели показателей на учебный год")
    t_sub = target.add_subparsers(dest="target_command", required=True)
    t_set = t_sub.add_parser("set", help="задать цель, %%")
    t_scope = t_set.add_mutually_exclusive_group(required=True)
    t_scope.add_argument("--school", type=int)
    t_scope.add_argument("--municipality", type=int)
    t_set.add_argument(
        "--indicator",
        required=True,
        choices=[i.code for i in indicators.INDICATORS],
    )
    t_set.add_argument("--value", type=int, required=True)
    t_set.add_argument("--year", help="учебный год (по умолчанию текущий)")


def _date(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError as exc:
        raise DomainError("programme.bad_date", value=text) from exc


def _year(text: str | None, now: dt.datetime) -> str:
    if text is None:
        return academic_year(now.date())[0]
    if not re.fullmatch(r"\d{4}/\d{4}", text) or int(text[5:]) != int(text[:4]) + 1:
        raise DomainError("surveys.cli.bad_year", value=text)
    return text


def plain(text: str) -> str:
    """A message's HTML as terminal text."""
    return html.unescape(_TAG.sub("", text))


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    now = SystemClock().now()
    if args.command == "surveys":
        return await _surveys(session, args, now)
    if args.command == "headcount":
        return await _headcount(session, args, now)
    return await _indicators(session, args, now)


async def _surveys(session: AsyncSession, args: argparse.Namespace, now: dt.datetime) -> int:
    if args.surveys_command == "instrument":
        if args.instrument_command == "import":
            spec = instrument.parse(args.file.read_bytes())
            loaded = await instrument.load(session, spec, now, municipality_id=args.municipality)
            verb = "загружена" if loaded.created else "уже была загружена, снова действует"
            print(
                f"Анкета «{spec.title}», версия {loaded.version}: {verb}; вопросов: {loaded.items}"
            )
            return 0
        used = await instrument.in_force(session, args.municipality, now)
        await session.commit()
        scope = "муниципалитета" if used.municipality_id else "по умолчанию (проект)"
        print(f"Действует анкета {scope}: «{used.title}», версия {used.version}")
        print(f"Порог «удовлетворён»: {used.satisfied_from} из 10. {used.source_note}")
        for item in await instrument.items_of(session, used.id):
            where = f"{item.role.value:<7} {item.kind.value:<15} {item.rounds:<20}"
            print(f"  {item.code:<4} {where} {item.text}")
        return 0
    if args.rounds_command == "show":
        info = await results.school_rounds(session, ADMIN, args.school, now)
        print(f"{info.school_name}, {info.year}")
        for r in info.rounds:
            print(
                f"  {round_title(r.kind)}: {r.opens_on:%d.%m.%Y}–{r.closes_on:%d.%m.%Y}; "
                f"ответили {r.rate.finished} из {r.rate.invited} приглашённых"
            )
        return 0
    year = _year(args.year, now)
    n = await rounds.set_for_schools(
        session,
        kind=RoundKind(args.kind),
        year=year,
        opens=_date(args.opens),
        closes=_date(args.closes),
        school_id=args.school,
        municipality_id=args.municipality,
    )
    print(f"{round_title(RoundKind(args.kind))} {year}: {args.opens}–{args.closes}; школ: {n}")
    return 0


async def _headcount_import(
    session: AsyncSession, args: argparse.Namespace, now: dt.datetime
) -> int:
    """The same preview as in the bot; without --dry-run the rows are saved (with
    errors in the file, only with --skip-errors)."""
    from bot.i18n import t
    from bot.ui import headcount_import as view
    from bot.ui.imports import plain

    path: Path = args.file
    if not path.is_file():  # noqa: ASYNC240 - a local file named on the command line
        raise DomainError("schools.import.no_file", path=str(path))
    data = path.read_bytes()  # noqa: ASYNC240
    plan = await headcount_file.preview(session, data, path.name, actor=None, now=now)
    print(plain(view.preview_text(plan, path.name, limit=None)))
    if args.dry_run or not plan.to_save:
        print()
        print(plain(view.next_step(plan, in_bot=False)))
        return 1 if plan.errors else 0
    if plan.errors and not args.skip_errors:
        print(file=sys.stderr)
        print(plain(t("imports.has_errors", n=len(plan.errors))), file=sys.stderr)
        print(plain(t("imports.next.errors_cli")), file=sys.stderr)
        return 1
    _, result = await headcount_file.apply(
        session, data, path.name, actor=None, only_valid=args.skip_errors, now=now
    )
    print()
    print(plain(view.result_text(result)))
    return 0


async def _headcount(session: AsyncSession, args: argparse.Namespace, now: dt.datetime) -> int:
    if args.headcount_command == "import":
        return await _headcount_import(session, args, now)
    if args.headcount_command == "set":
        counts = Counts(args.teachers, args.under35, args.young)
        year = _year(args.year, now)
        await headcounts.set_by_cli(session, args.school, year, counts, now)
        school = await session.get(School, args.school)
        assert school is not None
        print(
            f"{school.name}, {year}: педагогических работников {counts.teachers}, "
            f"до 35 лет {counts.under_35}, молодых специалистов {counts.young_specialists}"
        )
        return 0
    found = await headcounts.for_municipality(session, ADMIN, args.municipality, now)
    print(f"{found.name}, {found.year}")
    for _, name, c in found.rows:
        figures = f"{c.teachers} / {c.under_35} / {c.young_specialists}" if c else "не введена"
        print(f"  {name}: {figures}")
    return 0


async def _indicators(session: AsyncSession, args: argparse.Namespace, now: dt.datetime) -> int:
    if args.indicators_command == "show":
        from bot.ui.surveys import indicators as indicators_view

        if args.school is not None:
            report = await indicators.for_school(session, ADMIN, args.school, now)
        else:
            report = await indicators.for_municipality(session, ADMIN, args.municipality, now)
        pages = indicators_view.pages_of(report)
        print(plain(indicators_view.report_text(report, 0)))
        for page in range(1, pages):
            print(plain(indicators_view.schools_text(report, page)))
        return 0
    year = _year(args.year, now)
    if args.school is not None:
        school = await session.get(School, args.school)
        if school is None:
            raise NotFound()
        municipality_id = school.municipality_id
    else:
        municipality_id = args.municipality
    await indicators.set_target(
        session,
        code=args.indicator,
        value=args.value,
        year=year,
        municipality_id=municipality_id,
        school_id=args.school,
    )
    print(f"Цель {args.indicator} на {year}: {args.value} %")
    return 0
