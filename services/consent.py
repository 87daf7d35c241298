"""Consent to personal-data processing (152-ФЗ): giving it (once per text version),
renewing it for a new text, proving it later, and withdrawing it."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import re
import weakref
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Engine, Executable, Table, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from models import Consent, ConsentText, Participant, ParticipantStatus
from services import app_secrets, audit, outbox
from services.clock import Clock
from services.erasure import erase_person, pairs_of
from services.nudges import overseers
from services.participants import find_live, release_declined

# Re-exported: registration erases a declined newcomer through this module.
__all__ = ["ConsentDocument", "erase_person", "give", "proof_for", "withdraw"]


@dataclass(frozen=True)
class ConsentDocument:
    """The consent text exactly as shown, with the version and hash that get recorded."""

    version: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def subject_hmac(key: bytes, telegram_id: int) -> str:
    return hmac.new(key, str(telegram_id).encode("ascii"), hashlib.sha256).hexdigest()


@functools.cache
def _writes(dialect: str) -> tuple[Executable, Executable]:
    """The two inserts of a consent (the text, the first time; the record), built once
    per dialect: SQLAlchemy then only runs them (building them anew on every press cost
    a tenth of a millisecond more than running them)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # On the tables, not the mapped classes: with its parameters given apart, an insert
    # into a mapped class is run as an ORM bulk insert, which has no rowcount.
    text = (
        insert(cast(Table, ConsentText.__table__))
        .values(
            version=bindparam("version"),
            sha256=bindparam("sha256"),
            text=bindparam("text"),
            first_shown_at=bindparam("now"),
        )
        .on_conflict_do_nothing(index_elements=["version", "sha256"])
    )
    record = (
        insert(cast(Table, Consent.__table__))
        .values(
            participant_id=bindparam("participant_id"),
            telegram_id=bindparam("telegram_id"),
            subject_hmac=bindparam("subject_hmac"),
            text_version=bindparam("version"),
            text_sha256=bindparam("sha256"),
            given_at=bindparam("now"),
        )
        .on_conflict_do_nothing(
            index_elements=["participant_id", "text_version"],
            index_where=Consent.withdrawn_at.is_(None),
        )
    )
    return text, record


# Consent texts known to be stored, per database: a stored text is never changed or
# deleted (it is what records are proven against), so each process inserts a version
# once instead of on every «Согласен».
_TEXTS_STORED: weakref.WeakKeyDictionary[Engine, set[tuple[str, str]]] = weakref.WeakKeyDictionary()


def _stored_texts(session: AsyncSession) -> set[tuple[str, str]]:
    return _TEXTS_STORED.setdefault(session.get_bind().engine, set())


def _committed_with(session: AsyncSession, document: ConsentDocument) -> None:
    """Called once the transaction that recorded a consent to ``document`` committed:
    its text is stored now (inserted by it, or before). Not before the commit: a
    transaction that fails takes the text's insert back with it."""
    _stored_texts(session).add((document.version, document.sha256))


def forget_stored_texts() -> None:
    """The database was emptied under this process (the tests do it between tests)."""
    _TEXTS_STORED.clear()


