"""The keys of a script file, once: which mapping holds which keys, which are required, which
only questions (or only some question types) take, and the shape of each value.

Two readers: the loader's checks (unknown, missing and misplaced keys, with line:col) and the
JSON Schema an editor reads (script/schema.py, `reflectcoach schema`). Neither writes a key
list of its own, so they cannot drift apart. The loader still checks every value itself, with
messages a person can act on; the schema's value shapes are for completion and early marks
in an editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reflectcoach.script.mentorship_fields import WRITABLE
from reflectcoach.script.model import Audience, QuestionType

ID_PATTERN = "^[a-z][a-z0-9_]*$"
# The loader reads text from any scalar as written (`value: no` is the text "no"); an editor
# reading YAML 1.1 sees a boolean or a number there, so the schema allows every scalar.
TEXT: dict[str, Any] = {"type": ["string", "number", "boolean"]}
# YAML 1.1's words for true and false, which the loader reads as booleans (yamlsafe.py) and
# an editor reading YAML 1.2 sees as text.
FLAG: dict[str, Any] = {
    "anyOf": [
        {"type": "boolean"},
        {"enum": [w for b in ("yes", "no", "on", "off") for w in (b, b.title(), b.upper())]},
    ]
}
BOUND: dict[str, Any] = {
    "description": "a number (scale, number) or a date bound: today, +2 weeks, 2026-12-04",
    "type": ["number", "string"],
}


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    value: dict[str, Any]  # the JSON Schema of its value
    doc: str
    required: bool = False


def names(keys: tuple[Key, ...]) -> tuple[str, ...]:
    return tuple(k.name for k in keys)


def required(keys: tuple[Key, ...]) -> tuple[str, ...]:
    return tuple(k.name for k in keys if k.required)


OPTION = (
    Key("value", TEXT, "what is stored and what conditions compare", required=True),
    Key("label", TEXT, "what the person reads (may insert answers)"),
    Key("exclusive", FLAG, "a multi option that goes alone: ticking it unticks the others"),
)
BRANCH = (
    Key("if", TEXT, "a condition; the first branch whose condition holds is taken"),
    Key("go", {"type": "string", "pattern": ID_PATTERN}, "the step to go to", required=True),
)
COMMITMENT = (
    Key("due", {"type": "string", "pattern": ID_PATTERN}, "the date question", required=True),
    Key("goal", {"type": "string", "pattern": ID_PATTERN}, "the question naming the goal"),
)
RECORD_PART = (
    Key("text", TEXT, "the part's template", required=True),
    Key("private", FLAG, "true: just for the person, left out of every copy to send"),
    Key("if", TEXT, "a condition: the part is in the record only when it holds"),
)


def _object(keys: tuple[Key, ...]) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {k.name: {"description": k.doc, **k.value} for k in keys},
        "additionalProperties": False,
    }
    if required(keys):
        schema["required"] = list(required(keys))
    return schema


RECORD_VALUE: dict[str, Any] = {
    "anyOf": [
        TEXT,
        {"type": "array", "minItems": 1, "items": {"anyOf": [TEXT, _object(RECORD_PART)]}},
    ]
}

TOP = (
    Key("id", {"type": "string", "pattern": ID_PATTERN}, "the script's id", required=True),
    Key("title", TEXT, "shown in the picker", required=True),
    Key("summary", TEXT, "one line for the picker", required=True),
    Key("audience", {"enum": [a.value for a in Audience]}, "who it is for", required=True),
    Key("version", {"type": "integer", "minimum": 1}, "bump it when the questions change"),
    Key("record", RECORD_VALUE, "the Markdown kept when the conversation completes"),
    Key("closes_mentorship", FLAG, "completing it closes the mentorship"),
    Key(
        "delivers",
        {"enum": ["feedback", "record"]},
        "completing it marks its record to go with the next share, as feedback or a record",
    ),
    Key(
        "steps",
        {"type": "object", "minProperties": 1, "propertyNames": {"pattern": ID_PATTERN}},
        "step id -> step, in the order they run",
        required=True,
    ),
)

# Keys every question may have, then the ones only some types take.
QUESTION = (
    Key("type", {"enum": [t.value for t in QuestionType]}, "the kind of answer (default text)"),
    Key("hint", TEXT, "shown under the question"),
    Key(
        "options",
        {"type": "array", "minItems": 1, "items": {"anyOf": [TEXT, _object(OPTION)]}},
        "the choices (choice and multi questions)",
    ),
    Key("optional", FLAG, "whether the question may be skipped"),
    Key("min", BOUND, "the lowest answer"),
    Key("max", BOUND, "the highest answer"),
    Key(
        "labels",
        {
            "type": "object",
            "propertyNames": {"pattern": "^-?[0-9]+$"},
            "additionalProperties": TEXT,
        },
        "words for scale points",
    ),
    Key(
        "prefill",
        {"anyOf": [TEXT, {"type": "array", "minItems": 1, "items": TEXT}]},
        "where an answer offered afresh comes from: mentorship, recall.SCRIPT.STEP, ...",
    ),
    Key("commitment", _object(COMMITMENT), "the answer becomes a commitment"),
    Key(
        "re_rates",
        {"type": "string", "pattern": "^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$"},
        "SCRIPT_ID.STEP_ID: asks again what that scale rated",
    ),
    Key(
        "about",
        {"enum": ["commitments", "talking_points"]},
        "a follow_up step: what it walks, the open commitments (default) or talking points",
    ),
    Key(
        "sets",
        {"enum": [f"mentorship.{name}" for name in WRITABLE]},
        "mentorship.FIELD: the answer becomes that field of the mentorship on completion "
        "(mentorship.new_goal adds a goal beside the open ones)",
    ),
)
STEP = (
    Key("say", TEXT, "what the coach says (Markdown); no answer"),
    Key("ask", TEXT, "the question; the answer is kept under the step id"),
    *QUESTION,
    Key(
        "next",
        {
            "anyOf": [
                {"type": "string", "pattern": ID_PATTERN},
                {"type": "array", "minItems": 1, "items": _object(BRANCH)},
            ]
        },
        "the step after this one, or branches",
    ),
    Key("end", FLAG, "the conversation ends after this step"),
)

# The keys only some question types take, and which types take them.
TYPE_ONLY = ("options", "min", "max", "labels", "re_rates")
TYPE_KEYS: dict[QuestionType, frozenset[str]] = {t: frozenset[str]() for t in QuestionType} | {
    QuestionType.CHOICE: frozenset({"options"}),
    QuestionType.MULTI: frozenset({"options"}),
    QuestionType.SCALE: frozenset({"min", "max", "labels", "re_rates"}),
    QuestionType.NUMBER: frozenset({"min", "max"}),
    QuestionType.DATE: frozenset({"min", "max"}),
}
# Types that must have options.
NEEDS_OPTIONS = frozenset({QuestionType.CHOICE, QuestionType.MULTI})

# A step entry that is only `include: FILE.part.yaml`: the steps of that part, in its place
# (script/includes.py).
INCLUDE = (
    Key(
        "include",
        {"type": "string", "pattern": "^[^/\\\\]+\\.part\\.yaml$"},
        "a part file beside this script whose steps come here",
        required=True,
    ),
)
