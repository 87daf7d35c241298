"""/export: the Excel workbook of the person's scope (a curator's school, a coordinator's
municipality with «Сводная по ОО», a regional coordinator's region with «Сводная по
муниципалитетам»); teachers are refused. The file is built, the audit
row committed, then the file is sent."""

from __future__ import annotations

import io

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.digest import export as view
from services import export
from services.access import Actor
from services.clock import Clock
from services.export import scope as export_scope


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    scope = await export_scope.of_export(session, actor, clock.now())
    buffer = io.BytesIO()
    done = await export.export(session, actor, scope, view.plain, buffer)
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=done.filename),
        caption=view.caption(scope, done),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("export"))
    return router
