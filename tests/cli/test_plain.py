"""Plain mode end to end: a real `reflectcoach` process with piped stdin."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store

FIXTURES = Path(__file__).parent.parent / "engine"

ANSWERS = ["Ana", "2", "Grow as a lead", "", "time, fear", "4", "y", "2.5"]


def env_for(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VISUAL", None)
    env.pop("EDITOR", None)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.pop("REFLECTCOACH_SCRIPTS", None)
    env.pop("REFLECTCOACH_DB", None)
    return env


def run(
    tmp_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    db = tmp_path / "r.db"
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(FIXTURES), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**env_for(tmp_path), **(env or {})},
        timeout=60,
    )


def stored(tmp_path: Path) -> list[dict]:
    with Store.open(tmp_path / "r.db") as store:
        return [
            {**row, "answers": store.answers(row["id"])} for row in store.conversations(limit=None)
        ]


def test_a_whole_conversation_in_plain_mode(tmp_path: Path) -> None:
    result = run(tmp_path, "start", "every_type", "--plain", stdin="\n".join(ANSWERS) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Hi Ana. A few questions." in out
    assert "  1) I'm the mentor\n  2) I'm the mentee" in out
    assert "A whole number from 1 to 5 (1 = not at all, 5 = completely)." in out
    assert "Role: I'm the mentee. Hopes: Grow as a lead." in out
    assert "Thanks Ana. Your role is I'm the mentee." in out
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "completed"
    assert [(a["step_id"], a["value"]) for a in conversation["answers"]] == [
        ("name", "Ana"),
        ("role", "mentee"),
        ("hopes", "Grow as a lead"),
        ("blockers", ["time", "fear"]),
        ("confidence", 4),
        ("sure", True),
        ("hours", 2.5),
    ]
    assert "Role: I'm the mentee" in conversation["record"]


def test_long_text_takes_every_line_up_to_an_empty_one(tmp_path: Path) -> None:
    lines = ["Ana", "1", "First line", "second line", "", "3", "4", "y", "1"]
    result = run(tmp_path, "start", "every_type", "--plain", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    [conversation] = stored(tmp_path)
    assert conversation["answers"][2]["value"] == "First line\nsecond line"


def test_invalid_answers_are_explained_and_asked_again(tmp_path: Path) -> None:
    lines = ["Ana", "7", "mentor", "Lead", "", "zzz", ":skip", "9", "4", "maybe", "y", "-3", "1"]
    result = run(tmp_path, "start", "every_type", "--plain", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Pick 1-2 or type one of: mentor, mentee" in result.stdout
    assert "'zzz' is not an option." in result.stdout
    assert "Pick a whole number from 1 to 5." in result.stdout
    assert "Answer yes or no (y/n)." in result.stdout
    assert "Type a number from 0 to 80." in result.stdout
    [conversation] = stored(tmp_path)
    answers = {a["step_id"]: a for a in conversation["answers"]}
    assert answers["blockers"]["skipped"] and answers["blockers"]["value"] is None
    assert answers["role"]["value"] == "mentor"


def test_back_then_enter_keeps_the_offered_answer(tmp_path: Path) -> None:
    lines = ["Ana", "2", ":back", "", "Lead", "", ":back", ":back", "1", "Lead", "", ":quit"]
    result = run(tmp_path, "start", "every_type", "--plain", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Earlier you said: I'm the mentee" in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "in_progress"
    assert [(a["step_id"], a["value"]) for a in conversation["answers"]] == [
        ("name", "Ana"),
        ("role", "mentor"),
        ("hopes", "Lead"),
    ]


def test_quit_keeps_it_in_progress_and_says_how_to_resume(tmp_path: Path) -> None:
    result = run(tmp_path, "start", "every_type", "--plain", stdin="Ana\n:quit\n")
    assert result.returncode == 0
    [conversation] = stored(tmp_path)
    assert f"reflectcoach resume {conversation['id']}" in result.stdout
    assert conversation["status"] == "in_progress"


def test_eof_mid_conversation_exits_non_zero_then_resume_finishes(tmp_path: Path) -> None:
    first = run(tmp_path, "start", "every_type", "--plain", stdin="Ana\n2\n")
    assert first.returncode != 0
    assert "Input ended before the conversation did." in first.stdout
    rest = "\n".join(ANSWERS[2:]) + "\n"
    second = run(tmp_path, "resume", "--plain", stdin=rest)
    assert second.returncode == 0, second.stderr
    assert "Picking up 'Every kind of question' where you left off (2 answered)." in second.stdout
    assert "What do you hope for, Ana?" in second.stdout
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "completed"
    assert len(conversation["answers"]) == 7


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "esc.yaml").write_text(
        'id: esc\ntitle: "Esc \\e]0;pwned\\a"\nsummary: s\naudience: anyone\nsteps:\n'
        '  q:\n    ask: "Name? \\e[31mred\\e[0m"\n  bye:\n    say: "Bye {q}"\n',
        encoding="utf-8",
    )
    result = run(
        tmp_path, "--scripts", str(scripts), "start", "esc", "--plain", stdin="\x1b[2J\x9bA\x07\n"
    )
    assert result.returncode == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\x1b\x07\x9b")
    assert "\\x1b[31mred" in result.stdout
    assert "Bye \\x1b[2J\\x9bA\\x07" in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["answers"][0]["value"] == "\x1b[2J\x9bA\x07"  # kept as typed


def test_coach_text_is_shown_as_a_reader_sees_it_with_answers_as_given(tmp_path: Path) -> None:
    # Say steps are Markdown (the app renders them): plain mode shows them without the
    # syntax, and an answer with Markdown's characters in it exactly as it was typed.
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "md.yaml").write_text(
        "id: md\ntitle: Md\nsummary: s\naudience: anyone\nsteps:\n"
        "  q:\n    ask: Your hope?\n"
        "  recap:\n    say: |\n      You wrote:\n      - **Hopes:** {q}\n      - *Next:* `ship`\n",
        encoding="utf-8",
    )
    answer = "**not bold** and a_b_c *star*"
    result = run(tmp_path, "--scripts", str(scripts), "start", "md", "--plain", stdin=answer + "\n")
    assert result.returncode == 0, result.stderr
    assert f"- Hopes: {answer}\n" in result.stdout
    assert "- Next: ship\n" in result.stdout
    assert "**Hopes:**" not in result.stdout


def read_until(proc: subprocess.Popen[bytes], marker: bytes, seen: bytearray) -> None:
    """Block until `marker` has been printed `seen.count(marker)+1` times (no sleeping)."""
    assert proc.stdout is not None
    want = seen.count(marker) + 1
    while seen.count(marker) < want:
        ready, _, _ = select.select([proc.stdout], [], [], 30)
        assert ready, f"no prompt; output so far: {bytes(seen)!r}"
        chunk = os.read(proc.stdout.fileno(), 65536)
        assert chunk, f"process ended early: {bytes(seen)!r}"
        seen.extend(chunk)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_kill_9_mid_conversation_loses_nothing_answered(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    base = [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(FIXTURES)]
    proc = subprocess.Popen(
        [*base, "start", "every_type", "--plain"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env_for(tmp_path),
    )
    assert proc.stdin is not None
    seen = bytearray()
    read_until(proc, b"> ", seen)
    for answer in ["Ana", "1"]:
        proc.stdin.write(answer.encode() + b"\n")
        proc.stdin.flush()
        read_until(proc, b"> ", seen)
    # The third prompt is on screen, so both answers were committed before it was shown.
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    [conversation] = stored(tmp_path)
    assert [a["value"] for a in conversation["answers"]] == ["Ana", "mentor"]
    rest = "\n".join(["Lead", "", "time", "4", "y", "1"]) + "\n"
    result = run(tmp_path, "resume", conversation["id"][:6], "--plain", stdin=rest)
    assert result.returncode == 0, result.stderr
    assert "As a mentor, Ana, listen more than you speak." in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["status"] == "completed"
    assert len(conversation["answers"]) == 7


def test_two_processes_answering_at_once(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    base = [sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(FIXTURES)]
    procs = [
        subprocess.Popen(
            [*base, "start", "every_type", "--plain", "--mentorship", who],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env_for(tmp_path),
        )
        for who in ("Bea", "Cy")
    ]
    # Feed both line by line, interleaved, so their commits overlap.
    seen = [bytearray(), bytearray()]
    for proc, buf in zip(procs, seen, strict=True):
        read_until(proc, b"> ", buf)
    # No prompt follows the first line of a long answer, nor the last answer.
    prompts = [True, True, False, True, True, True, True, False]
    for answer, prompt in zip(ANSWERS, prompts, strict=True):
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(answer.encode() + b"\n")
            proc.stdin.flush()
        for proc, buf in zip(procs, seen, strict=True):
            if prompt:
                read_until(proc, b"> ", buf)
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        assert proc.stderr is not None
        assert b"locked" not in proc.stderr.read()
    conversations = stored(tmp_path)
    assert sorted(c["mentorship"] for c in conversations) == ["Bea", "Cy"]
    assert all(c["status"] == "completed" and len(c["answers"]) == 7 for c in conversations)


EDITED = "Written in my editor.\nOn two lines."


def fake_editor(tmp_path: Path, text: str = EDITED) -> str:
    """An $EDITOR that replaces the file with `text` (and notes what it was given)."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "path = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(tmp_path / 'given.txt')!r}).write_text(path.read_text())\n"
        f"path.write_text({text + chr(10)!r})\n",
        encoding="utf-8",
    )
    return f"{sys.executable} {script}"


