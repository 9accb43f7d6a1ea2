"""Stretch figures: a small 2-D pose model of each stretch, kept as data in ``data/poses.toml``.

Each stretch of the library has a figure (the file's header describes the format): the view that makes the stretch
recognisable (``side``: from the working side, facing right; ``oblique``: three-quarters from the front; ``front``;
``top``: from above) and its key poses, ``start`` first and ``end`` last. A pose gives the direction of every body
segment (:data:`JOINTS`) in degrees, counter-clockwise from the page's right, the hip and shoulder lines as
``[direction, seen width]``, and where its ``anchor`` point is. :func:`load_figures` checks all of it, so a pose
without a joint or a foot that misses the floor fails at load time with the stretch, pose and joint named.

Between key poses (:func:`frame`) the segment directions turn the short way round (a segment whose seen length
changes, turning out of the page, moves its end in a straight line instead), and every point both poses hold on a
surface (``contacts``: a foot, a hand) is kept still by two-link inverse kinematics, so nothing slides while the body
moves. :mod:`kneelog.views.figures` draws them.

Segment lengths: fractions of standing height from Drillis and Contini (1966), as tabulated in D. A. Winter,
*Biomechanics and Motor Control of Human Movement*, 4th ed. (2009), Fig. 4.1; height = 100 units.
"""

from __future__ import annotations

import functools
import importlib.resources
import math
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from kneelog.errors import LibraryInvalid
from kneelog.stretches import StretchLibrary, load_library, read_toml

#: The figures shipped with kneelog, next to the stretch library.
DEFAULT_POSES_PATH = importlib.resources.files("kneelog.data") / "poses.toml"

VIEWS = ("side", "oblique", "front", "top")
LIMBS = ("thigh", "shin", "foot", "upper_arm", "forearm")
GIRDLES = ("hips", "shoulders")
#: Every joint a pose must give: a segment direction in degrees, or a girdle line ``[direction, seen width]``.
JOINTS = ("trunk", "head", *GIRDLES, *(f"{s}_{limb}" for s in ("right", "left") for limb in LIMBS))
#: The points of the body an anchor, contact or arrow can name.
POINTS = ("pelvis", "neck", "head") + tuple(
    f"{s}_{p}" for s in ("right", "left") for p in ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "hand")
)

# Units of 1/100 of standing height (Drillis and Contini 1966, via Winter 2009, Fig. 4.1): hip to knee 0.245, knee to
# ankle 0.246, hip to shoulder 0.288 (0.818 - 0.530), shoulder to head centre 0.118, upper arm 0.186, forearm 0.146
# plus half the hand; hip joints 0.11 apart, shoulders 0.26 apart (biacromial), head 0.13 across.
LENGTHS = {"trunk": 28.8, "head": 11.8, "thigh": 24.5, "shin": 24.6, "upper_arm": 18.6, "forearm": 19.0}
HALF_WIDTH = {"hips": 5.5, "shoulders": 13.0}
HEAD_RADIUS = 6.5
#: The foot in its own frame (x along it, y towards its top), ankle at the origin: heel and toe on the sole, toe top.
HEEL, TOE, TOE_TOP = (-4.0, -3.9), (11.0, -3.9), (10.0, -1.8)
#: How thick each limb is drawn (its capsule's width): a knee or hand touches a surface with its capsule's edge.
WIDTH = {"thigh": 7.5, "shin": 6.0, "upper_arm": 5.0, "forearm": 4.2, "neck": 4.0, "foot": 2.6}
#: A contact's edge may be this far from its surface; a contact two poses share within HOLD_DISTANCE is held still.
CONTACT_TOLERANCE, HOLD_DISTANCE = 1.0, 2.0

#: The animation (seconds): hold the start, move into each pose (MOVE unless it gives its own ``seconds``), hold the
#: end, return (RETURN for a move of MOVE); sampled every STEP.
HOLD_START, MOVE, HOLD_END, RETURN, STEP = 1.0, 1.6, 2.0, 1.0, 0.2

Point = tuple[float, float]


@dataclass(frozen=True)
class Pose:
    """One key pose: segment directions, girdle lines, where the anchor point is, and what touches a surface."""

    name: str
    angles: dict[str, float]
    girdles: dict[str, tuple[float, float]]
    at: Point
    contacts: tuple[str, ...] = ()
    scale: dict[str, float] = field(default_factory=dict)
    face: float | None = None
    seconds: float = MOVE  # the move into this pose in the animation


