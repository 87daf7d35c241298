"""CLI of the region level:

python -m bot region create NAME
python -m bot region attach REGION MUNICIPALITY [MUNICIPALITY ...]
python -m bot region grant REGION TELEGRAM_ID
python -m bot region list

REGION and MUNICIPALITY: an id or a part of the name (one match each).
"""

from __future__ import annotations

import argparse

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest.export import plain
from models import Region
from services import regions
from services.access import Actor
from services.clock import SystemClock

ADMIN = Actor(telegram_id=0, is_admin=True)  # whoever holds the server acts as an admin


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    region = sub.add_parser("region", help="регионы: создать, привязать муниципалитеты, назначить")
    region_sub = region.add_subparsers(dest="region_command", required=True)
    create = region_sub.add_parser("create", help="создать регион")
    create.add_argument("name", help="название региона")
    attach = region_sub.add_parser("attach", help="привязать муниципалитеты к региону")
    attach.add_argument("region", help="id региона или часть названия")
    attach.add_argument(
        "municipalities", nargs="+", help="id муниципалитетов или части их названий"
    )
    grant = region_sub.add_parser("grant", help="назначить регионального координатора")
    grant.add_argument("region", help="id региона или часть названия")
    grant.add_argument("telegram_id", type=int, help="Telegram id участника")
    region_sub.add_parser("list", help="регионы и их муниципалитеты")


async def run(session: AsyncSession, args: argparse.Namespace) -> int:
    command = args.region_command
    if command == "create":
        made = await regions.create_region(session, args.name)
        print(plain("region.cli.created", id=made.id, name=made.name))
        return 0
    if command == "attach":
        region = await regions.find_region(session, args.region)
        name = region.name
        names = await regions.attach(session, region, args.municipalities)
        print(plain("region.cli.attached", region=name, names="; ".join(names)))
        return 0
    if command == "grant":
        region = await regions.find_region(session, args.region)
        name = await regions.grant_by_telegram_id(
            session, ADMIN, region, args.telegram_id, SystemClock()
        )
        print(plain("region.cli.granted", region=name, telegram_id=args.telegram_id))
        return 0
    for found in list(await session.scalars(select(Region).order_by(Region.name))):
        names = [n for _, n in await regions.municipalities_of(session, found.id)]
        print(f"{found.id}: {found.name} — " + ("; ".join(names) or "—"))
    return 0
