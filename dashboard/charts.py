"""Charts as inline SVG, drawn on the server: they need no JavaScript and print well.

Each chart has a <title> and <desc> for screen readers; the pages show the same numbers in a
table beside it. Reference lines (WHO-5 at 50 and 28) are for the coordinator's eyes only: the
young person's charts in the bot never show them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 280
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 44, 36, 16, 40


@dataclass(frozen=True)
class Reference:
    value: float
    label: str


def line_chart(
    points: Sequence[tuple[str, float]],
    *,
    title: str,
    description: str,
    max_value: float,
    references: Sequence[Reference] = (),
) -> Markup:
    """A line over time: `points` are (x label, value), oldest first."""
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(index: int) -> float:
        return PAD_LEFT + (inner_w * index / (len(points) - 1) if len(points) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return PAD_TOP + inner_h * (1 - value / max_value)

    parts = [_open(title, description)]
    for tick in range(0, int(max_value) + 1, max(1, int(max_value) // 4)):
        parts.append(
            f'<line class="grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
            f'<text class="axis" x="{PAD_LEFT - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    for reference in references:
        parts.append(
            f'<line class="reference" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" '
            f'y1="{y(reference.value):.1f}" y2="{y(reference.value):.1f}"/>'
            f'<text class="reference-label" x="{PAD_LEFT + 4}" '
            f'y="{y(reference.value) - 4:.1f}">{escape(reference.label)}</text>'
        )
    if points:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_, v) in enumerate(points))
        parts.append(f'<polyline class="series" points="{path}"/>')
        step = max(1, math.ceil(len(points) / 8))  # at most about 8 date labels
        for i, (label, value) in enumerate(points):
            parts.append(f'<circle class="point" cx="{x(i):.1f}" cy="{y(value):.1f}" r="4"/>')
            if i % step == 0 or i == len(points) - 1:
                parts.append(
                    f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - PAD_BOTTOM + 18}" '
                    f'text-anchor="middle">{escape(label)}</text>'
                )
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
    """
    # Wider than high: the axis labels to the left and right need room.
    width, height = 560, 400
    centre_x, centre_y = width / 2, height / 2
    radius = height / 2 - 50

    def at(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / len(axes)
        distance = radius * value / max_value
        return centre_x + distance * math.cos(angle), centre_y + distance * math.sin(angle)

    parts = [_open(title, description, width=width, height=height)]
    for ring in range(1, int(max_value) + 1):
        ring_points = " ".join("{:.1f},{:.1f}".format(*at(i, ring)) for i in range(len(axes)))
        parts.append(f'<polygon class="grid" points="{ring_points}"/>')
    for i, label in enumerate(axes):
        end_x, end_y = at(i, max_value)
        text_x, text_y = at(i, max_value * 1.12)
        side = text_x - centre_x
        anchor = "middle" if abs(side) < 10 else ("start" if side > 0 else "end")
        parts.append(
            f'<line class="grid" x1="{centre_x}" y1="{centre_y}" '
            f'x2="{end_x:.1f}" y2="{end_y:.1f}"/>'
            f'<text class="axis" x="{text_x:.1f}" y="{text_y + 4:.1f}" '
            f'text-anchor="{anchor}">{escape(label)}</text>'
        )
    for number, (_, values) in enumerate(series):
        shape = " ".join(
            "{:.1f},{:.1f}".format(*at(i, value or 0)) for i, value in enumerate(values)
        )
        parts.append(f'<polygon class="series-{number}" points="{shape}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through escape()


def _open(title: str, description: str, *, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    )
