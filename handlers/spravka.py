"""/spravka: the «Информационная справка» as a .docx draft of the person's scope (a
curator's school; a coordinator's municipality with a table per school; a regional
coordinator's region with a part per municipality). On the staff router: teachers are
told it is not for them. The file is built, the audit row committed, then the file is
sent."""

from __future__ import annotations

import io

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ui.views import spravka as view
from services import spravka
from services.access import Actor
from services.clock import Clock
from services.export import scope as export_scope


async def command(message: Message, session: AsyncSession, actor: Actor, clock: Clock) -> None:
    scope = await export_scope.of_export(session, actor, clock.now())
    buffer = io.BytesIO()
    done = await spravka.draft(session, actor, scope, view.plain, buffer)
    await message.answer_document(
        BufferedInputFile(buffer.getvalue(), filename=done.filename),
        caption=view.caption(scope),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(command, Command("spravka"))
    return router
