"""`search` prints what the person wrote: exact in a pipe, matches styled on a terminal.

Each hit is three lines: the conversation, `Q: question`, `A: answer`; the line(s) where the
words were found start with "> ", the others with two spaces.
"""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from reflectcoach.cli import main
from reflectcoach.core.text import clean, clean_line
from reflectcoach.script.loader import load_file
from reflectcoach.services import session
from reflectcoach.store import Store

from .test_plain import env_for

FIXTURES = Path(__file__).parent.parent / "engine"
HOPES_QUESTION = "What do you hope for, Ana?"
STYLED = "\x1b[1m\x1b[7m{}\x1b[0m"  # click.style(bold=True, reverse=True)
SGR = re.compile(rb"\x1b\[[0-9;]*m")


def converse(db: Path, hopes: str, mentorship: str | None = None) -> str:
    """A finished every_type conversation whose `hopes` answer is `hopes`; its id."""
    script = load_file(FIXTURES / "every_type.yaml").script
    assert script is not None
    answers = {
        "name": "Ana",
        "role": "2",
        "hopes": hopes,
        "blockers": "time",
        "confidence": "4",
        "sure": "y",
        "hours": "3",
    }
    with Store.open(db) as store:
        running = session.start(store, script, mentorship)
        conversation = running.conversation
        while conversation.turn.question is not None:
            conversation.answer(answers[conversation.turn.question.step.id])
        return running.id


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in env_for(tmp_path).items():
        monkeypatch.setenv(name, value)
    return tmp_path / "r.db"


def search(db: Path, *words: str) -> list[list[str]]:
    """The hits of `reflectcoach search` in a pipe (click's runner), three lines each."""
    result = CliRunner().invoke(main, ["--db", str(db), "search", *words])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) % 3 == 0, lines
    return [lines[i : i + 3] for i in range(0, len(lines), 3)]


def in_a_terminal(
    db: Path, *args: str, no_color: str | None = None, term: str = "xterm-256color"
) -> bytes:
    """What `reflectcoach --db DB ARGS...` writes to a terminal (a pty), as bytes."""
    env = {**env_for(db.parent), "TERM": term}
    env.pop("NO_COLOR", None)
    if no_color is not None:
        env["NO_COLOR"] = no_color
    terminal, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), *args],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
    )
    os.close(child)
    seen = bytearray()
    try:
        while True:
            ready, _, _ = select.select([terminal], [], [], 60)
            assert ready, "the command stopped writing without ending"
            try:
                data = os.read(terminal, 65536)
            except OSError:  # EIO: the command ended and closed its side of the terminal
                break
            if not data:
                break
            seen += data
    finally:
        os.close(terminal)
        assert proc.wait(timeout=60) == 0, bytes(seen)
    return bytes(seen)


# -- in a pipe: the text as stored ---------------------------------------------------------


def test_an_answer_with_brackets_comes_out_unchanged(db: Path) -> None:
    answer = "Drop one [meeting] (or two) a week. Say no more"
    conversation = converse(db, answer)
    found = search(db, "meeting")
    assert found[-1][0].startswith(f"{conversation}  Every kind of question  ")
    assert found[-1][1:] == [f"  Q: {HOPES_QUESTION}", f"> A: {answer}"]


def test_the_issue_example_gains_no_brackets(db: Path) -> None:
    converse(db, "Drop one meeting. Say no more")
    lines = [line for hit in search(db, "meeting") for line in hit]
    assert "> A: Drop one meeting. Say no more" in lines
    assert not any("[meeting]" in line for line in lines)


def test_a_match_in_the_question_is_marked_on_the_q_line(db: Path) -> None:
    converse(db, "Become a calmer lead")
    (hit,) = search(db, "hope")
    assert hit[1:] == [f"> Q: {HOPES_QUESTION}", "  A: Become a calmer lead"]


def test_words_found_in_both_mark_both_lines(db: Path) -> None:
    converse(db, "Become a calmer lead")
    (hit,) = search(db, "hope", "calmer")
    assert hit[1:] == [f"> Q: {HOPES_QUESTION}", "> A: Become a calmer lead"]


def test_a_question_quoting_the_answer_is_its_own_q_hit(db: Path) -> None:
    """every_type asks `Are you sure about "{hopes}"?`: that hit matched in its question."""
    converse(db, "Become a calmer lead")
    found = search(db, "calmer")
    assert [hit[1:] for hit in found] == [
        ['> Q: Are you sure about "Become a calmer lead"?', "  A: yes"],
        [f"  Q: {HOPES_QUESTION}", "> A: Become a calmer lead"],
    ]


def test_the_whole_answer_on_one_line_cleaned(db: Path) -> None:
    converse(db, "Calmer\n\n  and\tkinder \x1b[2J lead\r\nat last " + "word " * 40)
    hit = search(db, "kinder")[-1]
    assert hit[2] == "> A: Calmer and kinder \\x1b[2J lead at last" + " word" * 40


def test_a_pipe_gets_plain_bytes(db: Path) -> None:
    answer = "Drop one [meeting] a week"
    converse(db, answer, mentorship="Sam")
    done = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(db), "search", "meeting"],
        capture_output=True,
        env=env_for(db.parent),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout
    assert f"> A: {answer}\n".encode() in done.stdout
    assert b"Every kind of question [Sam]  " in done.stdout


