"""Logging for the running bot: no personal data at any level, LOG_LEVEL=DEBUG included.

First line: libraries that print whole objects or query parameters (chats with names,
rows, FSM data) stay at INFO/WARNING whatever LOG_LEVEL says; DEBUG is for our code.
Second line: the root handler's formatter masks what still looks like personal data
(names, usernames, ids, phones, e-mails, message texts in object reprs), tracebacks too.
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Their DEBUG (and for some INFO) prints Chat/User objects, SQL parameters and rows,
# FSM data or client addresses.
QUIET = {
    "aiogram_dialog": logging.INFO,
    "aiogram.scene": logging.INFO,
    "aiogram.webhook": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "aiosqlite": logging.INFO,
    "asyncpg": logging.WARNING,
    "aiohttp.access": logging.WARNING,
    "aiohttp.server": logging.INFO,
    "apscheduler": logging.WARNING,  # also: a line per tick drowns what matters
    "redis": logging.INFO,
}

_FIELDS = (
    "first_name|last_name|full_name|username|title|text|caption|phone_number|phone|email"
    "|bio|description|name|place|topic|comment|reason"
)
_MASKS = [
    # key='value' / key="value" in reprs, "key": "value" in JSON
    (re.compile(rf"""\b({_FIELDS})(=|["']?\s*:\s*)(['"])(?:\\.|(?!\3).)*\3"""), r"\1\2\3***\3"),
    # ids in reprs and JSON: id=700000001, "user_id": 700000001 (short ids, e.g. of rows, stay)
    (re.compile(r"""\b(\w*id)(=|["']?\s*:\s*)-?\d{5,}"""), r"\1\2***"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "***@***"),
    (re.compile(r"(?<![\w/])@\w{4,}"), "@***"),
    (re.compile(r"(?<!\d)\+?[78][\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)"), "***"),
]


def mask(text: str) -> str:
    for pattern, repl in _MASKS:
        text = pattern.sub(repl, text)
    return text


class MaskingFormatter(logging.Formatter):
    """A formatter rather than a Filter, so the traceback is masked as well."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def configure(level: str) -> None:
    """The bot's logging, for `python -m bot` and for the tests that check it."""
    logging.basicConfig(level=level.upper(), format=FORMAT, force=True)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(MaskingFormatter(FORMAT))
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(floor)
