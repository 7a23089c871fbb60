"""The radar chart: one axis per dimension, scores placed on them, the same numbers as the table."""

import re
from decimal import Decimal

from django.template.loader import render_to_string

from virage.diagnostics import charts


def test_each_score_sits_on_its_axis_at_its_distance_from_the_centre():
    labels = ["Stratégie", "Préparation", "Personnes", "Données", "Automatisation", "Vert"]
    scores = [Decimal("100"), Decimal("50"), Decimal("0"), None, Decimal("25"), Decimal("75")]
    radar = charts.radar(labels, [charts.Series("current", "Ce diagnostic", scores)])
    dots = radar["series"][0]["dots"]
    # The first axis points up: 100 is the full radius (170) above the centre (320, 250).
    assert dots[0] == ("320.0", "80.0")
    # The fourth axis points down; a dimension without a score is drawn at the centre.
    assert dots[3] == ("320.0", "250.0")
    # 50 on the second axis (60° clockwise from the top): half the radius.
    assert dots[1] == (f"{320 + 85 * 0.8660254:.1f}", f"{250 - 85 * 0.5:.1f}")
    assert len(radar["axes"]) == 6 and len(radar["rings"]) == 5


def test_the_svg_is_an_image_with_a_title_and_one_polygon_per_series():
    labels = ["A", "B", "C"]
    radar = charts.radar(
        labels,
        [
            charts.Series("baseline", "Premier", [Decimal("10"), Decimal("20"), Decimal("30")]),
            charts.Series("current", "Ce diagnostic", [Decimal("40"), Decimal("50"), Decimal("60")]),
            charts.Series("peers", "Pairs", [None, None, None]),
        ],
    )
    from django.utils import translation

    with translation.override("fr"):
        svg = render_to_string("diagnostics/_radar_svg.html", {"radar": radar})
    # Coordinates keep their decimal point in French: "260.0", never "260,0".
    assert 'x2="320.0"' in svg
    assert not re.search(r' (x|y|cx|cy|x1|y1|x2|y2)="\d+,\d', svg)
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count('class="radar-series') == 2  # A series without any score is not drawn.


def test_fewer_than_three_dimensions_draw_no_radar():
    assert charts.radar(["A", "B"], [charts.Series("current", "x", [Decimal("1"), Decimal("2")])])["series"] == []


def test_axis_labels_lie_beyond_the_outer_ring_and_inside_the_picture():
    from virage.diagnostics.charts import CENTRE, CENTRE_X, RADIUS, SIZE, WIDTH, Series, radar

    labels = [
        "Stratégie numérique",
        "Préparation numérique",
        "Personnes et compétences",
        "Gestion des données et sécurité",
        "Automatisation et intelligence artificielle",
        "Numérique écoresponsable",
    ]
    chart = radar(labels, [Series(key="current", label="Ce diagnostic", values=[50] * 6)])

    for axis in chart["axes"]:
        x, y = float(axis["label_x"]), float(axis["label_y"])
        assert ((x - CENTRE_X) ** 2 + (y - CENTRE) ** 2) ** 0.5 > RADIUS + 5
        assert 0 <= x <= WIDTH and 0 <= y <= SIZE
