"""Plain mode and the app agree on the mentorship (issue 21, items 6 and 8): a
mentorship-bound script started without `-m` is filed under the usual mentorship (asked at a
terminal, said on stderr in a pipe), and one started on a closed mentorship says so first."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services.session import mentorship_bound
from reflectcoach.store import Store

from .test_plain import env_for


def start(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), "start", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )


def usual(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "config" / "reflectcoach"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps({"mentorship": name}), encoding="utf-8")


def test_which_scripts_are_about_a_mentorship() -> None:
    scripts = load_catalog([builtin_dir()]).scripts
    assert mentorship_bound(scripts["check_in"])
    assert mentorship_bound(scripts["closing"])


def test_in_a_pipe_without_m_the_usual_mentorship_is_used_and_said(tmp_path: Path) -> None:
    usual(tmp_path, "Sam")
    done = start(tmp_path, "check_in", "--plain", stdin="mentee\n")
    assert "About Sam (the usual one; -m NAME for another)." in done.stderr
    with Store.open(tmp_path / "r.db") as store:
        [row] = store.conversations()
        assert row["mentorship"] == "Sam"


def test_a_closed_mentorship_says_so_first_and_goes_on_on_its_own_in_a_pipe(
    tmp_path: Path,
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        store.state.add_point("Sam", "x")  # the mentorship exists
        store.mentorships._set_closed("Sam", "2026-07-10T10:00:00.000000Z")
    done = start(tmp_path, "check_in", "-m", "Sam", "--plain", stdin="mentee\n")
    assert "The mentorship with Sam was closed on 2026-07-10." in done.stderr
    assert "In a pipe: on its own." in done.stderr
    with Store.open(tmp_path / "r.db") as store:
        [row] = store.conversations()
        assert row["mentorship"] is None
        assert store.mentorships.get("Sam").closed


def read_until(fd: int, wanted: bytes) -> bytes:
    """What the terminal shows until `wanted` (a bound on waiting, never on speed)."""
    seen = b""
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, seen
        chunk = os.read(fd, 4096)
        assert chunk, seen
        seen += chunk
    return seen


def test_at_a_terminal_it_asks_to_reopen(tmp_path: Path) -> None:
    with Store.open(tmp_path / "r.db") as store:
        store.state.add_point("Sam", "x")
        store.mentorships._set_closed("Sam", "2026-07-10T10:00:00.000000Z")
    pid, fd = pty.fork()
    if pid == 0:  # the child: reflectcoach on a terminal
        os.execve(
            sys.executable,
            [
                sys.executable,
                "-m",
                "reflectcoach",
                "--db",
                str(tmp_path / "r.db"),
                "start",
                "check_in",
                "-m",
                "Sam",
                "--plain",
            ],
            env_for(tmp_path),
        )
    seen = read_until(fd, b"r: reopen it")
    os.write(fd, b"r\n")
    seen += read_until(fd, b"active again")
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(fd)
    assert b"The mentorship with Sam was closed on 2026-07-10." in seen
    with Store.open(tmp_path / "r.db") as store:
        assert not store.mentorships.get("Sam").closed
