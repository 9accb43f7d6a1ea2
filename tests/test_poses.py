"""The pose model of the stretch figures: the shipped data/poses.toml, malformed files, and the kinematics."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from kneelog.errors import LibraryInvalid
from kneelog.stretches import load_library
from kneelog.views.poses import (
    DEFAULT_POSES_PATH,
    JOINTS,
    _between,
    _gap_to_surface,
    frame,
    load_figures,
    pose_points,
    shipped_figures,
    timeline,
)

# One standing figure, seen from the side, its left heel placed at the origin; then its arms go up and forward.
# Worked by hand with the lengths of kneelog.views.poses (shin 24.6, thigh 24.5, trunk 28.8, head 11.8, arm 18.6
# + 19.0; the ankle 4 in front of the heel and 3.9 above the sole): ankle (4, 3.9), knee (4, 28.5), pelvis (4, 53.0),
# neck (4, 81.8), head (4, 93.6), toe (15, 0), hands (4, 44.2) by the sides; arms at 80 degrees put the hands
# 37.6 * (cos 80, sin 80) = (6.53, 37.03) from the neck: (10.53, 118.83).
POSE = """
[[figures.stand.poses]]
name = "{name}"
at = [0, 0]
contacts = ["left_heel", "left_toe", "right_heel", "right_toe"]
trunk = 90
head = 90
hips = [0, 0]
shoulders = [0, 0]
right_thigh = -90
right_shin = -90
right_foot = 0
left_thigh = -90
left_shin = -90
left_foot = 0
right_upper_arm = {arms}
right_forearm = {arms}
left_upper_arm = {arms}
left_forearm = {arms}
"""
STANDING = (
    """
[figures.stand]
view = "side"
drawn_side = "right"
anchor = "left_heel"
moving = ["right_upper_arm", "right_forearm"]
arrows = [{ point = "right_hand", offset = [5, 0] }]
alt = "Standing, then the {side} arm goes up; the {other} one too."
"""
    + POSE.format(name="start", arms=-90)
    + POSE.format(name="end", arms=80)
)


def _load(tmp_path, text: str = STANDING, **kwargs):
    path = tmp_path / "poses.toml"
    path.write_text(text, encoding="utf-8")
    return load_figures(path, **kwargs)


def _without_line(text: str, line: str, occurrence: int) -> str:
    """``text`` without the ``occurrence``-th (0 = first) line that starts with ``line``."""
    lines = text.splitlines()
    hits = [i for i, each in enumerate(lines) if each.startswith(line)]
    del lines[hits[occurrence]]
    return "\n".join(lines)


# --- the shipped figures -----------------------------------------------------------------------------------------


def test_every_library_stretch_has_a_figure_from_start_to_end_pose():
    figures = shipped_figures()
    for stretch in load_library().stretches:
        poses = figures[stretch.id].poses
        assert (poses[0].name, poses[-1].name) == ("start", "end"), stretch.id
        assert figures[stretch.id].drawn_side in stretch.sides


def test_the_shipped_figures_live_next_to_the_stretch_library():
    assert DEFAULT_POSES_PATH.name == "poses.toml"
    assert DEFAULT_POSES_PATH.is_file()


def test_the_fold_is_drawn_once_for_both_legs_and_the_others_for_one_side():
    sides = {stretch_id: figure.drawn_side for stretch_id, figure in shipped_figures().items()}
    assert sides.pop("wide_leg_forward_fold") == "both"
    assert set(sides.values()) <= {"left", "right"}


@pytest.mark.parametrize(
    "stretch_id", ["half_kneel_quad", "low_lunge_reach", "ankle_mobilization", "wide_leg_forward_fold"]
)
def test_no_frame_of_a_shipped_animation_sinks_into_the_floor_box_or_wall(stretch_id):
    """Between key poses too, every point of the body stays on or above what it rests on (a 1-unit tolerance,
    1/100 of the body's height). The 90/90 is seen from above, where everything rests on the floor."""
    figure = shipped_figures()[stretch_id]
    deepest = min(
        _gap_to_surface(figure, point, name)
        for s, t in timeline(figure)
        for name, point in frame(figure, figure.poses[s], figure.poses[s + 1], t).items()
        if name != "face"
    )
    assert deepest >= -1.0


# --- the pose model, worked by hand ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("left_ankle", (4.0, 3.9)),
        ("left_knee", (4.0, 28.5)),
        ("pelvis", (4.0, 53.0)),
        ("neck", (4.0, 81.8)),
        ("head", (4.0, 93.6)),
        ("right_toe", (15.0, 0.0)),
        ("right_hand", (4.0, 44.2)),
    ],
)
def test_a_standing_pose_puts_each_point_where_the_segment_lengths_say(tmp_path, point, expected):
    figure = _load(tmp_path)["stand"]
    assert pose_points(figure, figure.poses[0])[point] == pytest.approx(expected)


def test_raised_arms_reach_above_the_head(tmp_path):
    figure = _load(tmp_path)["stand"]
    assert pose_points(figure, figure.poses[-1])["right_hand"] == pytest.approx((10.53, 118.83), abs=0.01)


