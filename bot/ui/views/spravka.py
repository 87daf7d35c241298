"""The справка as the person sees it in the chat: the file's caption. The document's
own texts are plain (a Word run is not HTML): the export's ``plain``."""

from __future__ import annotations

from bot.i18n import t
from bot.ui.digest.export import plain
from services.export.scope import ExportScope

__all__ = ["caption", "plain"]


def caption(scope: ExportScope) -> str:
    return t("spravka.caption", scope=scope.name, year=scope.year)
