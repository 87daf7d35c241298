"""The staff's typed steps (an order number, a reason, a pause date), here rather than
in their handler modules so that handlers/staff.py can drop them on a new /pairs or
/unmatched without importing other handler modules."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class PairDraft(StatesGroup):
    """«Сформировать пару»: the order's number and date typed, then confirmed."""

    order = State()  # waiting for a typed order number and date
    confirm = State()


class PairTyping(StatesGroup):
    """A pair's early end (its reason) or pause (its date), typed."""

    end_reason = State()
    pause_date = State()


class BulkDraft(StatesGroup):
    """«Подобрать всем»: one order (приказ) for all the pairs, typed."""

    order = State()
