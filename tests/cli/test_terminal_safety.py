"""Nothing written to a terminal carries a control character, in any format, from any
command; a pipe or a file written with -o keeps a data format's exact bytes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reflectcoach.cli import main
from reflectcoach.core import terminal
from reflectcoach.store import Store

from .test_plain import env_for
from .test_search_output import converse, db, in_a_terminal

__all__ = ["db"]  # the fixture, used by name

HOSTILE = (
    "title\x1b]0;PWNED\x07 clear\x1b[2J clip\x1b]52;c;ZXZpbA==\x07 csi\x9b31m bidi\u202eevil\u2066x"
)
# Every C0 control but tab, newline (and CR, which the pty adds to newlines), DEL, C1, bidi.
UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
FORMATS = ["csv", "json", "markdown"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_terminal_shows_controls_and_obeys_none(db: Path, fmt: str) -> None:
    converse(db, HOSTILE, mentorship="Bea\x1b[2J")
    shown = in_a_terminal(db, "export", "--format", fmt).decode("utf-8")
    assert not UNSAFE.search(shown), UNSAFE.findall(shown)
    assert "PWNED" in shown  # the words are all there, just inert


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_pipe_and_a_file_keep_a_data_formats_exact_text(db: Path, fmt: str) -> None:
    converse(db, HOSTILE)
    piped = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "export", "--format", fmt],
        capture_output=True,
        env=env_for(db.parent),
    )
    assert piped.returncode == 0, piped.stderr
    out = db.parent / f"out.{fmt}"
    result = CliRunner().invoke(main, ["--db", str(db), "export", "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    for data in (piped.stdout.decode("utf-8"), out.read_text(encoding="utf-8")):
        if fmt == "json":
            assert HOSTILE in [a["answer"] for a in json.loads(data)["conversations"][0]["answers"]]
            assert not UNSAFE.search(data)  # as \u escapes: the same text, inert on any screen
        else:
            assert HOSTILE in data


def test_scripts_json_escapes_c1_and_bidi(tmp_path: Path) -> None:
    folder = tmp_path / "scripts"
    folder.mkdir()
    (folder / "odd.yaml").write_text(
        'id: odd\ntitle: "csi \\x9b31m bidi \\u202e"\nsummary: s\naudience: anyone\n'
        "steps:\n  a:\n    ask: q\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--scripts", str(folder), "scripts", "--json"],
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "\\u009b31m" in result.stdout and "\\u202e" in result.stdout
    assert not UNSAFE.search(result.stdout)
    (odd,) = [row for row in json.loads(result.stdout) if row["id"] == "odd"]
    assert odd["title"] == "csi \x9b31m bidi \u202e"


ANSWERS = st.text(
    st.one_of(
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
        st.sampled_from(["\x1b", "\x9b", "\x07", "\r", "\u202e", "\u2066", "\x00", "\x7f"]),
    ),
    max_size=60,
)


@given(answer=ANSWERS, mentorship=ANSWERS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_control_reaches_a_terminal_from_export_or_show(
    tmp_path_factory: pytest.TempPathFactory, answer: str, mentorship: str
) -> None:
    db = tmp_path_factory.mktemp("db") / "r.db"
    with Store.open(db) as store:
        conversation_id = store.start(
            script_id="s",
            script_version=1,
            script_sha256="0" * 64,
            title=f"T {answer}",
            mentorship=mentorship,
            current_step="a",
        )
        store.journal(conversation_id).answered(
            step_id="a",
            question=f"Q {answer}?",
            qtype="long_text",
            text=answer,
            value=answer,
            skipped=False,
            seq=0,
            position=1,
            current_step="a",
            discard_from=None,
        )
    runner = CliRunner()
    original = terminal.is_terminal
    terminal.is_terminal = lambda stream: True  # click's runner is no terminal: say it is
    try:
        outputs = [
            runner.invoke(main, ["--db", str(db), "export", "--format", fmt]) for fmt in FORMATS
        ]
        outputs.append(runner.invoke(main, ["--db", str(db), "show", conversation_id]))
    finally:
        terminal.is_terminal = original
    for result in outputs:
        assert result.exit_code == 0, result.output
        assert not UNSAFE.search(result.stdout.replace("\r\n", "\n")), repr(result.stdout)
