"""The dashboard's SVG charts: the numbers end up where they should, and text stays text."""

from __future__ import annotations

import re

from dashboard.charts import HEIGHT, PAD_BOTTOM, PAD_TOP, Reference, line_chart, spider_chart


def _y(value: float) -> float:
    return PAD_TOP + (HEIGHT - PAD_TOP - PAD_BOTTOM) * (1 - value / 100)


def test_line_chart_draws_each_point_and_the_reference_lines():
    svg = line_chart(
        [("01.09", 40), ("01.10", 60), ("01.11", 80)],
        title="WHO-5",
        description="d",
        max_value=100,
        references=[Reference(50, "50"), Reference(28, "28")],
    )
    ys = [float(y) for y in re.findall(r'<circle class="point" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys == [round(_y(v), 1) for v in (40, 60, 80)]
    lines = re.findall(r'<line class="reference"[^>]*y1="([\d.]+)"', svg)
    assert [float(y) for y in lines] == [round(_y(50), 1), round(_y(28), 1)]


def test_spider_chart_has_one_polygon_per_series_and_escapes_labels():
    svg = spider_chart(
        ["<script>x</script>", "B", "C"],
        [("Den unge", [5, 3, None]), ("Koordinator", [1, 1, 1])],
        title="BIP",
        description="d",
        max_value=5,
    )
    assert svg.count('class="series-0"') == 1
    assert svg.count('class="series-1"') == 1
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
