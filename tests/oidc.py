"""Sign-in with a real OpenID Connect flow: an identity provider on loopback and the app served with ``[auth]``.

:func:`running_provider` serves `oidc-provider-mock <https://pypi.org/project/oidc-provider-mock/>`_ (a Flask app
built on Authlib) on a free port of 127.0.0.1 in a thread of the test process: discovery, authorisation form, token,
user info and JWKS endpoints, with any client id and secret accepted. Its form asks who signs in (the OIDC subject);
:meth:`Provider.add_user` sets that subject's other claims (e-mail, name) beforehand.

:class:`AuthAppServer` is the journeys' :class:`tests.e2e.harness.AppServer` with an ``[auth]`` section: it writes a
``secrets.toml`` of its own (redirect URI on the port it starts on, cookie secret, client id and secret, the
provider's metadata URL) into a temporary folder and points Streamlit at it with ``--secrets.files``, so the repo's
own ``.streamlit/secrets.toml`` is neither read nor written. :func:`sign_in` goes through the flow in Chromium.

The fixture ``oidc_provider`` (one provider for the test session) is used by importing it into a test module.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e import harness

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: Any id and secret do: the mock accepts every client (``require_client_registration=False``).
CLIENT_ID, CLIENT_SECRET = "kneelog-tests", "kneelog-tests-secret"


@dataclass(frozen=True)
class Provider:
    """A running identity provider: its base URL (also its ``iss``) and the claims of the users it knows."""

    url: str

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def add_user(self, sub: str, email: str, name: str) -> None:
        """Give the subject ``sub`` these claims in the ID tokens the provider issues from now on."""
        request = urllib.request.Request(
            f"{self.url}/users/{urllib.parse.quote(sub, safe='')}",
            data=json.dumps({"email": email, "email_verified": True, "name": name}).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 204, response.status


@contextlib.contextmanager
def running_provider() -> Iterator[Provider]:
    """oidc-provider-mock on a free port of 127.0.0.1 (never another interface), stopped afterwards."""
    import oidc_provider_mock
    import werkzeug.serving

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request in the test output
    # make_server rather than the package's run_server_in_thread, which listens on "localhost" (maybe ::1 too)
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """One identity provider for the whole test session."""
    with running_provider() as provider:
        yield provider


def auth_section(provider: Provider, port: int) -> str:
    """The ``[auth]`` section of a secrets.toml for the app on ``port``, signing in through ``provider``."""
    values = {
        "redirect_uri": f"http://127.0.0.1:{port}/oauth2callback",
        "cookie_secret": secrets.token_hex(32),
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "server_metadata_url": provider.metadata_url,
    }
    return "[auth]\n" + "".join(f"{name} = {json.dumps(value)}\n" for name, value in values.items())


class AuthAppServer(harness.AppServer):
    """``streamlit run app.py`` with an ``[auth]`` section for ``provider``, in a secrets file outside the repo."""

    def __init__(self, db_url: str, folder: Path, provider: Provider):
        self.secrets_path = folder / "secrets.toml"
        super().__init__(db_url, folder / "streamlit.log", ("--secrets.files", str(self.secrets_path)))
        self.provider = provider

    def _start_on(self, port: int) -> bool:
        self.secrets_path.write_text(auth_section(self.provider, port))  # the redirect URI names the port
        return super()._start_on(port)


def sign_in(page: Page, sub: str) -> None:
    """From the app's sign-in page, go through the provider's form as ``sub`` and wait until back in the app."""
    button = page.get_by_role("button", name="Sign in")
    button.click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator("input[name='sub']").fill(sub)
    before = page.kneelog_runs  # type: ignore[attr-defined]  # the new document's socket is counted on
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: "/oauth2" not in url and "/auth/" not in url)
    harness.settle(page, before, f"signing in as {sub}")
