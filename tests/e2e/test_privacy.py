"""Private by default: the app the README starts stays on this machine and asks no other host for anything.

The server is started as the README says, ``streamlit run app.py``, so the repository's ``.streamlit/config.toml``
alone decides where it listens and whether it reports usage (the harness passes both on the command line for the
other journeys; here they are left out). The port and headless mode are still given, so the journey can find the
server and no browser window is opened on the test machine.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import ipaddress
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kneelog.demo import load_demo
from kneelog.store import Store
from tests.e2e import harness
from tests.e2e.harness import page_titles

#: What the harness adds to ``streamlit run app.py`` for the other journeys, and the README command does not.
HARNESS_ONLY = {"--server.address", "--browser.gatherUsageStats"}


def as_in_the_readme(command: list[str]) -> list[str]:
    """The harness's ``streamlit run app.py`` command without the options (and their values) of HARNESS_ONLY."""
    kept, args = [], iter(command)
    for arg in args:
        if arg in HARNESS_ONLY:
            next(args)
        else:
            kept.append(arg)
    return kept


@pytest.fixture(scope="module")
def readme_server(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[harness.AppServer]:
    """``streamlit run app.py`` with only the repository's config, on a database holding the demo athlete."""
    folder = tmp_path_factory.mktemp("readme_server")
    url = f"sqlite:///{folder / 'kneelog.db'}"
    store = Store(url)
    load_demo(store, days=120)  # so every page draws its tables and charts
    store.dispose()
    popen = subprocess.Popen
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(harness.subprocess, "Popen", lambda command, **kw: popen(as_in_the_readme(command), **kw))
        server = harness.AppServer(url, folder / "streamlit.log")
        server.start()
    try:
        yield server
    finally:
        server.stop()


def listening_addresses(port: int) -> list[str]:
    """The local addresses of the TCP sockets listening on ``port`` (Linux: /proc/net/tcp and tcp6)."""
    found = []
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                    # each 32-bit word of the address is written in the machine's (little-endian) byte order
                    raw = b"".join(bytes.fromhex(address[i : i + 8])[::-1] for i in range(0, len(address), 8))
                    found.append(str(ipaddress.ip_address(raw[:width])))
    return found


def non_loopback_addresses() -> list[str]:
    """This machine's own addresses other than loopback and link-local: from ``hostname -I`` and from the address
    a UDP socket would send from (connecting one sends nothing)."""
    found: set[str] = set()
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        found |= set(subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout.split())
    for family, documentation_address in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect((documentation_address, 9))
            found.add(probe.getsockname()[0])
    addresses = [ipaddress.ip_address(a.split("%")[0]) for a in found]
    return sorted(str(a) for a in addresses if not (a.is_loopback or a.is_link_local or a.is_unspecified))


def url_for(address: str, port: int) -> str:
    return f"http://[{address}]:{port}/" if ":" in address else f"http://{address}:{port}/"


def test_the_app_listens_on_loopback_only(readme_server):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("/proc/net/tcp (Linux) says which address a socket listens on")
    bound = listening_addresses(readme_server.port)
    assert bound, f"nothing listens on port {readme_server.port}"
    assert all(ipaddress.ip_address(a).is_loopback for a in bound), f"listening on {bound}, not only on loopback"


def test_the_app_is_not_reachable_on_the_machines_network_addresses(browser, readme_server):
    addresses = non_loopback_addresses()
    if not addresses:
        pytest.skip("this machine has only loopback; test_the_app_listens_on_loopback_only checks the bound address")
    page = harness.new_page(browser, harness.DESKTOP)
    try:
        harness.open_path(page, readme_server.url)  # the same browser and server do answer on loopback
        harness.expect(page).to_have_title("kneelog")
        for address in addresses:
            with pytest.raises(Exception, match="ERR_CONNECTION_REFUSED|ERR_ADDRESS_UNREACHABLE|ERR_CONNECTION"):
                page.goto(url_for(address, readme_server.port), timeout=10_000)
    finally:
        page.context.close()


def websocket_answer(port: int, host: str) -> int:
    """The HTTP status with which the app answers a browser opening its websocket at ``host`` (101: it connects)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "GET",
            "/_stcore/stream",
            headers={
                "Host": f"{host}:{port}",
                "Origin": f"http://{host}:{port}",
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
                "Sec-WebSocket-Version": "13",
            },
        )
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.parametrize(("host", "status"), [("127.0.0.1", 101), ("localhost", 101), ("rebound.example", 403)])
def test_the_app_answers_only_under_its_own_names(readme_server, host, status):
    """A web page whose domain was pointed at 127.0.0.1 (DNS rebinding) reaches the app under its own name: refused."""
    assert websocket_answer(readme_server.port, host) == status


def test_no_page_asks_another_host_for_anything(browser, readme_server):
    page = harness.new_page(browser, harness.DESKTOP)
    requested: list[str] = []
    page.context.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    try:
        harness.open_path(page, readme_server.url)
        for title in page_titles().values():
            harness.go_to(page, title)
            charts = harness.charts(page)
            for n in range(charts.count()):
                harness.expect(charts.nth(n).locator("svg, canvas").first).to_be_visible()
        page.wait_for_timeout(1000)  # late requests: fonts, icons, usage statistics
        own = urlsplit(readme_server.url).netloc
        network = [url for url in requested if urlsplit(url).scheme in ("http", "https", "ws", "wss")]
        assert sorted({url for url in network if urlsplit(url).netloc != own}) == []
        assert any(url.startswith(("ws://", "wss://")) for url in requested), "the app's websocket was not seen"
        icon = page.locator("link[rel='shortcut icon']").get_attribute("href")
        assert icon.startswith("data:") or urlsplit(icon).netloc in ("", own), f"the page icon comes from {icon}"
    finally:
        page.context.close()
