"""The stretch figures drawn as SVG: deterministic, mirrored for the other side, self-contained, described in words."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kneelog.views.figures import CANVAS_W, alt_text, figure_svg, render_svg
from kneelog.views.poses import load_figures, shipped_figures
from tests.test_stretches import _copied_runs

SVG = "{http://www.w3.org/2000/svg}"
TWO_SIDED = ["half_kneel_quad", "low_lunge_reach", "ninety_ninety_reach", "ankle_mobilization"]
EVERY_FIGURE = [(stretch_id, side) for stretch_id in TWO_SIDED for side in ("left", "right")] + [
    ("wide_leg_forward_fold", "both")
]
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _points(element: ET.Element) -> list[tuple[float, float]]:
    """Every (x, y) an element is drawn at, whatever its kind."""
    a = element.attrib
    tag = element.tag.removeprefix(SVG)
    if tag == "line":
        return [(float(a["x1"]), float(a["y1"])), (float(a["x2"]), float(a["y2"]))]
    if tag == "circle":
        return [(float(a["cx"]), float(a["cy"]))]
    if tag == "rect":
        x, y, w, h = (float(a[k]) for k in ("x", "y", "width", "height"))
        return [(x, y), (x + w, y), (x, y + h), (x + w, y + h)]
    numbers = [float(n) for n in NUMBER.findall(a.get("points", a.get("d", "")))]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _drawn(svg: str) -> list[tuple[str, list[tuple[float, float]]]]:
    """Each drawn element with its points, in document order."""
    kinds = ("line", "circle", "rect", "polygon", "path")
    return [(e.tag, _points(e)) for e in ET.fromstring(svg).iter() if e.tag.removeprefix(SVG) in kinds]


def _flat(points: list[tuple[float, float]]) -> list[float]:
    """The points sorted, as one list of numbers (``pytest.approx`` compares flat lists)."""
    return [v for point in sorted(points) for v in point]


@pytest.mark.parametrize(("stretch_id", "side"), EVERY_FIGURE)
def test_the_same_figure_and_side_always_give_the_same_svg(stretch_id, side):
    first = render_svg(load_figures()[stretch_id], side)
    again = render_svg(load_figures()[stretch_id], side)  # from a second reading of the file
    assert first == again


@pytest.mark.parametrize("stretch_id", TWO_SIDED)
@pytest.mark.parametrize("animated", [False, True])
def test_the_other_side_is_the_mirror_image_about_the_centre_line(stretch_id, animated):
    left, right = (_drawn(figure_svg(stretch_id, side, animated)) for side in ("left", "right"))
    assert len(left) == len(right) > 20
    for (tag, on_left), (same_tag, on_right) in zip(left, right, strict=True):
        assert tag == same_tag
        mirrored = [(round(CANVAS_W - x, 1), y) for x, y in on_right]
        assert _flat(on_left) == pytest.approx(_flat(mirrored), abs=0.11)
    assert left != right  # a figure that is its own mirror image would pass the loop above


@pytest.mark.parametrize("stretch_id", TWO_SIDED)
def test_each_animated_x_coordinate_is_mirrored_and_each_y_kept(stretch_id):
    def animations(side: str) -> list[tuple[str, list[float]]]:
        root = ET.fromstring(figure_svg(stretch_id, side))
        return [
            (a.get("attributeName"), [float(v) for v in NUMBER.findall(a.get("values"))])
            for a in root.iter(f"{SVG}animate")
        ]

    left, right = animations("left"), animations("right")
    assert len(left) == len(right) > 10
    for (name, on_left), (_, on_right) in zip(left, right, strict=True):
        if name == "points":  # x, y pairs
            on_right = [CANVAS_W - v if i % 2 == 0 else v for i, v in enumerate(on_right)]
        elif name in ("x1", "x2", "cx"):
            on_right = [CANVAS_W - v for v in on_right]
        assert on_left == pytest.approx(on_right, abs=0.11), name


@pytest.mark.parametrize(("stretch_id", "side"), EVERY_FIGURE)
def test_a_figure_refers_to_nothing_outside_itself(stretch_id, side):
    svg = figure_svg(stretch_id, side)
    ET.fromstring(svg)  # well-formed
    assert svg.count("http") == 1 and 'xmlns="http://www.w3.org/2000/svg"' in svg  # only the namespace
    for outside in ("<script", "<image", "href", "url(", "@import", "<foreignObject", "<iframe", "javascript:"):
        assert outside not in svg


@pytest.mark.parametrize(("stretch_id", "side"), EVERY_FIGURE)
def test_every_point_of_every_frame_is_inside_the_view_box(stretch_id, side):
    svg = figure_svg(stretch_id, side)
    x0, y0, w, h = (float(v) for v in ET.fromstring(svg).get("viewBox").split())
    points = [p for _, points in _drawn(svg) for p in points]
    for animate in ET.fromstring(svg).iter(f"{SVG}animate"):
        values = [float(v) for v in NUMBER.findall(animate.get("values"))]
        if animate.get("attributeName") == "points":
            points += list(zip(values[::2], values[1::2], strict=True))
    assert all(x0 <= x <= x0 + w and y0 <= y <= y0 + h for x, y in points)
    assert x0 + w / 2 == pytest.approx(CANVAS_W / 2)  # centred, so the mirror image fits the same box


def test_the_animated_figure_moves_and_keeps_a_still_end_pose_for_reduced_motion():
    animated, still = figure_svg("ankle_mobilization", "left"), figure_svg("ankle_mobilization", "left", False)
    assert 'repeatCount="indefinite"' in animated and "<animate" not in still
    assert 'class="kl-move"' in animated and 'class="kl-still"' in animated
    assert "@media (prefers-reduced-motion: reduce){.kl-move{display:none}.kl-still{display:inline}}" in animated


@pytest.mark.parametrize("stretch_id", TWO_SIDED)
def test_alt_text_names_the_side_and_the_other_side_is_its_mirror_in_words(stretch_id):
    left, right = alt_text(stretch_id, "left"), alt_text(stretch_id, "right")
    assert "{" not in left and "the left" in left
    swapped = re.sub(r"\b(left|right)\b", lambda m: {"left": "right", "right": "left"}[m.group(1)], left)
    assert swapped == right


def test_the_fold_is_described_and_drawn_once_for_both_legs():
    assert "both legs at once" in alt_text("wide_leg_forward_fold", "both")
    with pytest.raises(ValueError, match="works both legs at once"):
        figure_svg("wide_leg_forward_fold", "left")
    with pytest.raises(ValueError, match="has a left and a right side, not 'both'"):
        figure_svg("half_kneel_quad", "both")


@pytest.mark.parametrize(("stretch_id", "side"), EVERY_FIGURE)
def test_the_alt_text_is_the_svg_title_and_accessible_name(stretch_id, side):
    root = ET.fromstring(figure_svg(stretch_id, side))
    assert root.find(f"{SVG}title").text == root.get("aria-label") == alt_text(stretch_id, side)


def test_alt_text_is_kneelogs_own_wording_not_the_articles():
    copied = {run for figure in shipped_figures().values() for run in _copied_runs(figure.alt)}
    assert copied == set()
