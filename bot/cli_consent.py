"""python -m bot consent proof TELEGRAM_ID: the consent records of a person who
presents their Telegram id, also after they withdrew (found by the id's keyed hash)."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from services import consent
from services.validation import as_id


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("consent", help="согласия на обработку персональных данных")
    consent_sub = parser.add_subparsers(dest="consent_command", required=True)
    proof = consent_sub.add_parser(
        "proof", help="записи о согласии человека по его Telegram-id (и после отзыва)"
    )
    proof.add_argument("telegram_id", type=_telegram_id, help="числовой Telegram-id")


def _telegram_id(value: str) -> int:
    if as_id(value.strip()) is None:
        raise argparse.ArgumentTypeError(f"нужен числовой Telegram-id, а не {value!r}")
    return int(value)


def _at(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "—"


async def run(session: AsyncSession, args: argparse.Namespace, settings: Settings) -> int:
    now = dt.datetime.now(dt.UTC)
    records = await consent.proof_for(session, args.telegram_id, settings.consent_key(), now)
    if not records:
        print("Записей о согласии для этого Telegram-id нет.")
        return 1
    for r in records:
        print(
            f"версия {r.text_version}; дано {_at(r.given_at)}; отозвано {_at(r.withdrawn_at)}; "
            f"SHA-256 текста {r.text_sha256}"
        )
    return 0
