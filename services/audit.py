from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import AuditEvent


def record(
    session: AsyncSession,
    at: dt.datetime,
    action: str,
    *,
    actor_id: int | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
) -> None:
    """Add an audit row to the caller's transaction. Ids only, never personal data."""
    session.add(
        AuditEvent(
            at=at, actor_id=actor_id, action=action, object_type=object_type, object_id=object_id
        )
    )