@dataclass(frozen=True)
class Prop:
    """Something the body uses: a ``wall`` (its face at x), a ``box`` (x to x + width, height) or a ``mat``."""

    kind: str
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0


@dataclass(frozen=True)
class Figure:
    """A stretch's figure: its view, key poses, moving joints, arrows, props and alt text."""

    stretch_id: str
    view: str
    drawn_side: str
    anchor: str
    poses: tuple[Pose, ...]
    moving: frozenset[str]
    arrows: tuple[tuple[str, Point], ...]
    props: tuple[Prop, ...]
    alt: str


# --- reading and checking data/poses.toml ----------------------------------------------------------------------


class _Problems(list[str]):
    """What is wrong with the file, each with where it is."""

    def need(self, ok: bool, where: str, why: str) -> bool:
        if not ok:
            self.append(f"{where}: {why}")
        return ok


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)


def _pose(raw: dict[str, Any], name: str, where: str, problems: _Problems) -> Pose | None:
    known = {*JOINTS, "name", "at", "contacts", "scale", "face", "seconds"}
    for key in sorted(set(raw) - known):
        problems.append(f"{where}: {key!r} is not a joint or setting of a pose (a typo?)")
    checks = [problems.need(joint in raw, where, f"joint {joint!r} is missing") for joint in JOINTS]
    checks += [
        problems.need(_pair(raw[j]), where, f"joint {j!r} must be [direction, seen width]")
        if j in GIRDLES
        else problems.need(_number(raw[j]), where, f"joint {j!r} must be a number of degrees")
        for j in JOINTS
        if j in raw
    ]
    checks.append(problems.need(_pair(raw.get("at")), where, "'at' (where the anchor point is) must be [x, y]"))
    contacts, scale = raw.get("contacts", []), raw.get("scale", {})
    good = isinstance(contacts, list) and all(c in POINTS for c in contacts)
    checks.append(problems.need(good, where, "'contacts' must list points of the body, such as 'left_heel'"))
    checks += [
        problems.need(
            k in JOINTS and k not in GIRDLES and _number(v) and (-1 if k.endswith("_foot") else 0) <= v <= 1,
            where,
            f"scale {k!r} must be a number from 0 to 1 (-1 to 1 for a foot)",
        )
        for k, v in (scale.items() if isinstance(scale, dict) else [("scale", None)])
    ]
    checks.append(problems.need(_number(raw.get("face", 0)), where, "'face' must be a number of degrees"))
    seconds = raw.get("seconds", MOVE)
    checks.append(problems.need(_number(seconds) and 0.2 <= seconds <= 10, where, "'seconds' must be 0.2 to 10"))
    if not all(checks):
        return None
    return Pose(
        name=name,
        angles={j: float(raw[j]) for j in JOINTS if j not in GIRDLES},
        girdles={g: (float(raw[g][0]), float(raw[g][1])) for g in GIRDLES},
        at=(float(raw["at"][0]), float(raw["at"][1])),
        contacts=tuple(contacts),
        scale={k: float(v) for k, v in scale.items()},
        face=float(raw["face"]) if "face" in raw else None,
        seconds=float(seconds),
    )


