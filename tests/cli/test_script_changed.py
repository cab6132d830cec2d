"""A script edited after a conversation started, resumed in plain mode: a real script file,
a real database, a real `reflectcoach` process. What still fits is kept and said; going
back never meets the step the script lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from reflectcoach.script.registry import load_catalog
from reflectcoach.services import session
from reflectcoach.store import Store

from .test_plain import env_for

# The same script the engine tests change.
SCRIPT = (Path(__file__).parents[1] / "fixtures" / "changing.yaml").read_text(encoding="utf-8")
NOTICE = (
    "The script changed since you started: 'q3' is no longer in it. You continue from "
    "question 3, \u201cWhat do you hope for?\u201d; the 2 before it are kept."
)


def started(tmp_path: Path, answers: list[Any], script: str = SCRIPT) -> tuple[Path, str]:
    """The script in a folder of its own, and a conversation answered through the session."""
    folder = tmp_path / "scripts"
    folder.mkdir(exist_ok=True)
    (folder / "changing.yaml").write_text(script, encoding="utf-8")
    catalog = load_catalog([folder])
    chosen = catalog.get("changing")
    assert chosen is not None, catalog.diagnostics
    with Store.open(tmp_path / "r.db") as store:
        running = session.start(store, chosen)
        for answer in answers:
            running.conversation.answer(answer)
        session.leave(store, running)  # this session ends here, as a person's would
    return folder, running.id


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "changing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def rows(tmp_path: Path, conversation_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with Store.open(tmp_path / "r.db") as store:
        conversation = store.conversation(conversation_id)
        assert conversation is not None
        return dict(conversation), [
            dict(a) for a in store.answers(conversation_id, include_future=True)
        ]


def plain(tmp_path: Path, folder: Path, *args: str, stdin: str) -> subprocess.CompletedProcess:
    db = tmp_path / "r.db"
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(folder), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
    )


def test_a_renamed_step_is_said_and_back_goes_to_what_is_kept(tmp_path: Path) -> None:
    folder, conversation_id = started(tmp_path, ["Ana", "mentee", "Grow"])
    _, before = rows(tmp_path, conversation_id)
    edit(folder, "q3:", "hopes:")
    result = plain(tmp_path, folder, "resume", "--plain", stdin=":back\n:quit\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "unexpected problem" not in result.stderr
    out = " ".join(result.stdout.split())  # plain mode wraps at the terminal's width
    assert "where you left off (2 answered)." in out
    assert NOTICE in out
    assert "[3/4] What do you hope for?" in out  # the renamed step, asked anew
    assert "[2/4] Your role?" in out and "Earlier you said: mentee" in out  # after :back
    conversation, after = rows(tmp_path, conversation_id)
    assert after == before  # every stored row as it was, the lost step's included
    assert conversation["position"] == 1 and conversation["current_step"] == "q2"


def test_an_option_removed_asks_that_question_again(tmp_path: Path) -> None:
    folder, conversation_id = started(tmp_path, ["Ana", "mentee", "Grow"])
    edit(folder, "[mentor, mentee]", "[mentor, peer]")
    result = plain(tmp_path, folder, "resume", "--plain", stdin="peer\n\n5\n")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "your answer to 'q2' no longer fits it. You continue from question 2" in out
    assert "Earlier you said: Grow" in out  # the path comes back to the later answer
    _, after = rows(tmp_path, conversation_id)
    assert [(a["step_id"], a["value"]) for a in after] == [
        ("q1", "Ana"),
        ("q2", "peer"),
        ("q3", "Grow"),
        ("q4", 5),
    ]
