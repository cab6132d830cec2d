"""Records read as prose: the rules of docs/writing-conversations.md ("Answers in sentences"),
checked mechanically over every built-in conversation.

Every `{hole}` in a template sits in one of two places:

- a **value** place: the hole (with any holes written right after it) ends its line (a full
  stop may follow: it is dropped when the answer ends with one), and what
  comes before it on the line is nothing but list or quote markers, or ends with `: `, with a
  bold lead-in (`**Thank you.** `) or with a finished sentence (`I'm {name}. {hook}`); or the
  holes are quoted (`"{goal_draft}"`);
- a **prose** place: anywhere else, inside a sentence.

The rules:

1. A yes/no answer is never inserted: "One of us manages the other: no" says nothing a
   record part with `if:` cannot say better.
2. An option label inserted anywhere has no `: ` in it: "well: we've worked together" explains
   an option to the person choosing it, and reads as two answers in a record.
3. An option label inserted in a prose place is a phrase written for that sentence: it starts
   with a lower-case letter or a digit and does not end a sentence (`.`, `!`, `?`).
4. A long answer (`long_text`) is only ever inserted in a value place: it may hold several
   sentences, with their own capitals and full stops.
5. In a record, a paragraph is one line of the template: plain text shows each template line
   as a line, so a paragraph wrapped in the YAML breaks mid-sentence in what is sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise

import pytest

from reflectcoach.script.loader import load_file
from reflectcoach.script.model import QuestionType, Script, Step, Template, parse_recall
from reflectcoach.script.registry import builtin_dir

BUILTIN = sorted(p.stem.split("-", 1)[1] for p in builtin_dir().glob("[0-9]*.yaml"))
_MARKERS = re.compile(r"(?:[ ]{0,3}>[ ]?|[ ]*(?:[-+*]|\d{1,9}[.)])[ ]+|[ ]*#{1,6}[ ]+)*")
_BOLD_LEAD = re.compile(r"\*\*[^*]+\*\* $")
_SENTENCE_DONE = re.compile(r"[.!?][\"'\u201d)*]* $")
_LABEL_SENTENCE_END = re.compile(r"[.!?][\"'\u201d)]*$")


def _load(script_id: str) -> Script:
    [path] = builtin_dir().glob(f"*-{script_id}.yaml")
    result = load_file(path)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


@pytest.fixture(scope="module")
def scripts() -> dict[str, Script]:
    return {script_id: _load(script_id) for script_id in BUILTIN}


def _templates(script: Script) -> Iterator[tuple[str, Template]]:
    """(where, template) for every template of the script, record parts included."""
    for step in script.steps.values():
        for key, template in (("say", step.say), ("ask", step.ask), ("hint", step.hint)):
            if template is not None:
                yield f"{step.id}.{key}", template
        for option in step.options:
            yield f"{step.id}.option {option.value}", option.label
    for index, part in enumerate(script.record_parts):
        yield f"record part {index + 1}", part.template
    if not script.record_parts and script.record is not None:
        yield "record", script.record


def _step(scripts: dict[str, Script], script: Script, name: str) -> Step | None:
    recalled = parse_recall(name)
    if recalled is None:
        return script.steps.get(name)
    other = scripts.get(recalled[0])
    return None if other is None else other.steps.get(recalled[1])


def places(template: Template) -> Iterator[tuple[list[str], str, bool]]:
    """(hole names written together, the line they are on, whether it is a value place)."""
    for line in template.source.split("\n"):
        for match in re.finditer(r"(?<!\{)((?:\{[a-z][a-z0-9_.]*\})+)(?!\})", line):
            names = re.findall(r"\{([^}]*)\}", match.group(1))
            before, after = line[: match.start()], line[match.end() :]
            inner = before[_MARKERS.match(before).end() :]  # type: ignore[union-attr]
            quoted = before.endswith(('"', "\u201c")) and after.startswith(('"', "\u201d"))
            # A full stop may follow: it is dropped when the answer ends a sentence itself.
            value = quoted or (
                after.strip() in ("", ".")
                and (
                    not inner.strip()
                    or inner.endswith(": ")
                    or bool(_BOLD_LEAD.search(inner) or _SENTENCE_DONE.search(inner))
                )
            )
            yield names, line.strip(), value


def problems(scripts: dict[str, Script], script: Script) -> list[str]:
    found: list[str] = []
    for where, template in _templates(script):
        for names, line, value in places(template):
            for name in names:
                step = _step(scripts, script, name)
                if step is None or step.type is None:
                    continue
                said = f"{script.id} {where}: {{{name}}} in {line!r}"
                if step.type is QuestionType.YES_NO:
                    found.append(f"{said}: a yes/no answer inserted (use `if:`)")
                elif step.type is QuestionType.LONG_TEXT and not value:
                    found.append(f"{said}: a long answer inside a sentence")
                for option in step.options:
                    label = option.label.source
                    if ": " in label:
                        found.append(f"{said}: the label {label!r} explains itself after ':'")
                    elif not value and (
                        not (label[:1].islower() or label[:1].isdigit() or label[:1] == "{")
                        or _LABEL_SENTENCE_END.search(label)
                    ):
                        found.append(f"{said}: the label {label!r} is not a phrase for a sentence")
    return found


@pytest.mark.parametrize("script_id", BUILTIN)
def test_labels_and_long_answers_are_not_pasted_into_sentences(
    scripts: dict[str, Script], script_id: str
) -> None:
    assert problems(scripts, scripts[script_id]) == []


_BLOCK = re.compile(r"\s*(?:[-+*]|\d{1,9}[.)]|#{1,6}|>|\||---)(?:\s|$)")


def wrapped(script: Script) -> list[str]:
    """Record paragraphs written over more than one line of the template."""
    found = []
    for where, template in _templates(script):
        if not where.startswith("record"):
            continue
        lines = template.source.split("\n")
        for line, following in pairwise(lines):
            prose = not (_BLOCK.match(line) or _BLOCK.match(following))
            if line.strip() and following.strip() and prose:
                found.append(f"{where}: {line.strip()!r} runs on to {following.strip()!r}")
    return found


@pytest.mark.parametrize("script_id", BUILTIN)
def test_record_paragraphs_are_one_line_each(scripts: dict[str, Script], script_id: str) -> None:
    assert wrapped(scripts[script_id]) == []


# -- the rule itself, on small examples ----------------------------------------------------


def _one(source: str) -> list[tuple[list[str], bool]]:
    from reflectcoach.script import templates

    return [(names, value) for names, _line, value in places(templates.parse(source))]


def test_value_and_prose_places() -> None:
    assert _one("- **Booking:** {who_books}") == [(["who_books"], True)]
    assert _one("**Thank you.** {appreciation}") == [(["appreciation"], True)]
    assert _one("{name}'s reason: {mentor_why}{why_now}") == [
        (["name"], False),
        (["mentor_why", "why_now"], True),
    ]
    assert _one("I'm working on {learn}, and I'd value a mentor") == [(["learn"], False)]
    assert _one('Read it back: "{goal_draft}". Which?') == [(["goal_draft"], True)]
    assert _one("> {learn}") == [(["learn"], True)]
    assert _one("what I'm learning now: {learn}.") == [(["learn"], True)]
    assert _one("I'm {name}. {hook}") == [(["name"], False), (["hook"], True)]
    assert _one("How often: {frequency}, for {length}") == [
        (["frequency"], False),
        (["length"], False),
    ]


SLOPPY = """\
id: sloppy
title: t
summary: s
audience: anyone
record: |
  # Notes

  I'm working on {learn}, and I'd value a mentor.
  - **Manages:** {manages}
  - **How I know them:** {know}
  We meet {how_often} and talk it through
  at length.
steps:
  learn:
    ask: What do you want to learn?
    type: long_text
  manages:
    ask: Do you manage them?
    type: yes_no
  know:
    ask: How well do you know them?
    type: choice
    options: ["well: we've worked together", "not yet"]
  how_often:
    ask: How often?
    type: choice
    options: [Every week., "once a month"]
"""


def test_the_rule_reports_what_the_review_found() -> None:
    from reflectcoach.script.loader import load_text

    script = load_text(SLOPPY).script
    assert script is not None
    found = problems({"sloppy": script}, script)
    assert [p.split(": ", 1)[1].split(" in ")[0] for p in found] == [
        "{learn}",
        "{manages}",
        "{know}",
        "{how_often}",
    ]
    assert "a long answer inside a sentence" in found[0]
    assert "yes/no" in found[1]
    assert "explains itself after ':'" in found[2]
    assert "'Every week.' is not a phrase for a sentence" in found[3]
    assert wrapped(script) == [
        "record: 'We meet {how_often} and talk it through' runs on to 'at length.'"
    ]
