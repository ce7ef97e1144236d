"""Charts of a young person's development as PNG images, drawn with matplotlib.

matplotlib is imported when the first chart is drawn, not with the bot: it costs about 40 MB
and a second of start-up, and most updates draw no chart.

The young person's charts show their own numbers only: no thresholds or reference lines (those
are for the coordinator's dashboard).
"""

from __future__ import annotations

import io
import math
import textwrap
from typing import TYPE_CHECKING

from babel.dates import format_datetime

from bot.engine.messages import LineChart, SpiderChart
from core.locale import LOCALE, TIMEZONE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ACCENT = "#1f6f8b"
EARLIER = "#9aa5ab"


def render(chart: LineChart | SpiderChart) -> bytes:
    """The chart as PNG bytes."""
    figure = _line(chart) if isinstance(chart, LineChart) else _spider(chart)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _line(chart: LineChart) -> Figure:
    from matplotlib.figure import Figure  # on first use: see the module's docstring

    figure = Figure(figsize=(6, 4), dpi=120)
    axes = figure.add_subplot()
    labels = [
        format_datetime(moment, "d. MMM", tzinfo=TIMEZONE, locale=LOCALE)
        for moment, _ in chart.points
    ]
    values = [value for _, value in chart.points]
    positions = range(len(values))
    axes.plot(positions, values, color=ACCENT, linewidth=2.5, marker="o", markersize=6)
    axes.plot([positions[-1]], [values[-1]], marker="o", markersize=14, color=ACCENT)
    axes.annotate(
        str(values[-1]),
        (positions[-1], values[-1]),
        textcoords="offset points",
        xytext=(0, 12),
        ha="center",
        fontsize=13,
        fontweight="bold",
        color=ACCENT,
    )
    axes.set_xticks(list(positions), labels, rotation=30 if len(labels) > 6 else 0)
    axes.set_ylim(0, chart.max_value * 1.12)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_title(chart.title, fontsize=14, loc="left")
    figure.tight_layout()
    return figure


def _spider(chart: SpiderChart) -> Figure:
    from matplotlib.figure import Figure  # on first use: see the module's docstring
    from matplotlib.projections.polar import PolarAxes

    figure = Figure(figsize=(6, 6), dpi=120)
    axes = figure.add_subplot(projection="polar")
    assert isinstance(axes, PolarAxes)  # noqa: S101 - narrows the type for mypy
    axes.set_theta_offset(math.pi / 2)  # the first area at the top, then clockwise
    axes.set_theta_direction(-1)
    count = len(chart.axes)
    angles = [2 * math.pi * index / count for index in range(count)]
    closed = [*angles, angles[0]]
    for (label, values), color in zip(chart.series, (ACCENT, EARLIER), strict=False):
        points = [*values, values[0]]
        axes.plot(closed, points, color=color, linewidth=2, label=label)
        axes.fill(closed, points, color=color, alpha=0.2)
    axes.set_xticks(angles, [textwrap.fill(name, 16) for name in chart.axes], fontsize=9)
    axes.tick_params(axis="x", pad=14)
    axes.set_ylim(0, chart.max_value)
    axes.set_yticks(range(1, chart.max_value + 1))
    axes.set_title(chart.title, fontsize=14, pad=24)
    if len(chart.series) > 1:
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, -0.2), ncols=len(chart.series))
    figure.tight_layout()
    return figure
