"""Clinic mode in Chromium: real sign-ins through an OpenID Connect provider, on a real PostgreSQL.

Athletes A and B and physio P sign in through oidc-provider-mock's form (tests/oidc.py). A logs a run that B cannot
see, shares with P by a one-time code, P finds A in the list and opens the report, A revokes and P no longer sees A.
Then two app servers on one PostgreSQL (as behind a load balancer with sticky sessions) serve A and B at once, each
saving runs, and the database holds every one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from kneelog.store import Store
from kneelog.store.accounts import Accounts
from tests.e2e import harness
from tests.e2e.harness import DESKTOP, expect, go_to, key, rerun
from tests.oidc import AuthAppServer, Provider, oidc_provider, sign_in  # noqa: F401  (oidc_provider: a fixture)

#: oidc-provider-mock calls Authlib APIs that Authlib has deprecated (its own business, not kneelog's).
pytestmark = pytest.mark.filterwarnings(
    "ignore::DeprecationWarning:authlib.*", "ignore::DeprecationWarning:oidc_provider_mock.*"
)
TODAY = dt.date.today()
PEOPLE = {  # subject: (e-mail, name); identity is the subject
    "athlete-a": ("alice@example.com", "Alice Runner"),
    "athlete-b": ("bob@example.com", "Bob Runner"),
    "physio-p": ("pat@clinic.example", "Pat Physio"),
}


@pytest.fixture(scope="module")
def database(postgres_server) -> Iterator[str]:
    url = postgres_server.new_database()
    yield url
    postgres_server.drop_database(url)


@pytest.fixture(scope="module")
def provider(oidc_provider: Provider) -> Provider:  # noqa: F811
    for sub, (email, name) in PEOPLE.items():
        oidc_provider.add_user(sub, email, name)
    return oidc_provider


@pytest.fixture(scope="module")
def clinic_server(browser, database, provider, tmp_path_factory) -> Iterator[AuthAppServer]:
    with AuthAppServer(database, tmp_path_factory.mktemp("clinic_1"), provider) as server:
        yield server


@pytest.fixture(scope="module")
def accounts(database) -> Iterator[Accounts]:
    store = Store(database)
    yield Accounts(store)
    store.dispose()


@pytest.fixture
def person(browser, request):
    """``person(server, sub)``: a fresh browser session on ``server``, signed in as ``sub`` (registering as the role
    named by the subject's first word the first time)."""
    pages = []

    def _person(server: AuthAppServer, sub: str, viewport=DESKTOP):
        page = harness.new_page(browser, viewport)
        pages.append(page)
        harness.open_path(page, server.url)
        expect(page.get_by_role("heading", name="kneelog", level=1)).to_be_visible()
        sign_in(page, sub)
        if page.get_by_role("heading", name="Welcome to kneelog").count():
            role = "I log my own training" if sub.startswith("athlete") else "I read the logs athletes share"
            rerun(page, lambda: page.get_by_text(role).click())
            rerun(page, lambda: page.get_by_role("button", name="Continue").click())
        return page

    yield _person
    for page in pages:
        if getattr(request.node, "journey_passed", False):
            harness.assert_no_exception(page)
            assert not page.js_errors, page.js_errors
        page.context.close()


def _answer_first_visit(page) -> None:
    """A new athlete's Today page asks for the unit and time zone once."""
    if page.get_by_role("button", name="Save and start").count():
        rerun(page, lambda: page.get_by_role("button", name="Save and start").click())


def _log_run(page, km: str, then_wait: bool = True) -> None:
    for widget_key, value in (("new_run_distance", km), ("new_run_duration", "30:00")):
        field = key(page, widget_key).locator("input").first
        field.fill(value)
        expect(field).to_have_value(value)
    save = page.get_by_role("button", name="Save run")
    if then_wait:
        rerun(page, save.click)
        expect(page.get_by_text(f"Saved the run of {TODAY:%a %d %b %Y}.")).to_be_visible()
    else:
        save.click()


def test_athletes_keep_their_logs_apart_and_share_only_by_choice(clinic_server, person, accounts):
    alice = person(clinic_server, "athlete-a")
    _answer_first_visit(alice)
    go_to(alice, "Log a session")
    _log_run(alice, "10.5")
    me = accounts.find(clinic_server.provider.url, "athlete-a")
    assert me is not None and me.role == "athlete"

    bob = person(clinic_server, "athlete-b")
    _answer_first_visit(bob)
    go_to(bob, "History")
    expect(bob.get_by_text("No runs yet")).to_be_visible()
    expect(bob.get_by_text("10.5")).to_have_count(0)

    go_to(alice, "Account")
    rerun(alice, lambda: alice.get_by_role("button", name="Make a code").click())
    code = alice.locator("[data-testid='stCode'] code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code), code

    pat = person(clinic_server, "physio-p")
    expect(pat.get_by_role("heading", name="Your athletes")).to_be_visible()
    field = key(pat, "clinic_code").locator("input")
    field.fill(code)
    rerun(pat, lambda: pat.get_by_role("button", name="Add the athlete").click())
    expect(pat.get_by_text("Alice Runner now shares their log with you.")).to_be_visible()
    rows = harness.table(pat.get_by_test_id("stDataFrame").first, "Athlete")
    assert [row["Athlete"] for row in rows] == ["Alice Runner"]
    harness.pick(pat, "clinic_open", "Alice Runner")
    rerun(pat, lambda: pat.get_by_role("link", name="Their report").click())
    expect(pat.get_by_role("heading", name="Report for your physio")).to_be_visible()
    expect(pat.get_by_text(re.compile(r"You are reading Alice Runner.s log, read-only"))).to_be_visible()
    report = pat.frame_locator("iframe").first
    expect(report.get_by_text(re.compile("10.5"))).not_to_have_count(0)
    expect(pat.get_by_role("button", name="Remove the demo athlete")).to_have_count(0)

    go_to(alice, "Account")
    rerun(alice, lambda: alice.get_by_role("button", name="Stop sharing").click())
    expect(alice.get_by_text("Pat Physio can no longer read your log.")).to_be_visible()

    harness.open_path(pat, clinic_server.url)
    expect(pat.get_by_text("No athlete shares their log with you yet")).to_be_visible()
    expect(harness.sidebar_link(pat, "Report")).to_have_count(0)


RUNS_EACH = 6


def test_two_app_servers_on_one_database_lose_no_write(clinic_server, database, provider, person, tmp_path_factory):
    with AuthAppServer(database, tmp_path_factory.mktemp("clinic_2"), provider) as second:
        alice = person(clinic_server, "athlete-a")
        bob = person(second, "athlete-b")
        for page in (alice, bob):
            go_to(page, "Log a session")
        store = Store(database)
        try:
            a_id = Accounts(store).find(provider.url, "athlete-a").id
            b_id = Accounts(store).find(provider.url, "athlete-b").id
            before = {a_id: len(store.for_athlete(a_id).frame("run")), b_id: len(store.for_athlete(b_id).frame("run"))}
            for number in range(RUNS_EACH):  # both servers write at once: each click is sent before either is done
                runs = {page: page.kneelog_runs for page in (alice, bob)}
                _log_run(alice, f"{number + 1}.25", then_wait=False)
                _log_run(bob, f"{number + 1}.75", then_wait=False)
                for page in (alice, bob):
                    harness.settle(page, runs[page], f"saving run {number + 1}")
            after = {a_id: store.for_athlete(a_id).frame("run"), b_id: store.for_athlete(b_id).frame("run")}
        finally:
            store.dispose()
    assert len(after[a_id]) - before[a_id] == RUNS_EACH
    assert len(after[b_id]) - before[b_id] == RUNS_EACH
    assert sorted(after[b_id]["distance_m"].tolist()) == [1750.0 + 1000 * n for n in range(RUNS_EACH)]
