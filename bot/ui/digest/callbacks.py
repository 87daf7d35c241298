"""Callback data of the digest's buttons. Client-supplied: the service checks each value
(a weekday 1–7, a time from the list) and that the presser is staff."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class DigestCb(CallbackData, prefix="dg"):
    action: str  # settings | day | time | export | on | now
    value: int = 0
