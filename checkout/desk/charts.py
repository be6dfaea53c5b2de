"""Bar charts as SVG geometry: computed here, drawn by templates/admin/desk/includes/_chart_*.html.

No JavaScript and no library. The server works out every rectangle in the SVG's own
coordinates (its viewBox) and the browser scales the drawing to the width it has, so one
drawing serves a phone and a desktop. Text scales with it, so dashboard.css sets its size per
screen width; label spacing here leaves room for the largest of those sizes.
"""

import math
from dataclasses import dataclass, field

# The largest font size dashboard.css gives chart text, in viewBox units (on phones).
FONT = 17
# A tick label ("15:00") is about this wide at that size, with a gap.
TICK_SPACING = 4.2 * FONT
# A horizontal bar's row: its label's line, the bar, a gap.
LABEL_HEIGHT, BAR_HEIGHT, BAR_GAP = FONT + 6, 14, 10


@dataclass
class Segment:
    series: str  # a CSS class naming its colour
    value: int
    y: float
    height: float


@dataclass
class Column:
    label: str  # what the column stands for, e.g. "Sat 15:00"
    x: float
    width: float
    total: int
    segments: list
    tick: str = ""  # the label drawn under it, on every few columns
    subtick: str = ""  # a second line under the tick: the day, where it changes

    @property
    def center(self):
        return round(self.x + self.width / 2, 2)


@dataclass
class Gridline:
    y: float
    value: int


@dataclass
class ColumnChart:
    width: int
    height: int
    left: float
    right: float
    baseline: float
    columns: list
    gridlines: list
    tick_y: float
    subtick_y: float

    @property
    def axis_x(self):
        """Where the value axis' labels end, left of the plot."""
        return self.left - 6

    @property
    def total(self):
        return sum(column.total for column in self.columns)

    @property
    def peak(self):
        """The first column with the largest total, or None when there are none."""
        return max(self.columns, key=lambda column: column.total, default=None)


@dataclass
class Bar:
    label: str
    value: int
    y: float  # top of the bar's row: its label is written here, the bar below it
    width: float
    note: str = ""  # after the value, e.g. "(5 units)"
    height: float = BAR_HEIGHT

    @property
    def text_y(self):
        return self.y + FONT

    @property
    def bar_y(self):
        return self.y + LABEL_HEIGHT


@dataclass
class BarChart:
    width: int
    height: int
    bars: list = field(default_factory=list)


def scale_top(maximum, ticks=4):
    """The top of a value axis and its step: a round number of whole units above
    `maximum` (1, 2 or 5 times a power of ten per step), at least 1."""
    raw = max(maximum, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return step * max(1, math.ceil(maximum / step)), step


def column_chart(points, *, series, width=480, height=230, every=None, phase=0):
    """Columns, one per point, each a stack of `series` (CSS classes) from the bottom.

    `points` are (label, tick, subtick, values) with one value per series. A column's `tick`
    is drawn under it when (its index + `phase`) is a multiple of `every` (by default the
    fewest columns between ticks that keeps them apart), and its `subtick` under that when it
    differs from the last one drawn (a day's name, once per day).
    """
    left, right, top, bottom = 40.0, width - 8.0, 10.0, height - 2.4 * FONT - 6
    plot_height = bottom - top
    totals = [sum(values) for *_, values in points]
    axis_top, step = scale_top(max(totals, default=0))
    slot = (right - left) / max(len(points), 1)
    if every is None:
        every = next((n for n in (1, 2, 3, 4, 6, 12, 24) if n * slot >= TICK_SPACING), 24)
    columns, last_subtick = [], None
    for index, (label, tick, subtick, values) in enumerate(points):
        segments, y = [], bottom
        for name, value in zip(series, values, strict=True):
            segment_height = plot_height * value / axis_top
            y -= segment_height
            segments.append(Segment(name, value, round(y, 2), round(segment_height, 2)))
        shown = (index + phase) % every == 0
        new_subtick = shown and subtick != last_subtick
        last_subtick = subtick if shown else last_subtick
        columns.append(
            Column(
                label=label,
                x=round(left + index * slot + slot * 0.12, 2),
                width=round(slot * 0.76, 2),
                total=totals[index],
                segments=segments,
                tick=tick if shown else "",
                subtick=subtick if new_subtick else "",
            )
        )
    gridlines = [
        Gridline(round(bottom - plot_height * value / axis_top, 2), value)
        for value in range(0, axis_top + 1, step)
    ]
    return ColumnChart(
        width=width,
        height=height,
        left=left,
        right=right,
        baseline=bottom,
        columns=columns,
        gridlines=gridlines,
        tick_y=bottom + FONT + 2,
        subtick_y=bottom + 2 * FONT + 4,
    )


def bar_chart(items, *, width=480, longest=34):
    """Horizontal bars, one per (label, value, note), longest first as given: each label on
    its own line above its bar, so long names fit a phone. Labels past `longest` characters
    are cut (the data table has them whole)."""
    chart = BarChart(width=width, height=0)
    row = LABEL_HEIGHT + BAR_HEIGHT + BAR_GAP
    maximum = max((value for _, value, _ in items), default=0) or 1
    for index, (label, value, note) in enumerate(items):
        if len(label) > longest:
            label = label[: longest - 1].rstrip() + "…"
        chart.bars.append(
            Bar(
                label=label,
                value=value,
                y=index * row,
                width=round(max(width * value / maximum, 2 if value else 0), 2),
                note=note,
            )
        )
    chart.height = round(len(items) * row)
    return chart
