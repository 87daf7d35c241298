"""aiogram-dialog's Calendar, refusing a forged day, month or year politely.

The widget turns the callback data of its buttons into dates with ``int()`` and
``date()``: a forged «MONTH13» raises ValueError and «MONTH2147483648» OverflowError,
which the bot would answer with «Что-то пошло не так». Such a button was never sent, so
it is answered as a stale one."""

from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, DialogProtocol
from aiogram_dialog.widgets.kbd import Calendar

from services.errors import DomainError


class SafeCalendar(Calendar):
    async def _process_item_callback(
        self,
        callback: CallbackQuery,
        data: str,
        dialog: DialogProtocol,
        manager: DialogManager,
    ) -> bool:
        try:
            return await super()._process_item_callback(callback, data, dialog, manager)
        except (ValueError, OverflowError) as error:
            raise DomainError("error.stale_button") from error
