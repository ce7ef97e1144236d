"""The dashboard's charts name their scale: axis titles, numbered grid lines, dates with their
year; and no label of a spider chart runs outside the picture."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from dashboard.charts import (
    CHAR_WIDTH,
    HEIGHT,
    PAD_BOTTOM,
    PAD_LEFT,
    PAD_RIGHT,
    PAD_TOP,
    WIDTH,
    Axes,
    line_chart,
    spider_chart,
    time_chart,
)

LIFE_AREAS = [
    "Skole, uddannelse og arbejde",
    "Venner, familie og andre",
    "Hjem og penge",
    "Humør og tanker",
    "Krop og helbred",
    "At holde dig ude af ballade med loven",
    "Alkohol, hash og andre stoffer",
]


def test_a_line_chart_has_axis_titles_and_a_numbered_scale():
    svg = line_chart(
        [("1. sep. 2026", 40), ("1. okt. 2026", 60)],
        title="WHO-5",
        description="d",
        max_value=100,
        axes=Axes(x="Dato for tjek-ind", y="WHO-5-score (0-100)"),
    )
    titles = re.findall(r'<text class="axis-title"[^>]*>([^<]*)</text>', svg)
    assert titles == ["WHO-5-score (0-100)", "Dato for tjek-ind"]
    ticks = re.findall(r'<text class="axis" [^>]*text-anchor="end">(\d+)</text>', svg)
    assert ticks == ["0", "25", "50", "75", "100"]
    assert "1. sep. 2026" in svg and "1. okt. 2026" in svg


def _y(value: float, low: float, high: float) -> float:
    return PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) * (1 - (value - low) / (high - low))


def test_a_time_chart_places_both_series_by_date_and_value():
    own = [(datetime(2026, 8, 15, tzinfo=UTC), 2), (datetime(2026, 11, 10, tzinfo=UTC), 4)]
    rating = [(datetime(2026, 11, 12, tzinfo=UTC), 3)]
    svg = time_chart(
        [("Den unge", own), ("Koordinator", rating)],
        title="Livsområder: Hjem og penge",
        description="d",
        low=1,
        high=5,
        axes=Axes(x="Dato", y="Svar (1-5)"),
    )
    span = (rating[0][0] - own[0][0]).total_seconds()

    def x(moment: datetime) -> float:
        inner = WIDTH - PAD_LEFT - PAD_RIGHT
        return PAD_LEFT + inner * (moment - own[0][0]).total_seconds() / span

    found = {
        number: [
            (float(cx), float(cy))
            for cx, cy in re.findall(
                rf'<circle class="point-{number}" cx="([\d.]+)" cy="([\d.]+)"', svg
            )
        ]
        for number in (0, 1)
    }
    assert found[0] == [(round(x(moment), 1), round(_y(value, 1, 5), 1)) for moment, value in own]
    assert found[1] == [(round(x(rating[0][0]), 1), round(_y(3, 1, 5), 1))]
    ticks = re.findall(r'<text class="axis" [^>]*text-anchor="end">(\d+)</text>', svg)
    assert ticks == ["1", "2", "3", "4", "5"]
    assert "15. aug. 2026" in svg and "12. nov. 2026" in svg


def test_spider_labels_wrap_and_stay_inside_the_picture():
    svg = spider_chart(
        LIFE_AREAS,
        [("Den unge", [4] * 7), ("Koordinator", [3] * 7)],
        title="Livsområder",
        description="d",
        max_value=5,
    )
    box = re.search(r'viewBox="0 0 ([\d.]+) ', svg)
    assert box is not None
    width = float(box.group(1))
    texts = re.findall(r'<text class="axis" text-anchor="(\w+)">(.*?)</text>', svg)
    assert len(texts) == len(LIFE_AREAS)
    shown = []
    for anchor, spans in texts:
        for x, line in re.findall(r'<tspan x="([\d.]+)" y="[\d.]+">([^<]*)</tspan>', spans):
            shown.append(line)
            left = {"start": 0, "middle": 0.5, "end": 1}[anchor] * len(line) * CHAR_WIDTH
            assert float(x) - left >= 0, line
            assert float(x) - left + len(line) * CHAR_WIDTH <= width, line
    # Every word of every area is there: nothing was cut.
    assert " ".join(shown).split() == " ".join(LIFE_AREAS).split()
    scale = re.findall(r'<text class="scale"[^>]*>(\d)</text>', svg)
    assert scale == ["1", "2", "3", "4", "5"]
