"""Texts from gettext .po files, read with Babel at start-up.

Message ids are keys (``consent.title``), the Russian text lives in
``bot/locales/ru/LC_MESSAGES/*.po``: every file there is one part of the catalogue,
so each use case keeps its own texts. Compiling in memory means no stale .mo file.
"""

from __future__ import annotations

import gettext
import html
import io
from pathlib import Path
from typing import Any

from aiogram.utils.i18n import I18n
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
DEFAULT_LOCALE = "ru"


def load_po_locales(path: Path, domain: str = "messages") -> dict[str, gettext.GNUTranslations]:
    """Every language folder's *.po files merged into one compiled catalogue."""
    translations: dict[str, gettext.GNUTranslations] = {}
    for lang_dir in sorted(p for p in path.iterdir() if p.is_dir()):
        po_files = sorted((lang_dir / "LC_MESSAGES").glob("*.po"))
        if not po_files:
            continue
        merged = Catalog(locale=lang_dir.name, domain=domain)
        for po in po_files:
            with po.open("rb") as fh:
                part = read_po(fh, locale=lang_dir.name)
            for message in part:
                if message.id:
                    if message.id in merged:
                        raise RuntimeError(f"duplicate text key {message.id!r} in {po.name}")
                    merged[message.id] = message
        buf = io.BytesIO()
        write_mo(buf, merged)
        buf.seek(0)
        translations[lang_dir.name] = gettext.GNUTranslations(buf)
    return translations


def create_i18n() -> I18n:
    # aiogram's I18n looks for compiled messages.mo files; ours are read from .po here.
    i18n = I18n(path=LOCALES_DIR, default_locale=DEFAULT_LOCALE, domain="messages")
    i18n.locales = load_po_locales(LOCALES_DIR)
    return i18n


class Html(str):
    """A parameter that is already HTML (built from other texts): not escaped again."""


def t(key: str, /, n: int | None = None, **params: Any) -> str:
    """The text for ``key`` in the current locale, formatted with ``params``.

    Parameters are HTML-escaped (names and answers come from users) unless wrapped in
    ``Html``. With ``n`` the plural form for that number is chosen (``{n}`` available).
    """
    i18n = I18n.get_current(no_error=False)
    params = {
        k: v if isinstance(v, Html) or not isinstance(v, str) else html.escape(v)
        for k, v in params.items()
    }
    if n is None:
        text = i18n.gettext(key)
    else:
        text = i18n.gettext(key, key, n)
        params["n"] = n
    return text.format(**params) if params else text
