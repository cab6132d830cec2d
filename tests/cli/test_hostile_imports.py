"""Imports the store never writes itself: refused with one line and the database untouched.
Imports whose values do not fit the script: accepted (the store cannot read scripts), and
resumed in plain mode without a traceback, each value that does not fit asked again."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reflectcoach.script.registry import load_catalog
from reflectcoach.services import session
from reflectcoach.store import Store
from reflectcoach.store.export import write_json

from .test_plain import FIXTURES, env_for

# every_type.yaml, answered up to the yes/no question.
ANSWERS = ["Ana", "mentee", "Grow as a lead", ["time"], 4]


def exported(tmp_path: Path, answers: list[Any] = ANSWERS) -> list[dict[str, Any]]:
    """A real conversation of every_type (answered through the session in a database of its
    own), as `reflectcoach export --format json` writes it."""
    script = load_catalog([FIXTURES]).get("every_type")
    assert script is not None
    with Store.open(tmp_path / "source.db") as store:
        running = session.start(store, script, "Sam")
        for answer in answers:
            running.conversation.answer(answer)
        out = io.StringIO()
        write_json(store, out)
    return json.loads(out.getvalue())["conversations"]


def reflectcoach(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(tmp_path / "r.db"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )


def write(tmp_path: Path, data: list[dict[str, Any]]) -> Path:
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def past_its_answers(conversation: dict[str, Any]) -> None:
    conversation["position"] = len(conversation["answers"]) + 2


def with_a_gap(conversation: dict[str, Any]) -> None:
    del conversation["answers"][1]  # seq 0, 2, 3, 4


def a_number_no_float_holds(conversation: dict[str, Any]) -> None:
    conversation["answers"][4]["answer"] = 10**310  # the scale answer


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (past_its_answers, "'position' is 7, past its 5 answers"),
        (with_a_gap, "'seq' 1 is missing: answers are numbered 0, 1, 2... with none left out"),
        (
            a_number_no_float_holds,
            "answer 5: 'answer' is a number beyond ±1,000,000,000,000,000, the largest an "
            "answer holds",
        ),
    ],
    ids=["position past the answers", "a gap in the path", "310 digits"],
)
def test_an_impossible_conversation_is_refused_and_nothing_changes(
    tmp_path: Path, spoil: Any, message: str
) -> None:
    good = exported(tmp_path)
    bad = {**copy.deepcopy(good[0]), "id": "abcdefabcdef"}
    spoil(bad)
    path = write(tmp_path, [*good, bad])  # the good one is not imported either
    assert reflectcoach(tmp_path, "list").returncode == 0  # the database exists
    before = digest(tmp_path / "r.db")
    result = reflectcoach(tmp_path, "import", str(path))
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: Cannot import {path}: conversation 2 (id abcdefabcdef): "
        f"{message}. Nothing was imported.\n"
    )
    assert result.stdout == ""
    assert digest(tmp_path / "r.db") == before


# (step, a value of the wrong type for it, what plain mode asks again)
MISFITS = [
    ("name", 42, "What should I call you?"),
    ("role", ["mentee"], "Are you the mentor or the mentee?"),
    ("role", "peer", "Are you the mentor or the mentee?"),
    ("blockers", "time", "What gets in the way?"),
    ("blockers", ["time", "boredom"], "What gets in the way?"),
    ("confidence", "4", "How confident are you?"),
    ("confidence", 9, "How confident are you?"),
    ("hopes", None, "What do you hope for, Ana?"),
]


@pytest.mark.parametrize(("step", "value", "asked"), MISFITS)
def test_values_that_do_not_fit_the_script_are_asked_again(
    tmp_path: Path, step: str, value: Any, asked: str
) -> None:
    [conversation] = exported(tmp_path)
    [answer] = [a for a in conversation["answers"] if a["step"] == step]
    answer["answer"] = value
    imported = reflectcoach(tmp_path, "import", str(write(tmp_path, [conversation])))
    assert imported.returncode == 0, imported.stderr
    result = reflectcoach(
        tmp_path, "--scripts", str(FIXTURES), "resume", "--plain", stdin=":back\n:quit\n"
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "unexpected problem" not in result.stderr
    out = " ".join(result.stdout.split())
    assert (
        f"The script changed since you started: your answer to '{step}' no longer fits it." in out
    )
    assert f"] {asked}" in out
