"""Stretch figures drawn as SVG: the pose model of :mod:`kneelog.views.poses` in one flat style, for the pages.

Capsules in kneelog's Okabe-Ito blue, the moving segments in vermilion with an arrow along the path of the point that
moves, the start pose as a pale ghost behind, the near side darker than the far side, and the floor, wall, box or mat
the stretch uses; the other side is the mirror image about the canvas's centre line. The animation (SMIL
``<animate>``, which also runs inside an ``<img>``, so ``st.image`` shows it) goes from start to end, holds and comes
back; without SMIL, or drawn inline with reduced motion asked for, the end pose stands still. The SVG holds no
script, link or reference to anything outside it, and the alt text describes the figure in words.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from kneelog.views.poses import (
    HEAD_RADIUS,
    STEP,
    WIDTH,
    Figure,
    Point,
    Prop,
    frame,
    pose_points,
    shipped_figures,
    timeline,
)

TRUNK_WIDTH = {"side": 11.0, "oblique": 12.0, "front": 13.0, "top": 10.0}
#: The white outline each side of a limb of the figure (not of the ghost), so crossing limbs stay apart.
HALO = 0.9

# The canvas: 160 x 120 units (4:3), the floor FLOOR units from its top. A figure shows the part it fills, at least
# MIN_VIEW_W units wide, so a kneeling figure is drawn larger than a standing one.
CANVAS_W, CANVAS_H, FLOOR, MIN_VIEW_W = 160.0, 120.0, 112.0, 110.0
BLUE, VERMILION = "#0072B2", "#D55E00"  # Okabe and Ito (2008), as the app's charts
BLUE_FAR, VERMILION_FAR = "#80B8D8", "#EAAE7F"  # each mixed half and half with white: the far side
WHITE, GHOST, FLOOR_GREY, PROP_FILL, PROP_LINE = "#FFFFFF", "#DCDCDC", "#9A9A9A", "#F0F0F0", "#B4B4B4"
ARROW_SAMPLES, ARROW_HEAD = 12, 5.0


def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


@dataclass(frozen=True)
class _Shape:
    """One drawn element: its tag, its geometry (model points) and its fixed style attributes."""

    tag: str
    points: dict[str, Point]
    style: str


def _colours(figure: Figure, ghost: bool) -> Callable[[str], str]:
    """The colour of each joint: vermilion if it moves, else blue; paler further from the viewer (the far side's
    limbs seen from the side, the legs seen from above); all pale grey for the ghost of the start pose."""

    def colour_of(joint: str) -> str:
        if ghost:
            return GHOST
        if figure.view in ("side", "oblique"):
            far = joint.startswith("left_")
        else:
            far = figure.view == "top" and (joint == "hips" or joint.endswith(("_thigh", "_shin", "_foot")))
        if joint in figure.moving:
            return VERMILION_FAR if far else VERMILION
        return BLUE_FAR if far else BLUE

    return colour_of


def _shapes(figure: Figure, p: dict[str, Point], colour_of: Callable[[str], str], halo: bool) -> list[_Shape]:
    """The body as capsules (round-capped lines), the feet as polygons and the head as a circle, far side first.
    With ``halo`` each limb lies on a white outline of itself, so a limb crossing another stays apart from it."""

    def line(joint: str, a: str, b: str, width: float, colour: str | None = None) -> _Shape:
        return _Shape("line", {"1": p[a], "2": p[b]}, f'stroke="{colour or colour_of(joint)}" stroke-width="{width:g}"')

    def limb(s: str, segments: tuple[tuple[str, str, str], ...]) -> list[_Shape]:
        lines = [(f"{s}_{joint}", f"{s}_{a}", f"{s}_{b}", WIDTH[joint]) for joint, a, b in segments]
        outline = [line(j, a, b, w + 2 * HALO, WHITE) for j, a, b, w in lines] if halo else []
        return outline + [line(j, a, b, w) for j, a, b, w in lines]

    def leg(s: str) -> list[_Shape]:
        colour = colour_of(f"{s}_foot")
        foot = {str(i): p[f"{s}_{point}"] for i, point in enumerate(("ankle", "heel", "toe", "toe_top"))}
        style = f'fill="{colour}" stroke="{colour}" stroke-width="{WIDTH["foot"]:g}" stroke-linejoin="round"'
        return [*limb(s, (("thigh", "hip", "knee"), ("shin", "knee", "ankle"))), _Shape("polygon", foot, style)]

    def arm(s: str) -> list[_Shape]:
        return limb(s, (("upper_arm", "shoulder", "elbow"), ("forearm", "elbow", "hand")))

    width = TRUNK_WIDTH[figure.view]
    trunk = [
        line("hips", "right_hip", "left_hip", width),
        line("trunk", "pelvis", "neck", width),
        line("shoulders", "right_shoulder", "left_shoulder", width * 0.8),
        line("head", "neck", "head", WIDTH["neck"]),
    ]
    ring = f' stroke="{WHITE}" stroke-width="1"' if halo else ""
    head = [_Shape("circle", {"c": p["head"]}, f'r="{HEAD_RADIUS:g}" fill="{colour_of("head")}"{ring}')]
    if "face" in p:
        head.append(_Shape("circle", {"c": p["face"]}, f'r="2.2" fill="{colour_of("head")}"'))
    if figure.view in ("side", "oblique"):  # the right side faces the viewer
        return [*arm("left"), *leg("left"), *trunk, *head, *leg("right"), *arm("right")]
    if figure.view == "front":
        return [*leg("right"), *leg("left"), *trunk, *head, *arm("right"), *arm("left")]
    return [*leg("right"), *leg("left"), *trunk, *arm("right"), *arm("left"), *head]


def _corners(prop: Prop) -> tuple[Point, Point]:
    """Opposite corners of a prop: a mat centred on (x, y), a wall 5 units thick behind its face, a box on the floor."""
    if prop.kind == "mat":
        return (prop.x - prop.width / 2, prop.y - prop.height / 2), (prop.x + prop.width / 2, prop.y + prop.height / 2)
    if prop.kind == "wall":
        return (prop.x - 5.0, 0.0), (prop.x, prop.height)
    return (prop.x, 0.0), (prop.x + prop.width, prop.height)


class _Canvas:
    """Model units (y up) to SVG units (y down), mirrored for the other side about the canvas's centre line, and the
    part of the canvas the figure fills (``view_box``: 4:3, centred, the floor near the bottom)."""

    def __init__(self, figure: Figure, points: list[Point], mirrored: bool):
        points = points + [corner for prop in figure.props for corner in _corners(prop)]
        xs, ys = [x for x, _ in points], [y for _, y in points]
        self.cx, self.cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        self.sign = -1.0 if mirrored else 1.0
        self.top = figure.view == "top"
        margin, below_floor = HEAD_RADIUS + 4.0, (CANVAS_H - FLOOR) / 2
        need_h = max(ys) - min(ys) + 2 * margin if self.top else max(ys) + margin + below_floor
        width = max(MIN_VIEW_W, max(xs) - min(xs) + 2 * margin, need_h * CANVAS_W / CANVAS_H)
        width = math.ceil(width * 5) / 5  # a multiple of 0.2, so the box's left edge is exact at one decimal
        height = width * CANVAS_H / CANVAS_W
        top = (CANVAS_H - height) / 2 if self.top else FLOOR + below_floor - height
        self.view_box = ((CANVAS_W - width) / 2, top, width, height)

    def __call__(self, point: Point) -> Point:
        x = CANVAS_W / 2 + self.sign * (point[0] - self.cx)
        return (x, CANVAS_H / 2 - (point[1] - self.cy) if self.top else FLOOR - point[1])


def _num(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _attrs(shape: _Shape, canvas: _Canvas) -> dict[str, str]:
    """A shape's geometry as SVG attributes on the canvas."""
    at = {key: canvas(point) for key, point in shape.points.items()}
    if shape.tag == "polygon":
        return {"points": " ".join(f"{_num(x)},{_num(y)}" for x, y in at.values())}
    if shape.tag == "circle":
        return {"cx": _num(at["c"][0]), "cy": _num(at["c"][1])}
    return {"x1": _num(at["1"][0]), "y1": _num(at["1"][1]), "x2": _num(at["2"][0]), "y2": _num(at["2"][1])}


