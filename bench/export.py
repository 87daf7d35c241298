"""Benchmark: the Excel export of a municipality with 10,000 participants and 100,000
meetings, against a raw openpyxl write-only write of the same cells, and its peak memory.

A PostgreSQL database of its own is filled with one municipality of `--schools` schools,
`--participants` people (two fifths mentors, three fifths mentees: half the mentors lead
a group of two), `--meetings` held meetings spread over the academic year and
`--feedback` feedback rows (ratings, a comment in every third), two ticked deficits or
competencies a person, three goals a pair, consents and headcounts.

Then three child processes, so that each one's peak memory is its own:
1. ``record``: the export once (a warm-up), keeping every row's values in a pickle file;
2. ``export``: the export timed, from the database to the .xlsx file (all sheets, the
   audit row included); its peak RSS (``ru_maxrss``) is the memory figure;
3. ``raw``: the same cells (the recorded values: title, header and rows, sheet after
   sheet) written by a bare ``Workbook(write_only=True)``, timed without the unpickling.
The export and the raw write take turns `--repeat` times (medians), so the machine's
changing load weighs on both alike. Each run also prints the CPU time of each child
process (the export's without PostgreSQL's, which runs in the server): on a machine
shared with other work the wall times swing with the load, the CPU times much less.
The last line printed is the headline:

    export: 100000 meetings, 10000 participants in 12.1 s = 1.16× raw openpyxl (10.4 s);
    peak RSS 143 MB   (one line)

Run: ``uv run python -m bench.export [--participants 10000] [--meetings 100000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import html
import json
import os
import pickle
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from models import (
    AgeGroup,
    CatalogueItem,
    CatalogueKind,
    CatalogueMark,
    Consent,
    Feedback,
    FeedbackStatus,
    GoalStatus,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    MenteeProfile,
    MentorProfile,
    Municipality,
    Pair,
    PairMember,
    PairStatus,
    Participant,
    ParticipantStatus,
    PlanGoal,
    QualificationCategory,
    Role,
    RoleGrant,
    School,
)
from models.surveys import Headcount

DB_NAME = f"nastavnik_bench_export_{os.getpid()}"
NOW = dt.datetime(2027, 5, 20, 9, 0, tzinfo=dt.UTC)
YEAR_STARTS = dt.datetime(2026, 9, 7, 6, 0, tzinfo=dt.UTC)
SURNAMES = ("Иванова", "Петрова", "Смирнова", "Кузнецова", "Соколова", "Попова", "Лебедева")
FIRST = ("Мария", "Анна", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана")
MIDDLE = ("Петровна", "Сергеевна", "Ивановна", "Андреевна", "Викторовна", "Олеговна")
CHUNK = 5000
_TAG = re.compile(r"<[^>]+>")


# --- the data ---------------------------------------------------------------------------------


async def _insert(engine: AsyncEngine, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        async with engine.begin() as conn:
            part = rows[start : start + CHUNK]
            if hasattr(model, "id"):
                ids += list(await conn.scalars(insert(model).returning(model.id), part))
            else:
                await conn.execute(insert(model), part)
    return ids


def _name(n: int) -> str:
    return f"{SURNAMES[n % 7]}-{n} {FIRST[n // 7 % 8]} {MIDDLE[n // 56 % 6]}"


async def arrange(
    engine: AsyncEngine, schools: int, people: int, meetings: int, feedback: int
) -> None:
    rnd = random.Random(7)
    async with engine.begin() as conn:
        mun = await conn.scalar(
            insert(Municipality)
            .values(name="Городской округ Бенчмарк", timezone="Europe/Moscow")
            .returning(Municipality.id)
        )
        school_ids = list(
            await conn.scalars(
                insert(School).returning(School.id),
                [
                    {
                        "municipality_id": mun,
                        "name": f"МБОУ «Средняя общеобразовательная школа № {i + 1}»",
                        "timezone": "Europe/Moscow",
                    }
                    for i in range(schools)
                ],
            )
        )
        items = list(await conn.scalars(select(CatalogueItem.id).order_by(CatalogueItem.id)))
    mentors_n = people * 2 // 5
    rows = []
    for n in range(people):
        is_mentor = n < mentors_n
        rows.append(
            {
                "telegram_id": 900_000_000 + n,
                "full_name": _name(n),
                "status": ParticipantStatus.ACTIVE,
                "school_id": school_ids[n % schools],
                "position": "учитель",
                "subject": ("математика", "русский язык", "история", "биология")[n % 4],
                "experience_years": rnd.randint(10, 30) if is_mentor else rnd.randint(0, 5),
                "age_group": AgeGroup.FROM_35 if is_mentor else AgeGroup.UNDER_35,
                "category": QualificationCategory.FIRST
                if is_mentor
                else QualificationCategory.NONE,
                "blocked_bot": False,
                "registered_at": YEAR_STARTS,
            }
        )
    ids = await _insert(engine, Participant, rows)
    mentors, mentees = ids[:mentors_n], ids[mentors_n:]
    await _insert(
        engine,
        RoleGrant,
        [
            {
                "participant_id": pid,
                "role": Role.MENTOR if i < mentors_n else Role.MENTEE,
                "school_id": rows[i]["school_id"],
            }
            for i, pid in enumerate(ids)
        ],
    )
    await _insert(engine, MentorProfile, [{"participant_id": m, "capacity": 2} for m in mentors])
    await _insert(
        engine,
        MenteeProfile,
        [
            {"participant_id": m, "request_text": "Хочу научиться держать дисциплину"}
            for m in mentees
        ],
    )
    await _insert(
        engine,
        CatalogueMark,
        [
            {
                "participant_id": pid,
                "kind": CatalogueKind.COMPETENCY if i < mentors_n else CatalogueKind.DEFICIT,
                "item_id": items[(i + k) % len(items)],
            }
            for i, pid in enumerate(ids)
            for k in (0, 5)
        ],
    )
    await _insert(
        engine,
        Consent,
        [
            {
                "participant_id": pid,
                "telegram_id": 900_000_000 + i,
                "text_version": "1",
                "text_sha256": "0" * 64,
                "given_at": YEAR_STARTS,
            }
            for i, pid in enumerate(ids)
        ],
    )
    # Pairs: half of the mentors lead two mentees, the others one, until mentees run out.
    pairs_rows, members = [], []
    taken = 0
    for i, mentor in enumerate(mentors):
        if taken >= len(mentees):
            break
        size = 2 if i % 2 == 0 else 1
        group = mentees[taken : taken + size]
        taken += len(group)
        pairs_rows.append(
            {
                "school_id": rows[mentors_n + taken - 1]["school_id"],
                "mentor_id": mentor,
                "status": PairStatus.ACTIVE,
                "next_kind": MeetingKind.REGULAR,
                "stage_since": YEAR_STARTS + dt.timedelta(days=30),
                "order_number": f"{i + 1}-од" if i % 2 else None,
                "order_date": dt.date(2026, 9, 10) if i % 2 else None,
                "formed_at": YEAR_STARTS,
            }
        )
        members.append(group)
    pair_ids = await _insert(engine, Pair, pairs_rows)
    await _insert(
        engine,
        PairMember,
        [
            {"pair_id": pid, "mentee_id": m, "joined_at": YEAR_STARTS}
            for pid, group in zip(pair_ids, members, strict=True)
            for m in group
        ],
    )
    await _insert(
        engine,
        PlanGoal,
        [
            {
                "pair_id": pid,
                "mentee_id": group[0],
                "title": f"Цель {k + 1}: освоить приёмы дифференцированного обучения",
                "catalogue_item_id": items[k],
                "target_month": dt.date(2027, 1 + k, 1),
                "status": (GoalStatus.DONE, GoalStatus.IN_PROGRESS, GoalStatus.PLANNED)[k],
                "created_at": YEAR_STARTS,
                "updated_at": YEAR_STARTS,
            }
            for pid, group in zip(pair_ids, members, strict=True)
            for k in range(3)
        ],
    )
    span = (NOW - YEAR_STARTS).total_seconds()
    meeting_rows: list[dict[str, Any]] = []
    kinds = (MeetingKind.INTRO, MeetingKind.TRIAL, MeetingKind.PLANNING)
    for n in range(meetings):
        p = n % len(pair_ids)
        k = n // len(pair_ids)
        at = YEAR_STARTS + dt.timedelta(
            seconds=span * (k + rnd.random()) / (meetings / len(pair_ids) + 1)
        )
        meeting_rows.append(
            {
                "pair_id": pair_ids[p],
                "kind": kinds[k] if k < 3 else MeetingKind.REGULAR,
                "status": MeetingStatus.HELD if n % 20 else MeetingStatus.NOT_HELD,
                "starts_at": at,
                "duration_min": 45,
                "format": MeetingFormat.OFFLINE if n % 3 else MeetingFormat.ONLINE,
                "topic": "Разбор открытого урока" if n % 4 == 0 else None,
                "created_by_id": pairs_rows[p]["mentor_id"],
                "logged_at": at + dt.timedelta(hours=1),
                "created_at": at - dt.timedelta(days=3),
            }
        )
    meeting_ids = await _insert(engine, Meeting, meeting_rows)
    feedback_rows = []
    for n in range(feedback):
        m = n % len(meeting_ids)
        p = m % len(pair_ids)
        author = pairs_rows[p]["mentor_id"] if (n // len(meeting_ids)) % 2 else members[p][0]
        at = meeting_rows[m]["starts_at"]
        feedback_rows.append(
            {
                "meeting_id": meeting_ids[m],
                "participant_id": author,
                "status": FeedbackStatus.GIVEN,
                "rating": 3 + n % 3,
                "helped": "Помог разбор ошибок на уроке, попробую на следующей неделе"
                if n % 3 == 0
                else None,
                "hard": None,
                "shared": n % 2 == 0,
                "requested_at": at,
                "due_at": at + dt.timedelta(hours=48),
                "given_at": at + dt.timedelta(hours=3),
            }
        )
    await _insert(engine, Feedback, feedback_rows)
    await _insert(
        engine,
        Headcount,
        [
            {
                "school_id": s,
                "academic_year": "2026/2027",
                "teachers": 60,
                "under_35": 25,
                "young_specialists": 12,
                "source": "cli",
                "entered_at": YEAR_STARTS,
            }
            for s in school_ids
        ],
    )
    async with engine.begin() as conn:
        await conn.exec_driver_sql("ANALYZE")


# --- the children -----------------------------------------------------------------------------

LOCALES = Path(__file__).resolve().parents[1] / "bot" / "locales" / "ru" / "LC_MESSAGES"


def plain_texts() -> Callable[..., str]:
    """The locale's texts as bot.ui.digest.export.plain gives them, read with Babel
    alone: aiogram's import costs about 140 MB of RSS by itself, which would hide the
    export's own memory (the bot process has it loaded anyway; see bench/README.md)."""
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    for po in sorted(LOCALES.glob("*.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if isinstance(message.id, str) and message.id and isinstance(message.string, str):
                    texts[message.id] = message.string

    def text(key: str, /, **params: Any) -> str:
        found = texts[key].format(**params) if params else texts[key]
        return html.unescape(_TAG.sub("", found))

    return text


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process. Not ru_maxrss: Linux carries
    that over from the parent through fork and exec, and the parent is larger."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _scope(session: Any) -> Any:
    from services.access import Actor
    from services.export import scope as export_scope

    admin = Actor(telegram_id=0, is_admin=True)
    mun = await session.scalar(select(Municipality.id))
    return admin, await export_scope.municipality(session, admin, mun, NOW)


async def child_record(url: str, out: Path, rows_file: Path) -> dict[str, Any]:
    """The export once, keeping the values of every row (title and header included)."""
    from models.db import create_engine, create_sessionmaker
    from services import export
    from services.export.workbook import Row, Sheet, write

    engine = create_engine(url)
    with rows_file.open("wb") as fh:

        async def tee(rows: AsyncIterator[Row]) -> AsyncIterator[Row]:
            batch: list[list[Any]] = []
            async for row in rows:
                batch.append(list(row))
                if len(batch) == CHUNK:
                    pickle.dump(("rows", batch), fh)
                    batch = []
                yield row
            if batch:
                pickle.dump(("rows", batch), fh)

        async with create_sessionmaker(engine)() as session:
            admin, scope = await _scope(session)
            sheets = await export.sheets(session, admin, scope, plain_texts())
            wrapped = []
            for sheet in sheets:
                pickle.dump(
                    ("sheet", sheet.title, sheet.heading, [c.header for c in sheet.columns]), fh
                )
                wrapped.append(Sheet(sheet.title, sheet.heading, sheet.columns, tee(sheet.rows)))
            counts = await write(out, wrapped)
    await engine.dispose()
    return {"rows": counts}


async def child_export(url: str, out: Path) -> dict[str, Any]:
    from models.db import create_engine, create_sessionmaker
    from services import export

    text = plain_texts()
    engine = create_engine(url)
    async with create_sessionmaker(engine)() as session:
        admin, scope = await _scope(session)
        before = _status_mb("VmRSS")
        started, cpu = time.perf_counter(), time.process_time()
        done = await export.export(session, admin, scope, text, out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    await engine.dispose()
    peak = _status_mb("VmHWM")
    size = await asyncio.to_thread(os.path.getsize, out)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": peak,
        "before_mb": before,
        "rows": done.rows,
        "bytes": size,
    }


def child_raw(out: Path, rows_file: Path) -> dict[str, Any]:
    """The same cells through a bare write-only workbook; unpickling is not counted."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = None
    loading = loading_cpu = 0.0
    started, cpu = time.perf_counter(), time.process_time()
    with rows_file.open("rb") as fh:
        while True:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                item = pickle.load(fh)
            except EOFError:
                break
            loading += time.perf_counter() - t0
            loading_cpu += time.process_time() - c0
            if item[0] == "sheet":
                _, title, heading, headers = item
                ws = wb.create_sheet(title)
                ws.append([heading])
                ws.append(headers)
            else:
                assert ws is not None
                for row in item[1]:
                    ws.append(row)
    wb.save(out)
    return {
        "seconds": time.perf_counter() - started - loading,
        "cpu": time.process_time() - cpu - loading_cpu,
    }


async def _child(*args: str) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.export",
        "--child",
        *args,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"bench child {args[0]} failed")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def run(args: argparse.Namespace) -> str:
    # Here, not at the top: bench.sender imports aiogram, and the children must not.
    from bench.sender import DEFAULT_ADMIN_URL, drop_database, fresh_database

    admin_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_ADMIN_URL)
    url = await fresh_database(admin_url, DB_NAME)
    from models.db import create_engine

    engine = create_engine(url)
    try:
        started = time.perf_counter()
        await arrange(engine, args.schools, args.participants, args.meetings, args.feedback)
        await engine.dispose()
        print(f"arranged in {time.perf_counter() - started:.0f} s", flush=True)
        with tempfile.TemporaryDirectory() as tmp:
            rows_file = Path(tmp) / "rows.pickle"
            recorded = await _child("record", url, str(Path(tmp) / "warm.xlsx"), str(rows_file))
            print(f"rows: {recorded['rows']}", flush=True)
            ours, raw, peaks = [], [], []
            for n in range(args.repeat):
                e = await _child("export", url, str(Path(tmp) / f"ours{n}.xlsx"))
                r = await _child("raw", "-", str(Path(tmp) / f"raw{n}.xlsx"), str(rows_file))
                ours.append(e["seconds"])
                raw.append(r["seconds"])
                peaks.append(e["peak_mb"])
                print(
                    f"run {n + 1}: export {e['seconds']:.1f} s ({e['bytes'] / 1e6:.1f} MB file), "
                    f"raw {r['seconds']:.1f} s, peak RSS {e['peak_mb']:.0f} MB "
                    f"({e['before_mb']:.0f} MB before the export began); CPU of the process: "
                    f"export {e['cpu']:.1f} s, raw {r['cpu']:.1f} s",
                    flush=True,
                )
        mine, bare = statistics.median(ours), statistics.median(raw)
        return (
            f"export: {args.meetings} meetings, {args.participants} participants in {mine:.1f} s "
            f"= {mine / bare:.2f}× raw openpyxl ({bare:.1f} s); peak RSS {max(peaks):.0f} MB"
        )
    finally:
        await engine.dispose()
        await drop_database(admin_url, DB_NAME)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        kind, url, out, *rest = sys.argv[2:]
        if kind == "record":
            result = asyncio.run(child_record(url, Path(out), Path(rest[0])))
        elif kind == "export":
            result = asyncio.run(child_export(url, Path(out)))
        else:
            result = child_raw(Path(out), Path(rest[0]))
        print(json.dumps(result, default=str))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=20)
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--feedback", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    print(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