def _figure(stretch_id: str, raw: Any, problems: _Problems) -> Figure | None:
    where = f"stretch {stretch_id!r}"
    if not problems.need(isinstance(raw, dict), where, "must be a table"):
        return None
    view, side, anchor, alt = raw.get("view"), raw.get("drawn_side"), raw.get("anchor"), raw.get("alt")
    moving, arrows, props = raw.get("moving", []), raw.get("arrows", []), raw.get("props", [])
    sides = ("right", "both") if view in ("side", "oblique") else ("left", "right", "both")
    good_arrows = isinstance(arrows, list) and all(
        isinstance(a, dict) and a.get("point") in POINTS and _pair(a.get("offset", [0, 0])) for a in arrows
    )
    good_props = isinstance(props, list) and all(
        isinstance(p, dict)
        and p.get("kind") in ("wall", "box", "mat")
        and all(k in ("x", "y", "width", "height") and _number(v) for k, v in p.items() if k != "kind")
        for p in props
    )
    checks = [
        problems.need(view in VIEWS, where, f"'view' must be one of {', '.join(VIEWS)}"),
        problems.need(side in sides, where, f"'drawn_side' must be {' or '.join(sides)} for this view"),
        problems.need(anchor in POINTS, where, "'anchor' must be a point of the body"),
        problems.need(isinstance(alt, str) and alt.strip() != "", where, "'alt' (the figure in words) is missing"),
        problems.need(isinstance(moving, list) and all(m in JOINTS for m in moving), where, "'moving' lists joints"),
        problems.need(good_arrows, where, "each arrow needs a 'point' of the body and an 'offset' [x, y]"),
        problems.need(good_props, where, "each prop needs a 'kind' (wall, box or mat) and numbers x, y, width, height"),
    ]
    poses_raw = raw.get("poses")
    if not problems.need(isinstance(poses_raw, list) and len(poses_raw) >= 2, where, "needs a start and an end pose"):
        return None
    names = [p.get("name") if isinstance(p, dict) else None for p in poses_raw]
    checks.append(problems.need(all(isinstance(n, str) for n in names), where, "each pose needs a 'name'"))
    checks.append(problems.need(names[0] == "start" and names[-1] == "end", where, "poses go from 'start' to 'end'"))
    poses = [
        _pose(p, str(n), f"{where}, pose {n if isinstance(n, str) else i + 1!r}", problems)
        if isinstance(p, dict)
        else None
        for i, (p, n) in enumerate(zip(poses_raw, names, strict=True))
    ]
    if not all(checks) or None in poses:
        return None
    if not problems.need(len({p.face is None for p in poses}) == 1, where, "give 'face' in every pose or in none"):
        return None
    figure = Figure(
        stretch_id,
        view,
        side,
        anchor,
        tuple(poses),
        frozenset(moving),
        tuple((a["point"], tuple(float(v) for v in a.get("offset", [0, 0]))) for a in arrows),
        tuple(Prop(**p) for p in props),
        alt,
    )
    for pose in figure.poses:
        points = pose_points(figure, pose)
        for contact in pose.contacts:
            gap = _gap_to_surface(figure, points[contact], contact)
            if gap is not None and abs(gap) > CONTACT_TOLERANCE:
                problems.append(
                    f"{where}, pose {pose.name!r}: {contact} should touch the floor, a wall or a box but is "
                    f"{gap:+.1f} units from it"
                )
    return figure


def load_figures(
    path: Path | str | Traversable = DEFAULT_POSES_PATH, library: StretchLibrary | None = None
) -> dict[str, Figure]:
    """Read and check the stretch figures.

    Args:
        path: the TOML file; default the figures shipped in ``data/poses.toml``.
        library: when given, each of its stretches must have a figure drawn for one of its sides, and each figure
            must be one of its stretches.

    Returns:
        The figures by stretch id.

    Raises:
        LibraryInvalid: when the file is missing or not valid TOML, or breaks a rule, for example a pose without one
            of :data:`JOINTS`, a contact that touches nothing, or a stretch without a figure; the message names
            each stretch, pose and joint.
    """
    path = Path(path) if isinstance(path, str) else path
    raw = read_toml(path, "The stretch figures file", "it")
    problems = _Problems()
    entries = raw.get("figures")
    if not problems.need(isinstance(entries, dict), "the file", "needs a [figures.<stretch id>] table per stretch"):
        entries = {}
    figures = {sid: f for sid, entry in entries.items() if (f := _figure(sid, entry, problems)) is not None}
    if library is not None:
        known = {s.id: s.sides for s in library.stretches}
        for stretch_id, sides in known.items():
            if problems.need(stretch_id in entries, f"stretch {stretch_id!r}", "has no figure") and (
                figure := figures.get(stretch_id)
            ):
                problems.need(
                    figure.drawn_side in sides,
                    f"stretch {stretch_id!r}",
                    f"is drawn for {figure.drawn_side!r}, not one of its sides ({', '.join(sides)})",
                )
        for stretch_id in entries:
            problems.need(stretch_id in known, f"figure {stretch_id!r}", "is not a stretch of the library")
    if problems:
        raise LibraryInvalid(f"The stretch figures {path} are malformed. {'; '.join(problems)}.")
    return figures


@functools.cache
def shipped_figures() -> dict[str, Figure]:
    """The figures of ``data/poses.toml``, checked against the shipped stretch library (read once)."""
    return load_figures(DEFAULT_POSES_PATH, load_library())