def _element(tag: str, attrs: dict[str, str], style: str, children: str = "") -> str:
    attributes = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f"<{tag}{attributes} {style}>{children}</{tag}>" if children else f"<{tag}{attributes} {style}/>"


def _draw(shapes: list[_Shape], canvas: _Canvas) -> str:
    return "".join(_element(s.tag, _attrs(s, canvas), s.style) for s in shapes)


def _animated(frames: list[list[_Shape]], end: int, canvas: _Canvas) -> str:
    """The figure at its end pose, each attribute that changes animated through ``frames`` in one loop."""
    duration = (len(frames) - 1) * STEP
    parts = []
    for i, shape in enumerate(frames[end]):
        series = [_attrs(frame[i], canvas) for frame in frames]
        animations = "".join(
            f'<animate attributeName="{key}" dur="{duration:g}s" repeatCount="indefinite" values="{";".join(values)}"/>'
            for key in series[0]
            if len(set(values := [attrs[key] for attrs in series])) > 1
        )
        parts.append(_element(shape.tag, series[end], shape.style, animations))
    return "".join(parts)


def _props(figure: Figure, canvas: _Canvas) -> str:
    parts = []
    for prop in figure.props:
        (x1, y1), (x2, y2) = (canvas(c) for c in _corners(prop))
        box = {
            "x": _num(min(x1, x2)),
            "y": _num(min(y1, y2)),
            "width": _num(abs(x2 - x1)),
            "height": _num(abs(y2 - y1)),
        }
        rounded = ' rx="4"' if prop.kind == "mat" else ""
        parts.append(_element("rect", box, f'fill="{PROP_FILL}" stroke="{PROP_LINE}" stroke-width="1"{rounded}'))
    if figure.view != "top":
        left, width = canvas.view_box[0], canvas.view_box[2]
        ends = f'x1="{_num(left + 3)}" y1="{FLOOR:g}" x2="{_num(left + width - 3)}" y2="{FLOOR:g}"'
        parts.append(f'<line {ends} stroke="{FLOOR_GREY}" stroke-width="1.2"/>')
    return "".join(parts)


