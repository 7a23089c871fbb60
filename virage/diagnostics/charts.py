"""The radar chart of an assessment, drawn on the server as SVG: the same picture on the page and
in the PDF, with no JavaScript library. The page shows the same numbers in a table beside it.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

SIZE = 440
CENTRE = SIZE / 2
RADIUS = 150
RINGS = (20, 40, 60, 80, 100)


@dataclass(frozen=True)
class Series:
    key: str  # css class: "current", "baseline", "peers"
    label: str
    values: list[Decimal | None]


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    distance = RADIUS * max(0.0, min(100.0, value)) / 100
    return round(CENTRE + distance * math.cos(angle), 1), round(CENTRE + distance * math.sin(angle), 1)


def _points(values: list[float], count: int) -> str:
    return " ".join(f"{x},{y}" for x, y in (_point(index, count, value) for index, value in enumerate(values)))


def radar(labels: list[str], series: list[Series]) -> dict:
    """What ``diagnostics/_radar.svg`` draws: rings, axes with their labels, one polygon per series.

    A dimension without a score is drawn at the centre (0) and the table says "no score".
    """
    count = len(labels)
    if count < 3:
        return {"size": SIZE, "axes": [], "rings": [], "series": []}
    axes = []
    for index, label in enumerate(labels):
        end = _point(index, count, 100)
        label_x, label_y = _point(index, count, 118)
        anchor = "middle"
        if label_x > CENTRE + 5:
            anchor = "start"
        elif label_x < CENTRE - 5:
            anchor = "end"
        # Long labels go on two lines, split at the space nearest the middle.
        words = label.split(" ")
        lines = [label]
        if len(label) > 18 and len(words) > 1:
            middle = len(label) / 2
            best = min(range(1, len(words)), key=lambda cut: abs(len(" ".join(words[:cut])) - middle))
            lines = [" ".join(words[:best]), " ".join(words[best:])]
        axes.append(
            {"x": end[0], "y": end[1], "label_x": label_x, "label_y": label_y, "anchor": anchor, "lines": lines}
        )
    rings = [
        {"value": ring, "points": _points([ring] * count, count), "label_y": CENTRE - RADIUS * ring / 100}
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
                "dots": [_point(index, count, value) for index, value in enumerate(values)],
            }
        )
    return {"size": SIZE, "centre": CENTRE, "axes": axes, "rings": rings, "series": drawn}
