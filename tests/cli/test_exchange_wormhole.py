"""`reflectcoach share NAME --wormhole` and `receive --wormhole CODE` against a mailbox server
and a transit relay of our own on 127.0.0.1 (magic-wormhole-mailbox-server and
magic-wormhole-transit-relay, in the test extra): no traffic to the public servers or to
this machine's other interfaces (`--no-listen`: no direct hints are offered)."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store.helpers import run

from reflectcoach.services import identity
from reflectcoach.store import Store

from .exchange_sides import make_sides

TWISTD = Path(sys.executable).with_name("twistd")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on {port} stopped")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on {port}")


@pytest.fixture
def loopback_servers(tmp_path: Path) -> Iterator[dict[str, str]]:
    if not TWISTD.exists():
        pytest.skip("twistd is not installed (the test extra brings it)")
    mailbox, relay = _free_port(), _free_port()
    started: list[subprocess.Popen[bytes]] = []
    for name, args in (
        ("mailbox", ["wormhole-mailbox", "--port", f"tcp:{mailbox}:interface=127.0.0.1"]),
        ("relay", ["transitrelay", "--port", f"tcp:{relay}:interface=127.0.0.1"]),
    ):
        folder = tmp_path / name
        folder.mkdir()
        started.append(
            subprocess.Popen(
                [str(TWISTD), "-n", "--pidfile=", *args],
                cwd=folder,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    try:
        _wait_for(mailbox, started[0])
        _wait_for(relay, started[1])
        yield {
            "WORMHOLE_RELAY_URL": f"ws://127.0.0.1:{mailbox}/v1",
            "WORMHOLE_TRANSIT_HELPER": f"tcp:127.0.0.1:{relay}",
        }
    finally:
        for process in started:
            process.terminate()
        for process in started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)


def test_a_bundle_goes_over_magic_wormhole_on_loopback(
    tmp_path: Path, loopback_servers: dict[str, str]
) -> None:
    alex, sam = make_sides(tmp_path)
    publics = {}
    for side, name in ((alex, "Sam"), (sam, "Alex")):
        with Store.open(side.db) as store:
            run(store, [("role", "Which are you?", "choice", "mentee", "the mentee")],
                mentorship=name, script_id="meeting")  # fmt: skip
            publics[name] = identity.load_or_create(store).public
    assert "Linked" in alex.ok("partner", "add", "Sam", publics["Alex"].line())
    assert "Linked" in sam.ok("partner", "add", "Alex", publics["Sam"].line())

    env = {**sam.env(), **loopback_servers}
    sender = subprocess.Popen(
        [sys.executable, "-m", "reflectcoach", "--db", str(sam.db), "share", "Alex",
         "--wormhole"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=sam.folder,
    )  # fmt: skip
    try:
        assert sender.stdout is not None
        code = None
        for line in sender.stdout:
            if line.startswith("Wormhole code: "):
                code = line.split()[2]
                break
        assert code, sender.stderr.read() if sender.stderr else ""
        received = subprocess.run(
            [sys.executable, "-m", "reflectcoach", "--db", str(alex.db), "receive",
             "--wormhole", code],
            capture_output=True,
            text=True,
            env={**alex.env(), **loopback_servers},
            cwd=alex.folder,
            timeout=120,
        )  # fmt: skip
        assert received.returncode == 0, received.stderr
        assert "Received from Sam" in received.stdout
        rest, _ = sender.communicate(timeout=60)
        assert sender.returncode == 0
        assert "Sent: your partner has the bundle." in rest
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()
    assert "From Sam (shared " in alex.ok("partner", "show", "Sam")


def test_a_code_phrase_that_is_not_one_is_refused(tmp_path: Path) -> None:
    alex, _sam = make_sides(tmp_path)
    done = alex.run("receive", "--wormhole", "rm -rf /")
    assert done.returncode == 1
    assert "is not a wormhole code phrase" in done.stderr


def test_an_offer_over_the_bound_is_declined_before_it_is_sent(
    tmp_path: Path, loopback_servers: dict[str, str]
) -> None:
    """Someone sends a file larger than a bundle may be: `receive --wormhole` reads the
    offer's size and declines it, so the file is never transferred, nothing is written and
    the database is as it was."""
    from reflectcoach.services import exchange

    from .exchange_sides import digest

    alex, sam = make_sides(tmp_path)
    with Store.open(alex.db) as store:
        identity.load_or_create(store)
    big = tmp_path / "big.bundle"
    with big.open("wb") as fp:
        fp.truncate(exchange.MAX_BUNDLE + 200_000)
    sender = subprocess.Popen(
        [sys.executable, "-m", "wormhole", "send", "--no-qr", "--hide-progress", "--no-listen",
         str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**sam.env(), **loopback_servers},
        cwd=sam.folder,
    )  # fmt: skip
    try:
        assert sender.stdout is not None
        code = None
        for line in sender.stdout:
            if "Wormhole code is: " in line:
                code = line.split("Wormhole code is: ")[1].split()[0]
                break
        assert code
        before = digest(alex.db)
        received = subprocess.run(
            [sys.executable, "-m", "reflectcoach", "--db", str(alex.db), "receive",
             "--wormhole", code],
            capture_output=True,
            text=True,
            env={**alex.env(), **loopback_servers},
            cwd=alex.folder,
            timeout=120,
        )  # fmt: skip
        assert received.returncode == 1
        assert "too large to be a reflectcoach bundle" in received.stderr
        assert "declined before any of it was sent" in received.stderr
        assert "Traceback" not in received.stderr
        assert digest(alex.db) == before
        rest, _ = sender.communicate(timeout=60)
        assert sender.returncode != 0  # the sender was told no: nothing went
        assert "rejected" in rest
    finally:
        if sender.poll() is None:
            sender.kill()
            sender.wait()
    assert list(alex.folder.glob("bundle*")) == []


@given(st.integers(min_value=0, max_value=10**18))
def test_an_offer_s_size_line_is_read_as_no_more_than_it_can_mean(size: int) -> None:
    from humanize import naturalsize

    from reflectcoach.services.carriers import offer_size

    line = f"Receiving file ({naturalsize(size)}) into: 'bundle'"
    found = offer_size(line)
    assert found is not None and found[0] == "file"
    assert found[1] <= size  # never declines a file that fits
    assert size - found[1] <= size * 0.1 + 1  # by no more than its rounding (under 0.1 unit)
