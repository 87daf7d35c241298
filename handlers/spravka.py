"""/spravka: the «Информационная справка» as a .docx draft of the person's scope (a
curator's school; a coordinator's municipality with a table per school; a regional
coordinator's region with a part per municipality; a person with several scopes of
their own picks one first). On the staff router: teachers are
told it is not for them. The file is built, the audit row committed, then the file is
sent."""

from __future__ import annotations

import io

from aiogram import Router
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui import scope_files
from bot.ui.views import spravka as view
from services import spravka
from services.access import Actor
from services.export.scope import ExportScope


async def _send(message: Message, session: AsyncSession, actor: Actor, scope: ExportScope) -> None:
    buffer = io.BytesIO()
    done = await spravka.draft(session, actor, scope, view.plain, buffer)
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=done.filename),
        caption=view.caption(scope),
    )


def create_router() -> Router:
    return scope_files.create_router("spravka", _send)
