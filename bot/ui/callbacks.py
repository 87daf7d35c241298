"""Every callback-data class in one place. Callback data is client-supplied: handlers
re-check every id against who pressed the button. Prefixes are short to stay under
Telegram's 64 bytes."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData

from models import Role


class ConsentAction(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    RECONSIDER = "reconsider"
    RENEW = "renew"


class ConsentCb(CallbackData, prefix="cs"):
    action: ConsentAction


class RoleCb(CallbackData, prefix="rl"):
    role: str


class MunicipalityCb(CallbackData, prefix="mu"):
    id: int


class SchoolPageCb(CallbackData, prefix="sp"):
    page: int


class SchoolCb(CallbackData, prefix="sc"):
    id: int


class ChoiceCb(CallbackData, prefix="ch"):
    """A button answer to the current questionnaire field: a value, done or skip."""

    field: str
    value: str


class ToggleCb(CallbackData, prefix="tg"):
    field: str
    item: int


class SummaryAction(enum.StrEnum):
    OK = "ok"
    FIX = "fix"


class SummaryCb(CallbackData, prefix="sm"):
    action: SummaryAction


class FixCb(CallbackData, prefix="fx"):
    field: str


class ProfileCb(CallbackData, prefix="pf"):
    field: str


class PrivacyAction(enum.StrEnum):
    DELETE = "delete"
    CONFIRM = "confirm"
    KEEP = "keep"


class PrivacyCb(CallbackData, prefix="pv"):
    action: PrivacyAction


class ApprovalAction(enum.StrEnum):
    OK = "ok"
    NO = "no"


class ApprovalCb(CallbackData, prefix="ap"):
    action: ApprovalAction
    participant_id: int


# Roles are typed: a forged value does not parse, the filter does not match, and the
# fallback answers «кнопка устарела».
class InviteRoleCb(CallbackData, prefix="ir"):
    role: Role


class InviteScopeCb(CallbackData, prefix="is"):
    role: Role
    school_id: int = 0
    municipality_id: int = 0


class GrantCb(CallbackData, prefix="gr"):
    role: Role  # curator | coordinator
    participant_id: int


# --- feedback, fit and the personal plan ---


class FeedbackRateCb(CallbackData, prefix="fbr"):
    id: int  # Feedback.id
    rating: int


class FeedbackStepCb(CallbackData, prefix="fbs"):
    id: int
    step: str  # the text step being skipped


class FeedbackShareCb(CallbackData, prefix="fbh"):
    id: int
    shared: int  # 1: the other side may read, 0: the curator only


class FitCb(CallbackData, prefix="fit"):
    pair_id: int
    fits: int


class PlanAction(enum.StrEnum):
    ADD = "add"
    TYPE = "type"
    SHOW = "show"


class PlanCb(CallbackData, prefix="pln"):
    action: PlanAction
    pair_id: int


class PlanDeficitCb(CallbackData, prefix="pld"):
    pair_id: int
    mentee_id: int
    item_id: int


class PlanMonthCb(CallbackData, prefix="plm"):
    month: str  # YYYY-MM


class GoalStatusCb(CallbackData, prefix="gls"):
    goal_id: int
    status: str


# --- the meeting cycle ---


class MeetingAction(enum.StrEnum):
    CONFIRM = "confirm"
    COUNTER = "counter"
    MOVE = "move"
    CANCEL = "cancel"
    CANCEL_OK = "cancel_ok"
    KEEP = "keep"
    YES = "yes"  # «Встреча состоялась?» — да
    NO = "no"
    TOPIC_SKIP = "topic_skip"


class MeetingCb(CallbackData, prefix="mt"):
    action: MeetingAction
    meeting_id: int


class MeetingDurationCb(CallbackData, prefix="mdu"):
    meeting_id: int
    minutes: int


class PairMeetingAction(enum.StrEnum):
    SCHEDULE = "schedule"
    LOG = "log"
    FINAL = "final"
    FINAL_OK = "final_ok"


class PairMeetingCb(CallbackData, prefix="pmt"):
    action: PairMeetingAction
    pair_id: int


class MeetingsPageCb(CallbackData, prefix="mpg"):
    page: int


class StageSkipCb(CallbackData, prefix="ssk"):
    """The curator's «Пропустить этап» on a pair (asks for a typed reason)."""

    pair_id: int


# --- pairs and matching ---


class UnmatchedPageCb(CallbackData, prefix="unm"):
    page: int


class MatchCb(CallbackData, prefix="mch"):
    """«Подобрать наставника» for a mentee: the ranked list, one page of it."""

    mentee_id: int
    page: int = 0


class PickMentorCb(CallbackData, prefix="mpk"):
    mentee_id: int
    mentor_id: int


class GroupChoiceCb(CallbackData, prefix="mgr"):
    mentee_id: int
    mentor_id: int
    pair_id: int  # the group to join; 0 = a separate pair


class OrderAction(enum.StrEnum):
    NONE = "none"
    TYPED = "typed"


class OrderChoiceCb(CallbackData, prefix="mor"):
    action: OrderAction
    mentee_id: int
    mentor_id: int
    pair_id: int


class FormPairAction(enum.StrEnum):
    OK = "ok"
    CANCEL = "cancel"


class FormPairCb(CallbackData, prefix="mfm"):
    action: FormPairAction
    mentee_id: int
    mentor_id: int


class PairsPageCb(CallbackData, prefix="prl"):
    page: int


class PairAction(enum.StrEnum):
    CARD = "card"
    END = "end"
    PAUSE = "pause"
    RESUME = "resume"


class PairCb(CallbackData, prefix="prc"):
    action: PairAction
    pair_id: int


class PauseCb(CallbackData, prefix="prz"):
    pair_id: int
    weeks: int  # 0 = a typed date
