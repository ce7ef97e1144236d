"""Charts as inline SVG, drawn on the server: they need no JavaScript and print well.

Each chart has a <title> and <desc> for screen readers; the pages show the same numbers in a
table beside it. Each chart names its scale: the axes have titles ("WHO-5-score (0-100)",
"Dato") and the dates on them have their year. Reference lines (WHO-5 at 50 and 28) are for the
coordinator's eyes only: the young person's charts in the bot never show them.

No matplotlib here: SVG text is plain markup, so nothing heavy is imported.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

from core.locale import format_date_short, local

WIDTH, HEIGHT = 640, 300
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 64, 36, 16, 58
# About how wide a character of the 12 px axis font is, to keep labels inside the picture.
CHAR_WIDTH = 7.0
LABEL_CHARS = 18  # a spider's area names wrap at this many characters


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


@dataclass(frozen=True)
class Axes:
    """The titles of the axes: what is measured (with its range) and along what."""

    x: str
    y: str


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    max_value: float,
    references: Sequence[Reference] = (),
    axes: Axes | None = None,
) -> Markup:
    """A line over time: `points` are (x label, value), oldest first."""
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT

    def x(index: int) -> float:
        return PAD_LEFT + (inner_w * index / (len(points) - 1) if len(points) > 1 else inner_w / 2)

    parts = [_open(title, description, wide=True), *_value_axis(0, max_value, axes)]
    for reference in references:
        at = _y(reference.value, 0, max_value)
        parts.append(
            f'<line class="reference" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{at:.1f}" y2="{at:.1f}"/>'
            f'<text class="reference-label" x="{PAD_LEFT + 4}" '
            f'y="{at - 4:.1f}">{escape(reference.label)}</text>'
        )
    if points:
        path = " ".join(f"{x(i):.1f},{_y(v, 0, max_value):.1f}" for i, (_, v) in enumerate(points))
        parts.append(f'<polyline class="series" points="{path}"/>')
        step = max(1, math.ceil(len(points) / 5))  # at most about 5 date labels: they fit
        for i, (label, value) in enumerate(points):
            parts.append(
                f'<circle class="point" cx="{x(i):.1f}" cy="{_y(value, 0, max_value):.1f}" r="4"/>'
            )
            if i % step == 0 or i == len(points) - 1:
                parts.append(_x_label(x(i), label))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def time_chart(
    series: Sequence[tuple[str, Sequence[tuple[datetime, float]]]],
    *,
    title: str,
    description: str,
    low: float,
    high: float,
    axes: Axes,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Markup:
    """Several lines over real time (x is proportional to the date), one per series, e.g. the
    young person's self-rating and the coordinator's rating of one area side by side. A smaller
    `width` and `height` keep the text readable where several charts share a row."""
    moments = sorted(moment for _, points in series for moment, _ in points)
    first, last = (moments[0], moments[-1]) if moments else (None, None)
    inner_w = width - PAD_LEFT - PAD_RIGHT

    def x(moment: datetime) -> float:
        if first is None or last is None or last == first:
            return PAD_LEFT + inner_w / 2
        return PAD_LEFT + inner_w * (moment - first) / (last - first)

    parts = [
        _open(title, description, width=width, height=height),
        *_value_axis(low, high, axes, width=width, height=height),
    ]
    for number, (_, points) in enumerate(series):
        shown = sorted(points)
        if len(shown) > 1:
            path = " ".join(f"{x(m):.1f},{_y(v, low, high, height):.1f}" for m, v in shown)
            parts.append(f'<polyline class="series-line-{number}" points="{path}"/>')
        for moment, value in shown:
            parts.append(
                f'<circle class="point-{number}" cx="{x(moment):.1f}" '
                f'cy="{_y(value, low, high, height):.1f}" r="{5 - number}"/>'
            )
    if first is not None and last is not None:
        labelled = [first] if first == last else [first, last]
        days = sorted({local(moment).date() for moment in moments})
        if len(days) > 2:  # one more in the middle, where it does not crowd the ends
            middle = days[len(days) // 2]
            moment = next(m for m in moments if local(m).date() == middle)
            room = 15 * CHAR_WIDTH  # a date label and a gap
            if x(moment) - x(first) > room and x(last) - x(moment) > room:
                labelled.insert(1, moment)
        for moment in labelled:
            label = format_date_short(local(moment).date())
            parts.append(_x_label(x(moment), label, width=width, height=height))
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def spider_chart(
    axes: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    description: str,
    max_value: float,
) -> Markup:
    """A spider ("spindelvæv") chart: one polygon per series, axes clockwise from the top.

    A missing value (None) is drawn at the centre; the table beside the chart shows it as blank.
    Area names wrap over lines, and the picture is wide enough for the longest line, so no name
    is cut off. The rings are numbered: their numbers are the scale.
    """
    wrapped = [textwrap.wrap(label, LABEL_CHARS) or [""] for label in axes]
    widest = max((len(line) for lines in wrapped for line in lines), default=0) * CHAR_WIDTH
    radius = 140.0
    margin = widest + radius * 0.12 + 16
    width = round(2 * (radius + margin))
    height = round(2 * radius + 120)
    centre_x, centre_y = width / 2, height / 2

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        distance = radius * value / max_value
        return centre_x + distance * math.cos(angle), centre_y + distance * math.sin(angle)

    parts = [_open(title, description, width=width, height=height)]
    for ring in range(1, int(max_value) + 1):
        ring_points = " ".join("{:.1f},{:.1f}".format(*at(i, ring)) for i in range(len(axes)))
        parts.append(f'<polygon class="grid" points="{ring_points}"/>')
    for i, lines in enumerate(wrapped):
        end_x, end_y = at(i, max_value)
        text_x, text_y = at(i, max_value * 1.12)
        side = text_x - centre_x
        anchor = "middle" if abs(side) < 10 else ("start" if side > 0 else "end")
        # Above the top the lines grow upwards; below the bottom, downwards; else centred.
        above = text_y < centre_y - radius * 0.9
        below = text_y > centre_y + radius * 0.9
        rise = 14 * (len(lines) - 1)
        first = text_y - rise if above else text_y if below else text_y - rise / 2
        spans = "".join(
            f'<tspan x="{text_x:.1f}" y="{first + 4 + 14 * n:.1f}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        parts.append(
            f'<line class="grid" x1="{centre_x}" y1="{centre_y}" '
            f'x2="{end_x:.1f}" y2="{end_y:.1f}"/>'
            f'<text class="axis" text-anchor="{anchor}">{spans}</text>'
        )
    for number, (_, values) in enumerate(series):
        shape = " ".join(
            "{:.1f},{:.1f}".format(*at(i, value or 0)) for i, value in enumerate(values)
        )
        parts.append(f'<polygon class="series-{number}" points="{shape}"/>')
    for ring in range(1, int(max_value) + 1):  # the scale, on top of the shapes
        ring_x, ring_y = at(0, ring)
        parts.append(
            f'<text class="scale" x="{ring_x + 4:.1f}" y="{ring_y + 12:.1f}">{ring}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def _y(value: float, low: float, high: float, height: int = HEIGHT) -> float:
    inner_h = height - PAD_TOP - PAD_BOTTOM
    return PAD_TOP + inner_h * (1 - (value - low) / (high - low))


def _value_axis(
    low: float, high: float, axes: Axes | None, *, width: int = WIDTH, height: int = HEIGHT
) -> list[str]:
    """Grid lines with their numbers, and the axes' titles."""
    parts: list[str] = []
    span = int(high - low)
    step = max(1, span // 4) if span > 8 else 1
    for tick in range(int(low), int(high) + 1, step):
        at = _y(tick, low, high, height)
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{width - PAD_RIGHT}" '
            f'y1="{at:.1f}" y2="{at:.1f}"/>'
            f'<text class="axis" x="{PAD_LEFT - 6}" y="{at + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    if axes is not None:
        middle_y = PAD_TOP + (height - PAD_TOP - PAD_BOTTOM) / 2
        parts.append(
            f'<text class="axis-title" x="16" y="{middle_y:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 16 {middle_y:.1f})">{escape(axes.y)}</text>'
            f'<text class="axis-title" x="{PAD_LEFT + (width - PAD_LEFT - PAD_RIGHT) / 2:.1f}" '
            f'y="{height - 8}" text-anchor="middle">{escape(axes.x)}</text>'
        )
    return parts


def _x_label(at: float, label: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    # Keep the label inside the picture: a centred label at the edge would be cut in half.
    half = len(label) * CHAR_WIDTH / 2
    anchor = "start" if at - half < 0 else "end" if at + half > width else "middle"
    return (
        f'<text class="axis" x="{at:.1f}" y="{height - PAD_BOTTOM + 18}" '
        f'text-anchor="{anchor}">{escape(label)}</text>'
    )


def _open(
    title: str, description: str, *, width: int = WIDTH, height: int = HEIGHT, wide: bool = False
) -> str:
    # A wide chart is drawn at half its size on a phone; its text grows there (style.css).
    kind = "chart chart-wide" if wide else "chart"
    return (
        f'<svg class="{kind}" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    )
