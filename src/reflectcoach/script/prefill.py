"""`prefill:`: a question offered with an answer the person gave before, or the mentorship's
name, so facts are asked once and kept with Enter.

    prefill: mentorship                       # the name chosen on home ("Who is this about?")
    prefill: anywhere.first_meeting.name      # your name, from any mentorship
    prefill: [recall.first_meeting.partner, mentorship]   # first with a value wins
    prefill: mentorship.goal                  # the mentorship's goal as it stands
    prefill: in_months.months                 # a date question: today + that many months
    prefill: halfway.months                   # a date question: halfway to that day

`recall.SCRIPT_ID.STEP_ID` reads exactly what `{recall.SCRIPT_ID.STEP_ID}` inserts: that step's
answer in the latest completed conversation of SCRIPT_ID in this mentorship. `anywhere.` reads
the same from any mentorship: for what is true of you whoever the conversation is about.
"""

from __future__ import annotations

import re

from reflectcoach.script.model import Pos, Prefill, QuestionType

MENTORSHIP = "mentorship"
SCOPES = ("recall", "anywhere")
SOURCES_HINT = (
    "mentorship, recall.SCRIPT_ID.STEP_ID, anywhere.SCRIPT_ID.STEP_ID, or for a date "
    "in_months.STEP or halfway.STEP"
)
# `mentorship.goal`: a field of the mentorship's state, as `{mentorship.goal}` reads it.
STATE = "state"
_FIELD = re.compile(r"mentorship\.([a-z][a-z0-9_]*)\Z")
_DOTTED = re.compile(r"([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\Z")
# A date counted from today by a number answer of this script: `in_months.STEP` is that
# many months ahead, `halfway.STEP` halfway there (a mid-point review).
COUNTED = ("in_months", "halfway")
_COUNTED = re.compile(r"(in_months|halfway)\.([a-z][a-z0-9_]*)\Z")
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
    counted = _COUNTED.match(word)
    if counted:  # checked by the loader: a date question, a number step of this script
        return Prefill(counted.group(1), pos, step=counted.group(2))
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


def counted_problem(
    source: str, step: str, target: QuestionType | None, filled: QuestionType
) -> str | None:
    """What is wrong with `in_months.STEP` / `halfway.STEP` on a `filled` question whose
    STEP is a `target` question of the same script (None: no such step), or None."""
    if filled is not QuestionType.DATE:
        return f"'prefill: {source}' gives a date, which does not fit this {filled} question"
    if target is None:
        return None  # the caller names the missing step, with a suggestion
    if target is not QuestionType.NUMBER:
        return f"'{source}' counts months from a number question; '{step}' is a {target} question"
    return None
