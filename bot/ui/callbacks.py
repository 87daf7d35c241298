"""Every callback-data class in one place. Callback data is client-supplied: handlers
re-check every id against who pressed the button. Prefixes are short to stay under
Telegram's 64 bytes."""

from __future__ import annotations

import enum
from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from models import Role

# Every number in callback data is an id, a page, a count or a score: never negative,
# and never past the database's BIGINT. Anything else does not parse, so the button is
# answered as stale instead of reaching a query.
Number = Annotated[int, Field(ge=0, le=2**63 - 1)]


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
    id: Number


class SchoolPageCb(CallbackData, prefix="sp"):
    page: Number


class SchoolCb(CallbackData, prefix="sc"):
    id: Number


class ChoiceCb(CallbackData, prefix="ch"):
    """A button answer to the current questionnaire field: a value, done or skip."""

    field: str
    value: str


class ToggleCb(CallbackData, prefix="tg"):
    field: str
    item: Number


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
    participant_id: Number


# Roles are typed: a forged value does not parse, the filter does not match, and the
# fallback answers «кнопка устарела».
class InviteRoleCb(CallbackData, prefix="ir"):
    role: Role


class InviteScopeCb(CallbackData, prefix="is"):
    role: Role
    school_id: Number = 0
    municipality_id: Number = 0


class GrantCb(CallbackData, prefix="gr"):
    role: Role  # curator | coordinator | club_organiser
    participant_id: Number


# --- feedback, fit and the personal plan ---


class FeedbackRateCb(CallbackData, prefix="fbr"):
    id: Number  # Feedback.id
    rating: Number


class FeedbackStepCb(CallbackData, prefix="fbs"):
    id: Number
    step: str  # the text step being skipped


class FeedbackShareCb(CallbackData, prefix="fbh"):
    id: Number
    shared: Number  # 1: the other side may read, 0: the curator only


class FitCb(CallbackData, prefix="fit"):
    pair_id: Number
    fits: Number


class PlanAction(enum.StrEnum):
    ADD = "add"
    TYPE = "type"
    SHOW = "show"


class PlanCb(CallbackData, prefix="pln"):
    action: PlanAction
    pair_id: Number


class PlanDeficitCb(CallbackData, prefix="pld"):
    pair_id: Number
    mentee_id: Number
    item_id: Number


class PlanMonthCb(CallbackData, prefix="plm"):
    month: str  # YYYY-MM


class GoalStatusCb(CallbackData, prefix="gls"):
    goal_id: Number
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
    meeting_id: Number


class MeetingDurationCb(CallbackData, prefix="mdu"):
    meeting_id: Number
    minutes: Number


class PairMeetingAction(enum.StrEnum):
    SCHEDULE = "schedule"
    LOG = "log"
    FINAL = "final"
    FINAL_OK = "final_ok"


class PairMeetingCb(CallbackData, prefix="pmt"):
    action: PairMeetingAction
    pair_id: Number


class MeetingsPageCb(CallbackData, prefix="mpg"):
    page: Number


class StageSkipCb(CallbackData, prefix="ssk"):
    """The curator's «Пропустить этап» on a pair (asks for a typed reason)."""

    pair_id: Number


# --- pairs and matching ---


class UnmatchedPageCb(CallbackData, prefix="unm"):
    page: Number


class MatchCb(CallbackData, prefix="mch"):
    """«Подобрать наставника» for a mentee: the ranked list, one page of it."""

    mentee_id: Number
    page: Number = 0


class PickMentorCb(CallbackData, prefix="mpk"):
    mentee_id: Number
    mentor_id: Number


class GroupChoiceCb(CallbackData, prefix="mgr"):
    mentee_id: Number
    mentor_id: Number
    pair_id: Number  # the group to join; 0 = a separate pair


class OrderAction(enum.StrEnum):
    NONE = "none"
    TYPED = "typed"


class OrderChoiceCb(CallbackData, prefix="mor"):
    action: OrderAction
    mentee_id: Number
    mentor_id: Number
    pair_id: Number


class FormPairAction(enum.StrEnum):
    OK = "ok"
    CANCEL = "cancel"