def test_halfway_a_segment_has_turned_half_the_short_way_round(tmp_path):
    start, end = _load(tmp_path)["stand"].poses
    # the arm turns from -90 (down) to 80 (up and forward): 170 degrees through the front, not 190 through the back
    assert _between(start, end, 0.5).angles["right_upper_arm"] == pytest.approx(-5.0)
    # a trunk given as 440 degrees is 80: from 90 that is 10 degrees back, not 350 forward
    turned = replace(end, angles={**end.angles, "trunk": 440.0})
    assert _between(start, turned, 0.5).angles["trunk"] == pytest.approx(85.0)


def test_a_hand_held_in_both_poses_stays_on_its_line_between_them():
    """In the low lunge the far hand stays on the floor while the hips sink and the chest turns (its two key
    places a little apart, within the hold distance): halfway it is halfway between them, where plain
    interpolation of the angles would lift it off the floor."""
    figure = shipped_figures()["low_lunge_reach"]
    step, end = figure.poses[-2:]
    a, b = pose_points(figure, step)["left_hand"], pose_points(figure, end)["left_hand"]
    held = frame(figure, step, end, 0.5)["left_hand"]
    assert held == pytest.approx(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), abs=1e-6)
    loose = pose_points(figure, _between(step, end, 0.5))["left_hand"]
    assert math.dist(loose, held) > 1.0  # so the check above can fail


def test_one_animation_loop_holds_the_start_moves_holds_the_end_and_returns(tmp_path):
    samples = timeline(_load(tmp_path)["stand"])
    # 1.0 s hold, 1.6 s move, 2.0 s hold, 1.0 s return, every 0.2 s, plus the closing sample: 5 + 8 + 10 + 5 + 1
    assert len(samples) == 29
    assert samples[:5] == [(0, 0.0)] * 5
    assert samples[13:23] == [(0, 1.0)] * 10
    assert samples[-1] == (0, 0.0)
    assert [t for _, t in samples[5:13]] == sorted(t for _, t in samples[5:13])  # moves one way, eased


# --- a malformed file --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("joint", JOINTS)
def test_a_pose_missing_a_joint_names_the_stretch_pose_and_joint(tmp_path, joint):
    text = _without_line(STANDING, f"{joint} =", 1)  # from the end pose
    with pytest.raises(LibraryInvalid, match=rf"stretch 'stand', pose 'end': joint '{joint}' is missing"):
        _load(tmp_path, text)


def test_a_foot_that_misses_the_floor_says_by_how_much(tmp_path):
    text = STANDING.replace("at = [0, 0]", "at = [0, 3]", 1)  # the start pose's left heel 3 units up
    with pytest.raises(LibraryInvalid, match=r"pose 'start': left_heel should touch .* is \+3\.0 units from it"):
        _load(tmp_path, text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('view = "side"', 'view = "sideways"', "'view' must be one of side, oblique, front, top"),
        ('name = "end"', 'name = "finish"', "poses go from 'start' to 'end'"),
        ("right_foot = 0", "right_foot = [0]", "joint 'right_foot' must be a number of degrees"),
        ("hips = [0, 0]", "hips = 0", r"joint 'hips' must be \[direction, seen width\]"),
        ('contacts = ["left_heel"', 'contacts = ["left_heal"', "'contacts' must list points of the body"),
        ("trunk = 90", "trunk = 90\nelbow = 3", "'elbow' is not a joint or setting of a pose"),
        ('anchor = "left_heel"', 'anchor = "navel"', "'anchor' must be a point of the body"),
        ('moving = ["right_upper_arm"', 'moving = [["right_upper_arm"]', "'moving' lists joints"),
        ("arrows = [{", "props = 3\narrows = [{", "each prop needs a 'kind'"),
        ("arrows = [{", 'props = [{ kind = "box", colour = 1 }]\narrows = [{', "each prop needs a 'kind'"),
        ("trunk = 90", 'trunk = 90\nseconds = "fast"', "'seconds' must be 0.2 to 10"),
        ("trunk = 90", "trunk = 90\nscale = 3", "scale 'scale' must be a number from 0 to 1"),
        ("trunk = 90", "trunk = 90\nscale = { trunk = 1.5 }", "scale 'trunk' must be a number from 0 to 1"),
    ],
)
def test_a_malformed_figure_names_the_stretch_and_the_fault(tmp_path, old, new, message):
    with pytest.raises(LibraryInvalid, match=rf"poses\.toml are malformed\. stretch 'stand'.*{message}"):
        _load(tmp_path, STANDING.replace(old, new, 1))


def test_contacts_seen_from_above_need_no_surface(tmp_path):
    """Seen from above everything rests on the floor: a contact is not measured against a floor line."""
    text = STANDING.replace('view = "side"', 'view = "top"').replace("at = [0, 0]", "at = [0, 40]")
    assert _load(tmp_path, text)["stand"].view == "top"


def test_a_stretch_of_the_library_without_a_figure_is_named(tmp_path):
    with pytest.raises(LibraryInvalid, match="stretch 'half_kneel_quad': has no figure") as error:
        _load(tmp_path, library=load_library())
    assert "figure 'stand': is not a stretch of the library" in str(error.value)


def test_the_file_that_is_not_toml_names_the_line(tmp_path):
    with pytest.raises(LibraryInvalid, match=r"poses\.toml is not valid TOML: .*line 2"):
        _load(tmp_path, "[figures]\nview = = 3\n")


def test_a_missing_file_says_to_reinstall(tmp_path):
    with pytest.raises(LibraryInvalid, match="is missing; reinstall kneelog"):
        load_figures(tmp_path / "nowhere.toml")