def _arrow_paths(figure: Figure) -> list[list[Point]]:
    """The path each tracked point takes from the start pose to the end pose, set off by its offset."""
    paths = []
    for point, offset in figure.arrows:
        path = [
            _add(frame(figure, a, b, i / ARROW_SAMPLES)[point], offset)
            for a, b in itertools.pairwise(figure.poses)
            for i in range(ARROW_SAMPLES)
        ]
        paths.append([*path, _add(pose_points(figure, figure.poses[-1])[point], offset)])
    return paths


def _arrow(path: list[Point]) -> str:
    """A vermilion line on a white outline along ``path`` (SVG units), ending in an arrowhead."""
    tip = path[-1]
    before = next((q for q in reversed(path) if math.dist(q, tip) >= ARROW_HEAD), path[0])
    ux, uy = (tip[0] - before[0]) / math.dist(tip, before), (tip[1] - before[1]) / math.dist(tip, before)
    base = (tip[0] - ARROW_HEAD * ux, tip[1] - ARROW_HEAD * uy)
    wing = (-uy * ARROW_HEAD * 0.55, ux * ARROW_HEAD * 0.55)
    shaft = [q for q in path[:-1] if math.dist(q, tip) > ARROW_HEAD] + [base]
    d = "M" + " L".join(f"{_num(x)} {_num(y)}" for x, y in shaft)
    head = " ".join(f"{_num(x)},{_num(y)}" for x, y in (tip, _add(base, wing), _sub(base, wing)))
    line = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'
    return (
        f'<path d="{d}" {line} stroke="{WHITE}" stroke-width="3.6"/>'
        f'<polygon points="{head}" fill="{VERMILION}" stroke="{WHITE}" stroke-width="1" stroke-linejoin="round"/>'
        f'<path d="{d}" {line} stroke="{VERMILION}" stroke-width="1.6"/>'
    )


