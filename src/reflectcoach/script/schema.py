"""The JSON Schema of the script format, built from the one table of keys (script/keys.py)
that the loader checks against: `reflectcoach schema` prints it, and the package ships it
as `conversations/script.schema.json` (a test keeps the file equal to this) for the YAML
language server (`# yaml-language-server: $schema=...`).

The schema knows structure: keys, required keys, say or ask, which keys a question type
takes, value shapes. Meaning (does a step exist, does a condition parse, is a date bound
after another) stays the validator's, with line:col.
"""

from __future__ import annotations

import json
from typing import Any

from reflectcoach.script import keys
from reflectcoach.script.model import QuestionType

SCHEMA_ID = "https://reflectcoach.invalid/script.schema.json"
FILE_NAME = "script.schema.json"


def _forbid(names: list[str]) -> dict[str, Any]:
    return {"not": {"anyOf": [{"required": [name]} for name in names]}}


def _step() -> dict[str, Any]:
    step = keys._object(keys.STEP)
    question_only = list(keys.names(keys.QUESTION))
    rules: list[dict[str, Any]] = [
        # Exactly one of say and ask; a say step takes no question keys.
        {
            "oneOf": [
                {"required": ["say"], **_forbid(["ask", *question_only])},
                {"required": ["ask"], **_forbid(["say"])},
            ]
        },
        # Without `type`, a question is text: no type-only keys.
        {
            "if": {"required": ["ask"], "not": {"required": ["type"]}},
            "then": _forbid(list(keys.TYPE_ONLY)),
        },
        # `end: true` and `next` do not go together.
        {
            "if": {"properties": {"end": {"const": True}}, "required": ["end"]},
            "then": _forbid(["next"]),
        },
    ]
    for kind in QuestionType:
        refused = [n for n in keys.TYPE_ONLY if n not in keys.TYPE_KEYS[kind]]
        then: dict[str, Any] = {"allOf": [_forbid(refused)] if refused else []}
        if kind in keys.NEEDS_OPTIONS:
            then["allOf"].append({"required": ["options"]})
        if kind is QuestionType.FOLLOW_UP:
            then["allOf"].append(_forbid(["prefill", "commitment"]))
        if kind not in (QuestionType.TEXT, QuestionType.LONG_TEXT, QuestionType.FOLLOW_UP):
            then["allOf"].append(_forbid(["commitment"]))
        rules.append(
            {
                "if": {"properties": {"type": {"const": kind.value}}, "required": ["type"]},
                "then": then,
            }
        )
    step["allOf"] = rules
    return step


def schema() -> dict[str, Any]:
    top = keys._object(keys.TOP)
    top["properties"]["steps"]["additionalProperties"] = {
        "anyOf": [{"$ref": "#/$defs/step"}, {"$ref": "#/$defs/include"}]
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "reflectcoach conversation script",
        "description": "A conversation script (docs/script-format.md). Structure only: "
        "`reflectcoach validate` checks the rest with line:col.",
        **top,
        "$defs": {"step": _step(), "include": keys._object(keys.INCLUDE)},
    }


def text() -> str:
    """The schema as the package ships it."""
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"
