"""Clinic mode through AppTest: who sees which pages, whose log they read and write, sharing, notes and erasure.

AppTest does fake a sign-in: ``at.secrets`` gives the run an ``[auth]`` section and ``at.user`` is what ``st.user``
returns (``is_logged_in``, the ID token's ``iss`` and ``sub``, e-mail, name). The real OpenID Connect flow, cookie and
redirects are covered in Chromium by tests/e2e/test_clinic.py, and so is the navigation within one session: after
``switch_page`` AppTest runs the page file alone, without app.py (it resets Streamlit's pages-folder mode on every
run), so here each visitor's pages are checked on a fresh session, whose first run goes through app.py.
"""

from __future__ import annotations

import ast
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from kneelog.models import KneeCheckin, Run
from kneelog.store import Store
from kneelog.store.accounts import Accounts
from pages import _auth
from tests.conftest import REPO
from tests.test_pages import _pages as _app_pages  # the pages app.py lists

ISSUER = "https://id.example.org"
AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "a-test-secret-of-enough-length-for-signing",
    "client_id": "kneelog",
    "client_secret": "secret",
    "server_metadata_url": f"{ISSUER}/.well-known/openid-configuration",
}
DAY = dt.date(2026, 11, 30)  # a Monday


@pytest.fixture
def accounts(store: Store) -> Accounts:
    return Accounts(store)


@pytest.fixture
def visit(db_url: str, monkeypatch: pytest.MonkeyPatch):
    """``visit(sub=None, **claims)``: the app with an [auth] section, as ``sub`` signed in (None: nobody), run once."""
    monkeypatch.setenv("KNEELOG_DATABASE_URL", db_url)

    def _visit(sub: str | None = None, **claims: str | bool) -> AppTest:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.secrets["auth"] = AUTH
        signed_in = {"is_logged_in": True, "iss": ISSUER, "sub": sub, **claims}
        at.user = {"is_logged_in": False} if sub is None else signed_in
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return _visit


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _cannot_open(at: AppTest, page: str, instead: str) -> None:
    """Asking for ``page`` fails (not in this visitor's navigation), runs their first page instead (title ``instead``:
    it was in their navigation before), or runs the page, which refuses to show anything (AppTest can run a file of
    pages/ outside app.py's navigation, as Streamlit's legacy pages-folder mode does)."""
    try:
        at.switch_page(page).run()
    except ValueError as refused:
        assert "Could not find a navigation page" in str(refused)
        return
    assert not at.exception, [e.message for e in at.exception]
    if at.title[0].value != instead:
        assert [w.value for w in at.warning] == ["This page is not open to you. Sign in, or choose a page on the left."]
        assert not at.dataframe and not at.button and not at.text_input


def _text(at: AppTest) -> str:
    parts = [*at.title, *at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.error]
    return "\n".join(str(part.value) for part in parts)


def _run(store: Store, athlete_id: int, km: float) -> None:
    store.for_athlete(athlete_id).add(Run(date=DAY, distance_m=km * 1000, duration_s=km * 330, rpe=5, pain_during=1))


def test_without_an_auth_section_no_sign_in_shows_anywhere(app):
    app.run()
    assert not app.exception
    assert not [b for b in app.button if b.key in ("auth_sign_in", "auth_sign_out")]
    assert app.title[0].value == "kneelog"


def test_a_visitor_not_signed_in_gets_only_the_sign_in_page(visit):
    at = visit()
    assert at.button(key="auth_sign_in").label == "Sign in"
    for page in ("pages/log.py", "pages/history.py", "pages/_account.py", "pages/_clinic.py"):
        _cannot_open(at, page, instead="kneelog")


@pytest.mark.parametrize("role", ["athlete", "clinician"])
def test_a_first_sign_in_chooses_its_role_once_and_is_known_by_issuer_and_subject(visit, accounts, role):
    at = visit("sub-1", email="kim@example.com", email_verified=True, name="Kim")
    at.radio(key="auth_role").set_value(role).run()
    at.button(key="auth_register").click().run()
    made = accounts.find(ISSUER, "sub-1")
    assert (made.role, made.email, made.name) == (role, "kim@example.com", "Kim")
    again = visit("sub-1", email="new@example.com", name="Kim Renamed")  # the provider changed the name and e-mail
    assert not [r for r in again.radio if r.key == "auth_role"]
    assert accounts.find(ISSUER, "sub-1").id == made.id


def test_an_e_mail_address_the_provider_has_not_verified_is_not_kept(visit, accounts):
    """Invites by e-mail are matched on the account's address: one anybody could type into a provider is not."""
    for sub, verified in (("unverified", False), ("unsaid", None)):
        claims = {"email": "pat@clinic.example", "name": "Pat"} | (
            {} if verified is None else {"email_verified": verified}
        )
        at = visit(sub, **claims)
        at.radio(key="auth_role").set_value("clinician").run()
        at.button(key="auth_register").click().run()
        assert accounts.find(ISSUER, sub).email is None


