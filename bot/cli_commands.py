"""CLI commands that talk to the database: demo-data, invite, schools import,
programme and holidays."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import cli_programme
from bot.config import Settings
from bot.i18n import create_i18n, t
from bot.ui.render import role_name
from models import Role, School
from models.db import create_engine, create_sessionmaker
from services import invites
from services.access import Actor
from services.clock import SystemClock
from services.errors import DomainError
from services.validation import as_id


async def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    try:
        with create_i18n().context():
            async with sessionmaker() as session:
                try:
                    if args.command == "invite":
                        return await _invite(session, args, settings)
                    if args.command == "schools":
                        from bot import cli_imports

                        return await cli_imports.import_schools(session, args, settings)
                    if args.command == "consent":
                        from bot import cli_consent

                        return await cli_consent.run(session, args, settings)
                    if args.command in ("programme", "holidays"):
                        return await cli_programme.run(session, args)
                    if args.command in ("surveys", "headcount", "indicators"):
                        from bot import cli_surveys

                        return await cli_surveys.run(session, args)
                    if args.command in ("export", "spravka"):
                        from bot import cli_export

                        return await cli_export.run(session, args)
                    if args.command == "club":
                        from bot import cli_club

                        return await cli_club.run(session, args)
                    if args.command == "region":
                        from bot import cli_region

                        return await cli_region.run(session, args)
                    if args.command == "demo-data":
                        from services import demo

                        summary = await demo.load(session, force=args.force)
                        print(summary)
                        return 0
                except DomainError as err:
                    print(t(err.code, **err.params), file=sys.stderr)
                    return 1
    finally:
        await engine.dispose()
    return 2


async def _find_school(session: AsyncSession, needle: str) -> School | None:
    school_id = as_id(needle)
    if school_id is not None:
        school = await session.get(School, school_id)
        if school is not None:
            return school
    found = list(await session.scalars(select(School).where(School.name.ilike(f"%{needle}%"))))
    if len(found) > 1:
        names = "; ".join(f"{s.id}: {s.name}" for s in found[:10])
        print(f"Подходит несколько школ, укажите id: {names}", file=sys.stderr)
        return None
    return found[0] if found else None


async def _invite(session: AsyncSession, args: argparse.Namespace, settings: Settings) -> int:
    school = await _find_school(session, args.school)
    if school is None:
        print(f"Школа «{args.school}» не найдена.", file=sys.stderr)
        return 1
    role = Role(args.role)
    # The CLI is run by whoever holds the server: it acts as an admin.
    info = await invites.create(
        session,
        Actor(telegram_id=0, is_admin=True),
        role=role,
        school_id=None if role == Role.COORDINATOR else school.id,
        municipality_id=school.municipality_id if role == Role.COORDINATOR else None,
        clock=SystemClock(),
        days=args.days or settings.invite_days,
        max_uses=args.uses or settings.invite_max_uses,
        staff_hours=settings.staff_invite_hours,
    )
    username = await _bot_username(settings)
    print(invites.deep_link(username, info.code))
    print(
        f"{role_name(role)}, {info.school_name or info.municipality_name}; "
        f"до {info.expires_at:%d.%m.%Y}, не более {info.max_uses} регистраций",
        file=sys.stderr,
    )
    return 0


async def _bot_username(settings: Settings) -> str:
    """The bot's @username for the link; without a reachable Bot API, a placeholder."""
    if not settings.bot_token.get_secret_value():
        return "<bot>"
    from bot.factory import create_bot

    bot = create_bot(settings)
    try:
        me = await bot.me()
        return me.username or "<bot>"
    except Exception:
        return "<bot>"
    finally:
        await bot.session.close()
