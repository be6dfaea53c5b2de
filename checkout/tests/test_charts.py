"""Chart geometry (checkout/desk/charts.py): bars in proportion to their values, inside the
drawing, with ticks that do not touch."""

import itertools

import pytest

from checkout.desk.charts import TICK_SPACING, bar_chart, column_chart, scale_top


@pytest.mark.parametrize("maximum", [0, 1, 3, 7, 10, 13, 99, 101, 2500])
def test_the_axis_top_is_a_round_step_above_the_largest_value(maximum):
    top, step = scale_top(maximum)
    assert top >= max(maximum, 1) and top % step == 0
    assert top - step < maximum or top == step  # no step more than needed
    assert str(step).strip("0") in ("1", "2", "5")
    assert top // step <= 5


def test_columns_stack_their_series_in_proportion():
    values = [(3, 1), (0, 0), (8, 4), (1, 0)]
    points = [(f"h{n}", f"{n}", "", list(v)) for n, v in enumerate(values)]
    chart = column_chart(points, series=["lent", "free"])
    top = chart.gridlines[-1]  # the axis' top value, and where it is drawn
    per_unit = (chart.baseline - top.y) / top.value
    for column, pair in zip(chart.columns, values, strict=True):
        assert column.total == sum(pair)
        assert [s.series for s in column.segments] == ["lent", "free"]
        assert [s.value for s in column.segments] == list(pair)
        for segment in column.segments:
            assert segment.height == pytest.approx(segment.value * per_unit, abs=0.02)
        # Stacked from the baseline up, without gaps.
        bottom = chart.baseline
        for segment in column.segments:
            assert segment.y + segment.height == pytest.approx(bottom, abs=0.02)
            bottom = segment.y
    assert chart.total == sum(map(sum, values))
    assert chart.peak.label == "h2"


def test_columns_fit_between_the_axes_without_touching():
    points = [(str(n), str(n), "", [n % 5]) for n in range(48)]
    chart = column_chart(points, series=["requests"])
    for left, right in itertools.pairwise(chart.columns):
        assert left.x + left.width < right.x
    assert chart.columns[0].x >= chart.left
    assert chart.columns[-1].x + chart.columns[-1].width <= chart.right
    assert all(s.y >= 0 for c in chart.columns for s in c.segments)


@pytest.mark.parametrize("count", [1, 6, 24, 48])
def test_ticks_are_far_enough_apart_to_read(count):
    points = [(str(n), f"{n:02d}:00", "Sat", [1]) for n in range(count)]
    chart = column_chart(points, series=["requests"])
    ticked = [c.center for c in chart.columns if c.tick]
    assert ticked
    assert all(b - a >= TICK_SPACING for a, b in itertools.pairwise(ticked))


def test_ticks_fall_on_round_hours_and_each_day_is_named_once():
    # 20:00 on Friday to 09:00 on Sunday.
    hours = [(20 + n) % 24 for n in range(38)]
    days = ["Fri"] * 4 + ["Sat"] * 24 + ["Sun"] * 10
    points = [(f"{d} {h}", f"{h:02d}:00", d, [1]) for h, d in zip(hours, days, strict=True)]
    chart = column_chart(points, series=["requests"], every=6, phase=20)
    assert [c.tick for c in chart.columns if c.tick] == [
        "00:00",
        "06:00",
        "12:00",
        "18:00",
        "00:00",
        "06:00",
    ]
    assert [(c.tick, c.subtick) for c in chart.columns if c.subtick] == [
        ("00:00", "Sat"),
        ("00:00", "Sun"),
    ]


def test_bars_are_as_long_as_their_share_of_the_longest():
    chart = bar_chart([("Arduino Uno", 12, ""), ("ESP32", 3, "(4 units)"), ("Nothing", 0, "")])
    assert [bar.width for bar in chart.bars] == [chart.width, chart.width / 4, 0]
    assert chart.bars[1].note == "(4 units)"
    rows = [bar.y for bar in chart.bars]
    assert rows == sorted(rows) and chart.height >= chart.bars[-1].bar_y + chart.bars[-1].height


def test_a_long_name_is_cut_to_fit_a_phone():
    name = "Raspberry Pi 5 with a long accessory kit and a case"
    (bar,) = bar_chart([(name, 1, "")], longest=34).bars
    assert len(bar.label) == 34 and bar.label.endswith("…")
    assert name.startswith(bar.label[:-1])
