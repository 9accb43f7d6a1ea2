"""The browser machinery itself: a missing browser is reported the right way, and the app server takes a free port
of its range and is gone after use."""

import socket
import urllib.request

import pytest

from tests.e2e import harness


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)])
def test_a_missing_chromium_fails_in_ci_and_skips_elsewhere_saying_how_to_install(monkeypatch, tmp_path, ci, outcome):
    monkeypatch.setattr(harness, "CHROMIUM", tmp_path / "no-chromium-here")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match=r"Chromium at .*no-chromium-here: install Debian's Chromium with `apt-get"):
        harness.require_browser()


def test_a_missing_playwright_is_named_with_its_install_command(monkeypatch):
    monkeypatch.setattr(harness, "find_spec", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"the playwright Python package.*`pip install playwright`"):
        harness.require_browser()


def test_the_app_server_takes_the_next_free_port_and_stops_for_good(tmp_path):
    free = [port for port in harness.PORTS if harness._port_is_free(port)]
    with socket.socket() as blocker:
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        blocker.bind(("127.0.0.1", free[0]))
        blocker.listen()
        server = harness.AppServer(f"sqlite:///{tmp_path / 'k.db'}", tmp_path / "streamlit.log")
        with server:
            assert server.port == free[1]
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as response:
                assert response.read() == b"ok"
        assert server.process.poll() is not None
        assert harness._port_is_free(free[1])
