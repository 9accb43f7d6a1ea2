"""Single FIT, GPX and TCX files: real devices' files read to the numbers worked out by hand, and every quirk.

Expected values are in tests/data/devices/manifest.toml, with how each was obtained (raw fitdecode messages,
ElementTree and hand-written haversine sums); the hand-made files below are small enough to check by eye.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip

import pandas as pd
import pytest

from kneelog.errors import FileEmpty, FileMalformed, FileRejected
from kneelog.importers import canonical, files
from kneelog.importers.files import summary
from kneelog.importers.files.detect import sniff
from tests.device_fixtures import (
    DAMAGED,
    DEVELOPER,
    FENIX,
    FORERUNNER,
    GARMIN_TCX,
    NO_DATE,
    READABLE,
    REFUSED,
    RUNS,
    SKIING_TCX,
    TRIATHLON,
    content,
    data,
    expected,
)

GPX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="hand" xmlns="http://www.topografix.com/GPX/1/1">'


def read(name: str, **options) -> files.FilesRead:
    """A sample read with these options (once per test run: FIT decoding takes a second a file; no test changes
    what it gets)."""
    return _read(name, tuple(sorted(options.items())))


@functools.cache
def _read(name: str, options: tuple) -> files.FilesRead:
    return files.read(name, data(name), **dict(options))


def only_run(result: files.FilesRead) -> pd.Series:
    runs = result.activities[result.activities["kind"] == "run"]
    assert len(runs) == 1, result.activities
    return runs.iloc[0]


# -- the real files, against the manifest ---------------------------------------------------------------------------


@pytest.mark.parametrize("entry", READABLE, ids=lambda e: e["file"])
def test_each_file_gives_its_activities_runs_and_left_out_sports(entry):
    result = read(entry["file"])
    assert result.label == entry["label"]
    assert result.read == entry["activities"]
    assert result.counts["run"] == entry["runs"]
    assert result.left_out == entry.get("left_out", {})
    assert result.rejected.empty


@pytest.mark.parametrize("entry", RUNS, ids=lambda e: e["file"])
def test_each_run_has_the_start_distance_times_and_heart_rate_worked_out_by_hand(entry):
    run = only_run(read(entry["file"]))
    assert run["start"].tz_localize(None) == pd.Timestamp(entry["start"])
    assert run["date"] == pd.Timestamp(entry["start"]).normalize()
    assert run["source_id"] == entry["source_id"]
    assert run["distance_m"] == pytest.approx(entry["distance_m"], abs=0.05)
    assert run["elapsed_s"] == pytest.approx(entry["elapsed_s"], abs=0.001)
    assert run["duration_s"] == pytest.approx(entry["duration_s"], abs=0.001)
    for column in ("elevation_gain_m", "hr_avg", "hr_max"):
        if column in entry:
            assert run[column] == pytest.approx(entry[column], abs=0.005), column
        else:
            assert pd.isna(run[column]), column
    assert sum(files.decode(run["hr_seconds"]).values()) == entry["hr_counted_s"]
    if "activity_type" in entry:
        assert run["activity_type"] == entry["activity_type"]
    assert run["name"] == entry.get("name", run["name"])


@pytest.mark.parametrize("entry", REFUSED, ids=lambda e: e["file"])
def test_a_damaged_file_is_refused_with_where_it_broke(entry):
    with pytest.raises(FileMalformed, match=entry["error"]):
        read(entry["file"])


def test_the_frame_has_the_canonical_columns_and_what_a_file_adds():
    result = read(FORERUNNER, timezone="Europe/Berlin")
    assert tuple(result.activities.columns) == (*canonical.COLUMNS, *files.EXTRA_COLUMNS)
    assert result.activities.index.name == "row"
    assert str(result.activities["start"].dtype) == "datetime64[us, Europe/Berlin]"
    assert result.activities.iloc[0]["source"] == "fit"
    assert result.activities.iloc[0]["member"] == FORERUNNER


# -- time zones -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "timezone", "wall_clock"),
    [
        (FORERUNNER, "UTC", "2013-02-06 12:11:14"),
        (FORERUNNER, "America/New_York", "2013-02-06 07:11:14"),  # no device offset: UTC into the runner's zone
        (FORERUNNER, "Asia/Tokyo", "2013-02-06 21:11:14"),
        (FENIX, "America/New_York", "2015-08-15 16:45:08"),  # the watch's own clock (UTC+2) wherever the runner is
        (FENIX, "Asia/Tokyo", "2015-08-15 16:45:08"),
    ],
)
def test_the_start_is_the_devices_clock_where_the_file_gives_its_offset_else_utc_in_the_runners_zone(
    name, timezone, wall_clock
):
    run = only_run(read(name, timezone=timezone))
    assert run["start"].tz_localize(None) == pd.Timestamp(wall_clock)
    assert str(run["start"].tz) == timezone


def test_a_fit_file_timed_from_power_on_takes_its_date_from_the_local_end_time():
    run = only_run(read(NO_DATE))
    # activity.local_timestamp 2012-02-13 12:21:03 less the 3,887 s between session start and activity end.
    assert run["start"].tz_localize(None) == pd.Timestamp("2012-02-13 11:16:16")
    assert run["source_id"] == "2012-02-13T11:16:16"


def test_a_file_after_today_is_refused_as_in_the_future():
    result = read(FORERUNNER, today=dt.date(2013, 2, 4))  # the run is on the 6th; a day's grace ends on the 5th
    assert result.activities.empty
    line = result.rejected.iloc[0]
    assert (line["member"], line["column"], line["value"]) == (FORERUNNER, "date", "2013-02-06")
    assert "in the future" in line["reason"]


# -- FIT quirks -----------------------------------------------------------------------------------------------------


def test_developer_fields_do_not_stop_a_fit_file_and_heart_rate_comes_from_the_records():
    run = only_run(read(DEVELOPER))
    assert run["hr_max"] == 146  # the Stryd file has no session summary of heart rate: the samples give it
    assert run["distance_m"] == pytest.approx(6753.99)


def test_a_chained_fit_file_is_read_whole_and_its_run_leg_kept():
    result = read(TRIATHLON)
    assert result.read == 5  # the sessions of all four chained FIT files
    assert only_run(result)["source_id"] == "2018-05-27T09:23:41Z"


def test_a_truncated_fit_file_is_refused_as_cut_off():
    with pytest.raises(FileMalformed, match=r"cut off: it ends at byte 10,000"):
        files.read("cut.fit", content(FORERUNNER)[:10_000])


def test_a_fit_file_with_a_wrong_checksum_is_refused():
    whole = content(FORERUNNER)
    broken = whole[:-2] + bytes([whole[-2] ^ 0xFF]) + whole[-1:]  # the file's last two bytes are its CRC
    with pytest.raises(FileMalformed, match="checksum does not match"):
        files.read("flipped.fit", broken)


def test_the_damaged_strava_fit_file_is_refused_although_its_summary_came_first():
    with pytest.raises(FileMalformed, match=f"{DAMAGED}: the file is damaged at byte 7,471"):
        read(DAMAGED)


# -- GPX and TCX quirks ---------------------------------------------------------------------------------------------


def test_an_empty_gpx_file_is_refused_as_holding_no_track():
    with pytest.raises(FileEmpty, match="no track points"):
        files.read("empty.gpx", (GPX_HEAD + "</gpx>").encode())


def test_a_gpx_track_without_times_is_refused():
    points = '<trkpt lat="52.0" lon="0.0"/><trkpt lat="52.001" lon="0.0"/>'
    with pytest.raises(FileRejected, match="no times, so kneelog cannot tell when"):
        files.read("route.gpx", f"{GPX_HEAD}<trk><trkseg>{points}</trkseg></trk></gpx>".encode())


def test_a_gpx_distance_is_the_haversine_sum_of_its_points():
    # Two points 0.01 degrees of latitude apart: 6,378,137 m x 0.01 x pi / 180 = 1,113.19 m (gpxpy's Earth radius).
    points = (
        '<trkpt lat="52.00" lon="0.5"><time>2024-03-02T07:00:00Z</time></trkpt>'
        '<trkpt lat="52.01" lon="0.5"><time>2024-03-02T07:06:00Z</time></trkpt>'
    )
    xml = f"{GPX_HEAD}<trk><type>running</type><trkseg>{points}</trkseg></trk></gpx>"
    run = only_run(files.read("hand.gpx", xml.encode()))
    assert run["distance_m"] == pytest.approx(1113.19, abs=0.01)
    assert run["elapsed_s"] == 360


def test_a_gpx_point_off_the_globe_is_refused():
    points = '<trkpt lat="91.0" lon="0.5"><time>2024-03-02T07:00:00Z</time></trkpt>'
    with pytest.raises(FileMalformed, match="outside the Earth's latitudes or longitudes"):
        files.read("odd.gpx", f"{GPX_HEAD}<trk><trkseg>{points}</trkseg></trk></gpx>".encode())


def test_a_gpx_file_declaring_entities_is_refused_unparsed():
    laughs = '<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = GPX_HEAD.replace("\n", f"\n{laughs}\n") + "<trk><name>&b;</name></trk></gpx>"
    with pytest.raises(FileMalformed, match="declares a document type"):
        files.read("laughs.gpx", xml.encode())


def test_a_tcx_of_another_sport_is_left_out_by_its_type():
    result = read(SKIING_TCX)
    assert result.activities.empty
    assert result.left_out == {"Other": 1}


@pytest.mark.parametrize("before", [b"\n\n   ", b"\xef\xbb\xbf \r\n\t"])
def test_a_tcx_with_whitespace_before_its_xml_declaration_is_read(before):
    run = only_run(files.read("strava.tcx", before + content(GARMIN_TCX)))
    assert run["distance_m"] == pytest.approx(expected(GARMIN_TCX)["distance_m"])


def test_tcx_elements_are_found_whatever_their_namespace_prefix():
    tcx = (
        '<?xml version="1.0"?><t:TrainingCenterDatabase '
        'xmlns:t="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><t:Activities>'
        '<t:Activity Sport="Running"><t:Id>2024-03-02T07:00:00Z</t:Id><t:Lap StartTime="2024-03-02T07:00:00Z">'
        "<t:TotalTimeSeconds>1500</t:TotalTimeSeconds><t:DistanceMeters>5000</t:DistanceMeters>"
        "<t:Track><t:Trackpoint><t:Time>2024-03-02T07:00:00Z</t:Time><t:HeartRateBpm><t:Value>140</t:Value>"
        "</t:HeartRateBpm></t:Trackpoint><t:Trackpoint><t:Time>2024-03-02T07:00:10Z</t:Time>"
        "<t:HeartRateBpm><t:Value>150</t:Value></t:HeartRateBpm></t:Trackpoint></t:Track></t:Lap></t:Activity>"
        "</t:Activities></t:TrainingCenterDatabase>"
    )
    run = only_run(files.read("prefixed.tcx", tcx.encode()))
    assert (run["distance_m"], run["duration_s"], run["elapsed_s"]) == (5000, 1500, 1500)
    assert files.decode(run["hr_seconds"]) == {140: 10}  # 140 held for the 10 s to the last sample
    assert (run["hr_avg"], run["hr_max"]) == (140, 150)


def test_a_tcx_declaring_entities_is_refused():
    tcx = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "e">]><TrainingCenterDatabase>&e;</TrainingCenterDatabase>'
    with pytest.raises(FileMalformed, match="declares a document type or entities"):
        files.read("entity.tcx", tcx.encode())


# -- what a file is -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        (content(FORERUNNER), "fit"),
        (content(GARMIN_TCX), "tcx"),
        (b"  \n" + content(GARMIN_TCX), "tcx"),
        (content("runpandas__run.gpx.gz"), "gpx"),
        (data(GARMIN_TCX), "gzip"),
        (b"PK\x03\x04rest", "zip"),
        (b"Activity ID,Activity Date\n1,2\n", None),
        (b'<?xml version="1.0"?><!-- <gpx> --><kml></kml>', None),
    ],
    ids=["fit", "tcx", "tcx-after-whitespace", "gpx", "gzip", "zip", "csv", "kml-with-gpx-in-a-comment"],
)
def test_the_kind_of_file_is_told_by_its_content(payload, kind):
    assert sniff(payload) == kind


def test_a_file_is_read_by_its_content_whatever_its_name():
    assert only_run(files.read("run.txt", content(FORERUNNER)))["source"] == "fit"
    assert only_run(files.read("run.fit", content(GARMIN_TCX)))["source"] == "tcx"
    assert only_run(files.read("run.tcx.gz", gzip.compress(content(FORERUNNER))))["source"] == "fit"


@pytest.mark.parametrize(
    ("payload", "ours"),
    [
        (content(FORERUNNER), True),
        (gzip.compress(content(FORERUNNER)), True),
        (b"PK\x05\x06" + bytes(18), True),
        (b"Activity ID,Activity Date\n", False),
        (gzip.compress(b"Activity ID,Activity Date\n"), False),
    ],
    ids=["fit", "gzipped-fit", "empty-zip", "csv", "gzipped-csv"],
)
def test_uploads_for_this_reader_are_told_from_csv_files(payload, ours):
    assert files.is_activity_upload(payload[:65536]) is ours


@pytest.mark.parametrize(
    ("payload", "error", "words"),
    [
        (b"", FileEmpty, "the file is empty"),
        (b"just some text", FileRejected, "this is not a FIT, GPX or TCX activity file"),
        (gzip.compress(b"PK\x03\x04"), FileRejected, "this is a zip archive inside a gzip file"),
        (gzip.compress(content(FORERUNNER))[:-20], FileMalformed, "the gzip file is cut off"),
    ],
    ids=["empty", "text", "zip-in-gzip", "cut-gzip"],
)
def test_what_is_not_an_activity_file_is_refused_saying_what_it_is(payload, error, words):
    with pytest.raises(error, match=f"^upload.bin: {words}"):
        files.read("upload.bin", payload)


# -- heart rate reduced for a load ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "bpm", "expected_seconds"),
    [
        ([0, 1, 2], [100, 100, 101], {100: 2}),  # each sample holds to the next; the last closes the recording
        ([0, 5, 10, 15], [120, 130, 130, 140], {120: 5, 130: 10}),
        ([0, 61, 62], [120, 130, 130], {130: 1}),  # 61 s between samples is a pause: it counts at no rate
        ([0, 60, 61], [120, 130, 130], {120: 60, 130: 1}),  # 60 s still counts
        ([2, 0, 1], [101, 100, 100], {100: 2}),  # samples out of order are put in order
        ([0, 1, 2, 3], [0, 100, 300, float("nan")], {}),  # 0, 300 and NaN are no heart rate: one sample left
        ([0, 1, 2], [99.6, 100.4, 100], {100: 2}),  # rates are rounded to whole beats
    ],
)
def test_time_at_each_bpm_counts_the_seconds_each_sample_holds(seconds, bpm, expected_seconds):
    assert summary.time_at_bpm(seconds, bpm) == expected_seconds


def test_the_average_heart_rate_of_the_samples_is_weighted_by_time():
    # 120 bpm for 10 s and 150 bpm for 20 s: (1200 + 3000) / 30 = 140.
    assert summary.mean_bpm({120: 10, 150: 20}) == 140
    assert summary.mean_bpm({}) is None


def test_heart_rate_seconds_are_kept_as_compact_text_and_read_back():
    text = summary.encode({150: 20, 120: 10})
    assert text == '{"120":10,"150":20}'
    assert summary.decode(text) == {120: 10, 150: 20}
    assert summary.encode({}) == "" and summary.decode("") == {}


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b" \t" * 4_000 + b"x", None),  # blanks ending in no element: the old pattern backtracked for minutes
        (b"<!DOCTYPE " + b"a" * 8_000, None),
        (b"<!--" + b" " * 8_000, None),
        (b"<?" + b" \n" * 4_000, None),
        (b"\n" * 4_000 + b'<?xml version="1.0"?><!-- a --><gpx version="1.1">', "gpx"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]>  <ns:TrainingCenterDatabase>', "tcx"),
    ],
)
def test_sniffing_reads_past_blanks_and_prologues_and_gives_up_on_anything_else(head, kind):
    assert sniff(head) == kind
