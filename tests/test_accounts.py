"""Accounts and sharing (kneelog.store.accounts): identity, one-time codes, e-mail invites, revoking, notes, erasure.

Every test runs on SQLite and on PostgreSQL (tests/postgres.py).
"""

import datetime as dt
import hashlib
import re
import threading

import pytest
import sqlalchemy as sa

from kneelog.errors import (
    AccountRefused,
    DuplicateEntry,
    EntryInvalid,
    EntryNotFound,
    InvalidCode,
    NotShared,
    ReadOnly,
)
from kneelog.models import ExerciseLog, GymSession, KneeCheckin, Run, Settings, StretchDone, StretchSession
from kneelog.store import accounts as acc
from kneelog.store import schema
from kneelog.store import tables as t
from kneelog.store.accounts import FORMER_CLINICIAN, Accounts

pytestmark = pytest.mark.backends("sqlite", "postgresql")

ISSUER = "https://id.example.org"
NOW = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
SHOWN_CODE = re.compile(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")


@pytest.fixture
def accounts(store) -> Accounts:
    return Accounts(store)


@pytest.fixture
def people(accounts):
    """Two athletes and two clinicians."""
    return {
        "ann": accounts.register(ISSUER, "sub-ann", "ann@example.org", "Ann Runner", "athlete"),
        "bob": accounts.register(ISSUER, "sub-bob", "bob@example.org", "Bob Jogger", "athlete"),
        "pat": accounts.register(ISSUER, "sub-pat", "Pat.Physio@Example.org", "Pat Physio", "clinician"),
        "quinn": accounts.register(ISSUER, "sub-quinn", "quinn@example.org", "Quinn Clinic", "clinician"),
    }


def _count(store, table: sa.Table, *where) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()


# -- identity ----------------------------------------------------------------------------------------------------------


def test_an_account_is_found_by_its_issuer_and_subject(accounts, people):
    ann = people["ann"]
    assert accounts.find(ISSUER, "sub-ann") == ann
    assert accounts.get(ann.id) == ann
    assert (ann.email, ann.name, ann.role) == ("ann@example.org", "Ann Runner", "athlete")
    assert accounts.find("https://other.example.org", "sub-ann") is None  # same subject, another issuer
    assert accounts.find(ISSUER, "ann@example.org") is None  # an e-mail address is not an identity


def test_two_identities_with_one_email_and_name_are_two_accounts(accounts):
    first = accounts.register(ISSUER, "sub-1", "same@example.org", "Sam", "athlete")
    second = accounts.register(ISSUER, "sub-2", "same@example.org", "Sam", "athlete")
    assert first.id != second.id
    assert accounts.find(ISSUER, "sub-2") == second


def test_an_identity_registers_once(accounts, people):
    with pytest.raises(DuplicateEntry, match="already a kneelog account for this sign-in"):
        accounts.register(ISSUER, "sub-ann", "new@example.org", "Ann Again", "clinician")
    assert accounts.find(ISSUER, "sub-ann").role == "athlete"


def test_an_unknown_account_or_role_is_refused(accounts):
    with pytest.raises(EntryNotFound, match="No account with id 999"):
        accounts.get(999)
    with pytest.raises(ValueError, match="no role called 'admin'"):
        accounts.register(ISSUER, "sub-x", None, "X", "admin")


# -- one-time codes ----------------------------------------------------------------------------------------------------


def test_a_share_code_reads_xxxx_xxxx_without_look_alike_characters(accounts, people):
    codes = [accounts.share_code(people["ann"].id, now=NOW) for _ in range(40)]
    assert all(SHOWN_CODE.fullmatch(code) for code in codes), codes
    assert not set("".join(codes)) & set("0O1IL")
    assert len(set(codes)) == 40


def test_only_the_hash_of_a_code_is_stored(accounts, people, store):
    code = accounts.share_code(people["ann"].id, now=NOW)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.invites)).mappings().all()
    assert len(rows) == 1
    assert rows[0]["code_hash"] == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
    stored = " ".join(str(v) for v in rows[0].values())
    assert code not in stored and code.replace("-", "") not in stored


