"""What the «Доска почёта» looks like: the board with its buttons, the mentors found
for a nomination, the citation's preview, and the request to the mentor."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.i18n import Html, t
from bot.ui.callbacks import HonorAction, HonorCb
from services.club.honor import Board, Candidate, Card


def _card_text(card: Card) -> str:
    lines = [t("honor.card.name", name=card.full_name, school=card.school_name)]
    if card.subject:
        lines.append(t("honor.card.subject", subject=card.subject))
    lines.append(t("honor.card.citation", citation=card.citation))
    if not card.published:
        lines.append(t("honor.card.awaiting"))
    return "\n".join(lines)


def board_text(board: Board) -> str:
    if not board.cards:
        empty = t("honor.board.empty_organiser") if board.organiser else t("honor.board.empty")
        return t("honor.board.title") + "\n\n" + empty
    cards = "\n\n".join(_card_text(c) for c in board.cards)
    return t("honor.board.title") + "\n\n" + cards


def board_markup(board: Board) -> InlineKeyboardMarkup | None:
    kb = InlineKeyboardBuilder()
    if board.organiser:
        kb.button(
            text=t("honor.button.nominate"), callback_data=HonorCb(action=HonorAction.NOMINATE)
        )
        for card in board.cards:
            kb.button(
                text=t("honor.button.remove", name=card.full_name),
                callback_data=HonorCb(action=HonorAction.REMOVE, entry_id=card.entry_id),
            )
    if board.mine is not None:
        kb.button(
            text=t("honor.button.withdraw"),
            callback_data=HonorCb(action=HonorAction.WITHDRAW, entry_id=board.mine),
        )
    kb.adjust(1)
    markup = kb.as_markup()
    return markup if markup.inline_keyboard else None


def candidates_text(found: list[Candidate], query: str) -> str:
    if not found:
        return t("honor.nominate.none", query=query)
    return t("honor.nominate.found")


def candidates_markup(found: list[Candidate]) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for c in found:
        label = t("honor.button.candidate", name=c.full_name, school=c.school_name)
        if c.on_board:
            label = t("honor.button.candidate_on_board", name=c.full_name, school=c.school_name)
        kb.button(
            text=label,
            callback_data=HonorCb(action=HonorAction.PICK, participant_id=c.participant_id),
        )
    kb.button(text=t("honor.button.back"), callback_data=HonorCb(action=HonorAction.BOARD))
    kb.adjust(1)
    return kb.as_markup()


def ask_citation_text(name: str) -> str:
    return t("honor.nominate.ask_citation", name=name)


def preview_text(name: str, citation: str) -> str:
    return t("honor.nominate.preview", name=name, citation=citation)


def preview_markup(participant_id: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("honor.button.send"),
        callback_data=HonorCb(action=HonorAction.SEND, participant_id=participant_id),
    )
    kb.button(text=t("honor.button.back"), callback_data=HonorCb(action=HonorAction.BOARD))
    kb.adjust(1)
    return kb.as_markup()


def request_text(citation: str, municipality: str) -> str:
    """To the mentor: what would be shown, to whom, and that it is their choice."""
    return t("honor.ask.text", citation=citation, municipality=municipality)


def request_markup(entry_id: int, shown: int) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(
        text=t("honor.button.agree"),
        callback_data=HonorCb(action=HonorAction.AGREE, entry_id=entry_id, shown=shown),
    )
    kb.button(
        text=t("honor.button.refuse"),
        callback_data=HonorCb(action=HonorAction.REFUSE, entry_id=entry_id, shown=shown),
    )
    kb.adjust(1)
    return kb.as_markup()


def answered_text(name: str, agreed: bool) -> Html:
    key = "honor.answered.agreed" if agreed else "honor.answered.refused"
    return Html(t(key, name=name))
