"""Invite codes."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from models import Invite, Participant, Role, School
from tests.arrange.constants import NOW


async def invite(
    db: AsyncSession,
    school: School,
    role: Role,
    *,
    code: str = "INVITE12",
    expires_at: dt.datetime | None = None,
    max_uses: int = 10,
    uses: int = 0,
    created_by: Participant | None = None,
) -> Invite:
    inv = Invite(
        code=code,
        role=role,
        school_id=school.id,
        municipality_id=school.municipality_id,
        expires_at=expires_at or NOW + dt.timedelta(days=30),
        max_uses=max_uses,
        uses=uses,
        created_by_id=created_by.id if created_by else None,
    )
    db.add(inv)
    await db.commit()
    return inv