def test_edit_writes_a_long_answer_in_the_editor(tmp_path: Path) -> None:
    lines = ["Ana", "1", ":edit", "", "3", "4", "y", "1"]
    env = {"EDITOR": fake_editor(tmp_path)}
    result = run(tmp_path, "start", "every_type", "--plain", stdin="\n".join(lines) + "\n", env=env)
    assert result.returncode == 0, result.stderr
    assert "From your editor:\n    Written in my editor.\n    On two lines." in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["answers"][2]["value"] == EDITED


def test_edit_falls_back_to_nano_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    nano = folder / "nano"
    nano.write_text(f'#!/bin/sh\nexec {fake_editor(tmp_path)} "$@"\n', encoding="utf-8")
    nano.chmod(0o755)
    lines = ["Ana", "1", ":edit", "", "3", "4", "y", "1"]
    stdin = "\n".join(lines) + "\n"
    result = run(tmp_path, "start", "every_type", "--plain", stdin=stdin, env={"PATH": str(folder)})
    assert result.returncode == 0, result.stderr
    assert "No $VISUAL or $EDITOR is set: writing in nano." in result.stdout
    [conversation] = stored(tmp_path)
    assert conversation["answers"][2]["value"] == EDITED


def test_edit_without_an_editor_says_how_to_set_one(tmp_path: Path) -> None:
    lines = ["Ana", "1", ":edit", "Typed instead", "", "3", "4", "y", "1"]
    (tmp_path / "empty-bin").mkdir()
    stdin = "\n".join(lines) + "\n"
    env = {"PATH": str(tmp_path / "empty-bin")}  # no editor, nano or vi either
    result = run(tmp_path, "start", "every_type", "--plain", stdin=stdin, env=env)
    assert result.returncode == 0, result.stderr
    assert "No editor is set and none was found" in result.stdout
    assert "Traceback" not in result.stderr
    [conversation] = stored(tmp_path)
    assert conversation["answers"][2]["value"] == "Typed instead"


@pytest.mark.parametrize(("stdin", "code"), [(":quit\n", 0), ("", 3)])
def test_a_conversation_left_with_nothing_in_it_is_not_kept(
    tmp_path: Path, stdin: str, code: int
) -> None:
    result = run(tmp_path, "start", "every_type", "--plain", stdin=stdin)
    assert result.returncode == code, result.stderr
    assert "Nothing was answered, so nothing was kept." in result.stdout
    assert "reflectcoach resume" not in result.stdout
    assert stored(tmp_path) == []
    kept = run(tmp_path, "start", "every_type", "--plain", stdin="Ana\n:quit\n")
    assert kept.returncode == 0 and "Continue later with: reflectcoach resume" in kept.stdout
    assert len(stored(tmp_path)) == 1