class FormPairCb(CallbackData, prefix="mfm"):
    action: FormPairAction
    mentee_id: Number
    mentor_id: Number


class PairsPageCb(CallbackData, prefix="prl"):
    page: Number


class PairAction(enum.StrEnum):
    CARD = "card"
    END = "end"
    PAUSE = "pause"
    RESUME = "resume"


class PairCb(CallbackData, prefix="prc"):
    action: PairAction
    pair_id: Number


class PauseCb(CallbackData, prefix="prz"):
    pair_id: Number
    weeks: Number  # 0 = a typed date


class BulkAction(enum.StrEnum):
    START = "go"
    PAGE = "pg"
    REMOVE = "rm"
    SWAP = "sw"  # the other mentors one mentee could have
    PICK = "pk"  # this mentor for this mentee instead
    ORDER = "od"  # type one order (приказ) for all the pairs
    CONFIRM = "ok"
    CANCEL = "no"


class BulkMatchCb(CallbackData, prefix="mbk"):
    """«Подобрать всем»: the proposal lives in the presser's FSM data; the ids here are
    checked against it (and the presser's scope) before anything happens."""

    action: BulkAction
    page: Number = 0
    mentee_id: Number = 0
    mentor_id: Number = 0


class ClubAction(enum.StrEnum):
    LIST = "l"
    OPEN = "o"
    GOING = "y"
    NOT_GOING = "n"
    ADD = "a"
    PUBLISH = "p"
    EDIT = "e"
    CANCEL = "c"
    CANCEL_YES = "cy"
    WHO = "w"
    REPOST = "rp"  # the channel post again, after the bot was made an admin
    ATTEND = "at"  # the attendance list
    WALK_IN = "wi"  # add someone who came without answering
    FINISH = "fi"  # attendance done: ask the attendees for a rating
    ADD_MATERIAL = "ma"
    MATERIALS = "ms"  # send me the event's materials
    JOIN = "j"  # join the club
    LEAVE = "lv"
    MEMBERS = "mb"  # the organiser's list of members and shares


class ClubCb(CallbackData, prefix="club"):
    action: ClubAction
    event_id: Number = 0


class ClubPlace(enum.StrEnum):
    """What an organiser with several places is choosing the place of."""

    EVENT = "e"  # a new event (the form)
    NOTE = "n"  # an announcement (/announce): whose people
    PLAN = "i"  # the year's plan from a file (/club_import): where its events go


class ClubPlaceCb(CallbackData, prefix="clpl"):
    """The place chosen: a municipality's club ("m") or a school ("s")."""

    what: ClubPlace
    lvl: str
    id: Number

    @property
    def place(self) -> tuple[int, int]:
        """(municipality, school) as services.club.scope.organising_at takes them."""
        return (0, self.id) if self.lvl == "s" else (self.id, 0)


class ClubChannelCb(CallbackData, prefix="clch"):
    """/club_channel for an organiser of several municipalities' clubs: whose channel
    the chat becomes. ``chat`` is the channel's id without its minus sign (ids here are
    not negative); it is the person's own typed argument, checked again on the press."""

    m: Number
    chat: Number

    @property
    def chat_id(self) -> int:
        return -self.chat


class ClubMarkCb(CallbackData, prefix="clm"):
    """Attendance: toggle one person on an event's list."""

    event_id: Number
    participant_id: Number


class ClubNoteAction(enum.StrEnum):
    ALL = "all"
    MENTORS = "mentors"
    MENTEES = "mentees"
    YOUNG = "young"
    CURATORS = "curators"
    SEND = "send"
    EDIT = "edit"
    DROP = "drop"


class ClubNoteCb(CallbackData, prefix="cln"):
    """A curator's announcement to their school: audience, then send / edit / drop."""

    action: ClubNoteAction


class ClubImportCb(CallbackData, prefix="cli"):
    """The club plan import's preview: «go» or «cancel», tied to its preview."""

    action: str
    token: str


class ClubRateCb(CallbackData, prefix="clr"):
    """An attendee's one-tap rating of an event (1–5)."""

    event_id: Number
    score: Annotated[int, Field(ge=1, le=5)]


