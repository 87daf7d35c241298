"""Callback data of surveys, indicators and headcounts. Client-supplied: numbers are
bounded like every callback number (never past BIGINT), and every handler checks each
id against who pressed (services.surveys.answering for a person's own
response, services.access for a school or municipality in the presser's scope)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData

from bot.ui.callbacks import Number
from models.surveys import RoundKind

# --- answering (participants) ---


class SurveyOpenCb(CallbackData, prefix="svo"):
    """«Начать опрос» / «Продолжить»: where the person left off."""

    r: Number  # SurveyResponse.id


class SurveyStepCb(CallbackData, prefix="svn"):
    """«Назад» or «Изменить ответ N»: show step n (0-based)."""

    r: Number
    n: Number


class SurveyAnswerCb(CallbackData, prefix="sva"):
    r: Number
    i: Number  # SurveyItem.id
    d: Number  # the deficit (catalogue item id) of a per-deficit item, else 0
    v: Number  # the value: 1–10, 1/0 for yes/no, DeficitChange


class SurveySkipCb(CallbackData, prefix="svk"):
    r: Number
    i: Number
    d: Number


class SurveySubmitCb(CallbackData, prefix="svs"):
    r: Number


# --- curators and coordinators ---


class SurveysScopeCb(CallbackData, prefix="svc"):
    """The /surveys screen of a school (s) or of a municipality (m), page p of schools."""

    s: Number = 0
    m: Number = 0
    p: Number = 0


class RoundDatesCb(CallbackData, prefix="svd"):
    round_id: Number


class RoundResultsCb(CallbackData, prefix="svr"):
    kind: RoundKind
    s: Number = 0
    m: Number = 0


class IndicatorsCb(CallbackData, prefix="ind"):
    """/indicators of a school (s) or a municipality (m): a page of its schools, or the
    method texts."""

    action: str  # page | method | school
    s: Number = 0
    m: Number = 0
    p: Number = 0


class HeadcountCb(CallbackData, prefix="hcn"):
    action: str  # show | edit | page
    s: Number = 0
    m: Number = 0
    p: Number = 0


class TargetAction(enum.StrEnum):
    LIST = "list"
    PICK = "pick"
    SET = "set"
    RESET = "reset"


class TargetCb(CallbackData, prefix="itg"):
    """The targets of a municipality (m, its coordinator) or of a school (s, its curator
    or coordinator): the list, one indicator (c: its place in
    services.indicators.INDICATORS) and a value (v, %) for it."""

    action: TargetAction
    m: Number = 0
    s: Number = 0
    c: Number = 0
    v: Number = 0
