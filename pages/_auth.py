"""Sign-in for clinic mode: who is signed in, which pages they get, and the store every page reads and writes.

Clinic mode is on when the secrets (``.streamlit/secrets.toml``, or the files ``secrets.files`` names) have an
``[auth]`` section; without one, :func:`navigation` returns the local app's pages unchanged and :func:`scoped` the
local store, and nothing here shows. With one, a visitor who has not signed in gets the sign-in page only, a first
sign-in chooses its role once, and then an athlete gets the local pages on their own log plus Account, and a
clinician gets Athletes and Account, plus the dashboard and report of an athlete they open, read-only.

Identity is the OpenID Connect issuer and subject of the ID token (``st.user["iss"]``, ``st.user["sub"]``), never a
display name or e-mail address, which a person can change or share. The account is looked up once per run
(:func:`navigation`, called by app.py before any page) and kept in the session for :func:`scoped`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import streamlit as st

from kneelog.errors import DuplicateEntry, EntryNotFound, NotShared
from kneelog.views.markdown import escape

if TYPE_CHECKING:
    from kneelog.store import Store
    from kneelog.store.accounts import Account

#: Session keys: the signed-in account (looked up each run), the id of the athlete a clinician has open, and that
#: athlete's account and read-only store (checked each run); the signed-in account's own store (made once a run).
ACCOUNT, VIEWING, VIEWED, READER = "auth_account", "clinic_viewing", "auth_viewed", "auth_reader"
OWN = "auth_own_store"
#: The local pages a clinician reads of an athlete they open (by URL path).
READING = ("dashboard", "report")
ROLES = {
    "athlete": "I log my own training and knee (athlete)",
    "clinician": "I read the logs athletes share with me (physio or coach)",
}


def enabled() -> bool:
    """Whether the secrets have an ``[auth]`` section (clinic mode)."""
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def identity() -> tuple[str, str] | None:
    """The signed-in user's OpenID Connect (issuer, subject), or None when nobody is signed in."""
    if not st.user.get("is_logged_in"):
        return None
    issuer, subject = st.user.get("iss"), st.user.get("sub")
    if not issuer or not subject:  # an ID token always has both (OpenID Connect Core 1.0, section 2)
        return None
    return str(issuer), str(subject)


def _accounts(base: Store):
    from kneelog.store.accounts import Accounts  # loaded in clinic mode only

    return Accounts(base)


def accounts():
    """The server's :class:`~kneelog.store.accounts.Accounts` (sharing, notes, erasure)."""
    from pages import _ui

    return _accounts(_ui.base_store())


def off_notice() -> None:
    """On a clinic page of an app without sign-in: say there is nothing here, and stop."""
    st.info(
        "Accounts and sharing are off: this kneelog is one runner's log on this computer. A clinic server turns them "
        "on with an [auth] section in its secrets (see docs/deploy.md).",
        icon=":material/lock_open:",
    )
    st.stop()


def account() -> Account:
    """The signed-in account of this run (app.py looked it up before the page ran); stops the page when there is
    none or it is not the user ``st.user`` names now."""
    me = st.session_state.get(ACCOUNT)
    if me is None or (me.issuer, me.subject) != identity():
        _not_open()
    return me


def signed_in_as(role: str) -> Account:
    """The signed-in account, looked up afresh, for a page only ``role`` may open: the page itself checks, so that
    nothing but app.py's navigation stands between a visitor and it. Stops the page for anyone else (and without
    clinic mode, says that accounts are off)."""
    if not enabled():
        off_notice()
    who = identity()
    me = accounts().find(*who) if who else None
    if me is None or me.role != role:
        _not_open()
    return me


def _not_open() -> None:
    st.warning("This page is not open to you. Sign in, or choose a page on the left.", icon=":material/lock:")
    st.stop()


def scoped(base: Store) -> Store:
    """The store a page may use: ``base`` without clinic mode; else the signed-in athlete's own log, or the log of
    the athlete a clinician has open, read-only (:meth:`Accounts.reader` checked the share at the start of the run).

    A clinician with no athlete open gets their own, empty, read-only log: no page of theirs writes entries.
    """
    if not enabled():
        return base
    reader = st.session_state.get(READER)
    if reader is not None:
        return reader
    me = account()
    own = st.session_state.get(OWN)
    if own is None or own.athlete_id != me.id:  # made once a run, not on each of the page's reads
        own = st.session_state[OWN] = base.for_athlete(me.id, read_only=me.role == "clinician")
    return own


