"""Callback data of surveys, indicators and headcounts. Client-supplied: every handler
checks each id against who pressed (services.surveys.answering for a person's own
response, services.access for a school or municipality in the presser's scope)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from models.surveys import RoundKind

# --- answering (participants) ---


class SurveyOpenCb(CallbackData, prefix="svo"):
    """«Начать опрос» / «Продолжить»: where the person left off."""

    r: int  # SurveyResponse.id


class SurveyStepCb(CallbackData, prefix="svn"):
    """«Назад» or «Изменить ответ N»: show step n (0-based)."""

    r: int
    n: int


class SurveyAnswerCb(CallbackData, prefix="sva"):
    r: int
    i: int  # SurveyItem.id
    d: int  # the deficit (catalogue item id) of a per-deficit item, else 0
    v: int  # the value: 1–10, 1/0 for yes/no, DeficitChange


class SurveySkipCb(CallbackData, prefix="svk"):
    r: int
    i: int
    d: int


class SurveySubmitCb(CallbackData, prefix="svs"):
    r: int


# --- curators and coordinators ---


class SurveysScopeCb(CallbackData, prefix="svc"):
    """The /surveys screen of a school (s) or of a municipality (m), page p of schools."""

    s: int = 0
    m: int = 0
    p: int = 0


class RoundDatesCb(CallbackData, prefix="svd"):
    round_id: int


class RoundResultsCb(CallbackData, prefix="svr"):
    kind: RoundKind
    s: int = 0
    m: int = 0


class IndicatorsCb(CallbackData, prefix="ind"):
    """/indicators of a school (s) or a municipality (m): a page of its schools, or the
    method texts."""

    action: str  # page | method | school
    s: int = 0
    m: int = 0
    p: int = 0


class HeadcountCb(CallbackData, prefix="hcn"):
    action: str  # show | edit | page
    s: int = 0
    m: int = 0
    p: int = 0
