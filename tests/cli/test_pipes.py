"""A closed pipe (`reflectcoach ... | head -1`) ends any command quietly, with status 0.

Real processes on real pipes. Two kinds of reader, neither timed:
- `first_line`: reads one line and closes its end, as `head -1` does. The outputs are many
  times a pipe's buffer (64 KiB on Linux), so the writer is still writing when it closes.
- `nobody_reading`: stdout is a pipe whose read end is closed before the command starts, so
  even the first write meets it, whatever the output's size.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from store.history import make_history

from reflectcoach.cli import main
from reflectcoach.store import Store

from .test_plain import env_for

PIPE_BUFFER = 64 * 1024
LONG_SCRIPT_STEPS = 1200


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a big history (r.db) and a script folder with a very long script."""
    folder = tmp_path_factory.mktemp("pipes")
    make_history(folder / "r.db", conversations=1500, answers_per=12, seed=1)
    # Six conversations of 1,500 answers: the first is completed, a transcript of ~220 KB.
    make_history(folder / "r.db", conversations=6, answers_per=1500, seed=2)
    scripts = folder / "scripts"
    scripts.mkdir()
    steps = "".join(
        f"  q{i:04d}:\n    ask: Question {i}, what went well and what would you change?\n"
        for i in range(LONG_SCRIPT_STEPS)
    )
    (scripts / "long_one.yaml").write_text(
        f"id: long_one\ntitle: A long one\nsummary: Many questions.\naudience: anyone\n"
        f"steps:\n{steps}",
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def longest(home: Path) -> str:
    with Store.open(home / "r.db") as store:
        row = max(store.conversations(limit=None), key=lambda r: r["answer_count"])
    assert row["answer_count"] >= 1000
    return row["id"]


def environment(home: Path, *, buffered: bool = True) -> dict[str, str]:
    """As a person runs it: stdout to a pipe is block-buffered, unless PYTHONUNBUFFERED (set
    in some CI and container images) makes every write go straight to the pipe."""
    env = env_for(home)
    env.pop("PYTHONUNBUFFERED", None)
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    return env


def command(home: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "reflectcoach",
        "--db",
        str(home / "r.db"),
        "--scripts",
        str(home / "scripts"),
        *args,
    ]


def first_line(home: Path, *args: str) -> tuple[bytes, int, bytes]:
    """(first line, exit status, stderr) of the command read like `... | head -1`."""
    proc = subprocess.Popen(
        command(home, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment(home),
    )
    assert proc.stdout is not None and proc.stderr is not None
    line = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    proc.stderr.close()
    return line, proc.wait(timeout=120), stderr


def nobody_reading(
    home: Path, *args: str, buffered: bool = True
) -> subprocess.CompletedProcess[bytes]:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            command(home, *args),
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=environment(home, buffered=buffered),
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (("list", "--limit", "5000"), b"ID  "),
        (("search", "team", "--limit", "5000"), b""),
        (("export", "--format", "markdown"), b"# Reflections"),
        (("export", "--format", "json"), b'{"format": "reflectcoach"'),
        (("export", "--format", "csv"), b"conversation_id,"),
        (("graph", "long_one"), b"---"),
    ],
    ids=["list", "search", "export-markdown", "export-json", "export-csv", "graph"],
)
def test_head_1_ends_a_long_output_quietly(home: Path, args: tuple[str, ...], first: bytes) -> None:
    line, status, stderr = first_line(home, *args)
    assert line.startswith(first) and line.endswith(b"\n")
    assert stderr == b""  # no "Error: unexpected problem", no "Exception ignored"
    assert status == 0


def test_head_1_ends_a_long_transcript_quietly(home: Path, longest: str) -> None:
    line, status, stderr = first_line(home, "show", longest)
    assert line.startswith(b"#")
    assert (stderr, status) == (b"", 0)


def test_the_long_outputs_are_longer_than_a_pipe_holds(home: Path, longest: str) -> None:
    """What makes the tests above meet a closed pipe rather than finish first."""
    for args in (("list", "--limit", "5000"), ("show", longest), ("graph", "long_one")):
        done = subprocess.run(command(home, *args), capture_output=True, env=environment(home))
        assert done.returncode == 0, done.stderr
        assert len(done.stdout) > 2 * PIPE_BUFFER, args


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("--help",),
        ("list",),
        ("list", "--help"),
        ("search", "team"),
        ("export", "--format", "markdown"),
        ("export", "--format", "json"),
        ("export", "--format", "csv"),
        ("graph", "long_one"),
        ("scripts",),
    ],
    ids=lambda args: "-".join(arg.strip("-") for arg in args),
)
def test_a_pipe_nobody_reads_ends_quietly(home: Path, args: tuple[str, ...]) -> None:
    done = nobody_reading(home, *args)
    assert (done.stderr, done.returncode) == (b"", 0)


def test_a_pipe_nobody_reads_ends_show_quietly(home: Path, longest: str) -> None:
    done = nobody_reading(home, "show", longest[:6])
    assert (done.stderr, done.returncode) == (b"", 0)


def test_a_failing_command_still_reports_its_error(home: Path) -> None:
    """Only the closed pipe is quiet: an error of the command itself is still said on stderr."""
    done = nobody_reading(home, "show", "ffffffffffff")
    assert done.returncode == 1
    assert b"No conversation has an id starting with" in done.stderr
    assert b"Traceback" not in done.stderr and b"Exception ignored" not in done.stderr


def test_broken_pipe_in_process_exits_0_without_a_message(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path in-process (click's runner): the catch-all no longer turns it into
    "unexpected problem"."""

    def closed(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    for name, value in env_for(home).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("reflectcoach.script.index.listing", closed)
    result = CliRunner().invoke(main, ["--scripts", str(home / "scripts"), "scripts"])
    assert (result.exit_code, result.output) == (0, "")


@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("fmt", ["markdown", "json", "csv"])
def test_a_small_export_ends_quietly(tmp_path: Path, fmt: str, buffered: bool) -> None:
    """Buffered, the few bytes of an empty export sit in stdout's buffer until the command
    returns: the group flushes them itself, so the closed pipe is not met in the
    interpreter's exit ("Exception ignored ... BrokenPipeError", status 120)."""
    (tmp_path / "scripts").mkdir()
    done = nobody_reading(tmp_path, "export", "--format", fmt, buffered=buffered)
    assert (done.stderr, done.returncode) == (b"", 0)
