from __future__ import annotations

import io
from datetime import UTC, datetime

from matplotlib.image import imread

from bot.charts import render
from bot.engine.messages import LineChart, SpiderChart


def size_of(png: bytes) -> tuple[int, int]:
    image = imread(io.BytesIO(png), format="png")
    return image.shape[1], image.shape[0]


def test_line_chart_is_a_png_of_the_expected_size():
    points = tuple(
        (datetime(2026, month, 15, 10, tzinfo=UTC), value)
        for month, value in [(9, 40), (10, 52), (11, 64)]
    )
    png = render(LineChart("Sådan har du haft det", points, 100))
    assert png.startswith(b"\x89PNG")
    assert size_of(png) == (720, 480)


def test_spider_chart_with_two_series_is_a_png():
    axes = ("Skole", "Venner", "Hjem og penge", "Indeni", "Krop", "Loven", "Rusmidler")
    series = (("Nu", (4, 5, 3, 3, 3, 5, 5)), ("Sidst", (2, 4, 3, 2, 3, 5, 4)))
    chart = SpiderChart("Dit liv lige nu", axes, series, 5)
    png = render(chart)
    assert size_of(png) == (720, 720)
    # The two series differ, so the drawing differs from one with only today's answers.
    alone = render(SpiderChart("Dit liv lige nu", axes, (chart.series[0],), 5))
    assert alone != png