def test_redeeming_a_code_shares_the_log_once(accounts, people):
    ann, pat = people["ann"], people["pat"]
    code = accounts.share_code(ann.id, now=NOW)
    assert accounts.redeem(pat.id, code, now=NOW) == ann
    assert accounts.athletes_of(pat.id) == [ann]
    assert accounts.clinicians_of(ann.id) == [pat]
    with pytest.raises(InvalidCode, match="not a share code kneelog knows, or it has been used already"):
        accounts.redeem(people["quinn"].id, code, now=NOW)
    assert accounts.athletes_of(people["quinn"].id) == []


@pytest.mark.parametrize("typed", [lambda c: c.lower(), lambda c: c.replace("-", ""), lambda c: f"  {c[:4]} {c[5:]} "])
def test_a_code_is_read_in_either_case_with_or_without_the_dash(accounts, people, typed):
    code = accounts.share_code(people["ann"].id, now=NOW)
    assert accounts.redeem(people["pat"].id, typed(code), now=NOW) == people["ann"]


@pytest.mark.parametrize(
    ("later", "works"),
    [
        (dt.timedelta(days=7) - dt.timedelta(seconds=1), True),
        (dt.timedelta(days=7), False),
        (dt.timedelta(days=30), False),
    ],
)
def test_a_code_is_valid_for_seven_days(accounts, people, later, works):
    code = accounts.share_code(people["ann"].id, now=NOW)
    if works:
        accounts.redeem(people["pat"].id, code, now=NOW + later)
        assert accounts.athletes_of(people["pat"].id) == [people["ann"]]
    else:
        with pytest.raises(InvalidCode, match=r"expired on 2026-12-09 \(a code is valid 7 days\)"):
            accounts.redeem(people["pat"].id, code, now=NOW + later)
        assert accounts.athletes_of(people["pat"].id) == []


@pytest.mark.parametrize("typed", ["K7QM-2XP", "K7QM-2XPDD", "K7QM-2XP0", "K7QM-2XPO", ""])
def test_a_code_of_the_wrong_shape_is_refused_with_what_a_code_looks_like(accounts, people, typed):
    with pytest.raises(InvalidCode, match="A share code is 8 letters and digits such as K7QM-2XPD"):
        accounts.redeem(people["pat"].id, typed, now=NOW)


def test_an_athlete_cannot_redeem_a_code_nor_spend_it(accounts, people):
    code = accounts.share_code(people["ann"].id, now=NOW)
    with pytest.raises(AccountRefused, match="Share codes are for clinicians"):
        accounts.redeem(people["bob"].id, code, now=NOW)
    assert accounts.clinicians_of(people["ann"].id) == []
    assert accounts.redeem(people["pat"].id, code, now=NOW) == people["ann"]  # still good for a clinician


def test_a_clinician_has_no_log_to_share(accounts, people):
    with pytest.raises(AccountRefused, match="Only an athlete's log can be shared"):
        accounts.share_code(people["pat"].id, now=NOW)
    with pytest.raises(AccountRefused, match="Only an athlete's log can be shared"):
        accounts.invite(people["pat"].id, "quinn@example.org", now=NOW)


def test_a_second_code_for_a_clinician_already_sharing_changes_nothing(accounts, people):
    ann, pat = people["ann"], people["pat"]
    accounts.redeem(pat.id, accounts.share_code(ann.id, now=NOW), now=NOW)
    accounts.redeem(pat.id, accounts.share_code(ann.id, now=NOW), now=NOW)
    assert accounts.athletes_of(pat.id) == [ann]


# -- e-mail invites ----------------------------------------------------------------------------------------------------


def test_an_email_invite_becomes_a_share_when_that_clinician_signs_in(accounts, people):
    ann, pat = people["ann"], people["pat"]
    accounts.invite(ann.id, "  PAT.physio@EXAMPLE.org ", now=NOW)
    assert accounts.invites_of(ann.id, now=NOW) == ["pat.physio@example.org"]
    assert accounts.accept_invites(people["quinn"], now=NOW) == []  # another address
    assert accounts.accept_invites(pat, now=NOW) == [ann]
    assert accounts.clinicians_of(ann.id) == [pat]
    assert accounts.invites_of(ann.id, now=NOW) == []
    assert accounts.accept_invites(pat, now=NOW) == []  # spent


