"""Files sent to the bot, told apart by their header: a coordinator's (or an admin's)
list of schools or file of schools' headcounts, or a file of addenda (доп. соглашения)
from a curator or a coordinator for the pairs in their scope, is previewed, then
imported on the button; anyone else is refused politely. /import explains the columns
and sends the example file.

Nothing is written before the button: the preview keeps only the file's Telegram id
in FSM data (JSON, as Redis keeps it), and the confirmation reads the file again and
compares it with the database as it is then."""

from __future__ import annotations

import io
import secrets

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.i18n import t
from bot.ui import headcount_import as hc_view
from bot.ui import imports as view
from bot.ui.imports import ImportCb
from bot.ui.views import agreement as agreement_views
from services.access import Actor
from services.clock import Clock
from services.imports import addenda as addenda_import
from services.imports import files, headcount_file, schools, template
from services.imports.specs import HEADCOUNTS, SCHOOLS

_PENDING = "schools_import"  # the FSM data key of the preview waiting for a button


async def explain(message: Message, actor: Actor) -> None:
    if not schools.may_import(actor):
        await message.answer(t("imports.not_allowed"))
        return
    await message.answer(t("imports.help"))
    await message.answer_document(
        BufferedInputFile(template.xlsx(SCHOOLS), filename=template.filename(SCHOOLS))
    )
    await message.answer(t("hc_import.help"))
    await message.answer_document(
        BufferedInputFile(template.xlsx(HEADCOUNTS), filename=template.filename(HEADCOUNTS))
    )


async def _read(bot: Bot, session: AsyncSession, file_id: str) -> bytes:
    # The update's read transaction ends before waiting for Telegram.
    await session.close()
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return buffer.getvalue()


def _refused() -> str:
    return f"{t('imports.refused')}\n\n{t('imports.headcounts.not_allowed')}"


async def received(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    clock: Clock,
) -> None:
    document = message.document
    assert document is not None
    if not (schools.may_import(actor) or actor.is_staff):
        await message.answer(_refused())
        return
    if (document.file_size or 0) > files.MAX_BYTES:
        await message.answer(
            t("imports.too_big_for_bot", megabytes=files.MAX_BYTES // (1024 * 1024))
        )
        return
    name = document.file_name or "file"
    data = await _read(bot, session, document.file_id)
    if addenda_import.matches(data, name):
        found = await addenda_import.preview(session, data, name, actor)
        await session.close()
        token = secrets.token_hex(4)
        pending = {"file_id": document.file_id, "name": name, "token": token, "kind": "addenda"}
        await state.update_data({_PENDING: pending})
        text, markup = agreement_views.addenda_preview(found, name, token)
        await message.answer(text, reply_markup=markup)
        return
    if not schools.may_import(actor):
        # A curator's list of schools or of headcounts: /headcount is theirs.
        await message.answer(_refused())
        return
    token = secrets.token_hex(4)
    pending = {"file_id": document.file_id, "name": name, "token": token}
    if headcount_file.is_headcount_file(data, name):
        counted = await headcount_file.preview(session, data, name, actor=actor, now=clock.now())
        await session.close()
        await state.update_data({_PENDING: {**pending, "kind": HEADCOUNTS.name}})
        await message.answer(
            f"{hc_view.preview_text(counted, name, limit=view.BOT_LIST_LIMIT)}\n\n"
            f"{hc_view.next_step(counted, in_bot=True)}",
            reply_markup=hc_view.confirm_markup(counted, token),
        )
        return
    plan = await schools.preview(
        session, data, name, actor=actor, default_timezone=settings.default_timezone
    )
    await session.close()
    await state.update_data({_PENDING: pending})
    text = view.preview_text(plan, name, limit=view.BOT_LIST_LIMIT)
    await message.answer(
        f"{text}\n\n{view.next_step(plan, in_bot=True)}",
        reply_markup=view.confirm_markup(plan, token),
    )


async def confirmed(
    query: CallbackQuery,
    callback_data: ImportCb,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    clock: Clock,
    callback_answer: CallbackAnswer,
) -> None:
    pending = (await state.get_data()).get(_PENDING)
    if not pending or pending.get("token") != callback_data.token:
        callback_answer.text = t("imports.stale")
        callback_answer.show_alert = True
        return
    # One press wins: a second press of the same preview finds nothing pending.
    await state.update_data({_PENDING: None})
    message = query.message if isinstance(query.message, Message) else None
    if callback_data.action == "cancel":
        if message:
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t("imports.cancelled"))
        return
    data = await _read(bot, session, pending["file_id"])
    if pending.get("kind") == HEADCOUNTS.name:
        _, counted = await headcount_file.apply(
            session,
            data,
            pending["name"],
            actor=actor,
            only_valid=callback_data.action == "valid",
            now=clock.now(),
        )
        if message:
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(hc_view.result_text(counted))
        return
    if pending.get("kind") == "addenda":
        n = await addenda_import.apply(
            session,
            data,
            pending["name"],
            actor,
            only_valid=callback_data.action == "valid",
            at=clock.now(),
        )
        if message:
            await message.edit_reply_markup(reply_markup=None)
            await message.answer(t("addenda.imported", n=n))
        return
    _, result = await schools.apply(
        session,
        data,
        pending["name"],
        actor=actor,
        default_timezone=settings.default_timezone,
        only_valid=callback_data.action == "valid",
        at=clock.now(),
    )
    if message:
        await message.edit_reply_markup(reply_markup=None)
        await message.answer(view.result_text(result))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(explain, Command("import"))
    router.message.register(received, F.document)
    router.callback_query.register(confirmed, ImportCb.filter())
    return router
