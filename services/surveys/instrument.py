"""The questionnaire as versioned data: reading and checking a file, loading it as a new
version (the project's default or a municipality's own), and finding the version in
force. Old versions stay, so every response keeps the items it was given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from models import Municipality, Role
from models.surveys import ItemKind, Measure, RoundKind, SurveyInstrument, SurveyItem
from services.errors import DomainError, NotFound

DEFAULT_FILE = Path(__file__).with_name("instrument_default.toml")
MAX_TEXT = 500
ROLES = (Role.MENTEE, Role.MENTOR)
PER_DEFICIT = (ItemKind.DEFICIT_SCALE, ItemKind.DEFICIT_CHANGE)


class InstrumentError(DomainError):
    """A file that is not a usable questionnaire; ``detail`` says what and where."""

    def __init__(self, detail: str) -> None:
        super().__init__("surveys.instrument.bad_file", detail=detail)


@dataclass(frozen=True)
class ItemSpec:
    code: str
    role: Role
    kind: ItemKind
    rounds: tuple[RoundKind, ...]
    text: str
    measure: Measure | None


@dataclass(frozen=True)
class InstrumentSpec:
    version: str
    title: str
    source_note: str
    satisfied_from: int
    items: tuple[ItemSpec, ...]
    sha256: str


def _text(value: Any, where: str, *, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstrumentError(f"{where}: нужен непустой текст")
    clean = " ".join(value.split())
    if len(clean) > limit:
        raise InstrumentError(f"{where}: длиннее {limit} символов")
    return clean


def _item(raw: Any, n: int) -> ItemSpec:
    if not isinstance(raw, dict):
        raise InstrumentError(f"вопрос {n}: ожидается таблица [[item]]")
    code = _text(raw.get("code"), f"вопрос {n}, code", limit=20)
    where = f"вопрос {code}"
    try:
        role = Role(str(raw.get("role")))
        kind = ItemKind(str(raw.get("kind")))
    except ValueError as exc:
        raise InstrumentError(f"{where}: неизвестные role или kind") from exc
    if role not in ROLES:
        raise InstrumentError(f"{where}: role — mentee или mentor")
    rounds_raw = raw.get("rounds")
    if not isinstance(rounds_raw, list) or not rounds_raw:
        raise InstrumentError(f"{where}: rounds — непустой список")
    try:
        rounds = tuple(sorted({RoundKind(r) for r in rounds_raw}, key=list(RoundKind).index))
    except ValueError as exc:
        raise InstrumentError(f"{where}: rounds — entry, midterm, final") from exc
    measure_raw = raw.get("measure")
    try:
        measure = Measure(measure_raw) if measure_raw is not None else None
    except ValueError as exc:
        raise InstrumentError(f"{where}: measure — satisfaction или ничего") from exc
    if kind == ItemKind.DEFICIT_CHANGE:
        measure = Measure.DEFICIT_CHANGE
    elif measure == Measure.DEFICIT_CHANGE:
        raise InstrumentError(f"{where}: measure deficit_change — только у deficit_change")
    if kind in PER_DEFICIT and role != Role.MENTEE:
        raise InstrumentError(f"{where}: вопросы по дефицитам задаются наставляемым")
    return ItemSpec(code, role, kind, rounds, _text(raw.get("text"), f"{where}, text"), measure)


def parse(content: bytes) -> InstrumentSpec:
    """Check a questionnaire file (TOML, see instrument_default.toml for the format)."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InstrumentError(f"файл не читается как TOML в UTF-8 ({type(exc).__name__})") from exc
    head = data.get("instrument")
    if not isinstance(head, dict):
        raise InstrumentError("нет раздела [instrument]")
    version = _text(head.get("version"), "instrument.version", limit=40)
    threshold = head.get("satisfied_from")
    if not isinstance(threshold, int) or not 1 <= threshold <= 10:
        raise InstrumentError("instrument.satisfied_from — целое от 1 до 10")
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise InstrumentError("нет вопросов [[item]]")
    items = tuple(_item(raw, n) for n, raw in enumerate(raw_items, start=1))
    codes = [i.code for i in items]
    if len(set(codes)) != len(codes):
        raise InstrumentError("коды вопросов повторяются")
    for role in ROLES:
        main = [i for i in items if i.role == role and i.measure == Measure.SATISFACTION]
        if len(main) != 1:
            raise InstrumentError(
                f'{role.value}: нужен ровно один вопрос с measure = "satisfaction"'
            )
        if main[0].kind != ItemKind.SCALE or set(main[0].rounds) != set(RoundKind):
            raise InstrumentError(
                f"{main[0].code}: общая удовлетворённость — шкала 1–10 во всех анкетах"
            )
    return InstrumentSpec(
        version=version,
        title=_text(head.get("title"), "instrument.title", limit=200),
        source_note=_text(head.get("source_note"), "instrument.source_note", limit=1000),
        satisfied_from=threshold,
        items=items,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def _key(municipality_id: int | None, version: str) -> str:
    return f"{municipality_id or 'default'}:{version}"


@dataclass(frozen=True)
class Loaded:
    instrument_id: int
    version: str
    items: int
    created: bool  # False: this very file was loaded before (it is made current again)


async def load(
    session: AsyncSession,
    spec: InstrumentSpec,
    now: dt.datetime,
    *,
    municipality_id: int | None = None,
) -> Loaded:
    """Make ``spec`` the instrument in force for the municipality (None: the project's
    default). New invitations use it; responses already begun keep theirs. Commits."""
    if municipality_id is not None and await session.get(Municipality, municipality_id) is None:
        raise NotFound()
    key = _key(municipality_id, spec.version)
    existing = await session.scalar(select(SurveyInstrument).where(SurveyInstrument.key == key))
    if existing is not None and existing.sha256 != spec.sha256:
        raise DomainError("surveys.instrument.version_taken", version=spec.version)
    await _deactivate(session, municipality_id)
    if existing is not None:
        existing.active = True
        await session.commit()
        count = len(await items_of(session, existing.id))
        return Loaded(existing.id, existing.version, count, created=False)
    instrument = await _insert(session, spec, municipality_id, now)
    await session.commit()
    return Loaded(instrument.id, instrument.version, len(spec.items), created=True)


async def _insert(
    session: AsyncSession, spec: InstrumentSpec, municipality_id: int | None, now: dt.datetime
) -> SurveyInstrument:
    instrument = SurveyInstrument(
        key=_key(municipality_id, spec.version),
        municipality_id=municipality_id,
        version=spec.version,
        title=spec.title,
        source_note=spec.source_note,
        satisfied_from=spec.satisfied_from,
        sha256=spec.sha256,
        active=True,
        imported_at=now,
    )
    session.add(instrument)
    await session.flush()
    session.add_all(
        SurveyItem(
            instrument_id=instrument.id,
            code=item.code,
            role=item.role,
            kind=item.kind,
            text=item.text,
            rounds=",".join(r.value for r in item.rounds),
            position=n,
            measure=item.measure,
        )
        for n, item in enumerate(spec.items, start=1)
    )
    await session.flush()
    return instrument


async def _deactivate(session: AsyncSession, municipality_id: int | None) -> None:
    scope = (
        SurveyInstrument.municipality_id.is_(None)
        if municipality_id is None
        else SurveyInstrument.municipality_id == municipality_id
    )
    await session.execute(update(SurveyInstrument).where(scope).values(active=False))


async def ensure_default(session: AsyncSession, now: dt.datetime) -> SurveyInstrument:
    """The project's default instrument, loaded from the shipped file when no default is in
    force yet (a later edition of the file is loaded with the CLI import, like any other
    file, so a default an operator loaded is never replaced behind their back). Flushes,
    does not commit."""
    spec = parse(DEFAULT_FILE.read_bytes())
    key = _key(None, spec.version)
    found = await session.scalar(select(SurveyInstrument).where(SurveyInstrument.key == key))
    if found is not None:
        if not found.active:
            await _deactivate(session, None)
            found.active = True
        return found
    # Two first uses at once would both insert: the loser takes the winner's row.
    try:
        async with session.begin_nested():
            await _deactivate(session, None)
            instrument = await _insert(session, spec, None, now)
    except IntegrityError:
        found = await session.scalar(select(SurveyInstrument).where(SurveyInstrument.key == key))
        if found is None:
            raise
        return found
    return instrument


async def in_force(
    session: AsyncSession, municipality_id: int | None, now: dt.datetime
) -> SurveyInstrument:
    """The municipality's own instrument if it loaded one, else the project's default."""
    if municipality_id is not None:
        own = await session.scalar(
            select(SurveyInstrument).where(
                SurveyInstrument.municipality_id == municipality_id, SurveyInstrument.active
            )
        )
        if own is not None:
            return own
    default = await session.scalar(
        select(SurveyInstrument).where(
            SurveyInstrument.municipality_id.is_(None), SurveyInstrument.active
        )
    )
    return default if default is not None else await ensure_default(session, now)


async def items_of(session: AsyncSession, instrument_id: int) -> list[SurveyItem]:
    return list(
        await session.scalars(
            select(SurveyItem)
            .where(SurveyItem.instrument_id == instrument_id)
            .order_by(SurveyItem.position)
        )
    )
