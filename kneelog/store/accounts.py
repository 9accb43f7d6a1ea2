"""Accounts and sharing in clinic mode: who signed in, which clinician reads which athlete's log, and their notes.

An account is one OIDC identity, the issuer and subject (``iss``, ``sub``) of its sign-in: never its e-mail address
or display name, which the identity provider may change or give to someone else. An athlete owns their log; a
clinician reads the logs of the athletes who shared with them, read-only (:meth:`Accounts.reader`), and writes only
notes on a week (:meth:`Accounts.add_note`), which the athlete reads.

Sharing is the athlete's choice, by a one-time code or an e-mail invite:

- A code is 8 characters from :data:`CODE_ALPHABET` (no 0, O, 1, I or L, which read alike), shown as ``K7QM-2XPD``,
  drawn with :mod:`secrets`, valid :data:`CODE_DAYS` days and for one use. Only its SHA-256 is stored, so it is not
  shown again nor read off the database by a glance (a code this short can be found from its hash by trying them
  all; whoever holds the database holds the logs anyway). It is read back in either case, with or without the dash
  or spaces.
- An e-mail invite names the clinician's address (lower-cased, trimmed); it becomes a share when a clinician whose
  account has that address signs in (:meth:`Accounts.accept_invites`), within :data:`INVITE_DAYS` days.

A share is revocable at any time; a clinician who lost it can no longer read the log nor add notes, but the notes
already written stay with the athlete. Deleting an account (:meth:`Accounts.delete_account`) erases it: an athlete's
every entry, setting and mapping (``Transaction.erase_athlete``), its shares both ways, invites and the notes about
it, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict

from kneelog import limits
from kneelog.errors import AccountRefused, DuplicateEntry, EntryInvalid, EntryNotFound, InvalidCode, NotShared
from kneelog.store import sqlite
from kneelog.store import tables as t

if TYPE_CHECKING:
    from kneelog.store.database import Store

Role = Literal["athlete", "clinician"]
ATHLETE: Role = "athlete"
CLINICIAN: Role = "clinician"
ROLES: tuple[Role, ...] = (ATHLETE, CLINICIAN)

#: The characters of a share code: capitals and digits without 0, O, 1, I and L, which are easy to misread.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#: Characters in a share code (shown in two groups of four): 31⁸ ≈ 8.5 × 10¹¹ codes.
CODE_LENGTH = 8
#: Days a share code stays valid.
CODE_DAYS = 7
#: Days an e-mail invite waits for the clinician's first sign-in.
INVITE_DAYS = 30
#: The longest clinician note, in characters.
MAX_NOTE_CHARS = 2_000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
#: The name a note shows when the clinician who wrote it has deleted their account.
FORMER_CLINICIAN = "a former clinician"


class Account(BaseModel):
    """One signed-in identity: its OIDC issuer and subject (the identity), e-mail, display name and role."""

    model_config = ConfigDict(frozen=True)

    id: int
    issuer: str
    subject: str
    email: str | None
    name: str
    role: Role


class Note(BaseModel):
    """A clinician's note on a week (its Monday) of an athlete's log."""

    model_config = ConfigDict(frozen=True)

    id: int
    athlete_id: int
    clinician_id: int | None  # None once the clinician deleted their account
    clinician_name: str  # FORMER_CLINICIAN then
    week: dt.date
    text: str
    created_at: str


def _stamp(now: dt.datetime | None) -> str:
    """``now`` (default the clock) as the stored UTC text; a naive time is taken as UTC."""
    now = now or dt.datetime.now(dt.UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC).isoformat(timespec="seconds")


def _later(now: dt.datetime | None, days: int) -> str:
    return _stamp((now or dt.datetime.now(dt.UTC)) + dt.timedelta(days=days))


def code_hash(code: str) -> str:
    """The SHA-256 (hex) of a share code as typed: case, spaces and dashes do not count."""
    return hashlib.sha256(normal_code(code).encode("ascii", "replace")).hexdigest()


def normal_code(code: str) -> str:
    """A code as typed, in capitals without spaces or dashes (``k7qm-2xpd`` → ``K7QM2XPD``)."""
    return re.sub(r"[\s\-‐-―−]", "", code).upper()


def shown_code(code: str) -> str:
    """A code in the two groups of four that a runner reads out (``K7QM2XPD`` → ``K7QM-2XPD``)."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normal_email(email: str) -> str:
    """An e-mail address as invites keep and compare it: trimmed and lower-cased."""
    return email.strip().lower()


