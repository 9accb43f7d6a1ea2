"""Activity types in every language become runs, gym sessions or left out; generic workouts go by their name."""

from __future__ import annotations

import pandas as pd
import pytest

from kneelog.importers.kinds import classify

TYPES = [
    # runs: Strava, Garmin, TrainingPeaks, intervals.icu, Apple Health, in English, German, French, Danish, Swedish
    *[(t, "run") for t in ("Run", "Trail Run", "Virtual Run", "VirtualRun", "TrailRun", "Running", "Treadmill Running",
                           "Trail Running", "Ultra Running", "Track Running", "Indoor Running", "Lauf",
                           "Virtueller Lauf", "Laufen", "Laufband", "Traillauf", "Course à pied", "Trail", "Løb",
                           "Løbebånd", "Trailløb", "Löpning", "Löpband", "Terränglöpning")],
    # strength: gym sessions
    *[(t, "gym") for t in ("Weight Training", "WeightTraining", "Strength Training", "Strength", "Krafttraining",
                           "Musculation", "Styrketræning", "Styrketräning", "Traditional Strength Training",
                           "Functional Strength Training")],
    # everything else is left out, including skiing and cycling words that contain a running word
    *[(t, "other") for t in ("Ride", "Virtual Ride", "Walk", "Hike", "Swim", "Bike", "Cycling", "Rowing", "Yoga",
                             "Day Off", "Skilanglauf", "Langlauf", "Radfahrt", "Vélo", "Wanderung", "Cykling",
                             "Indoor Cardio", "Pool Swim", "")],
]  # fmt: skip


@pytest.mark.parametrize(("activity_type", "kind"), TYPES)
def test_activity_types_are_classified_in_every_language(activity_type, kind):
    assert classify(pd.Series([activity_type])).tolist() == [kind]


@pytest.mark.parametrize(
    ("activity_type", "name", "kind"),
    [
        ("Workout", "Leg strength", "gym"),
        ("Workout", "Gym: squats and lunges", "gym"),
        ("Training", "Krafttraining Beine", "gym"),
        ("Workout", "Mobility", "other"),
        ("Workout", "Score attack", "other"),  # "core" only as a word
        ("HIIT", "Kettlebell circuit", "gym"),
        ("Run", "Strength run", "run"),  # a run's name never makes it a gym session
    ],
)
def test_a_generic_workout_is_a_gym_session_only_when_its_name_says_strength(activity_type, name, kind):
    assert classify(pd.Series([activity_type]), pd.Series([name])).tolist() == [kind]
