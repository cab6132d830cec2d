"""A script drawn as a Mermaid state diagram, by transitions' own Mermaid backend.

transitions writes the diagram (states, edges, styles, the initial arrow, the `direction` line).
What it cannot know is which text Mermaid reads as syntax, so everything taken from a script
reaches it already made safe here:

- state ids are ours (`step_<id>`, `done`), never the step id alone: a step called `note`,
  `class` or `style` would otherwise be read as a Mermaid statement;
- labels are shortened at word boundaries (Mermaid wraps them itself), and every character
  Mermaid's lexer, its Markdown labels or its KaTeX support would read as syntax is written so
  that it is shown as typed: an entity (`#35;`), a Markdown backslash, a word joiner;
- the title is handed over as a whole YAML line (`title: "..."`), because transitions puts the
  title bare between the front-matter fences and Mermaid reads that block as YAML.

Each rule was checked with the real renderer: scripts/check_mermaid.sh.
"""

from __future__ import annotations

import json
import re
from typing import ClassVar, Final

from reflectcoach.core.text import clean
from reflectcoach.script.model import Script, Step

DIRECTIONS: Final = ("TB", "LR", "BT", "RL")
# Mermaid wraps every label itself, between words, to 200 px (and a browser knows how wide each
# character is drawn, which we do not), so labels are only shortened here. Lines of our own
# (`<br>`) on top of Mermaid's made ragged boxes: checked with the renderer.
STEP_TEXT_LENGTH: Final = 100  # characters of a step's text: about five lines in its box
CONDITION_LENGTH: Final = 60  # characters of a condition on an arrow
END_STATE: Final = "done"  # not a Mermaid keyword, and no step's state id can be it

# Mermaid's lexer, and its pre-parse rewrites, read these as syntax even inside a quoted label,
# so they are written as entities (`#<code>;`, turned back into the character after parsing):
#   # ; %    a comment, a statement separator, a `%%{init}%%` directive
#   " :      the end of a quoted label; `::` ends an arrow's label, and a colon lets one of
#            Mermaid's rewrites (`style.*:\S*#.*;`) eat the `;` of an entity
#   < > [ ]  HTML tags, `<<choice>>`, `[[fork]]`
#   &        the start of an HTML entity
#   U+FEFF   whitespace to Mermaid's JavaScript regexes, though not to Python's str.split()
_SYNTAX: Final = re.compile(r'[#;%":<>\[\]&\ufeff]')
# Mermaid then renders every label as Markdown, after turning entities back into characters, so
# entities cannot stop `*emphasis*`: a Markdown backslash does (and so the backslash itself is
# escaped). An underscore is emphasis only without a letter or digit on both sides, so step ids
# such as `mentor_why` are left as written. Code spans, strike-through and links Mermaid shows
# as typed (checked with the renderer).
_MARKDOWN: Final = re.compile(r"[\\*]|(?<![^\W_])_|_(?![^\W_])")
# `$$...$$` is rendered as KaTeX, and Mermaid looks for it again after Markdown has removed any
# backslash, so an invisible WORD JOINER goes between two dollars instead.
_DOUBLE_DOLLAR: Final = re.compile(r"\$(?=\$)")
WORD_JOINER: Final = "\u2060"
# Mermaid's lexer takes any line containing `direction TB` (or BT, RL, LR) as a direction
# statement, wherever it appears, even inside a quoted label. The word's last letter is
# written as an entity, so no text follows "direction" in the lexer's eyes, whatever comes
# after it ("direction: a" has its colon escaped too).
_DIRECTION_WORD: Final = re.compile(r"(directio)(n)", re.IGNORECASE)
# Characters a YAML double-quoted scalar may not hold raw (outside YAML's printable set), or
# that YAML 1.1 reads as line breaks (U+2028, U+2029), or as a byte-order mark (U+FEFF).
_NOT_YAML_PRINTABLE: Final = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)


def one_line(text: str) -> str:
    """Control characters made visible, whitespace (newlines too) collapsed to single spaces."""
    return " ".join(clean(text).split())


def shorten(text: str, length: int) -> str:
    """`text` on one line of at most `length` characters: if it is longer, cut after the last
    whole word that fits, with an ellipsis. Only a first word longer than that is cut inside."""
    line = one_line(text)
    if len(line) <= length:
        return line
    room = line[: length - 1]  # and the ellipsis
    if line[length - 1] != " " and " " in room:
        room = room[: room.rindex(" ")]
    return room.rstrip() + "…"