def test_an_athlete_with_the_invited_address_is_not_shared_with(accounts, people):
    ann = people["ann"]
    accounts.invite(ann.id, "bob@example.org", now=NOW)
    assert accounts.accept_invites(people["bob"], now=NOW) == []
    assert accounts.athletes_of(people["bob"].id) == []
    assert accounts.invites_of(ann.id, now=NOW) == ["bob@example.org"]  # left for a clinician with that address


def test_a_withdrawn_invite_shares_nothing(accounts, people):
    ann = people["ann"]
    accounts.invite(ann.id, "pat.physio@example.org", now=NOW)
    accounts.invite(ann.id, "quinn@example.org", now=NOW)
    accounts.withdraw_invite(ann.id, " Pat.Physio@example.org")
    assert accounts.invites_of(ann.id, now=NOW) == ["quinn@example.org"]
    assert accounts.accept_invites(people["pat"], now=NOW) == []
    assert accounts.accept_invites(people["quinn"], now=NOW) == [ann]


def test_an_email_invite_expires_after_thirty_days(accounts, people):
    accounts.invite(people["ann"].id, "pat.physio@example.org", now=NOW)
    assert accounts.accept_invites(people["pat"], now=NOW + dt.timedelta(days=30)) == []
    assert accounts.athletes_of(people["pat"].id) == []


@pytest.mark.parametrize("email", ["", "pat", "pat@", "@example.org", "pat@example", "pat physio@example.org"])
def test_an_invite_needs_an_email_address(accounts, people, email):
    with pytest.raises(EntryInvalid, match="E-mail: is not an e-mail address such as physio@example.com"):
        accounts.invite(people["ann"].id, email, now=NOW)


# -- revoking, reading and notes ---------------------------------------------------------------------------------------


@pytest.fixture
def shared(accounts, people):
    """Ann shares with Pat."""
    accounts.redeem(people["pat"].id, accounts.share_code(people["ann"].id, now=NOW), now=NOW)
    return people


def test_a_clinician_reads_a_shared_log_read_only(accounts, shared, store):
    ann, bob = shared["ann"], shared["bob"]
    _log(store, ann.id, dt.date(2026, 11, 30))
    _log(store, bob.id, dt.date(2026, 11, 23))
    reader = accounts.reader(shared["pat"].id, ann.id)
    assert (reader.athlete_id, reader.read_only) == (ann.id, True)
    assert reader.frame("run")["date"].dt.date.tolist() == [dt.date(2026, 11, 30)]  # Ann's run, not Bob's
    with pytest.raises(ReadOnly, match="open to read only"):
        reader.add(Run(date=dt.date(2026, 12, 1), distance_m=1000, duration_s=400))
    assert store.for_athlete(ann.id).counts()["run"] == 1


def test_the_list_s_versions_are_those_of_the_athletes_sharing_with_that_clinician_only(accounts, shared, store):
    ann, bob, pat = shared["ann"], shared["bob"], shared["pat"]
    _log(store, ann.id, dt.date(2026, 11, 30))  # two writes (the entries, then the settings): Ann's log at version 2
    _log(store, bob.id, dt.date(2026, 11, 23))  # Bob does not share with Pat
    assert accounts.shared_versions(pat.id) == {ann.id: 2}
    assert accounts.shared_versions(shared["quinn"].id) == {}
    accounts.revoke(ann.id, pat.id)
    assert accounts.shared_versions(pat.id) == {}


def test_two_clinicians_redeeming_one_code_at_once_share_it_once(accounts, people):
    code = accounts.share_code(people["ann"].id, now=NOW)
    start = threading.Barrier(2)
    outcomes = []

    def redeem(clinician):
        start.wait()
        try:
            accounts.redeem(clinician.id, code, now=NOW)
            outcomes.append("shared")
        except InvalidCode:
            outcomes.append("refused")

    threads = [threading.Thread(target=redeem, args=(people[name],)) for name in ("pat", "quinn")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "shared"]
    assert len(accounts.clinicians_of(people["ann"].id)) == 1


