"""The addenda (доп. соглашения) of many pairs from one file, by a curator (or a
coordinator, for their schools): the preview names the pair of each row or says in
Russian why a row cannot be read; the import writes the good rows in one transaction.
A row finds its pair among the live pairs in the actor's scope by the mentor's full
name (and the mentee's, when that mentor has several pairs)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import LIVE_PAIR, MentoringForm, Pair, PairAddendum
from services import audit
from services.access import Actor, managed_school_ids
from services.errors import DomainError
from services.imports import files, layout
from services.imports.layout import ParsedFile, RowError
from services.imports.specs import ADDENDA
from services.imports.text import key
from services.pairs.addenda import MAX_NUMBER, MAX_RATE, Terms, check_terms

FORMS = {"индивидуальная": MentoringForm.INDIVIDUAL, "групповая": MentoringForm.GROUP}
YES = {"да", "оплачивается", "yes", "+"}
NO = {"нет", "не оплачивается", "no", "-"}


@dataclass(frozen=True)
class Planned:
    row: int
    pair_id: int
    label: str
    terms: Terms


@dataclass
class AddendaPlan:
    parsed: ParsedFile
    planned: list[Planned] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def matches(data: bytes, filename: str) -> bool:
    """The file's header names the addenda's columns (not a list of schools)."""
    try:
        sheets = files.read(data, filename)
    except DomainError:
        return False
    return any(layout.find_header(ADDENDA, s.rows) is not None for s in sheets)


async def _pairs(session: AsyncSession, actor: Actor) -> list[Pair]:
    if not actor.is_staff:
        raise DomainError("error.staff_only")
    # Writes: a region the actor only watches is not theirs to fill in.
    school_ids = await managed_school_ids(session, actor, watched=False)
    stmt = select(Pair).where(Pair.status.in_(LIVE_PAIR))
    if school_ids is not None:
        stmt = stmt.where(Pair.school_id.in_(school_ids))
    return list(await session.scalars(stmt))


async def preview(session: AsyncSession, data: bytes, filename: str, actor: Actor) -> AddendaPlan:
    parsed = layout.parse(ADDENDA, files.read(data, filename))
    plan = AddendaPlan(parsed, errors=list(parsed.errors))
    headers = {k: h for h, k in parsed.layout.columns}
    by_mentor: dict[str, list[Pair]] = {}
    for p in await _pairs(session, actor):
        by_mentor.setdefault(key(p.mentor.full_name or ""), []).append(p)

    def error(row: int, column: str | None, value: str, code: str, **params: object) -> None:
        plan.errors.append(RowError(row, headers.get(column or ""), value, code, dict(params)))

    for record in parsed.records:
        v, row = record.values, record.row
        mentor = str(v["mentor"])
        found = by_mentor.get(key(mentor), [])
        mentee = v.get("mentee")
        if mentee:
            found = [
                p
                for p in found
                if key(str(mentee)) in {key(m.mentee.full_name or "") for m in p.active_members}
            ]
        if not found:
            error(row, "mentor", mentor, "addenda.err.no_pair")
            continue
        if len(found) > 1:
            error(row, "mentee", str(mentee or ""), "addenda.err.which_pair")
            continue
        number = " ".join(str(v["number"]).replace("№", " ").split())
        if not number or len(number) > MAX_NUMBER:
            error(row, "number", str(v["number"]), "imports.err.too_long", limit=MAX_NUMBER)
            continue
        pair = found[0]
        form_text = key(str(v.get("form") or ""))
        if form_text and form_text not in FORMS:
            error(row, "form", str(v["form"]), "addenda.err.form")
            continue
        form = FORMS.get(
            form_text,
            MentoringForm.GROUP if len(pair.active_members) > 1 else MentoringForm.INDIVIDUAL,
        )
        paid_text = key(str(v.get("paid") or ""))
        if paid_text and paid_text not in YES | NO:
            error(row, "paid", str(v["paid"]), "addenda.err.paid")
            continue
        rate = " ".join(str(v.get("rate") or "").split()) or None
        if rate and len(rate) > MAX_RATE:
            error(row, "rate", rate, "imports.err.too_long", limit=MAX_RATE)
            continue
        terms = Terms(
            number=number,
            signed_on=v["signed"],
            starts_on=v["starts"],
            ends_on=v["ends"],
            form=form,
            paid=paid_text in YES or (not paid_text and rate is not None),
            rate_type=rate,
        )
        try:
            check_terms(terms)
        except DomainError as err:
            error(row, "ends", f"{terms.ends_on:%d.%m.%Y}", err.code)
            continue
        names = ", ".join(m.mentee.full_name or "" for m in pair.active_members)
        plan.planned.append(Planned(row, pair.id, f"{pair.mentor.full_name} — {names}", terms))
    plan.errors.sort(key=lambda e: e.row)
    return plan


async def apply(
    session: AsyncSession,
    data: bytes,
    filename: str,
    actor: Actor,
    *,
    only_valid: bool,
    at: dt.datetime,
) -> int:
    """Write the planned rows (read again: what is written is what is true now)."""
    plan = await preview(session, data, filename, actor)
    if plan.errors and not only_valid:
        raise DomainError("imports.has_errors", n=len(plan.errors))
    for item in plan.planned:
        t = item.terms
        session.add(
            PairAddendum(
                pair_id=item.pair_id,
                number=t.number,
                signed_on=t.signed_on,
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                form=t.form,
                paid=t.paid,
                rate_type=t.rate_type if t.paid else None,
                created_at=at,
                created_by_id=actor.participant_id,
            )
        )
        audit.record(
            session, at, "pair.addendum.imported", actor_id=actor.participant_id,
            object_type="pair", object_id=item.pair_id,
        )  # fmt: skip
    await session.commit()
    return len(plan.planned)
