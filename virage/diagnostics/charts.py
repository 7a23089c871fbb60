"""The radar chart of an assessment, drawn on the server as SVG: the same picture on the page and
in the PDF, with no JavaScript library. The page shows the same numbers in a table beside it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

# Wider than high: the labels of the left and right axes need room beside the chart.
WIDTH = 640
SIZE = 500
CENTRE_X = WIDTH / 2
CENTRE = SIZE / 2
RADIUS = 170
RINGS = (20, 40, 60, 80, 100)
LABEL_DISTANCE = 110


@dataclass(frozen=True)
class Series:
    key: str  # css class: "current", "baseline", "peers"
    label: str
    values: list[Decimal | None]


def _point(index: int, count: int, value: float, *, within: bool = True) -> tuple[float, float]:
    """Where ``value`` (0–100) lies on axis ``index``; ``within=False`` lets a label sit beyond 100."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * (max(0.0, min(100.0, value)) if within else value) / 100
    return round(CENTRE_X + distance * math.cos(angle), 1), round(CENTRE + distance * math.sin(angle), 1)


def _points(values: list[float], count: int) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(index, count, value) for index, value in enumerate(values)))


def _text(number: float) -> str:
    """A coordinate as SVG wants it: a dot for decimals, whatever the language (templates would localize it)."""
    return f"{number:.1f}"


def radar(labels: list[str], series: list[Series]) -> dict:
    """What ``diagnostics/_radar_svg.html`` draws: rings, axes with their labels, one polygon per series.

    A dimension without a score is drawn at the centre (0) and the table says "no score".
    """
    count = len(labels)
    if count < 3:
        return {"width": WIDTH, "size": SIZE, "axes": [], "rings": [], "series": []}
    axes = []
    for index, label in enumerate(labels):
        end = _point(index, count, 100)
        # A little beyond the outer ring, so that a label never lies on the chart's lines.
        label_x, label_y = _point(index, count, LABEL_DISTANCE, within=False)
        anchor = "middle"
        if label_x > CENTRE_X + 5:
            anchor = "start"
        elif label_x < CENTRE_X - 5:
            anchor = "end"
        # Long labels go on two lines, split at the space nearest the middle.
        words = label.split(" ")
        lines = [label]
        if len(label) > 18 and len(words) > 1:
            middle = len(label) / 2
            best = min(range(1, len(words)), key=lambda cut: abs(len(" ".join(words[:cut])) - middle))
            lines = [" ".join(words[:best]), " ".join(words[best:])]
        if label_y < CENTRE - 5:
            # Above the centre, a label grows upward so that it does not cover the chart.
            label_y -= 14 * (len(lines) - 1)
        axes.append(
            {
                "x": _text(end[0]),
                "y": _text(end[1]),
                "label_x": _text(label_x),
                "label_y": _text(label_y),
                "anchor": anchor,
                "lines": lines,
            }
        )
    rings = [
        {
            "value": ring,
            "points": _points([ring] * count, count),
            "label_y": _text(CENTRE - RADIUS * ring / 100),
            "label_x": _text(CENTRE_X + 4),
        }
        for ring in RINGS
    ]
    drawn = []
    for item in series:
        if not any(value is not None for value in item.values):
            continue
        values = [float(value) if value is not None else 0.0 for value in item.values]
        drawn.append(
            {
                "key": item.key,
                "label": item.label,
                "points": _points(values, count),
                "dots": [
                    tuple(_text(coordinate) for coordinate in _point(index, count, value))
                    for index, value in enumerate(values)
                ],
            }
        )
    return {
        "width": WIDTH,
        "size": SIZE,
        "centre_x": _text(CENTRE_X),
        "centre": _text(CENTRE),
        "axes": axes,
        "rings": rings,
        "series": drawn,
    }