def test_a_clinician_cannot_read_a_log_not_shared_with_them(accounts, shared):
    with pytest.raises(NotShared, match="not shared with you"):
        accounts.reader(shared["quinn"].id, shared["ann"].id)
    with pytest.raises(NotShared, match="ask them to share it again"):
        accounts.reader(shared["pat"].id, shared["bob"].id)


def test_a_note_is_kept_on_the_monday_of_its_week_newest_first(accounts, shared):
    ann, pat = shared["ann"], shared["pat"]
    first = accounts.add_note(pat.id, ann.id, dt.date(2026, 11, 26), "  Ease off the hills this week.  ")  # Thursday
    second = accounts.add_note(pat.id, ann.id, dt.date(2026, 11, 30), "Good week.")  # a Monday
    notes = accounts.notes_for(ann.id)
    assert [n.id for n in notes] == [second, first]
    assert [(n.week, n.text) for n in notes] == [
        (dt.date(2026, 11, 30), "Good week."),
        (dt.date(2026, 11, 23), "Ease off the hills this week."),
    ]
    assert {(n.clinician_id, n.clinician_name, n.athlete_id) for n in notes} == {(pat.id, "Pat Physio", ann.id)}
    assert accounts.notes_for(shared["bob"].id) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [("   ", "Note: is empty"), ("x" * 2001, "Note: is 2,001 characters long; kneelog keeps at most 2,000")],
)
def test_an_empty_or_overlong_note_is_refused(accounts, shared, text, words):
    with pytest.raises(EntryInvalid, match=words):
        accounts.add_note(shared["pat"].id, shared["ann"].id, dt.date(2026, 11, 30), text)
    assert accounts.notes_for(shared["ann"].id) == []


def test_a_note_of_the_longest_length_is_kept(accounts, shared):
    accounts.add_note(shared["pat"].id, shared["ann"].id, dt.date(2026, 11, 30), "x" * 2000)
    assert len(accounts.notes_for(shared["ann"].id)[0].text) == 2000


def test_only_a_clinician_the_log_is_shared_with_leaves_notes(accounts, shared):
    with pytest.raises(NotShared):
        accounts.add_note(shared["quinn"].id, shared["ann"].id, dt.date(2026, 11, 30), "Hello")
    with pytest.raises(NotShared):
        accounts.add_note(shared["bob"].id, shared["ann"].id, dt.date(2026, 11, 30), "Hello")
    assert accounts.notes_for(shared["ann"].id) == []


def test_after_revoking_the_clinician_can_neither_read_nor_write_but_the_notes_stay(accounts, shared):
    ann, pat = shared["ann"], shared["pat"]
    accounts.add_note(pat.id, ann.id, dt.date(2026, 11, 30), "Keep going.")
    accounts.revoke(ann.id, pat.id)
    assert accounts.athletes_of(pat.id) == [] and accounts.clinicians_of(ann.id) == []
    with pytest.raises(NotShared):
        accounts.reader(pat.id, ann.id)
    with pytest.raises(NotShared):
        accounts.add_note(pat.id, ann.id, dt.date(2026, 11, 30), "One more thing")
    assert [n.text for n in accounts.notes_for(ann.id)] == ["Keep going."]
    accounts.revoke(ann.id, pat.id)  # revoking again changes nothing


def test_lists_of_shares_are_by_name(accounts, people):
    pat = people["pat"]
    for athlete in (people["bob"], people["ann"]):
        accounts.redeem(pat.id, accounts.share_code(athlete.id, now=NOW), now=NOW)
    assert [a.name for a in accounts.athletes_of(pat.id)] == ["Ann Runner", "Bob Jogger"]


# -- erasure -----------------------------------------------------------------------------------------------------------