class PortfolioAction(enum.StrEnum):
    ADD = "add"
    KIND = "kind"
    LEVEL = "lvl"
    RESULT = "res"
    NO_FILE = "nofile"
    FILE = "file"  # send an entry's file
    PERSON = "person"  # open someone's portfolio
    DOC = "doc"  # «Портфолио достижений» (.docx)


class PortfolioCb(CallbackData, prefix="pf"):
    action: PortfolioAction
    id: Number = 0
    value: str = ""


class ProposalAction(enum.StrEnum):
    ACCEPT = "ok"  # «Беру»
    DECLINE = "no"  # «Не могу»: the reasons come next
    REASON = "rs"  # a reason from the buttons
    TYPED = "tp"  # «Напишу причину»


class ProposalCb(CallbackData, prefix="ppa"):
    """The mentor's answer to a proposal (services.pairs.proposals)."""

    action: ProposalAction
    id: Number
    reason: Annotated[int, Field(ge=0, le=9)] = 0


class EndingAction(enum.StrEnum):
    ASK = "ask"  # id: the pair
    CANCEL = "cancel"  # id: the ending


class EndingCb(CallbackData, prefix="pen"):
    """Ending a pair early with notice (services.pairs.early_end)."""

    action: EndingAction
    id: Number


class HoursCb(CallbackData, prefix="hrs"):
    """Logging mentoring work: a kind (models.ActivityKind), then the minutes (0: ask)."""

    kind: str
    minutes: Annotated[int, Field(ge=0, le=600)] = 0


class AddendumCb(CallbackData, prefix="pad"):
    """«Доп. соглашение» on the curator's pair card (staff only)."""

    pair_id: Number


class AddendumEndCb(CallbackData, prefix="pae"):
    """«Завершить в этот день»: the pair completes when its addendum's period ends."""

    addendum_id: Number


# --- the region level ---


class RegionCb(CallbackData, prefix="rgn"):
    """/indicators of a region (r): a page (p) of its municipalities."""

    r: Number
    p: Number = 0


class HonorAction(enum.StrEnum):
    BOARD = "b"  # the board again
    NOMINATE = "n"  # an organiser starts a nomination (asks for a name)
    PICK = "p"  # the mentor found by name (participant_id)
    SEND = "s"  # the citation's preview confirmed: ask the mentor
    AGREE = "y"  # the mentor agrees to the citation being shown (entry_id)
    REFUSE = "r"  # the mentor does not (entry_id)
    WITHDRAW = "w"  # the mentor takes their entry off (entry_id)
    REMOVE = "x"  # the organiser takes an entry off (entry_id)


class HonorCb(CallbackData, prefix="hon"):
    action: HonorAction
    entry_id: Number = 0
    participant_id: Number = 0
    shown: Number = 0  # AGREE / REFUSE: services.club.honor.stamp of the words shown


# --- school holidays ---


class HolidayAction(enum.StrEnum):
    ADD = "a"  # a coordinator adds holidays to a municipality (m): the date dialog
    ASK = "q"  # «🗑» on a holiday (h): are you sure?
    REMOVE = "r"  # yes, remove it (h)
    LIST = "l"  # a municipality's list (m; 0 from buttons older than the choice: as PICK)
    PICK = "p"  # the choice of a municipality, for a person with several


class HolidayCb(CallbackData, prefix="hld"):
    action: HolidayAction
    m: Number = 0  # the municipality: whose holidays to add, or the list to go back to
    h: Number = 0


# --- the programme's rhythm and thresholds (/programme) ---


class ProgrammeAction(enum.StrEnum):
    VIEW = "v"  # the programme again
    FIELD = "f"  # the choices for one setting (f)
    SET = "s"  # the choice (i) for the setting (f)
    PERIOD = "p"  # the programme's first and last day, in a calendar dialog


class ProgrammeCb(CallbackData, prefix="prg"):
    action: ProgrammeAction
    lvl: str  # "s": a school, "m": a municipality
    id: Number
    f: str = ""
    i: Number = 0


# --- which of the person's scopes /export and /spravka make a file of ---


class ScopePickCb(CallbackData, prefix="scp"):
    what: str  # "export" | "spravka"
    lvl: str  # "r": a region, "m": a municipality, "s": a school
    id: Number