def _account(row: sa.RowMapping) -> Account:
    return Account(**{name: row[name] for name in Account.model_fields})


class Accounts:
    """Accounts, shares, invites and clinician notes in the database of ``store`` (its engine; no new pool).

    Args:
        store: any store on the database (its athlete does not matter); :meth:`reader` and :meth:`delete_account`
            scope it to an athlete with ``store.for_athlete``.
    """

    def __init__(self, store: Store):
        self._store = store
        self._engine = store.engine

    def _write(self) -> sa.Connection:
        """A write transaction's connection (``BEGIN IMMEDIATE`` on SQLite, so writers queue), all or nothing."""
        return self._engine.connect().execution_options(**{sqlite.WRITE: True})

    # -- accounts ----------------------------------------------------------------------------------------------------

    def find(self, issuer: str, subject: str) -> Account | None:
        """The account of the identity (``iss``, ``sub``), or None when it never signed in."""
        a = t.accounts
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(a).where(a.c.issuer == issuer, a.c.subject == subject)).mappings().first()
        return None if row is None else _account(row)

    def register(self, issuer: str, subject: str, email: str | None, name: str, role: Role) -> Account:
        """Make the account of a first sign-in, with the role chosen then (it does not change).

        Raises:
            ValueError: for a role other than ``athlete`` or ``clinician`` (a bug in the caller).
            DuplicateEntry: when the identity already has an account.
        """
        if role not in ROLES:
            raise ValueError(f"no role called {role!r}")
        values = {
            "issuer": issuer,
            "subject": subject,
            "email": (email or "").strip() or None,
            "name": " ".join(name.split()),
            "role": role,
            "created_at": _stamp(None),
        }
        try:
            with self._write() as conn, conn.begin():
                new_id = conn.execute(t.accounts.insert().values(**values)).inserted_primary_key[0]
        except sa.exc.IntegrityError as e:
            raise DuplicateEntry("There is already a kneelog account for this sign-in; sign in again to use it.") from e
        return self.get(new_id)

    def get(self, account_id: int) -> Account:
        """The account with this id.

        Raises:
            EntryNotFound: when there is none (it was deleted).
        """
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(t.accounts).where(t.accounts.c.id == account_id)).mappings().first()
        if row is None:
            raise EntryNotFound("account", account_id)
        return _account(row)

    def _role(self, conn: sa.Connection, account_id: int) -> str:
        role = conn.execute(sa.select(t.accounts.c.role).where(t.accounts.c.id == account_id)).scalar_one_or_none()
        if role is None:
            raise EntryNotFound("account", account_id)
        return role

    def _athlete(self, conn: sa.Connection, athlete_id: int) -> None:
        if self._role(conn, athlete_id) != ATHLETE:
            raise AccountRefused(
                "Only an athlete's log can be shared, and this is a clinician's account: a clinician redeems the code "
                "an athlete gives them instead."
            )

    # -- sharing -----------------------------------------------------------------------------------------------------

    def share_code(self, athlete_id: int, now: dt.datetime | None = None) -> str:
        """A new one-time code that shares the athlete's log with the clinician who redeems it, shown as
        ``XXXX-XXXX``; valid :data:`CODE_DAYS` days. Only its hash is stored: the code cannot be shown again.

        Raises:
            EntryNotFound: when the account does not exist.
            AccountRefused: when it is a clinician's.
        """
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with self._write() as conn, conn.begin():
            self._athlete(conn, athlete_id)
            self._forget_expired(conn, now)
            conn.execute(
                t.invites.insert().values(
                    athlete_id=athlete_id,
                    code_hash=code_hash(code),
                    created_at=_stamp(now),
                    expires_at=_later(now, CODE_DAYS),
                )
            )
        return shown_code(code)

    def invite(self, athlete_id: int, email: str, now: dt.datetime | None = None) -> None:
        """Invite a clinician by e-mail address: the log is shared with them when a clinician's account with that
        address signs in within :data:`INVITE_DAYS` days (:meth:`accept_invites`). Inviting an address again
        renews its invite.

        Raises:
            EntryInvalid: when ``email`` is not an e-mail address.
            EntryNotFound: when the account does not exist.
            AccountRefused: when it is a clinician's.
        """
        address = normal_email(email)
        if not _EMAIL.fullmatch(address):
            raise EntryInvalid(
                "invite", {"email": "is not an e-mail address such as physio@example.com"}, {"email": "E-mail"}
            )
        i = t.invites
        with self._write() as conn, conn.begin():
            self._athlete(conn, athlete_id)
            self._forget_expired(conn, now)
            conn.execute(i.delete().where(i.c.athlete_id == athlete_id, i.c.email == address))
            conn.execute(
                i.insert().values(
                    athlete_id=athlete_id, email=address, created_at=_stamp(now), expires_at=_later(now, INVITE_DAYS)
                )
            )

    def invites_of(self, athlete_id: int, now: dt.datetime | None = None) -> list[str]:
        """The e-mail addresses the athlete invited that no clinician has taken up yet (and not expired), sorted."""
        i = t.invites
        query = sa.select(i.c.email).where(
            i.c.athlete_id == athlete_id, i.c.email.isnot(None), i.c.expires_at > _stamp(now)
        )
        with self._engine.connect() as conn:
            return sorted(conn.execute(query).scalars())

    def withdraw_invite(self, athlete_id: int, email: str) -> None:
        """Withdraw the athlete's e-mail invite to ``email`` (nothing happens when there is none)."""
        i = t.invites
        with self._write() as conn, conn.begin():
            conn.execute(i.delete().where(i.c.athlete_id == athlete_id, i.c.email == normal_email(email)))

    def redeem(self, clinician_id: int, code: str, now: dt.datetime | None = None) -> Account:
        """Use a share code: the athlete's log is shared with the clinician, and the code is spent.

        Returns:
            The athlete's account.

        Raises:
            InvalidCode: when the code is not one kneelog gave out, was used already, or has expired.
            EntryNotFound: when the clinician's account does not exist.
            AccountRefused: when it is an athlete's (an athlete cannot be shared with).
        """
        typed = normal_code(code)
        if len(typed) != CODE_LENGTH or set(typed) - set(CODE_ALPHABET):
            raise InvalidCode(
                f"A share code is {CODE_LENGTH} letters and digits such as K7QM-2XPD; check what you typed, or ask "
                "the athlete for a new code."
            )
        i = t.invites
        with self._write() as conn, conn.begin():
            if self._role(conn, clinician_id) != CLINICIAN:
                raise AccountRefused(
                    "Share codes are for clinicians: this is an athlete's account. To share your own log, make a code "
                    "on your Account page and give it to your clinician."
                )
            row = conn.execute(sa.select(i).where(i.c.code_hash == code_hash(typed))).mappings().first()
            if row is None or conn.execute(i.delete().where(i.c.id == row["id"])).rowcount != 1:
                raise InvalidCode(
                    f"{shown_code(typed)} is not a share code kneelog knows, or it has been used already: check it, "
                    "or ask the athlete for a new code."
                )
            if row["expires_at"] <= _stamp(now):
                raise InvalidCode(
                    f"{shown_code(typed)} expired on {row['expires_at'][:10]} (a code is valid {CODE_DAYS} days): ask "
                    "the athlete for a new code."
                )
            _share(conn, row["athlete_id"], clinician_id, now)
        return self.get(row["athlete_id"])

    def accept_invites(self, clinician: Account, now: dt.datetime | None = None) -> list[Account]:
        """Turn the e-mail invites to the clinician's address into shares (call at each sign-in).

        Only a clinician's account accepts invites, and only by the address the account holds (compared trimmed
        and lower-cased); an athlete's, or one without an address, accepts none.

        Returns:
            The athletes whose logs are now shared with the clinician, by name.
        """
        i = t.invites
        with self._engine.connect() as conn:  # a read first: most sign-ins find no invite, and take no write lock
            row = conn.execute(sa.select(t.accounts).where(t.accounts.c.id == clinician.id)).mappings().first()
            if row is None or row["role"] != CLINICIAN or not row["email"]:
                return []
            waiting = sa.select(i.c.id, i.c.athlete_id).where(
                i.c.email == normal_email(row["email"]), i.c.expires_at > _stamp(now)
            )
            if conn.execute(waiting.limit(1)).first() is None:
                return []
        accepted = set()
        with self._write() as conn, conn.begin():
            for invite_id, athlete_id in conn.execute(waiting).all():
                if (
                    conn.execute(i.delete().where(i.c.id == invite_id)).rowcount == 1
                ):  # not taken or withdrawn meanwhile
                    _share(conn, athlete_id, clinician.id, now)
                    accepted.add(athlete_id)
        return [account for account in self.athletes_of(clinician.id) if account.id in accepted]

    def revoke(self, athlete_id: int, clinician_id: int) -> None:
        """Stop sharing the athlete's log with the clinician (nothing happens when it was not shared). The notes the
        clinician wrote stay with the athlete."""
        s = t.shares
        with self._write() as conn, conn.begin():
            conn.execute(s.delete().where(s.c.athlete_id == athlete_id, s.c.clinician_id == clinician_id))

    def _others(self, mine: sa.Column, theirs: sa.Column, account_id: int) -> list[Account]:
        a = t.accounts
        query = (
            sa.select(a)
            .join(t.shares, theirs == a.c.id)
            .where(mine == account_id)
            .order_by(sa.func.lower(a.c.name), a.c.id)
        )
        with self._engine.connect() as conn:
            return [_account(row) for row in conn.execute(query).mappings()]

    def clinicians_of(self, athlete_id: int) -> list[Account]:
        """The clinicians the athlete's log is shared with, by name."""
        return self._others(t.shares.c.athlete_id, t.shares.c.clinician_id, athlete_id)

    def athletes_of(self, clinician_id: int) -> list[Account]:
        """The athletes who share their log with the clinician, by name."""
        return self._others(t.shares.c.clinician_id, t.shares.c.athlete_id, clinician_id)

    def shared_versions(self, clinician_id: int) -> dict[int, int]:
        """The data version of each athlete who shares with the clinician, by account id, in one query: the keys of
        the list's cached rows, so a list of many athletes reads nothing else until one of them writes."""
        a = t.accounts
        query = sa.select(a.c.id, a.c.data_version).join(t.shares, t.shares.c.athlete_id == a.c.id)
        with self._engine.connect() as conn:
            return dict(conn.execute(query.where(t.shares.c.clinician_id == clinician_id)).all())

    def reader(self, clinician_id: int, athlete_id: int) -> Store:
        """The athlete's log, read-only, for a clinician it is shared with (``store.for_athlete(..., read_only=True)``).

        Raises:
            NotShared: when the athlete does not (or no longer) share their log with the clinician.
        """
        with self._engine.connect() as conn:
            _check_shared(conn, athlete_id, clinician_id)
        return self._store.for_athlete(athlete_id, read_only=True)

    # -- notes -------------------------------------------------------------------------------------------------------

    def add_note(self, clinician_id: int, athlete_id: int, week: dt.date, text: str) -> int:
        """Leave a note on a week of the athlete's log (any day of it: the note is kept on its Monday).

        Returns:
            The note's id.

        Raises:
            EntryInvalid: when the note is empty or longer than :data:`MAX_NOTE_CHARS` characters.
            NotShared: when the athlete does not (or no longer) share their log with the clinician.
        """
        text = text.strip()
        if not text or len(text) > MAX_NOTE_CHARS:
            problem = (
                "is empty; write what the athlete should read"
                if not text
                else limits.too_long(len(text), MAX_NOTE_CHARS)
            )
            raise EntryInvalid("note", {"text": problem}, {"text": "Note"})
        monday = week - dt.timedelta(days=week.weekday())
        with self._write() as conn, conn.begin():
            _check_shared(conn, athlete_id, clinician_id)
            values = {"athlete_id": athlete_id, "clinician_id": clinician_id, "week": monday, "text": text}
            return conn.execute(
                t.clinician_notes.insert().values(**values, created_at=_stamp(None))
            ).inserted_primary_key[0]

    def notes_for(self, athlete_id: int) -> list[Note]:
        """The clinicians' notes on the athlete's log, newest first (a note whose clinician deleted their account
        is kept, by :data:`FORMER_CLINICIAN`)."""
        n, a = t.clinician_notes, t.accounts
        query = (
            sa.select(n, a.c.name.label("clinician_name"))
            .outerjoin(a, a.c.id == n.c.clinician_id)
            .where(n.c.athlete_id == athlete_id)
            .order_by(n.c.created_at.desc(), n.c.id.desc())
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            Note(
                **{
                    **row,
                    "clinician_name": row["clinician_name"] if row["clinician_id"] is not None else FORMER_CLINICIAN,
                }
            )
            for row in rows
        ]

    # -- erasure -----------------------------------------------------------------------------------------------------

    def delete_account(self, account_id: int) -> dict[str, int]:
        """Erase an account, all in one transaction: every entry, setting, column mapping and exercise of its log
        (``Transaction.erase_athlete``), its shares both ways, its invites, the notes about it, and the account
        itself. Notes a clinician wrote stay with their athletes, without the clinician's name.

        Returns:
            How many rows went, by table (the entries by kind, as ``erase_athlete`` counts them).

        Raises:
            EntryNotFound: when there is no such account.
            AccountRefused: for the local athlete of single-user mode (its log is deleted entry by entry instead).
        """
        if account_id == t.LOCAL_ATHLETE:
            raise AccountRefused(
                "The local log (kneelog without sign-in) is not an account and cannot be deleted as one; delete its "
                "entries on the History page, or delete the database file."
            )
        s, i, n, a = t.shares, t.invites, t.clinician_notes, t.accounts
        with self._store.for_athlete(account_id).transaction() as tx:  # one transaction: all of it or nothing
            counts = dict(tx.erase_athlete())
            conn = tx._conn  # the same package: the store's transaction, so the account goes with its rows
            counts["shares"] = conn.execute(
                s.delete().where(sa.or_(s.c.athlete_id == account_id, s.c.clinician_id == account_id))
            ).rowcount
            counts["invites"] = conn.execute(i.delete().where(i.c.athlete_id == account_id)).rowcount
            counts["clinician_notes"] = conn.execute(n.delete().where(n.c.athlete_id == account_id)).rowcount
            conn.execute(n.update().where(n.c.clinician_id == account_id).values(clinician_id=None))
            counts["accounts"] = conn.execute(a.delete().where(a.c.id == account_id)).rowcount
        return counts

    # -- housekeeping ------------------------------------------------------------------------------------------------

    def _forget_expired(self, conn: sa.Connection, now: dt.datetime | None) -> None:
        """Delete every expired code and invite (they can do nothing any more)."""
        conn.execute(t.invites.delete().where(t.invites.c.expires_at <= _stamp(now)))


def _check_shared(conn: sa.Connection, athlete_id: int, clinician_id: int) -> None:
    s = t.shares
    found = conn.execute(
        sa.select(sa.literal(1)).where(s.c.athlete_id == athlete_id, s.c.clinician_id == clinician_id)
    ).first()
    if found is None:
        raise NotShared(
            "This athlete's log is not shared with you (or no longer is): ask them to share it again from their "
            "Account page."
        )


def _share(conn: sa.Connection, athlete_id: int, clinician_id: int, now: dt.datetime | None) -> None:
    """Share the athlete's log with the clinician, inside ``conn``'s transaction; a share already there stays."""
    s = t.shares
    exists = conn.execute(
        sa.select(sa.literal(1)).where(s.c.athlete_id == athlete_id, s.c.clinician_id == clinician_id)
    ).first()
    if exists is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    s.insert().values(athlete_id=athlete_id, clinician_id=clinician_id, created_at=_stamp(now))
                )
        except sa.exc.IntegrityError:
            pass  # shared at the same moment by another sign-in: the share is there, which is what was asked
