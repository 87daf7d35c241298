"""The «Информационная справка» (May, куратор → муниципальный координатор; 003 5.3): a
.docx draft of a school's (or, for a coordinator, the municipality's with a table per
school) year in the programme, for the person to finish in Word. Computed figures come
from the data (services.spravka.facts); what only a person can say is left as a
highlighted «[впишите …]». Every справка is written to the audit log: who, which scope,
when (never the content)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sqlalchemy.ext.asyncio import AsyncSession

from services import audit
from services.access import Actor
from services.export.lookups import Text
from services.export.scope import ExportScope, file_stem
from services.spravka import document, facts

AUDIT_ACTION = "spravka.docx"


@dataclass(frozen=True)
class Drafted:
    filename: str
    facts: facts.Facts


def filename(scope: ExportScope, text: Text) -> str:
    """The school (or municipality) and the date, never a person's name."""
    return file_stem(scope, text("spravka.file_prefix")) + ".docx"


async def draft(
    session: AsyncSession,
    actor: Actor,
    scope: ExportScope,
    text: Text,
    target: str | Path | IO[bytes],
) -> Drafted:
    """Write the справка to ``target`` and record it in the audit log (the use case ends
    here: the caller's transaction is committed)."""
    found = await facts.gather(session, actor, scope)
    document.write(found, text, target)
    audit.record(
        session,
        scope.now,
        AUDIT_ACTION,
        actor_id=actor.participant_id,
        object_type=scope.level.value,
        object_id=scope.id,
    )
    await session.commit()
    return Drafted(filename(scope, text), found)
