"""/export: the Excel workbook of the person's scope (a curator's school, a coordinator's
municipality with «Сводная по ОО», a regional coordinator's region with «Сводная по
муниципалитетам»); a person with several scopes of their own picks one first (the
button's scope checked against who pressed it); teachers are refused. The file is
built, the audit row committed, then the file is sent."""

from __future__ import annotations

import io

from aiogram import Router
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui import scope_files
from bot.ui.digest import export as view
from services import export
from services.access import Actor
from services.export.scope import ExportScope


async def _send(message: Message, session: AsyncSession, actor: Actor, scope: ExportScope) -> None:
    buffer = io.BytesIO()
    done = await export.export(session, actor, scope, view.plain, buffer)
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=done.filename),
        caption=view.caption(scope, done),
    )


def create_router() -> Router:
    return scope_files.create_router("export", _send)