def _log(store, athlete_id: int, day: dt.date) -> None:
    """A run, a check-in, a stretch session with two stretches, a gym session with one exercise, and settings."""
    mine = store.for_athlete(athlete_id)
    mine.add_many(
        [
            Run(date=day, distance_m=5000, duration_s=1800, rpe=5),
            KneeCheckin(date=day, knee="left", stairs=2, squat=3, sitting=1),
            StretchSession(
                date=day,
                items=(
                    StretchDone(stretch_id="half_kneel_quad", side="left"),
                    StretchDone(stretch_id="half_kneel_quad", side="right"),
                ),
            ),
            GymSession(date=day, duration_s=2400, exercises=(ExerciseLog(name="Step-down", sets=3, reps=10),)),
        ]
    )
    mine.save_settings(Settings(athlete_name="x"))


def _rows_of(store, account_id: int) -> dict[str, int]:
    """Every row that names the account, by table."""
    found = {}
    for table in t.metadata.sorted_tables:
        columns = [table.c[name] for name in ("athlete_id", "clinician_id") if name in table.c]
        if table is t.accounts:
            columns = [t.accounts.c.id]
        if columns:
            found[table.name] = _count(store, table, sa.or_(*(c == account_id for c in columns)))
    return found


def test_deleting_an_athlete_erases_every_row_of_theirs_and_nothing_of_another(accounts, shared, store):
    ann, bob, pat = shared["ann"], shared["bob"], shared["pat"]
    accounts.redeem(pat.id, accounts.share_code(bob.id, now=NOW), now=NOW)
    for athlete in (ann, bob):
        _log(store, athlete.id, dt.date(2026, 11, 30))
        accounts.add_note(pat.id, athlete.id, dt.date(2026, 11, 30), f"Note for {athlete.name}")
    accounts.invite(ann.id, "someone@example.org", now=NOW)
    accounts.share_code(ann.id, now=NOW)
    bobs_before = _rows_of(store, bob.id)
    assert bobs_before["runs"] == 1 and bobs_before["checkins"] == 1
    assert (_count(store, t.stretch_items), _count(store, t.gym_exercise_logs)) == (4, 2)

    counts = accounts.delete_account(ann.id)

    assert counts["runs"] == 1 and counts["checkins"] == 1
    assert (counts["shares"], counts["invites"], counts["clinician_notes"], counts["accounts"]) == (1, 2, 1, 1)
    assert set(_rows_of(store, ann.id).values()) == {0}
    assert _rows_of(store, bob.id) == bobs_before
    assert (_count(store, t.stretch_items), _count(store, t.gym_exercise_logs)) == (2, 1)  # Bob's, through his sessions
    assert [n.text for n in accounts.notes_for(bob.id)] == ["Note for Bob Jogger"]
    assert accounts.athletes_of(pat.id) == [bob]
    with pytest.raises(EntryNotFound):
        accounts.get(ann.id)
    assert accounts.find(ISSUER, "sub-ann") is None


def test_deleting_a_clinician_keeps_their_notes_for_the_athlete_without_their_name(accounts, shared):
    ann, pat = shared["ann"], shared["pat"]
    accounts.add_note(pat.id, ann.id, dt.date(2026, 11, 30), "Keep going.")
    counts = accounts.delete_account(pat.id)
    assert (counts["shares"], counts["accounts"]) == (1, 1)
    assert accounts.clinicians_of(ann.id) == []
    [note] = accounts.notes_for(ann.id)
    assert (note.text, note.clinician_id, note.clinician_name) == ("Keep going.", None, FORMER_CLINICIAN)


def test_the_local_log_is_not_an_account_to_delete(accounts):
    with pytest.raises(AccountRefused, match="The local log"):
        accounts.delete_account(t.LOCAL_ATHLETE)
    with pytest.raises(EntryNotFound):
        accounts.delete_account(999)


# -- schema ------------------------------------------------------------------------------------------------------------


def test_migration_0007_builds_the_sharing_tables_of_tables_py():
    built = schema.columns_at("0007")
    for table in t.SHARING_TABLES:
        assert built[table.name] == tuple(c.name for c in table.columns)
    assert not {table.name for table in t.SHARING_TABLES} & set(schema.columns_at("0006"))


def test_code_words_are_stable():
    assert acc.shown_code("K7QM2XPD") == "K7QM-2XPD"
    assert acc.normal_code(" k7qm–2xpd ") == "K7QM2XPD"  # an en dash, as a phone may type it