# --- what the pages use ----------------------------------------------------------------------------------------


def _sides(figure: Figure, side: str) -> tuple[bool, str, str]:
    """Whether ``side`` is the mirror image of the drawn side, and the words for the side and the other side."""
    if figure.drawn_side == "both":
        if side != "both":
            raise ValueError(f"the figure of {figure.stretch_id!r} works both legs at once: ask for side 'both'")
        return False, "both", "both"
    if side not in ("left", "right"):
        raise ValueError(f"the figure of {figure.stretch_id!r} has a left and a right side, not {side!r}")
    return side != figure.drawn_side, side, "left" if side == "right" else "right"


def figure_alt(figure: Figure, side: str) -> str:
    """The figure in words for ``side``: its ``alt`` text with ``{side}`` and ``{other}`` filled in.

    Raises:
        ValueError: when ``side`` is not one the figure has.
    """
    _, words, other = _sides(figure, side)
    return figure.alt.replace("{side}", words).replace("{other}", other)


def render_svg(figure: Figure, side: str, animated: bool = True) -> str:
    """Draw a stretch's figure as one self-contained SVG, 320 x 240 pixels unless its container scales it.

    Args:
        figure: the figure (:func:`load_figures`).
        side: ``left`` or ``right`` (the drawn side, or its mirror image), or ``both``.
        animated: loop from the start pose to the end pose and back (SMIL); ``False`` draws the end pose still.
            Both draw the start pose as a pale ghost, the arrows, and the alt text as the SVG's title.

    Returns:
        The SVG markup: no script, no link, nothing fetched; the same arguments always give the same text.

    Raises:
        ValueError: when ``side`` is not one the figure has.
    """
    mirrored, _, _ = _sides(figure, side)
    poses, samples = figure.poses, timeline(figure)
    frames = [frame(figure, poses[s], poses[s + 1], t) for s, t in samples]
    start, end = pose_points(figure, poses[0]), pose_points(figure, poses[-1])
    arrows = _arrow_paths(figure)
    canvas = _Canvas(figure, [q for p in (*frames, start, end) for q in p.values()] + sum(arrows, []), mirrored)
    body = _colours(figure, ghost=False)
    still = _draw(_shapes(figure, end, body, halo=True), canvas)
    if animated:
        end_index = samples.index((len(poses) - 2, 1.0))
        moving = _animated([_shapes(figure, p, body, halo=True) for p in frames], end_index, canvas)
        figure_markup = f'<g class="kl-move">{moving}</g><g class="kl-still">{still}</g>'
    else:
        figure_markup = still
    ghost = _draw(_shapes(figure, start, _colours(figure, ghost=True), halo=False), canvas)
    alt = escape(figure_alt(figure, side))
    x, y, w, h = (_num(v) for v in canvas.view_box)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" width="320" height="240" role="img" '
        f'aria-label="{alt}"><title>{alt}</title><style>.kl-still{{display:none}}'
        "@media (prefers-reduced-motion: reduce){.kl-move{display:none}.kl-still{display:inline}}</style>"
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{WHITE}"/>{_props(figure, canvas)}'
        f'<g stroke-linecap="round">{ghost}{figure_markup}</g>'
        f"{''.join(_arrow([canvas(q) for q in path]) for path in arrows)}</svg>"
    )


@functools.lru_cache(maxsize=32)
def figure_svg(stretch_id: str, side: str, animated: bool = True) -> str:
    """The shipped figure of a stretch for one side, as SVG markup for ``st.image`` (see :func:`render_svg`); drawn
    once per process (about 30 ms each), then remembered.

    Raises:
        LibraryInvalid: when ``data/poses.toml`` is malformed.
        KeyError: when the stretch has no figure. ValueError: when it has no such side.
    """
    return render_svg(shipped_figures()[stretch_id], side, animated)


def alt_text(stretch_id: str, side: str) -> str:
    """The shipped figure of a stretch for one side in words, for the image's ``alt`` (see :func:`figure_alt`)."""
    return figure_alt(shipped_figures()[stretch_id], side)