def test_help_explains_the_marks() -> None:
    result = CliRunner().invoke(main, ["search", "--help"])
    assert result.exit_code == 0
    assert "> Q:" in result.output and "NO_COLOR" in result.output


# -- on a terminal: matches styled ---------------------------------------------------------


def test_a_terminal_shows_matches_in_bold_reverse(db: Path) -> None:
    converse(db, "Drop one [meeting] a week")
    out = in_a_terminal(db, "search", "meeting").decode()
    assert f"> A: Drop one [{STYLED.format('meeting')}] a week\r\n" in out
    assert f"  Q: {HOPES_QUESTION}\r\n" in out  # nothing styled where nothing matched


def test_a_terminal_styles_a_match_in_the_question(db: Path) -> None:
    converse(db, "Become a calmer lead")
    out = in_a_terminal(db, "search", "hope").decode()
    assert f"> Q: What do you {STYLED.format('hope')} for, Ana?\r\n" in out


def test_a_terminal_styles_a_prefix_match_whole_word(db: Path) -> None:
    converse(db, "Become a calmer lead, calmly")
    out = in_a_terminal(db, "search", "calm*").decode()
    assert f"> A: Become a {STYLED.format('calmer')} lead, {STYLED.format('calmly')}\r\n" in out


@pytest.mark.parametrize("value", ["1", "true", "0"])
def test_no_color_removes_every_escape(db: Path, value: str) -> None:
    converse(db, "Drop one [meeting] a week")
    out = in_a_terminal(db, "search", "meeting", no_color=value)
    assert b"\x1b" not in out
    assert b"> A: Drop one [meeting] a week\r\n" in out


def test_a_dumb_terminal_gets_no_escapes(db: Path) -> None:
    converse(db, "Drop one [meeting] a week")
    out = in_a_terminal(db, "search", "meeting", term="dumb")
    assert b"\x1b" not in out
    assert b"> A: Drop one [meeting] a week\r\n" in out


def test_an_empty_no_color_is_unset(db: Path) -> None:
    """no-color.org: NO_COLOR counts when it is present and not empty."""
    converse(db, "Drop one meeting")
    out = in_a_terminal(db, "search", "meeting", no_color="").decode()
    assert STYLED.format("meeting") in out


def test_escapes_typed_by_the_person_never_reach_the_terminal(db: Path) -> None:
    converse(db, "calmer \x1b[31mred\x1b[0m \x9b2J and \x07 bell")
    out = in_a_terminal(db, "search", "calmer")
    # The person's escapes arrive as visible text...
    assert rb"\x1b[31mred\x1b[0m \x9b2J and \x07 bell" in out
    # ...and the only escapes are our own styles, around the matched words.
    styles = SGR.findall(out)
    assert out.count(b"\x1b") == len(styles)
    assert set(styles) <= {b"\x1b[1m", b"\x1b[7m", b"\x1b[0m"}
    assert b"\x9b" not in out and b"\x07" not in out
    assert STYLED.format("calmer").encode() in out


# -- where the matches are: Store.search(with_matches=True) --------------------------------


def test_offsets_survive_text_holding_the_private_marks(db: Path) -> None:
    """An answer holding the private-use characters used as marks is highlighted again with
    others: the offsets still point at the word, and the text is unchanged."""
    answer = "a \ue000 b \ue001 meeting \ue000c"
    converse(db, answer)
    with Store.open(db) as store:
        (hit,) = [h for h in store.search("meeting", with_matches=True) if h["step_id"] == "hopes"]
    start = answer.index("meeting")
    assert hit["answer_text"] == answer
    assert hit["answer_matches"] == [(start, start + len("meeting"))]
    assert hit["question_matches"] == []


def test_offsets_are_characters_not_bytes(db: Path) -> None:
    answer = "Ça dépend: café, thé — café"
    converse(db, answer)
    with Store.open(db) as store:
        (hit,) = [h for h in store.search("cafe", with_matches=True) if h["step_id"] == "hopes"]
    assert [answer[s:e] for s, e in hit["answer_matches"]] == ["café", "café"]


def test_search_without_matches_keeps_its_shape(db: Path) -> None:
    converse(db, "Become a calmer lead")
    with Store.open(db) as store:
        hit = store.search("calmer")[0]
    assert "answer_matches" not in hit and "question_matches" not in hit


# -- clean_line: the old line, with marks added only where asked ---------------------------


@given(st.text(), st.lists(st.tuples(st.integers(-3, 60), st.integers(-3, 60)), max_size=4))
def test_clean_line_is_the_old_line_when_nothing_is_marked(text: str, spans: list) -> None:
    assert clean_line(text) == clean(" ".join(text.split()))
    assert clean_line(text, spans, mark=lambda words: words) == clean_line(text)


def test_clean_line_marks_after_cleaning() -> None:
    text = "a \x1b[2Jword\x1b  b"
    start = text.index("\x1b[2Jword")
    marked = clean_line(text, [(start, start + 9)], mark=lambda words: f"<{words}>")
    assert marked == "a <\\x1b[2Jword\\x1b> b"


def test_clean_line_keeps_a_phrase_one_mark() -> None:
    text = "so calmer \n lead now"
    start = text.index("calmer")
    marked = clean_line(text, [(start, text.index(" now"))], mark=lambda words: f"<{words}>")
    assert marked == "so <calmer lead> now"