async def _record(
    session: AsyncSession,
    participant: Participant,
    telegram_id: int,
    document: ConsentDocument,
    now: dt.datetime,
    hmac_key: str | None,
) -> bool:
    """Write the consent row (and the text, the first time it is agreed to). Returns
    False when a live consent to this version is already there: a second press."""
    # Agreeing to a version settles asking about it: the per-message renewal check
    # (ConsentRenewalMiddleware) then costs nothing until the text changes.
    participant.consent_asked_version = document.version
    text_insert, consent_insert = _writes(session.get_bind().dialect.name)
    params = {"version": document.version, "sha256": document.sha256, "now": now}
    if (document.version, document.sha256) not in _stored_texts(session):
        await session.execute(text_insert, {**params, "text": document.text})
    key = await app_secrets.consent_write_key(session, hmac_key, now)
    result = await session.execute(
        consent_insert,
        {
            **params,
            "participant_id": participant.id,
            "telegram_id": telegram_id,
            "subject_hmac": subject_hmac(key, telegram_id),
        },
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    audit.record(
        session,
        now,
        "consent.given",
        actor_id=participant.id,
        object_type="participant",
        object_id=participant.id,
    )
    return True


_USERNAME = re.compile(r"[A-Za-z0-9_]{1,64}")


def _telegram_username(username: str | None) -> str | None:
    # Telegram's usernames are 5–32 of these characters; anything else did not come from
    # Telegram and is not kept (it would not fit the column, or PostgreSQL's text).
    return username if username and _USERNAME.fullmatch(username) else None


async def give(
    session: AsyncSession,
    *,
    telegram_id: int,
    username: str | None,
    document: ConsentDocument,
    clock: Clock,
    hmac_key: str | None = None,
    invite_code: str | None = None,
    newcomer: bool = False,
) -> Participant:
    """Record «Согласен». This is the first moment anything about the person is stored.
    Pressing twice records one consent. ``invite_code``: the (checked) invite the person
    came with, kept until the questionnaire ends (participants.remembered_invite).
    ``newcomer``: the caller found no live row for this account earlier in this update
    (its identity), so it is not looked up again."""
    now = clock.now()
    participant = None if newcomer else await find_live(session, telegram_id)
    if participant is None:
        await release_declined(session, telegram_id)
        # Everything known at once: one INSERT, not an INSERT and two UPDATEs.
        participant = Participant(
            telegram_id=telegram_id,
            username=_telegram_username(username),
            status=ParticipantStatus.REGISTERING,
            consent_asked_version=document.version,
            invite_code=invite_code,
        )
        session.add(participant)
        await session.flush()
    elif invite_code is not None:
        participant.invite_code = invite_code
    await _record(session, participant, telegram_id, document, now, hmac_key)
    await session.commit()
    _committed_with(session, document)
    return participant


async def renew(
    session: AsyncSession,
    participant: Participant,
    document: ConsentDocument,
    clock: Clock,
    hmac_key: str | None = None,
) -> bool:
    """Agree to a new text version. False when this version is already agreed to."""
    assert participant.telegram_id is not None
    recorded = await _record(
        session, participant, participant.telegram_id, document, clock.now(), hmac_key
    )
    await session.commit()
    _committed_with(session, document)
    return recorded


async def is_current(session: AsyncSession, participant_id: int, version: str) -> bool:
    """Whether a live consent to this text version is on record."""
    found = await session.scalar(
        select(Consent.id).where(
            Consent.participant_id == participant_id,
            Consent.text_version == version,
            Consent.withdrawn_at.is_(None),
        )
    )
    return found is not None


async def latest(session: AsyncSession, participant_id: int) -> Consent | None:
    return await session.scalar(
        select(Consent)
        .where(Consent.participant_id == participant_id, Consent.withdrawn_at.is_(None))
        .order_by(Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )


async def ask_renewal(session: AsyncSession, participant_id: int, version: str) -> bool:
    """Whether to show the new consent text now: the person agreed to an older version
    and was not yet asked about this one. The caller skips this when the person's
    consent_asked_version is this version already. Asking is recorded, and so is finding
    nothing to ask (a current consent, or none on record), so it happens once."""
    record = await latest(session, participant_id)
    await session.execute(
        update(Participant)
        .where(Participant.id == participant_id)
        .values(consent_asked_version=version)
    )
    await session.commit()
    return record is not None and record.text_version != version


@dataclass(frozen=True)
class ConsentProof:
    text_version: str
    text_sha256: str
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None


async def proof_for(
    session: AsyncSession, telegram_id: int, hmac_key: str | None, now: dt.datetime
) -> list[ConsentProof]:
    """The consent records of the person with this Telegram id, also after withdrawal:
    found by the keyed hash of the id, which alone cannot be turned back into it."""
    keys = await app_secrets.consent_keys(session, hmac_key, now)
    await session.commit()  # the stored key, if this created it
    hashes = [subject_hmac(k, telegram_id) for k in keys]
    rows = await session.scalars(
        select(Consent).where(Consent.subject_hmac.in_(hashes)).order_by(Consent.given_at)
    )
    return [ConsentProof(r.text_version, r.text_sha256, r.given_at, r.withdrawn_at) for r in rows]


async def withdraw(
    session: AsyncSession, participant: Participant, clock: Clock, hmac_key: str | None = None
) -> None:
    """Withdraw consent: erase personal data now, keep an anonymous row for statistics,
    and tell the school's curators (through the outbox, ids only) which pairs lost
    a member."""
    now = clock.now()
    was_active = participant.status == ParticipantStatus.ACTIVE
    assert participant.telegram_id is not None
    key = await app_secrets.consent_write_key(session, hmac_key, now)
    pair_ids = await pairs_of(session, participant.id)
    await erase_person(session, participant, now, subject_hmac(key, participant.telegram_id))
    audit.record(
        session,
        now,
        "consent.withdrawn",
        actor_id=participant.id,
        object_type="participant",
        object_id=participant.id,
    )
    if was_active and participant.school_id is not None:
        await session.flush()  # the person is LEFT now, never among the overseers
        for recipient in await overseers(session, participant.school_id):
            await outbox.enqueue(
                session,
                recipient_id=recipient,
                kind=outbox.Kind.PRIVACY_WITHDRAWN_CURATOR,
                due_at=now,
                now=now,
                dedupe_key=f"privacy:{participant.id}:withdrawn:{recipient}",
                payload={"participant_id": participant.id, "pair_ids": pair_ids},
            )
    await session.commit()