def escaped(line: str) -> str:
    """One line of a label, written so that Mermaid parses it as text and shows it as typed."""
    line = _MARKDOWN.sub(lambda m: "\\" + m.group(), line)
    line = _SYNTAX.sub(lambda m: f"#{ord(m.group())};", line)
    line = _DOUBLE_DOLLAR.sub(f"$#{ord(WORD_JOINER)};", line)
    return _DIRECTION_WORD.sub(lambda m: f"{m.group(1)}#{ord(m.group(2))};", line)


def _label(lines: list[str]) -> str:
    return "<br>".join(escaped(line) for line in lines)


def yaml_string(text: str) -> str:
    """`text` as a YAML double-quoted scalar that any YAML parser reads back exactly.

    JSON strings are YAML double-quoted scalars; YAML adds a few characters that must be
    escaped, which JSON would leave raw.
    """

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return _NOT_YAML_PRINTABLE.sub(escape, json.dumps(text, ensure_ascii=False))


def state_id(step_id: str) -> str:
    """The Mermaid id of a step's state. Step ids are `[a-z][a-z0-9_]*`, so the prefix alone
    keeps every one of them clear of Mermaid's keywords, and none contains its syntax."""
    return f"step_{step_id}"


def step_lines(step: Step) -> list[str]:
    """A step's label as the reader sees it: its id and kind, then the start of its text."""
    kind = f"{step.type}" if step.is_question else "say"
    # The id on a line of its own and never cut: it is what `go:` names, so a reader can check
    # each arrow against the script.
    return [f"{step.id} ({kind})", shorten(step.text.source, STEP_TEXT_LENGTH)]


def mermaid(script: Script, direction: str = "TB") -> str:
    """The conversation as Mermaid: each step a node, each branch an edge with its condition.

    `direction` is Mermaid's: TB (top to bottom, the default: a long conversation stays as
    wide as one box and scrolls like a page), LR, BT or RL.
    """
    from transitions.extensions import GraphMachine

    direction = direction.upper()
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")

    class LabelledState(GraphMachine.state_cls):  # type: ignore[misc, name-defined]
        def __init__(self, name: str, label: str | None = None, **kwargs: object) -> None:
            super().__init__(name, **kwargs)
            if label:
                self.label = label

    class Diagram(GraphMachine):
        state_cls = LabelledState
        # transitions' Mermaid backend turns `rankdir` into the diagram's `direction` line.
        machine_attributes: ClassVar[dict[str, str]] = {
            **GraphMachine.machine_attributes,
            "rankdir": direction,
        }

    # State names and labels are all transitions is given from the script: it never resolves
    # them as callbacks, so nothing from a script file is imported.
    states = [
        {"name": state_id(s.id), "label": _label(step_lines(s))} for s in script.steps.values()
    ]
    states.append({"name": END_STATE, "label": "end"})
    transitions = []
    for step in script.steps.values():
        source = state_id(step.id)
        if step.end or not step.branches:
            transitions.append(
                {"trigger": "advance", "source": source, "dest": END_STATE, "label": "end"}
            )
            continue
        conditional = any(b.condition is not None for b in step.branches)
        for branch in step.branches:
            if branch.condition is not None:
                label = escaped(shorten("if " + branch.condition.source, CONDITION_LENGTH))
            else:
                label = "else" if conditional else "next"
            transitions.append(
                {
                    "trigger": "advance",
                    "source": source,
                    "dest": state_id(branch.go),
                    "label": label,
                }
            )

    class Model:
        pass

    model = Model()
    machine = Diagram(
        model=model,
        states=states,
        transitions=transitions,
        initial=state_id(script.first_step),
        auto_transitions=False,
        graph_engine="mermaid",
        # transitions writes the title line verbatim between the `---` fences; Mermaid parses
        # that block as YAML and reads only a `title:` key, so the title goes in as that line.
        title="title: " + yaml_string(one_line(script.title)),
        show_conditions=False,
    )
    # A fresh graph rather than the model's: the model's marks the current (first) state as
    # active, which means nothing for a script on paper.
    return str(machine.graph_cls(machine).get_graph().draw(None))
