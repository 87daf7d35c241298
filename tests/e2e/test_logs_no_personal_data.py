"""With LOG_LEVEL=DEBUG, configured exactly as `python -m bot` does, a registration and
the meeting-scheduling dialog leave no name, username, Telegram id or typed text in any
log record (aiogram-dialog prints whole chats at DEBUG, SQLAlchemy prints parameters)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot import logs
from tests import arrange
from tests.arrange import mentor_and_mentees
from tests.e2e.flows import self_register_mentee
from tests.fakes.client import PersonFactory

MENTEE_TG, MENTOR_TG, PARTNER_TG = 914_273_685, 927_418_356, 938_561_724
MENTEE_NAME = "Зюзюкина Олимпиада Феофановна"
MENTOR_NAME = "Пафнутьев Евлампий Акакиевич"
SECRETS = [
    "Зюзюкин",
    "Олимпиад",
    "olimpiada_zz",
    str(MENTEE_TG),
    "Пафнутьев",
    "Евлампий",
    "evlampiy_pf",
    str(MENTOR_TG),
    "Квазимодо",
]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def bot_logging() -> Iterator[tuple[Capture, io.StringIO]]:
    """The bot's logging at DEBUG; a raw capture on the root, and the bot's own output."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    saved_levels = {name: logging.getLogger(name).level for name in logs.QUIET}
    logs.configure("DEBUG")
    out = io.StringIO()
    for handler in root.handlers:
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(out)
    capture = Capture()
    root.addHandler(capture)
    yield capture, out
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in saved_levels.items():
        logging.getLogger(name).setLevel(level)


async def test_debug_logs_of_registration_and_meeting_dialog_hold_no_personal_data(
    db: AsyncSession, person: PersonFactory, bot_logging: tuple[Capture, io.StringIO]
) -> None:
    capture, out = bot_logging
    _, schools = await arrange.municipality_with_schools(db)
    await mentor_and_mentees(
        db,
        schools[0],
        mentor_tg=MENTOR_TG,
        mentee_tgs=(PARTNER_TG,),
        mentor_name=MENTOR_NAME,
    )
    mentee = person("Олимпиада", user_id=MENTEE_TG, username="olimpiada_zz")
    reply = await self_register_mentee(mentee, name=MENTEE_NAME)
    assert "Анкета отправлена" in reply.text

    mentor = person("Евлампий", user_id=MENTOR_TG, username="evlampiy_pf")
    await mentor.send("/my")
    await mentor.click("Назначить встречу")
    await mentor.click("30")
    await mentor.click("День")
    await mentor.click("15:00")
    await mentor.click("Очно")
    await mentor.send("кабинет Квазимодо")
    reply = await mentor.click("Отправить")
    assert "Приглашение отправлено" in reply.text

    assert capture.lines, "nothing was logged: the capture is not attached"
    assert any("aiogram" in line for line in capture.lines)
    leaks = [line for line in capture.lines if any(s in line for s in SECRETS)]
    assert leaks == []
    printed = out.getvalue()
    assert printed and not [s for s in SECRETS if s in printed]


@pytest.mark.parametrize(
    ("record", "hidden"),
    [
        ("Chat(id=914273685, type='private', first_name='Олимпиада')", ["914273685", "Олимп"]),
        ('{"user_id": 914273685, "full_name": "Зюзюкина О. Ф."}', ["914273685", "Зюзюкина"]),
        ("написал @olimpiada_zz, почта olimp@example.ru", ["olimpiada_zz", "olimp@"]),
        ("телефон +7 (912) 345-67-89", ["345-67-89"]),
        ("text='кабинет Квазимодо' caption=\"фото\"", ["Квазимодо", "фото"]),
    ],
)
def test_the_log_formatter_masks_what_looks_like_personal_data(
    record: str, hidden: list[str]
) -> None:
    formatter = logs.MaskingFormatter("%(message)s")
    line = formatter.format(logging.LogRecord("x", logging.INFO, "", 0, record, None, None))
    assert not [h for h in hidden if h in line], line


def test_the_log_formatter_keeps_what_is_not_personal() -> None:
    formatter = logs.MaskingFormatter("%(message)s")
    text = "outbox row 42: sent in 120 ms, planning: 3 outbox rows planned"
    record = logging.LogRecord("x", logging.INFO, "", 0, text, None, None)
    assert formatter.format(record) == text
