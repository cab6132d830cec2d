"""`prefill:`: a question offered with an answer the person gave before, or the mentorship's
name, so facts are asked once and kept with Enter.

    prefill: mentorship                       # the name chosen on home ("Who is this about?")
    prefill: anywhere.first_meeting.name      # your name, from any mentorship
    prefill: [recall.first_meeting.partner, mentorship]   # first with a value wins
    prefill: mentorship.goal                  # the mentorship's goal as it stands

`recall.SCRIPT_ID.STEP_ID` reads exactly what `{recall.SCRIPT_ID.STEP_ID}` inserts: that step's
answer in the latest completed conversation of SCRIPT_ID in this mentorship. `anywhere.` reads
the same from any mentorship: for what is true of you whoever the conversation is about.
"""

from __future__ import annotations

import re

from reflectcoach.script.model import Pos, Prefill, QuestionType

MENTORSHIP = "mentorship"
SCOPES = ("recall", "anywhere")
SOURCES_HINT = "mentorship, recall.SCRIPT_ID.STEP_ID or anywhere.SCRIPT_ID.STEP_ID"
# `mentorship.goal`: a field of the mentorship's state, as `{mentorship.goal}` reads it.
STATE = "state"
_FIELD = re.compile(r"mentorship\.([a-z][a-z0-9_]*)\Z")
_DOTTED = re.compile(r"([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\Z")
# Types whose answers can stand for each other: both kinds of text hold a string.
_SAME = {QuestionType.LONG_TEXT: QuestionType.TEXT}


class PrefillError(ValueError):
    """A source that is not one; str() is the message."""


def parse(text: str, pos: Pos) -> Prefill:
    """One source as written -> Prefill; PrefillError with a message otherwise."""
    word = text.strip()
    if word == MENTORSHIP:
        return Prefill(MENTORSHIP, pos)
    field = _FIELD.match(word)
    if field:  # the mentorship's state (script/mentorship_fields.py), checked by the loader
        return Prefill(STATE, pos, step=field.group(1))
    match = _DOTTED.match(word)
    if match and match.group(1) in SCOPES:
        return Prefill(match.group(1), pos, match.group(2), match.group(3))
    if match:
        hint = _suggest(match.group(1), SCOPES)
        raise PrefillError(f"unknown prefill scope '{match.group(1)}'{hint}; use {SOURCES_HINT}")
    shown = word if len(word) <= 40 else word[:37] + "..."
    hint = _suggest(word, [MENTORSHIP])
    if not hint and "." not in word:
        hint = f" (an answer from before is recall.SCRIPT_ID.{shown} or anywhere.SCRIPT_ID.{shown})"
    raise PrefillError(f"unknown prefill source '{shown}'{hint}; use {SOURCES_HINT}")


def _suggest(word: str, choices: tuple[str, ...] | list[str]) -> str:
    import difflib  # only when there is a mistake to explain

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def fits(filled: QuestionType, given: QuestionType | None) -> bool:
    """Whether an answer to a `given` question can be offered for a `filled` one."""
    if given is None:
        return False
    return _SAME.get(filled, filled) == _SAME.get(given, given)


def mismatch(script: str, step: str, given: QuestionType, filled: QuestionType) -> str:
    return (
        f"step '{step}' of script '{script}' is a {given} question; its answers do not fit "
        f"this {filled} question"
    )
