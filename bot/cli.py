"""python -m bot run | migrate | demo-data | invite | schools import FILE | template NAME |
consent proof ID | export (--school | --municipality | --region) FILE | club import FILE |
spravka (--school | --municipality | --region) FILE | region (create | attach | grant | list)"""

from __future__ import annotations

import argparse
import asyncio
import sys

from pydantic import ValidationError

from bot import (
    cli_club,
    cli_consent,
    cli_export,
    cli_imports,
    cli_programme,
    cli_region,
    cli_surveys,
    logs,
)
from bot.config import Settings, describe_error


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Наставник-бот")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="запустить бота (polling или webhook, если задан WEBHOOK_URL)")
    run.add_argument(
        "--migrate",
        action="store_true",
        help="сначала применить миграции (иначе устаревшая схема — отказ)",
    )
    sub.add_parser("migrate", help="применить миграции базы данных")
    demo = sub.add_parser("demo-data", help="заполнить базу демонстрационными данными")
    demo.add_argument("--force", action="store_true", help="даже если в базе уже есть школы")
    inv = sub.add_parser("invite", help="создать ссылку-приглашение")
    inv.add_argument("--school", required=True, help="id школы или часть названия")
    inv.add_argument(
        "--role", required=True, choices=["mentee", "mentor", "curator", "coordinator"]
    )
    inv.add_argument("--days", type=int, default=None, help="срок действия, дней")
    inv.add_argument("--uses", type=int, default=None, help="сколько регистраций")
    schools = sub.add_parser("schools", help="школы")
    schools_sub = schools.add_subparsers(dest="schools_command", required=True)
    imp = schools_sub.add_parser("import", help="импорт списка школ из xlsx или csv")
    cli_imports.add_import_arguments(imp)
    cli_imports.add_parsers(sub)
    cli_programme.add_parsers(sub)
    cli_consent.add_parsers(sub)
    cli_surveys.add_parsers(sub)
    cli_export.add_parsers(sub)
    cli_club.add_parsers(sub)
    cli_region.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "template":  # a file from the specs: no settings, no database
        return cli_imports.write_template(args)
    settings = _settings()
    logs.configure(settings.log_level)
    if args.command == "migrate":
        from bot.migrate import upgrade

        upgrade(settings.database_url)
        print("Миграции применены.")
        return 0
    if args.command == "run":
        if not settings.bot_token.get_secret_value():
            print(
                "Ошибка настройки: BOT_TOKEN не задан (переменная окружения или .env, "
                "см. .env.example)",
                file=sys.stderr,
            )
            return 2
        from bot import loop
        from bot.runner import PanelPortBusy, SchemaOutdated, run

        if args.migrate:
            from bot.migrate import upgrade

            upgrade(settings.database_url)
        try:
            loop.run(run(settings))
        except SchemaOutdated as exc:
            print(str(exc), file=sys.stderr)
            return 3
        except PanelPortBusy as exc:
            print(str(exc), file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            pass
        return 0
    from bot import cli_commands

    return asyncio.run(cli_commands.dispatch(args, settings))