def test_the_same_name_and_e_mail_from_another_subject_is_another_person(visit, accounts, store):
    alice = accounts.register(ISSUER, "alice", "same@example.com", "Sam", "athlete")
    _run(store, alice.id, 10)
    at = visit("mallory", email="same@example.com", name="Sam")
    assert at.radio(key="auth_role")  # a stranger: asked for a role, shown nothing of Alice's


def test_each_athlete_reads_only_their_own_log_even_from_the_shared_cache(visit, accounts, store):
    alice = accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    bob = accounts.register(ISSUER, "bob", "bob@example.com", "Bob", "athlete")
    _run(store, alice.id, 10)
    store.for_athlete(bob.id).add(KneeCheckin(date=DAY, stairs=2))  # one write each: the same data_version
    assert store.for_athlete(bob.id).data_version() == store.for_athlete(alice.id).data_version()
    assert "1 of 1 runs" in _text(_open(visit("alice"), "pages/history.py"))
    # Bob's log is read right after Alice's: the cached reads are keyed by the athlete, not only the version
    assert "No runs yet" in _text(_open(visit("bob"), "pages/history.py"))


def test_an_athlete_logs_into_their_own_log_only(visit, accounts, store):
    alice = accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    bob = accounts.register(ISSUER, "bob", "bob@example.com", "Bob", "athlete")
    at = _open(visit("bob"), "pages/log.py")
    at.date_input(key="new_run_date").set_value(DAY)
    at.number_input(key="new_run_distance").set_value(5.0)
    at.text_input(key="new_run_duration").set_value("30:00")
    at.button(key="save_new_run").click().run()
    assert len(store.for_athlete(bob.id).frame("run")) == 1
    assert store.for_athlete(alice.id).frame("run").empty
    assert store.frame("run").empty  # nor the local athlete's


def test_an_athlete_gets_the_local_pages_and_account(visit, accounts):
    accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    at = visit("alice")
    for page in ("pages/log.py", "pages/dashboard.py", "pages/_account.py"):
        _open(at, page)
    _cannot_open(at, "pages/_clinic.py", instead="kneelog")


def test_a_clinician_gets_athletes_and_account_and_no_log_of_their_own(visit, accounts):
    accounts.register(ISSUER, "pat", "pat@clinic.example", "Pat", "clinician")
    at = visit("pat")
    assert at.title[0].value == "Your athletes"
    assert "No athlete shares their log with you yet" in _text(at)
    for page in ("pages/home.py", "pages/log.py", "pages/dashboard.py", "pages/report.py", "pages/backup.py"):
        _cannot_open(at, page, instead="Your athletes")


def _shared(accounts: Accounts, store: Store) -> tuple:
    alice = accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    pat = accounts.register(ISSUER, "pat", "pat@clinic.example", "Pat", "clinician")
    _run(store, alice.id, 10)
    accounts.redeem(pat.id, accounts.share_code(alice.id))
    return alice, pat


def test_a_clinician_opens_a_shared_athlete_read_only_with_a_banner_naming_them(visit, accounts, store):
    alice, _ = _shared(accounts, store)
    at = visit("pat")
    assert at.dataframe[0].value["Athlete"].tolist() == ["Alice"]
    at.selectbox(key="clinic_open").set_value(alice.id).run()
    for page in ("pages/dashboard.py", "pages/report.py"):
        _open(at, page)
        assert "You are reading **Alice**'s log, read-only" in _text(at)
        assert not [b for b in at.button if b.key == "demo_banner_remove"]
    assert len(store.for_athlete(alice.id).frame("run")) == 1


def test_a_clinician_leaves_a_note_on_a_week_that_the_athlete_reads(visit, accounts, store):
    alice, pat = _shared(accounts, store)
    at = visit("pat")
    at.selectbox(key="clinic_open").set_value(alice.id).run()
    at.date_input(key="clinic_note_week").set_value(DAY + dt.timedelta(days=3))  # a Thursday: kept on its Monday
    at.text_area(key="clinic_note_text").set_value("Keep the long run flat this week")
    at.button(key="clinic_note_save").click().run()
    assert [(n.week, n.text, n.clinician_id) for n in accounts.notes_for(alice.id)] == [
        (DAY, "Keep the long run flat this week", pat.id)
    ]
    mine = _open(visit("alice"), "pages/_account.py")
    assert "Keep the long run flat this week" in _text(mine)
    assert f"Week of {DAY:%d %b %Y} · from Pat" in _text(mine)


def test_after_a_revoke_the_clinician_no_longer_sees_or_opens_the_athlete(visit, accounts, store):
    alice, pat = _shared(accounts, store)
    at = visit("pat")
    at.selectbox(key="clinic_open").set_value(alice.id).run()
    accounts.revoke(alice.id, pat.id)
    at.run()  # the clinician's next click: app.py checks the share again
    assert "No athlete shares their log with you yet" in _text(at)
    assert _auth.VIEWING not in at.session_state
    _cannot_open(at, "pages/dashboard.py", instead="Your athletes")


