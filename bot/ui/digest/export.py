"""The Excel export as the person sees it: the texts of the workbook (plain: a cell is
not HTML) and the caption of the file."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.i18n import t
from services.export import Exported
from services.export.scope import ExportScope

_TAG = re.compile(r"<[^>]+>")


def plain(key: str, /, **params: Any) -> str:
    """A locale text without markup, for a cell or a terminal (parameters unescaped)."""
    return html.unescape(_TAG.sub("", t(key, **params)))


def caption(scope: ExportScope, exported: Exported) -> str:
    return t("export.caption", scope=scope.name, year=scope.year, sheets=", ".join(exported.rows))