# --- the pose model --------------------------------------------------------------------------------------------


def _polar(length: float, degrees: float) -> Point:
    radians = math.radians(degrees)
    return (length * math.cos(radians), length * math.sin(radians))


def _add(a: Point, b: Point) -> Point:
    return (a[0] + b[0], a[1] + b[1])


def _sub(a: Point, b: Point) -> Point:
    return (a[0] - b[0], a[1] - b[1])


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def _lerp_point(a: Point, b: Point, t: float) -> Point:
    return (_lerp(a[0], b[0], t), _lerp(a[1], b[1], t))


def _lerp_angle(a: float, b: float, t: float) -> float:
    """Turn from ``a`` towards ``b`` the short way round."""
    return a + ((b - a + 180.0) % 360.0 - 180.0) * t


def _body_points(pose: Pose) -> dict[str, Point]:
    """Every point of the body with the pelvis at the origin (forward kinematics from the segment directions)."""

    def segment(joint: str) -> Point:
        return _polar(
            LENGTHS[joint.removeprefix("right_").removeprefix("left_")] * pose.scale.get(joint, 1.0), pose.angles[joint]
        )

    p: dict[str, Point] = {"pelvis": (0.0, 0.0)}
    p["neck"] = segment("trunk")
    p["head"] = _add(p["neck"], segment("head"))
    for girdle, centre, joint in (("hips", "pelvis", "hip"), ("shoulders", "neck", "shoulder")):
        direction, width = pose.girdles[girdle]
        offset = _polar(HALF_WIDTH[girdle] * width, direction)
        p[f"right_{joint}"], p[f"left_{joint}"] = _add(p[centre], offset), _sub(p[centre], offset)
    for s in ("right", "left"):
        p[f"{s}_knee"] = _add(p[f"{s}_hip"], segment(f"{s}_thigh"))
        p[f"{s}_ankle"] = _add(p[f"{s}_knee"], segment(f"{s}_shin"))
        foot, length = pose.angles[f"{s}_foot"], pose.scale.get(f"{s}_foot", 1.0)
        for name, (x, y) in (("heel", HEEL), ("toe", TOE), ("toe_top", TOE_TOP)):
            p[f"{s}_{name}"] = _add(p[f"{s}_ankle"], _add(_polar(x * length, foot), _polar(y, foot + 90)))
        p[f"{s}_elbow"] = _add(p[f"{s}_shoulder"], segment(f"{s}_upper_arm"))
        p[f"{s}_hand"] = _add(p[f"{s}_elbow"], segment(f"{s}_forearm"))
    if pose.face is not None:  # the nose: a bump on the head towards where the face looks
        p["face"] = _add(p["head"], _polar(HEAD_RADIUS + 0.6, pose.face))
    return p


def pose_points(figure: Figure, pose: Pose) -> dict[str, Point]:
    """Every point of the body, placed so the figure's anchor point is at the pose's ``at``."""
    points = _body_points(pose)
    shift = _sub(pose.at, points[figure.anchor])
    return {name: _add(point, shift) for name, point in points.items()}


def _gap_to_surface(figure: Figure, point: Point, name: str) -> float | None:
    """How far a contact's edge (a knee's or hand's capsule, a sole) is from the nearest floor, box top or wall face;
    None seen from above, where everything rests on the floor."""
    if figure.view == "top":
        return None
    radius = {"knee": WIDTH["shin"] / 2, "hand": WIDTH["forearm"] / 2}.get(name.split("_")[-1], 0.0)
    gaps = [point[1] - radius]
    for prop in figure.props:
        if prop.kind == "box" and prop.x - radius <= point[0] <= prop.x + prop.width + radius:
            gaps.append(point[1] - radius - prop.height)
        if prop.kind == "wall":
            gaps.append(abs(point[0] - prop.x) - radius)
    return min(gaps, key=abs)


