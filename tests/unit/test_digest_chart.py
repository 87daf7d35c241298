"""The digest's chart: a 720-pixel-wide JPEG with its bars, values and targets, and the
same picture whatever was drawn before it (the static part of each figure is kept as a
copy of the canvas and restored, see bot.ui.digest.chart)."""

from __future__ import annotations

import datetime as dt
import io

from aiogram.utils.i18n import I18n
from PIL import Image

from bot.ui.digest import chart
from services.digest.content import Digest, week_of
from services.export.scope import Level
from services.indicators import Level as ReportLevel
from services.indicators import Report, Value

DAY = dt.date(2026, 11, 23)


def _digest(counts: list[int], values: list[Value]) -> Digest:
    d = Digest(Level.SCHOOL, "МБОУ «Лицей»", "2026/2027", week_of(DAY))
    d.weekly = [(DAY - dt.timedelta(days=7 * (len(counts) - i)), n) for i, n in enumerate(counts)]
    d.report = Report(ReportLevel.SCHOOL, d.scope_name, d.year, 1, 4, values, [])
    return d


FOUR = [
    Value("coverage_young", 5, 8, target=100),  # 62 %: not met, orange
    Value("growth", None, None, target=100),  # no data: «—»
    Value("satisfaction_mentees", 9, 10, target=75),  # 90 %: met, green
    Value("satisfaction_mentors", 1, 4, target=75),
]
TWO_UNKNOWN = [Value("growth", None, None, target=100), Value("coverage_young", 0, 0)]


def _image(data: bytes) -> Image.Image:
    assert data.startswith(b"\xff\xd8")  # a JPEG, as Telegram keeps photos anyway
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    return image.convert("RGB")


def _near(image: Image.Image, colour: str, tolerance: int = 24) -> int:
    """How many pixels are within the tolerance of the colour (JPEG shifts them a bit)."""
    want = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    near = 0
    for n, pixel in image.getcolors(maxcolors=1 << 20) or []:
        assert isinstance(pixel, tuple)
        if all(abs(a - b) <= tolerance for a, b in zip(pixel, want, strict=True)):
            near += n
    return near


def test_the_chart_is_a_phone_sized_jpeg_with_bars_values_and_targets(i18n: I18n) -> None:
    with i18n.context():
        image = _image(chart.render(_digest([1, 3, 0, 2, 5, 4, 2, 1, 0, 2, 3, 6], FOUR)))
        short = _image(chart.render(_digest([1] * 12, TWO_UNKNOWN)))
    assert image.size == (720, 810)
    assert short.size[0] == 720 and short.size[1] < 810  # fewer rows, a shorter picture
    assert _near(image, chart.THIS_WEEK) > 1000  # the digest's own week, highlighted
    assert _near(image, chart.BAR) > 5000  # the eleven weeks before it
    assert _near(image, chart.NOT_MET) > 1000 and _near(image, chart.MET) > 1000
    assert _near(image, chart.TARGET, 40) > 300  # target strokes and the texts
    assert _near(short, chart.MET) == 0 and _near(short, chart.NOT_MET) == 0


def test_the_same_digest_gives_the_same_picture_whatever_was_drawn_before(
    i18n: I18n,
) -> None:
    a = _digest([1, 3, 0, 2, 5, 4, 2, 1, 0, 2, 3, 6], FOUR)
    b = _digest([7, 0, 0, 1, 1, 1, 2, 9, 0, 0, 3, 1], list(reversed(FOUR)))
    c = _digest([0] * 11 + [1], TWO_UNKNOWN)
    with i18n.context():
        chart._CANVASES.clear()
        fresh = {name: chart.render(d) for name, d in (("a", a), ("b", b))}
        chart._CANVASES.clear()
        fresh["c"] = chart.render(c)
        again = [chart.render(d) for d in (a, c, b, a, a, c, b)]
    assert again == [fresh[n] for n in "acbaacb"]
    assert fresh["a"] != fresh["b"]


def test_the_kept_static_parts_are_bounded(i18n: I18n) -> None:
    with i18n.context():
        chart._CANVASES.clear()
        for n in range(chart.BACKGROUNDS + 3):  # each its own dates: its own static part
            d = _digest([1] * 12, FOUR)
            d.weekly = [(day + dt.timedelta(days=7 * n), k) for day, k in d.weekly]
            chart.render(d)
    assert [len(kept.backgrounds) for kept in chart._CANVASES.values()] == [chart.BACKGROUNDS]
