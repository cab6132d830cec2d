"""`reflectcoach graph`'s Mermaid: the rules that keep it valid, checked without the renderer.

scripts/check_mermaid.sh renders the same fixtures with the real mermaid-cli; these tests pin the
rules it showed are needed, so they hold on machines without Node or Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.engine.graph import (
    END_STATE,
    STEP_TEXT_LENGTH,
    WORD_JOINER,
    escaped,
    mermaid,
    one_line,
    shorten,
    step_lines,
    yaml_string,
)
from reflectcoach.script.loader import RESERVED, load_file, load_text
from reflectcoach.script.model import Script
from reflectcoach.script.registry import builtin_dir

FIXTURES = Path(__file__).parent / "fixtures" / "mermaid"
# Words of Mermaid's state-diagram grammar (its lexer ignores case), from its jison rules.
MERMAID_WORDS = frozenset(
    {
        "accdescr", "acctitle", "as", "bt", "choice", "class", "classdef", "click",
        "concurrent", "default", "description", "direction", "empty", "end", "fork", "hide",
        "href", "join", "left", "lr", "note", "of", "right", "rl", "scale", "state",
        "statediagram", "style", "tb", "width",
    }
)  # fmt: skip
STATE_ID = re.compile(r"(?:step_[a-z][a-z0-9_]*|done)\Z")
# Raw in a label, each of these is Mermaid syntax (see graph.py); entities are `#<digits>;`.
RAW_SYNTAX = re.compile(r'[#;%":<>\[\]&\ufeff]')
ENTITY = re.compile(r"#(\d+);")


def _load(path: Path) -> Script:
    result = load_file(path)
    assert result.script is not None, result.diagnostics
    return result.script


def _front_matter(out: str) -> dict[str, object]:
    lines = out.split("\n")
    assert lines[0] == "---" and lines[2] == "---" and lines[3] == "stateDiagram-v2", lines[:4]
    parsed = yaml.safe_load(lines[1])
    assert isinstance(parsed, dict)
    return parsed


def _states(out: str) -> dict[str, str]:
    """State id -> label, from `state "label" as id` lines."""
    return {state: label for label, state in re.findall(r'^\s*state "(.*)" as (\S+)$', out, re.M)}


def _edges(out: str) -> list[tuple[str, str, str]]:
    return re.findall(r"^\s*(\S+) --> (\S+): (.*)$", out, re.M)


def _ids(out: str) -> set[str]:
    ids = set(_states(out))
    for source, dest, _ in _edges(out):
        ids |= {source, dest}
    ids |= set(re.findall(r"^\s*Class (\S+) ", out, re.M))
    ids |= set(re.findall(r"^\s*\[\*\] --> (\S+)$", out, re.M))
    return ids


def _shown(label_line: str) -> str:
    """What Mermaid shows for one line of a label: entities decoded first, then Markdown's
    backslash escapes (the order Mermaid applies them); the word joiner is invisible."""
    text = ENTITY.sub(lambda m: chr(int(m.group(1))), label_line)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return text.replace(WORD_JOINER, "")


def _assert_inert(label_line: str) -> None:
    """No Mermaid syntax, Markdown emphasis or KaTeX left raw in one line of a label."""
    without_entities = ENTITY.sub("", label_line)
    assert not RAW_SYNTAX.search(without_entities), label_line
    assert not re.search(r"(?i)direction\s", without_entities), label_line
    assert "$$" not in ENTITY.sub(lambda m: chr(int(m.group(1))), label_line)
    # Every `*` and every `\` is escaped: an odd run of backslashes before each star.
    for match in re.finditer(r"(\\*)\*", label_line):
        assert len(match.group(1)) % 2 == 1, label_line


def _assert_valid(script: Script, out: str, direction: str = "TB") -> None:
    assert _front_matter(out) == {"title": one_line(script.title)}
    assert f"\n  direction {direction}\n" in out
    ids = _ids(out)
    assert all(STATE_ID.match(i) for i in ids), sorted(ids)
    assert not {i.lower() for i in ids} & MERMAID_WORDS
    states = _states(out)
    assert len(states) == len(script.steps) + 1
    for step in script.steps.values():
        label = states[f"step_{step.id}"]
        lines = label.split("<br>")
        for line in lines:
            _assert_inert(line)
        assert [_shown(line) for line in lines] == step_lines(step)
        assert _shown(lines[0]).startswith(f"{step.id} (")  # the step id, whole, first
    for _, _, label in _edges(out):
        _assert_inert(label)


# -- the title ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Weekly check-in: wins: blockers",
        "[Draft] weekly check-in",
        "@team retro",
        "{curly}: 'single' \"double\" `back` #hash %pct &amp *star* !bang |pipe >gt",
        "- dash first",
        "? question first",
        "yes",
        "null",
        "123",
        "C:\\temp\\new",
        "Rückblick 🌱 振り返り — مراجعة",
        "zero\u200bwidth bom\ufeffhere line\u2028sep para\u2029sep nel\x85 del\x7f",
        "not\ufffechar",
        "--- dashes ---",
    ],
)
def test_title_is_a_yaml_title_key_whatever_it_says(title: str) -> None:
    steps = "steps:\n  a:\n    say: Hi.\n"
    text = f"id: t\ntitle: {yaml_string(title)}\nsummary: s\naudience: anyone\n{steps}"
    script = load_text(text, "t.yaml").script
    assert script is not None
    out = mermaid(script)
    assert _front_matter(out) == {"title": one_line(title)}


def test_title_with_control_characters_and_newlines_is_one_clean_line() -> None:
    assert one_line("Weekly\n  check-in\t\x1b[2J now") == "Weekly check-in \\x1b[2J now"
    assert yaml.safe_load("title: " + yaml_string(one_line("a\x1b\nb"))) == {"title": "a\\x1b b"}


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_yaml_string_reads_back_exactly(text: str) -> None:
    line = "title: " + yaml_string(text)
    assert "\n" not in line
    assert yaml.safe_load(line) == {"title": text}


# -- ids ---------------------------------------------------------------------------------------


def test_steps_named_like_mermaid_keywords_get_ids_that_are_not() -> None:
    script = _load(FIXTURES / "keyword_ids.yaml")
    assert {"note", "class", "style", "classdef", "default", "click", "direction", "end"} <= set(
        script.steps
    )
    out = mermaid(script)
    _assert_valid(script, out)
    assert 'state "note (yes_no)<br>A note?" as step_note' in out
    assert "step_note --> step_class: if note" in out
    # A step named like another step's state id, or like the end state, still gets its own.
    assert {"step_step_note", "step_note", "step_done", "step_step_done", END_STATE} <= _ids(out)


# -- labels ------------------------------------------------------------------------------------


def test_labels_are_cut_at_word_boundaries_with_an_ellipsis() -> None:
    words = "Where would you like to be in a year from now, and what would be different"
    assert shorten(words, 30) == "Where would you like to be in…"
    assert shorten(words, 200) == words
    assert shorten("  spread\n over\tlines  ", 40) == "spread over lines"
    assert shorten("a" * 50, 10) == "a" * 9 + "…"  # one word longer than the limit: cut inside
    long = one_line(" ".join(["word"] * 60))
    cut = shorten(long, STEP_TEXT_LENGTH)
    assert cut.endswith("word…") and len(cut) <= STEP_TEXT_LENGTH


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('say "hi"; #1 100%', "say #34;hi#34;#59; #35;1 100#37;"),
        ("wins: a::b", "wins#58; a#58;#58;b"),
        (
            "<b>x</b> [[fork]] <<choice>>",
            "#60;b#62;x#60;/b#62; #91;#91;fork#93;#93; #60;#60;choice#62;#62;",
        ),
        ("&amp; {name} (ok) |x| ~y~ `z`", "#38;amp#59; {name} (ok) |x| ~y~ `z`"),
        ("*em* **strong** _u_ snake_case", "\\*em\\* \\*\\*strong\\*\\* \\_u\\_ snake_case"),
        ("C:\\new \\*", "C#58;\\\\new \\\\\\*"),
        ("costs $5, $$x$$", "costs $5, $#8288;$x$#8288;$"),
        ("a direction LR and Direction tb", "a directio#110; LR and Directio#110; tb"),
        ("either direction: a mentee", "either directio#110;#58; a mentee"),
    ],
)
def test_label_text_is_written_so_mermaid_shows_it_as_typed(text: str, line: str) -> None:
    assert escaped(text) == line
    _assert_inert(line)
    assert _shown(line) == text


def test_every_fixture_and_builtin_follows_the_rules() -> None:
    paths = sorted(FIXTURES.glob("*.yaml")) + sorted(builtin_dir().glob("[0-9]*.yaml"))
    assert len(paths) >= 11
    for path in paths:
        script = _load(path)
        _assert_valid(script, mermaid(script))


def test_two_hundred_steps_draw_top_down_with_every_step() -> None:
    script = _load(FIXTURES / "two_hundred.yaml")
    assert len(script.steps) == 200
    out = mermaid(script)
    _assert_valid(script, out)
    assert len(_edges(out)) == 200 + 200 // 10 - 1  # one per step, plus the branches' second
    assert "[*] --> step_q001" in out


def test_direction_is_mermaids_and_checked() -> None:
    script = _load(FIXTURES / "colons.yaml")
    _assert_valid(script, mermaid(script, direction="LR"), direction="LR")
    assert "\n  direction BT\n" in mermaid(script, direction="bt")
    with pytest.raises(ValueError, match="direction must be one of TB, LR, BT, RL"):
        mermaid(script, direction="sideways")


def test_no_state_is_drawn_as_the_current_one() -> None:
    out = mermaid(_load(FIXTURES / "colons.yaml"))
    assert "s_active" not in out.split("\n  \n", 1)[1]  # only its classDef, never on a state


# -- any script that validates -----------------------------------------------------------------

_ids_strategy = st.lists(
    st.sampled_from(sorted(MERMAID_WORDS | {"done", "step_done", "s_default", "a"}))
    | st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    min_size=1,
    max_size=6,
    unique=True,
).map(lambda ids: [i for i in ids if i not in RESERVED] or ["only"])
_texts = st.text(min_size=1, max_size=150).filter(lambda t: one_line(t) != "")


@settings(max_examples=120, deadline=None)
@given(ids=_ids_strategy, title=_texts, texts=st.lists(_texts, min_size=6, max_size=6))
def test_any_valid_script_draws_valid_mermaid(ids: list[str], title: str, texts: list[str]) -> None:
    steps = []
    for step_id, text in zip(ids, texts, strict=False):
        # Braces are doubled because step text is a template.
        literal = yaml_string(text.replace("{", "{{").replace("}", "}}"))
        steps.append(f"  {step_id}:\n    say: {literal}\n")
    # The condition language has no escapes: its string is the text without quotes.
    value = texts[-1].replace('"', "").replace("\\", "")
    condition = yaml_string(f'{ids[0]} == "{value}"')
    if len(ids) > 1:
        steps[0] = steps[0].replace("say:", "ask:") + (
            f"    next:\n      - if: {condition}\n        go: {ids[-1]}\n      - go: {ids[1]}\n"
        )
    text = f"id: t\ntitle: {yaml_string(title)}\nsummary: s\naudience: anyone\nsteps:\n"
    result = load_text(text + "".join(steps), "t.yaml")
    if result.script is None:  # a condition the language refuses (a quote in the string)
        return
    _assert_valid(result.script, mermaid(result.script))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab  \n\t…é,")), st.integers(min_value=2, max_value=30))
def test_shorten_never_cuts_inside_a_word_it_could_keep_whole(text: str, length: int) -> None:
    line, cut = one_line(text), shorten(text, length)
    assert len(cut) <= length
    if cut == line:
        assert len(line) <= length
        return
    assert cut.endswith("…")
    kept = cut[:-1]
    assert line.startswith(kept)
    first_word = line.split(" ")[0]
    # Either whole words were kept (the next character starts a new word), or the first word
    # alone is too long for the room.
    assert line[len(kept)] == " " or (len(first_word) > length - 1 and " " not in kept)
