"""Every text the import layer can ask for exists in imports.po: each «imports.…» key
written in its sources, the reasons a row is skipped, each spec column's name in the
preview."""

from __future__ import annotations

import re
from pathlib import Path

from bot.i18n import LOCALES_DIR, load_po_locales
from services.imports.specs import SPECS

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    *(ROOT / "services" / "imports").glob("*.py"),
    ROOT / "handlers" / "imports.py",
    ROOT / "bot" / "ui" / "imports.py",
    ROOT / "bot" / "cli_imports.py",
]
_KEY = re.compile(r"""["'](imports\.[a-z_]+(?:\.[a-z_]+)*)["']""")
_SKIP = re.compile(r"""Skipped\([^,]+,\s*["']([a-z_]+)["']""")


def test_every_import_text_exists() -> None:
    catalogue = load_po_locales(LOCALES_DIR)["ru"]
    sources = "\n".join(p.read_text() for p in SOURCES)
    keys = set(_KEY.findall(sources))
    keys |= {f"imports.skipped.{reason}" for reason in _SKIP.findall(sources)}
    keys |= {f"imports.column.{c.key}" for spec in SPECS.values() for c in spec.columns}
    assert {"imports.err.no_municipality", "imports.file.xls", "imports.skipped.scope"} <= keys
    missing = sorted(k for k in keys if catalogue.gettext(k) == k)
    assert missing == []
