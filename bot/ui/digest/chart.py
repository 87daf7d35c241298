"""The digest's picture: meetings held per week over twelve weeks (the digest's own week
highlighted), and each official indicator against the year's target. Drawn with
matplotlib's object API on the Agg canvas (no pyplot), large type on a 720-pixel-wide
image so it reads on a phone, saved as a JPEG (Telegram turns every photo into one
anyway, and it encodes in a fifth of a PNG's time). Rendered when the digest is sent;
no image is stored."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.transforms import Affine2D

from bot.i18n import t
from services.digest.content import Digest

WIDTH, HEIGHT, DPI = 8.0, 9.0, 90  # 720×810 pixels for four indicators
BASE_HEIGHT = 40 + 16 + 12 * 4  # the axes' units of that image
WEEKS_HEIGHT = 40
ROW = 12
BAR_HEIGHT = 4.0
TRACK_END = 88  # the value's text goes after it
BAR = "#9DB9D8"
THIS_WEEK = "#2F6DB5"
MET, NOT_MET, TARGET, TRACK, AXIS = "#3A9E5F", "#E08A2C", "#222222", "#EEEEEE", "#888888"


def _boxes(rects: list[tuple[float, float, float, float]], colours: list[str]) -> PolyCollection:
    """Rectangles (x, y, width, height) as one collection: one artist, however many."""
    verts = [[(x, y), (x + w, y), (x + w, y + h), (x, y + h)] for x, y, w, h in rects]
    return PolyCollection(verts, facecolors=colours, edgecolors="none")


# One figure per number of indicator rows, reused: its Agg renderer stays, and with it
# matplotlib's cache of text metrics (keyed by the renderer), which a new figure would
# start empty. Rendering is synchronous (one chart at a time in the event loop's
# thread), so a figure is never drawn twice at once.
_FIGURES: dict[int, Figure] = {}


def _figure(rows: int) -> Figure:
    fig = _FIGURES.get(rows)
    if fig is None:
        height = WEEKS_HEIGHT + 16 + ROW * rows
        fig = Figure(figsize=(WIDTH, HEIGHT * height / BASE_HEIGHT), dpi=DPI)
        FigureCanvasAgg(fig)
        _FIGURES[rows] = fig
    fig.clear()
    return fig


def render(d: Digest) -> bytes:
    """Drawn on the figure itself (no axes, no ticks), everything placed in its own
    units (x 0–100): a couple of dozen texts and four collections. An axes with ticks
    costs several times as much, and the chart is drawn at send time."""
    values = list(d.indicators)
    rows = max(len(values), 1)
    height = WEEKS_HEIGHT + 16 + ROW * rows  # in the drawing's units
    fig = _figure(rows)
    units = Affine2D().scale(0.92 / 100, 0.96 / height).translate(0.04, 0.02) + fig.transFigure

    def text(x: float, y: float, value: str, size: int, va: str, ha: str = "left") -> None:
        fig.text(x, y, value, fontsize=size, transform=units, va=va, ha=ha)

    def add(artist: PolyCollection | LineCollection) -> None:
        artist.set_transform(units)
        fig.add_artist(artist)

    # Meetings per week: bars in the top part, the digest's own week darker.
    y0 = height - 8 - WEEKS_HEIGHT + 6
    text(0, height - 2, t("digest.chart.meetings"), 18, va="top")
    counts = [n for _, n in d.weekly]
    scale = (WEEKS_HEIGHT - 14) / max([*counts, 1])
    step = 100 / max(len(counts), 1)
    xs = [step * (n + 0.5) for n in range(len(counts))]
    add(
        _boxes(
            [
                (x - step * 0.36, y0, step * 0.72, n * scale)
                for x, n in zip(xs, counts, strict=True)
            ],
            [BAR] * (len(counts) - 1) + [THIS_WEEK],
        )
    )
    add(LineCollection([[(0, y0), (100, y0)]], colors=AXIS, linewidths=1))
    for x, n in zip(xs, counts, strict=True):
        if n:
            text(x, y0 + n * scale + 0.8, str(n), 14, ha="center", va="bottom")
    for i in range(len(xs) - 1, -1, -2):  # every other week, back from the digest's own
        text(xs[i], y0 - 1.2, d.weekly[i][0].strftime("%d.%m"), 13, ha="center", va="top")

    # Indicators: the name above a track of 100 %, the value's bar on it, the target as
    # a black stroke across, the value at the end.
    top = y0 - 10
    text(0, top, t("digest.chart.indicators"), 18, va="top")
    ys = [top - 12 - ROW * n for n in range(len(values))]
    known = [v.percent is not None and not v.hidden for v in values]
    half = BAR_HEIGHT / 2
    add(_boxes([(0, y - half, TRACK_END, BAR_HEIGHT) for y in ys], [TRACK] * len(ys)))
    add(
        _boxes(
            [
                (
                    0,
                    y - half,
                    min(v.percent or 0.0, 100.0) * TRACK_END / 100 if k else 0,
                    BAR_HEIGHT,
                )
                for v, y, k in zip(values, ys, known, strict=True)
            ],
            [MET if v.met else NOT_MET if v.met is False else BAR for v in values],
        )
    )
    strokes = [
        [(v.target * TRACK_END / 100, y - half * 1.6), (v.target * TRACK_END / 100, y + half * 1.6)]
        for v, y in zip(values, ys, strict=True)
        if v.target is not None
    ]
    if strokes:
        add(LineCollection(strokes, colors=TARGET, linewidths=3))
    for v, y, k in zip(values, ys, known, strict=True):
        text(0, y + half * 1.4, t(f"indicator.{v.code}.short"), 14, va="bottom")
        text(TRACK_END + 2, y, f"{round(v.percent or 0)} %" if k else "—", 14, va="center")
    if not any(known):
        text(0, top - 5, t("digest.chart.no_values"), 12, va="top")

    buffer = io.BytesIO()
    fig.savefig(buffer, format="jpeg", dpi=DPI, pil_kwargs={"quality": 90})
    return buffer.getvalue()