def navigation(local: dict[str, list[st.Page]]) -> dict[str, list[st.Page]] | list[st.Page]:
    """The pages of this visitor: without clinic mode, app.py's ``local`` pages, unchanged.

    In clinic mode this looks up the signed-in account (and, for a clinician, checks the open athlete's share), draws
    who is signed in, with a sign-out button, in the sidebar, and returns: the sign-in page to a visitor; the role
    choice to a first sign-in; ``local`` and Account to an athlete; Athletes and Account to a clinician, with the
    dashboard and report of ``local`` while they have an athlete open.

    The clinic pages' files start with an underscore (``pages/_account.py``, ``pages/_clinic.py``): they are not
    pages of the local app, whose every page app.py lists.
    """
    if not enabled():
        return local
    from pages import _ui  # the local store's URL and engine

    base = _ui.base_store()
    who = identity()
    st.session_state.pop(READER, None)
    st.session_state.pop(OWN, None)
    st.session_state.pop(VIEWED, None)
    found = _accounts(base).find(*who) if who else None
    st.session_state[ACCOUNT] = found
    if who is None:
        return [st.Page(_sign_in, title="Sign in", icon=":material/login:", url_path="sign-in", default=True)]
    if found is None:
        _sidebar(str(st.user.get("name") or st.user.get("email") or "you"), None)
        return [st.Page(_choose_role, title="Welcome", icon=":material/badge:", url_path="welcome", default=True)]
    _sidebar(display_name(found), found.role)
    account_page = st.Page("pages/_account.py", title="Account", icon=":material/manage_accounts:", url_path="account")
    if found.role == "athlete":
        return {**local, "You": [account_page]}
    athletes = st.Page("pages/_clinic.py", title="Athletes", icon=":material/groups:", url_path="athletes")
    pages = {"Clinic": [athletes, account_page]}
    if _open_athlete(base, found) is not None:
        pages["Athlete, read-only"] = [p for ps in local.values() for p in ps if p.url_path in READING]
    return pages


def _open_athlete(base: Store, clinician: Account) -> Account | None:
    """The athlete this clinician has open, with its read-only store kept for the run; None when none is open or the
    share is gone (then the clinician is told, once)."""
    athlete_id = st.session_state.get(VIEWING)
    if athlete_id is None:
        return None
    accounts = _accounts(base)
    try:
        st.session_state[READER] = accounts.reader(clinician.id, athlete_id)
        st.session_state[VIEWED] = accounts.get(athlete_id)
    except (NotShared, EntryNotFound):
        for name in (VIEWING, READER, VIEWED):
            st.session_state.pop(name, None)
        st.toast("That athlete no longer shares their log with you.", icon=":material/lock:")
        return None
    return st.session_state[VIEWED]


def display_name(person: Account) -> str:
    """How a person is named on a page: the name their provider gave, else their e-mail address, else a number."""
    return person.name or person.email or f"account {person.id}"


def show_notes(notes: list, by: bool) -> None:
    """Clinicians' notes, newest first, each under its week (and, ``by``, who wrote it), as the text they are."""
    for note in notes:
        with st.container(border=True, key=f"note_{note.id}"):
            author = f" · from {escape(note.clinician_name)}" if by else ""
            st.caption(f"Week of {note.week:%d %b %Y}{author}")
            st.markdown(escape(note.text))


def reading_banner(back: bool = True) -> None:
    """Above a page a clinician reads: whose log it is, that it is read-only, and (``back``) the way to the list."""
    athlete = st.session_state.get(VIEWED)
    if athlete is None:
        return
    with st.container(border=True, key="reading_banner"):
        st.info(
            f"You are reading **{escape(display_name(athlete))}**'s log, read-only: it was shared with you, and "
            "nothing you do here changes it.",
            icon=":material/visibility:",
        )
        if back:
            st.page_link("pages/_clinic.py", label="Back to your athletes", icon=":material/groups:")


def _sidebar(name: str, role: str | None) -> None:
    with st.sidebar:
        st.caption(f"Signed in as {escape(name)}" + (f" ({role})" if role else ""))
        if st.button("Sign out", key="auth_sign_out", icon=":material/logout:"):
            st.session_state.clear()
            st.logout()


def _sign_in() -> None:
    st.title("kneelog")
    st.markdown(
        "This kneelog keeps the training and knee logs of several runners, each private to them, and of the "
        "physios they choose to share with. Sign in to open yours."
    )
    if st.button("Sign in", key="auth_sign_in", type="primary", icon=":material/login:"):
        st.login()


def _choose_role() -> None:
    st.title("Welcome to kneelog")
    st.markdown("The first time you sign in, say how you use kneelog. **You choose once**: it cannot be changed.")
    role = st.radio("I am…", list(ROLES), format_func=ROLES.__getitem__, index=None, key="auth_role")
    if st.button("Continue", key="auth_register", type="primary", disabled=role is None):
        from pages import _ui

        issuer, subject = identity()  # type: ignore[misc]  # this page shows only to a signed-in user
        name = str(st.user.get("name") or "")
        # invites by e-mail are matched on this address (Accounts.accept_invites): only one the provider verified
        email = st.user.get("email") if st.user.get("email_verified") is True else None
        with contextlib.suppress(DuplicateEntry):  # registered meanwhile in another tab: go on with that account
            _accounts(_ui.base_store()).register(issuer, subject, str(email) if email else None, name, role)
        st.rerun()
