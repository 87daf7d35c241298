"""Every text the panel's script shows is handed to the page, and exists in the locale
files: a key missed in either would show «undefined» on a curator's phone."""

from __future__ import annotations

import re

from bot.i18n import LOCALES_DIR, load_po_locales
from bot.panel.app import PAGE_TEXTS, STATIC


def test_every_text_the_script_uses_is_on_the_page_and_in_the_locale() -> None:
    script = (STATIC / "panel.js").read_text(encoding="utf-8")
    used = set(re.findall(r'T\["([a-z_.]+)"\]', script))
    assert used, "the script reads no texts: the pattern is wrong"
    given = {key.removeprefix("panel.") for key in PAGE_TEXTS}
    assert used - given == set()
    catalogue = load_po_locales(LOCALES_DIR)["ru"]
    missing = [key for key in PAGE_TEXTS if catalogue.gettext(key) == key]
    assert missing == []