def _between(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``a`` to ``b``.

    A segment seen at the same length in both turns the short way round; one whose seen length changes is turning
    out of the page (a trunk folding towards the viewer), so its seen end moves in a straight line instead.
    """
    angles, scale = {}, {}
    for joint, start in a.angles.items():
        sa, sb = a.scale.get(joint, 1.0), b.scale.get(joint, 1.0)
        if sa == sb or joint.endswith("_foot"):  # a foot only turns in the page
            angles[joint], scale[joint] = _lerp_angle(start, b.angles[joint], t), _lerp(sa, sb, t)
        else:
            x, y = _lerp_point(_polar(sa, start), _polar(sb, b.angles[joint]), t)
            angles[joint], scale[joint] = math.degrees(math.atan2(y, x)), math.hypot(x, y)
    girdles = {
        g: (_lerp_angle(a.girdles[g][0], b.girdles[g][0], t), _lerp(a.girdles[g][1], b.girdles[g][1], t))
        for g in GIRDLES
    }
    face = None if a.face is None or b.face is None else _lerp_angle(a.face, b.face, t)
    return Pose(f"{a.name}-{b.name}", angles, girdles, _lerp_point(a.at, b.at, t), scale=scale, face=face)


def _reach(root: Point, middle: Point, target: Point, first: float, second: float) -> tuple[Point, Point]:
    """Two-link inverse kinematics: the middle joint and end of a limb from ``root`` that reaches ``target``,
    bending to the side ``middle`` is on now (straight, pointing at the target, when it is out of reach)."""
    to_target, to_middle = _sub(target, root), _sub(middle, root)
    distance = max(abs(first - second) + 1e-6, min(first + second, math.hypot(*to_target)))
    bend = 1.0 if to_target[0] * to_middle[1] - to_target[1] * to_middle[0] >= 0 else -1.0
    cos_root = max(-1.0, min(1.0, (first**2 + distance**2 - second**2) / (2 * first * distance)))
    base = math.degrees(math.atan2(to_target[1], to_target[0]))
    return _add(root, _polar(first, base + bend * math.degrees(math.acos(cos_root)))), _add(
        root, _polar(distance, base)
    )


#: The limb that holds each kind of contact still: root, middle joint, end, and its two segments.
_CHAINS = {
    **dict.fromkeys(("ankle", "heel", "toe"), ("hip", "knee", "ankle", "thigh", "shin")),
    "hand": ("shoulder", "elbow", "hand", "upper_arm", "forearm"),
}


def frame(figure: Figure, a: Pose, b: Pose, t: float) -> dict[str, Point]:
    """The body a fraction ``t`` of the way from key pose ``a`` to ``b``, each contact they share held still."""
    pa, pb = pose_points(figure, a), pose_points(figure, b)
    pose = _between(a, b, t)
    p = pose_points(figure, pose)
    for contact in sorted(set(a.contacts) & set(b.contacts) - {figure.anchor}):
        side, kind = contact.split("_", 1)
        if kind not in _CHAINS or math.dist(pa[contact], pb[contact]) > HOLD_DISTANCE:
            continue
        root, middle, end, first, second = (f"{side}_{name}" for name in _CHAINS[kind])
        lengths = [LENGTHS[joint.split("_", 1)[1]] * pose.scale.get(joint, 1.0) for joint in (first, second)]
        before = p[end]
        p[middle], p[end] = _reach(p[root], p[middle], _lerp_point(pa[end], pb[end], t), *lengths)
        if kind != "hand":  # the foot goes with its ankle
            for point in ("heel", "toe", "toe_top"):
                p[f"{side}_{point}"] = _add(p[f"{side}_{point}"], _sub(p[end], before))
    return p


def timeline(figure: Figure) -> list[tuple[int, float]]:
    """(span, fraction) of each sample of one animation loop, every :data:`STEP` seconds: hold the start, move
    through each span (eased in and out), hold the end, then return through the spans backwards."""
    poses, spans = figure.poses, range(len(figure.poses) - 1)

    def ticks(seconds: float) -> int:
        return max(1, round(seconds / STEP))

    def eased(i: int, n: int) -> float:
        return (i / n) ** 2 * (3 - 2 * i / n)

    samples = [(0, 0.0)] * ticks(HOLD_START)
    for s in spans:
        n = ticks(poses[s + 1].seconds)
        samples += [(s, eased(i, n)) for i in range(n)]
    samples += [(spans[-1], 1.0)] * ticks(HOLD_END)
    for s in reversed(spans):
        n = ticks(poses[s + 1].seconds * RETURN / MOVE)
        samples += [(s, 1 - eased(i, n)) for i in range(n)]
    return [*samples, (0, 0.0)]
