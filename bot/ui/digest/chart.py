"""The digest's picture: meetings held per week over twelve weeks (the digest's own week
highlighted), and each official indicator against the year's target. Drawn with
matplotlib's object API on the Agg canvas (no pyplot), large type on a 720-pixel-wide
image so it reads on a phone, saved as a JPEG (Telegram turns every photo into one
anyway, and it encodes in a fifth of a PNG's time). Rendered when the digest is sent;
no image is stored."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Affine2D, Transform
from PIL import Image

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
# start empty. Its static part (the two headings, the weeks' dates, the indicators'
# names, the grey tracks) is drawn once and kept as a copy of the canvas; each chart
# restores that copy and draws only what changes (bars, counts, values) on it, then hands the
# canvas's pixels to Pillow: savefig would draw the whole figure again. Rendering is
# synchronous (one chart at a time in the event loop's thread), so a figure is never
# drawn twice at once.
@dataclass
class _Canvas:
    fig: Figure
    canvas: Any  # FigureCanvasAgg, whose methods carry no annotations
    units: Transform
    height: float
    # Static parts drawn, by what they show (recent last): schools' digests differ in
    # them (one has no values yet, another a different list), and alternating between
    # two must not redraw each time.
    backgrounds: dict[tuple[str, ...], Any] = field(default_factory=dict)


BACKGROUNDS = 8  # per figure; 2.3 MB each at 720×810


_CANVASES: dict[int, _Canvas] = {}


def _canvas(rows: int) -> _Canvas:
    kept = _CANVASES.get(rows)
    if kept is None:
        height = WEEKS_HEIGHT + 16 + ROW * rows  # in the drawing's units
        fig = Figure(figsize=(WIDTH, HEIGHT * height / BASE_HEIGHT), dpi=DPI)
        units = Affine2D().scale(0.92 / 100, 0.96 / height).translate(0.04, 0.02) + fig.transFigure
        kept = _CANVASES[rows] = _Canvas(fig, FigureCanvasAgg(fig), units, height)
    return kept


def render(d: Digest) -> bytes:
    """Drawn on the figure itself (no axes, no ticks), everything placed in its own
    units (x 0–100): a couple of dozen texts and four collections. An axes with ticks
    costs several times as much, and the chart is drawn at send time."""
    values = list(d.indicators)
    rows = max(len(values), 1)
    kept = _canvas(rows)
    fig, units, height = kept.fig, kept.units, kept.height
    dynamic: list[Artist] = []

    def text(x: float, y: float, value: str, size: int, va: str, ha: str = "left") -> Text:
        label = Text(x, y, value, fontsize=size, va=va, ha=ha)
        label.set_figure(fig)
        label.set_transform(units)
        return label

    def add(artist: Artist) -> None:
        artist.set_figure(fig)
        artist.set_transform(units)
        dynamic.append(artist)

    y0 = height - 8 - WEEKS_HEIGHT + 6
    top = y0 - 10
    ys = [top - 12 - ROW * n for n in range(len(values))]
    known = [v.percent is not None and not v.hidden for v in values]
    half = BAR_HEIGHT / 2

    # The static part: headings, the weeks' dates (every other week, back from the
    # digest's own: the same for every digest of the day), the indicators' names above
    # their tracks of 100 %.
    counts = [n for _, n in d.weekly]
    step = 100 / max(len(counts), 1)
    xs = [step * (n + 0.5) for n in range(len(counts))]
    dates = [(xs[i], d.weekly[i][0].strftime("%d.%m")) for i in range(len(xs) - 1, -1, -2)]
    names = [t(f"indicator.{v.code}.short") for v in values]
    meetings, indicators = t("digest.chart.meetings"), t("digest.chart.indicators")
    no_values = t("digest.chart.no_values") if not any(known) else ""
    key = (meetings, indicators, no_values, *names, *(f"{x:.3f} {s}" for x, s in dates))
    background = kept.backgrounds.pop(key, None)
    if background is None:
        fig.clear()
        fig.add_artist(text(0, height - 2, meetings, 18, va="top"))
        fig.add_artist(text(0, top, indicators, 18, va="top"))
        tracks = _boxes([(0, y - half, TRACK_END, BAR_HEIGHT) for y in ys], [TRACK] * len(ys))
        tracks.set_transform(units)
        fig.add_artist(tracks)
        for x, label in dates:
            fig.add_artist(text(x, y0 - 1.2, label, 13, ha="center", va="top"))
        for name, y in zip(names, ys, strict=True):
            fig.add_artist(text(0, y + half * 1.4, name, 14, va="bottom"))
        if no_values:
            fig.add_artist(text(0, top - 5, no_values, 12, va="top"))
        kept.canvas.draw()
        background = kept.canvas.copy_from_bbox(fig.bbox)
        if len(kept.backgrounds) >= BACKGROUNDS:
            del kept.backgrounds[next(iter(kept.backgrounds))]  # the least recently used
    else:
        kept.canvas.restore_region(background)
    kept.backgrounds[key] = background

    # Meetings per week: bars in the top part, the digest's own week darker.
    scale = (WEEKS_HEIGHT - 14) / max([*counts, 1])
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

    # Indicators: the value's bar on its track, the target as a black stroke across,
    # the value at the end.
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
    for x, n in zip(xs, counts, strict=True):
        if n:
            dynamic.append(text(x, y0 + n * scale + 0.8, str(n), 14, ha="center", va="bottom"))
    for v, y, k in zip(values, ys, known, strict=True):
        value = f"{round(v.percent or 0)} %" if k else "—"
        dynamic.append(text(TRACK_END + 2, y, value, 14, va="center"))

    renderer = kept.canvas.get_renderer()
    for artist in dynamic:
        artist.draw(renderer)
    width, tall = renderer.width, renderer.height
    # The figure is opaque (white), so the alpha byte is padding: Pillow's JPEG encoder
    # reads RGBX as it is, without a converted copy of the picture.
    pixels = kept.canvas.buffer_rgba()
    image = Image.frombuffer("RGBX", (int(width), int(tall)), pixels, "raw", "RGBX", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, dpi=(DPI, DPI))
    return buffer.getvalue()
