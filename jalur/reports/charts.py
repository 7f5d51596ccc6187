"""Chart geometry for server-drawn SVG (templates reports/_hbars.html and reports/_columns.html) and
for the PDF report: pure functions from numbers to shapes, no drawing library, nothing downloaded.

Coordinates are in a 320-unit-wide view box, so a chart fills a phone screen and scales up; colours
come from CSS classes (`seg-*`) so the Content-Security-Policy needs no inline style.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format

WIDTH = 320
LABEL_H = 14
BAR_H = 12
ROW_GAP = 8
VALUE_ROOM = 56
COLUMN_PLOT_H = 140


@dataclass
class Segment:
    x: float
    width: float
    css: str
    value: int


@dataclass
class Bar:
    label: str
    value: int
    label_y: float
    bar_y: float
    value_x: float
    value_y: float
    value_text: str
    segments: list[Segment] = field(default_factory=list)


@dataclass
class HBarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int = BAR_H


def _r(value: float) -> float:
    return round(value, 1)


def _grouped(value: int) -> str:
    """1234 -> "1.234" in Indonesian, "1,234" in English."""
    return number_format(value, 0, force_grouping=True)


def hbars(
    rows: list[dict], *, parts: list[str] | None = None, value_room: int = VALUE_ROOM
) -> HBarChart:
    """Horizontal bars, one per row: {"label", "value", "parts": {part: n}, "text": optional}.

    With `parts`, each bar is split into those parts in that order (classes seg-<part>); the bar's
    length is its value, so parts summing to less than the value leave the rest as seg-rest.
    """
    maximum = max((r["value"] for r in rows), default=0) or 1
    room = WIDTH - value_room
    row_h = LABEL_H + BAR_H + ROW_GAP
    bars = []
    for i, row in enumerate(rows):
        top = i * row_h
        segments, x = [], 0.0
        for part in parts or []:
            n = row.get("parts", {}).get(part, 0)
            if n > 0:
                width = n / maximum * room
                segments.append(Segment(_r(x), _r(width), f"seg-{part}", n))
                x += width
        rest = row["value"] - sum(s.value for s in segments)
        if rest > 0:
            width = rest / maximum * room
            segments.append(Segment(_r(x), _r(width), "seg-rest" if parts else "seg-main", rest))
            x += width
        bars.append(
            Bar(
                label=str(row["label"])[:48],
                value=row["value"],
                label_y=top + 11,
                bar_y=top + LABEL_H,
                value_x=_r(x + 4),
                value_y=top + LABEL_H + BAR_H - 2,
                value_text=str(row["text"]) if "text" in row else _grouped(row["value"]),
                segments=segments,
            )
        )
    return HBarChart(bars=bars, width=WIDTH, height=max(row_h * len(rows), row_h))


@dataclass
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    value_y: float
    value_text: str = ""
    show_label: bool = True
    sublabel: str = ""


@dataclass
class ColumnChart:
    columns: list[Column]
    width: int
    height: int
    axis_y: float
    maximum: int
    show_values: bool


def columns(points: list[tuple]) -> ColumnChart:
    """Vertical columns (e.g. one per month), labels under them and values on top.

    A point is (label, value) or (label, value, sublabel); the sublabel (a year, say) goes on a
    second line under the label.
    """
    maximum = max((p[1] for p in points), default=0) or 1
    count = max(len(points), 1)
    slot = WIDTH / count
    width = max(slot * 0.7, 1)
    top = 14
    step = -(-count // 12)  # at most twelve labels fit under the axis of a phone-wide chart
    result = []
    for i, (label, value, *rest) in enumerate(points):
        height = value / maximum * COLUMN_PLOT_H
        x = i * slot + (slot - width) / 2
        y = top + COLUMN_PLOT_H - height
        result.append(
            Column(
                label=label,
                value=value,
                x=_r(x),
                y=_r(y),
                width=_r(width),
                height=_r(height),
                label_x=_r(i * slot + slot / 2),
                value_y=_r(y - 3),
                value_text=_grouped(value),
                show_label=i % step == 0,
                sublabel=rest[0] if rest else "",
            )
        )
    return ColumnChart(
        columns=result,
        width=WIDTH,
        height=top + COLUMN_PLOT_H + 26,
        axis_y=top + COLUMN_PLOT_H,
        maximum=maximum,
        show_values=count <= 13,
    )
