"""Two sessions on one conversation, and a database another program keeps locked: real
`reflectcoach ... --plain` processes on pipes, read prompt by prompt (never timed)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .test_plain import FIXTURES, env_for, read_until, run, stored

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="pids, SIGKILL, select on pipes"),
    pytest.mark.encrypted_too,  # two processes' connections to one encrypted file
]

WAITING = b"Waiting for the database (another program is writing to it)"


def started(tmp_path: Path) -> str:
    """A conversation with its first answer, left by a session that ended normally."""
    result = run(tmp_path, "start", "every_type", "--plain", stdin="Ana\n:quit\n")
    assert result.returncode == 0, result.stderr
    [conversation] = stored(tmp_path)
    return conversation["id"]


def session(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reflectcoach",
            "--db",
            str(tmp_path / "r.db"),
            "--scripts",
            str(FIXTURES),
            *args,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**env_for(tmp_path), **(env or {})},
    )


def say(proc: subprocess.Popen, line: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(line.encode() + b"\n")
    proc.stdin.flush()


def values(tmp_path: Path) -> list[object]:
    [conversation] = stored(tmp_path)
    return [a["value"] for a in conversation["answers"]]


def test_a_second_session_is_refused_and_the_first_loses_nothing(tmp_path: Path) -> None:
    # The case: two `resume ID --plain` answering in turn lost half the answers.
    cid = started(tmp_path)
    first = session(tmp_path, "resume", cid, "--plain")
    seen = bytearray()
    read_until(first, b"> ", seen)  # resumed: it holds the conversation now
    acknowledged = []
    for answer in ["2", "Grow as a lead", "", "time", "4"]:
        second = run(tmp_path, "resume", cid, "--plain", stdin="1\n")
        assert second.returncode != 0
        assert f"is open in another session (pid {first.pid} since " in second.stderr
        assert "reflectcoach show" in second.stderr and "--take-over" in second.stderr
        assert "Traceback" not in second.stderr
        say(first, answer)
        if answer != "Grow as a lead":  # a long answer's first line gets no prompt
            read_until(first, b"> ", seen)
            acknowledged.append(answer)
    say(first, "y")
    read_until(first, b"> ", seen)
    say(first, "2.5")
    assert first.wait(timeout=60) == 0
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "completed"
    assert [a["value"] for a in conversation["answers"]] == [
        "Ana",
        "mentee",
        "Grow as a lead",
        ["time"],
        4,
        True,
        2.5,
    ]
    # Finished: nobody holds it, and it reads as it was answered.
    with Store.open(tmp_path / "r.db") as store:
        holder = store.leases.holder(cid)
        assert holder is not None and holder.released_at is not None


def test_after_kill_9_a_new_session_takes_over_at_once(tmp_path: Path) -> None:
    cid = started(tmp_path)
    first = session(tmp_path, "resume", cid, "--plain")
    seen = bytearray()
    read_until(first, b"> ", seen)
    say(first, "1")
    read_until(first, b"> ", seen)  # "mentor" is committed: the next question is shown
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    # No waiting for the lease to expire: its holder's process is gone.
    rest = "\n".join(["Lead", "", "time", "4", "y", "1"]) + "\n"
    result = run(tmp_path, "resume", cid, "--plain", stdin=rest)
    assert result.returncode == 0, result.stderr
    assert f"was open in another session (pid {first.pid} since " in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "completed"
    assert [a["value"] for a in conversation["answers"]][:2] == ["Ana", "mentor"]


def test_a_session_whose_conversation_was_taken_over_cannot_write(tmp_path: Path) -> None:
    cid = started(tmp_path)
    first = session(tmp_path, "resume", cid, "--plain")
    first_out = bytearray()
    read_until(first, b"> ", first_out)
    second = session(tmp_path, "resume", cid, "--plain", "--take-over")
    second_out = bytearray()
    read_until(second, b"> ", second_out)
    assert f"(pid {first.pid} since ".encode() in second_out
    say(second, "2")
    read_until(second, b"> ", second_out)

    say(first, "1")  # refused: the conversation is the second session's now
    assert first.wait(timeout=60) == 4
    assert first.stdout is not None
    first_out.extend(first.stdout.read())
    text = " ".join(first_out.decode().split())  # as one line, however it was wrapped
    assert f"This conversation is now open in another session (pid {second.pid} since " in text
    assert 'Not saved: your answer to "Are you the mentor or the mentee?", which was: 1.' in text
    assert values(tmp_path) == ["Ana", "mentee"]  # the second session's answer, not "mentor"

    say(second, "Lead")
    say(second, "")
    read_until(second, b"> ", second_out)
    say(second, ":quit")
    assert second.wait(timeout=60) == 0
    assert values(tmp_path) == ["Ana", "mentee", "Lead"]


HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
print("released", flush=True)
"""


def lock_holder(tmp_path: Path) -> subprocess.Popen:
    """Another program holding the database's write lock until told to commit."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "r.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    read_until(holder, b"locked", bytearray())
    return holder


SHORT_WAIT = {"REFLECTCOACH_BUSY_TIMEOUT": "0.2"}


@pytest.mark.plaintext
def test_an_answer_waits_for_a_locked_database_and_is_then_saved(tmp_path: Path) -> None:
    cid = started(tmp_path)
    proc = session(tmp_path, "resume", cid, "--plain", env=SHORT_WAIT)
    seen = bytearray()
    read_until(proc, b"> ", seen)
    holder = lock_holder(tmp_path)
    say(proc, "2")
    read_until(proc, WAITING, seen)  # many busy timeouts go by: it keeps the answer
    assert values(tmp_path) == ["Ana"]
    say(holder, "commit")
    assert holder.wait(timeout=30) == 0
    read_until(proc, b"> ", seen)  # the next question: the answer went in
    assert b"The database is free again: saved." in seen
    assert values(tmp_path) == ["Ana", "mentee"]
    say(proc, ":quit")
    assert proc.wait(timeout=60) == 0


@pytest.mark.plaintext
def test_ctrl_c_while_waiting_says_what_is_and_is_not_saved(tmp_path: Path) -> None:
    cid = started(tmp_path)
    proc = session(tmp_path, "resume", cid, "--plain", env=SHORT_WAIT)
    seen = bytearray()
    read_until(proc, b"> ", seen)
    holder = lock_holder(tmp_path)
    try:
        say(proc, "2")
        read_until(proc, WAITING, seen)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    finally:
        say(holder, "commit")
        holder.wait(timeout=30)
    assert proc.stdout is not None and proc.stderr is not None
    seen.extend(proc.stdout.read())
    text = " ".join(seen.decode().split())
    errors = proc.stderr.read().decode()
    assert "Traceback" not in errors, errors
    assert "Stopped while waiting for the database." in text
    assert f"Saved: 1 answer (conversation {cid})." in text
    assert 'Not saved: your answer to "Are you the mentor or the mentee?", which was: 2.' in text
    assert values(tmp_path) == ["Ana"]