def test_an_athlete_shares_by_code_and_by_e_mail_and_revokes_on_the_account_page(visit, accounts, store):
    alice = accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    at = _open(visit("alice"), "pages/_account.py")
    at.text_input(key="account_invite_email").set_value("Pat@Clinic.Example")
    at.button(key="account_invite_send").click().run()
    assert accounts.invites_of(alice.id) == ["pat@clinic.example"]
    at.button(key="account_code").click().run()
    code = at.code[0].value
    pat = accounts.register(ISSUER, "pat", "pat@clinic.example", "Pat", "clinician")
    assert accounts.redeem(pat.id, code).id == alice.id
    at.run()
    assert "Pat" in _text(at)
    at.button(key=f"account_revoke_{pat.id}").click().run()
    assert accounts.clinicians_of(alice.id) == []


def test_deleting_an_account_says_what_goes_and_erases_only_that_athlete(visit, accounts, store):
    alice, _ = _shared(accounts, store)
    bob = accounts.register(ISSUER, "bob", "bob@example.com", "Bob", "athlete")
    _run(store, bob.id, 7)
    at = _open(visit("alice"), "pages/_account.py")
    said = " ".join(w.value for w in at.warning)
    assert "1 run" in said and "clinicians (1)" in said
    assert at.button(key="account_delete").disabled
    at.checkbox(key="account_delete_sure").check().run()
    at.button(key="account_delete").click().run()
    assert accounts.find(ISSUER, "alice") is None
    assert len(store.for_athlete(bob.id).frame("run")) == 1


def _cached_functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted((REPO / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and any("cache_" in ast.unparse(d) for d in node.decorator_list):
                found.append((path.name, node))
    return found


@pytest.mark.parametrize(("page", "function"), _cached_functions(), ids=lambda x: getattr(x, "name", x))
def test_every_cached_read_in_the_pages_is_keyed_by_the_athlete(page, function):
    """``st.cache_data`` is shared by every session and user: each cached read takes the key that names the athlete."""
    if (page, function.name) == ("_ui.py", "_store_for"):  # the engine of the database, shared by all on purpose
        return
    hashed = [arg for arg in function.args.args if not arg.arg.startswith("_")]
    if (page, function.name) == ("_clinic.py", "_list"):  # the clinician's list: keyed by every log it holds
        assert [arg.arg for arg in hashed] == ["url", "logs", "today"]
        assert ast.unparse(hashed[1].annotation) == "tuple[tuple[int, int, str], ...]"  # (athlete, version, name)
        return
    assert hashed and ast.unparse(hashed[0].annotation) in ("CacheKey", "_ui.CacheKey"), f"{page}: {function.name}"


SECRET_NOTE, SECRET_NAME = "alice-only-7f3a", "Alice Secretname"


def _everything_shown(at: AppTest) -> str:
    """Every text a page shows: headings, markdown, messages, metrics, choices and every cell of its tables."""
    parts = [
        str(e.value) for kind in ("title", "header", "subheader", "markdown", "caption", "text") for e in at.get(kind)
    ]
    parts += [str(e.value) for e in (*at.info, *at.success, *at.warning, *at.error)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [" ".join(map(str, s.options)) for s in (*at.selectbox, *at.radio, *at.multiselect)]
    parts += [str(box.value) for box in (*at.text_input, *at.text_area)]
    parts += [frame.value.to_string() for frame in at.dataframe]
    return "\n".join(parts)


@pytest.mark.parametrize("page", _app_pages())
def test_no_page_shows_another_athlete_s_entries_or_settings(visit, accounts, store, page):
    """Alice's log (the demo athlete's 60 days, a run with a note only she wrote, her name in her settings) shows on
    none of Bob's pages; the same page shows the note or the name to Alice where that page shows notes or names."""
    from kneelog.demo import load_demo

    alice = accounts.register(ISSUER, "alice", "alice@example.com", "Alice", "athlete")
    accounts.register(ISSUER, "bob", "bob@example.com", "Bob", "athlete")
    hers = store.for_athlete(alice.id)
    load_demo(hers, days=60, end=DAY)
    hers.add(Run(date=DAY, distance_m=7000, duration_s=2400, notes=SECRET_NOTE))
    hers.save_settings(hers.settings().model_copy(update={"athlete_name": SECRET_NAME}))

    shown = _everything_shown(_open(visit("bob"), page))
    assert SECRET_NOTE not in shown and SECRET_NAME not in shown
    assert "demo athlete is loaded" not in shown  # the demo banner counts Alice's demo entries: not on Bob's pages
    if page in (mine := {"pages/history.py": SECRET_NOTE, "pages/settings.py": SECRET_NAME}):  # the test can fail
        assert mine[page] in _everything_shown(_open(visit("alice"), page))
