"""Account (clinic mode): share your log with a clinician, see and revoke who reads it, read their notes, delete."""

import streamlit as st

from kneelog.errors import EntryInvalid
from kneelog.store.backup import describe_counts
from kneelog.views.markdown import escape
from pages import _auth, _ui

st.title("Your account")
if not _auth.enabled():
    _auth.off_notice()
me = _auth.account()  # an athlete or a clinician
accounts = _auth.accounts()
_ui.show_flash()
st.caption(
    f"Signed in as {escape(_auth.display_name(me))}, account number {me.id} (whoever runs this server asks for it "
    "to bring in a log you kept on your own computer). Your sign-in provider vouches for who you are."
)

if me.role == "athlete":
    st.subheader("Share your log with a physio")
    st.markdown(
        "A clinician you share with reads your dashboard and report and can leave a note on a week; they never change "
        "your entries. You can stop sharing at any time."
    )
    by_email, by_code = st.columns(2)
    with by_email, st.form("account_invite", border=True, clear_on_submit=True):
        email = st.text_input("Their e-mail address", key="account_invite_email", placeholder="physio@example.com")
        st.caption("Shared when a clinician with this address signs in, within 30 days.")
        if st.form_submit_button("Invite", icon=":material/forward_to_inbox:", key="account_invite_send"):
            try:
                accounts.invite(me.id, email)
                _ui.flash(f"Invited {escape(email.strip().lower())}.")
                st.rerun()
            except EntryInvalid as problem:
                _ui.show_invalid(problem)
    with by_code, st.container(border=True):
        st.markdown("**Or give them a one-time code**, to type in on their Athletes page.")
        if st.button("Make a code", icon=":material/key:", key="account_code"):
            st.session_state["account_code_made"] = accounts.share_code(me.id)
        if "account_code_made" in st.session_state:
            st.code(st.session_state["account_code_made"], language=None)
            st.caption("Valid for 7 days and for one clinician. It is not kept: make a new one if it is lost.")
    pending = accounts.invites_of(me.id)
    if pending:
        st.caption("Invited, not yet signed in: " + ", ".join(escape(address) for address in pending))

    st.subheader("Who reads your log")
    clinicians = accounts.clinicians_of(me.id)
    if not clinicians:
        st.markdown("Nobody: your log is yours alone.")
    for clinician in clinicians:
        with st.container(horizontal=True, vertical_alignment="center", key=f"account_share_{clinician.id}"):
            st.markdown(f"**{escape(_auth.display_name(clinician))}**")
            if st.button("Stop sharing", icon=":material/block:", key=f"account_revoke_{clinician.id}"):
                accounts.revoke(me.id, clinician.id)
                _ui.flash(f"{escape(_auth.display_name(clinician))} can no longer read your log.")
                st.rerun()

    st.subheader("Notes from your clinicians")
    notes = accounts.notes_for(me.id)
    _auth.show_notes(notes, by=True)
    if not notes:
        st.markdown("None yet.")
    goes = (
        f"your whole log ({describe_counts(_ui.get_store().counts())}), your settings, gym programme and import "
        f"column choices; the sharing with your clinicians ({len(clinicians)}), the invites not taken up "
        f"({len(pending)}) and the notes your clinicians left you ({len(notes)})"
    )
else:
    athletes = accounts.athletes_of(me.id)
    goes = (
        f"your account and your access to the logs athletes shared with you ({len(athletes)}); the notes you wrote "
        "stay with those athletes, without your name"
    )

st.subheader("Delete your account")
with st.expander("Delete your account and everything in it", icon=":material/delete_forever:"):
    st.warning(f"This erases, for good: {goes}. Nothing can bring it back.", icon=":material/warning:")  # our words
    if me.role == "athlete":
        st.markdown("Keep a copy first: **Backup & restore** downloads your whole log.")
    sure = st.checkbox("I understand that this cannot be undone", key="account_delete_sure")
    if st.button("Delete my account", type="primary", disabled=not sure, key="account_delete"):
        accounts.delete_account(me.id)
        st.session_state.clear()
        st.logout()
