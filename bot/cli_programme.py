"""CLI: a programme's rhythm and thresholds, and school holidays.

python -m bot programme show --school ID
python -m bot programme set (--school ID | --municipality ID) [--interval N] ...
python -m bot holidays add --municipality ID --from DD.MM.YYYY --to DD.MM.YYYY [--title T]
"""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Programme
from services import holidays, programme_settings, programmes
from services.clock import SystemClock
from services.errors import DomainError
from services.programme_settings import Changes


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prog = sub.add_parser("programme", help="программа наставничества: ритм и пороги")
    prog_sub = prog.add_subparsers(dest="programme_command", required=True)
    show = prog_sub.add_parser("show", help="показать программу школы на этот учебный год")
    show.add_argument("--school", type=int, required=True, help="id школы")
    put = prog_sub.add_parser("set", help="изменить программу школы или всего муниципалитета")
    scope = put.add_mutually_exclusive_group(required=True)
    scope.add_argument("--school", type=int, help="id школы")
    scope.add_argument(
        "--municipality", type=int, help="id муниципалитета: одна программа для всех его школ"
    )
    put.add_argument("--interval", type=int, help="регулярные встречи каждые N дней")
    put.add_argument("--feedback-hours", type=int, help="срок обратной связи, часов")
    put.add_argument("--silent-days", type=int, help="пара «молчит» после N дней без встреч")
    put.add_argument("--stuck-days", type=int, help="этап «застрял» после N дней")
    put.add_argument("--quiet", help="тихие часы, например 21:00-08:00")
    put.add_argument("--rest-days", help="выходные, ISO-номера дней: 6,7")
    put.add_argument("--starts", help="начало, ДД.ММ.ГГГГ")
    put.add_argument("--ends", help="окончание, ДД.ММ.ГГГГ")
    hol = sub.add_parser("holidays", help="школьные каникулы муниципалитета")
    hol_sub = hol.add_subparsers(dest="holidays_command", required=True)
    add = hol_sub.add_parser("add", help="добавить каникулы")
    add.add_argument("--municipality", type=int, required=True)
    add.add_argument("--from", dest="starts", required=True, help="ДД.ММ.ГГГГ")
    add.add_argument("--to", dest="ends", required=True, help="ДД.ММ.ГГГГ")
    add.add_argument("--title", default="Каникулы")


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.datetime.strptime(text.strip(), "%d.%m.%Y").date()
    except ValueError as exc:
        raise DomainError("programme.bad_date", value=text) from exc


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    today = SystemClock().now().date()
    if args.command == "holidays":
        holiday = await holidays.add(
            session,
            args.municipality,
            args.title,
            _required(args.starts),
            _required(args.ends),
            SystemClock().now(),
        )
        print(
            f"Каникулы добавлены: {holiday.title}, "
            f"{holiday.starts_on:%d.%m.%Y}–{holiday.ends_on:%d.%m.%Y}"
        )
        return 0
    if args.programme_command == "show":
        programme = await programmes.for_school(session, args.school, today)
        await session.commit()
        print(describe(programme))
        return 0
    quiet = programme_settings.parse_quiet(args.quiet) if args.quiet else (None, None)
    changes = Changes(
        meeting_interval_days=args.interval,
        feedback_deadline_hours=args.feedback_hours,
        silent_after_days=args.silent_days,
        stage_stuck_days=args.stuck_days,
        quiet_from=quiet[0],
        quiet_to=quiet[1],
        rest_days=args.rest_days,
        starts_on=_date(args.starts),
        ends_on=_date(args.ends),
    )
    if args.school is not None:
        programme = await programme_settings.set_for_school(session, args.school, changes, today)
        print(describe(programme))
        return 0
    programme, replaced = await programme_settings.set_for_municipality(
        session, args.municipality, changes, today
    )
    print(describe(programme))
    if replaced:
        print(f"Собственные программы школ на этот год заменены общей: {replaced}")
    return 0


def _required(text: str) -> dt.date:
    day = _date(text)
    assert day is not None
    return day


def describe(programme: Programme) -> str:
    scope = "муниципалитет" if programme.school_id is None else "школа"
    return (
        f"Программа {programme.academic_year} ({scope}): "
        f"{programme.starts_on:%d.%m.%Y}–{programme.ends_on:%d.%m.%Y}; "
        f"встречи каждые {programme.meeting_interval_days} дн.; "
        f"обратная связь за {programme.feedback_deadline_hours} ч; "
        f"тишина после {programme.silent_after_days} дн.; "
        f"застой этапа {programme.stage_stuck_days} дн.; "
        f"тихие часы {programme.quiet_from:%H:%M}–{programme.quiet_to:%H:%M}; "
        f"выходные (ISO) {programme.rest_days}"
    )
