"""Turning what a person typed into a typed answer, and an answer back into words.

Both front ends share these rules, so "3", "mentor" and "Mentor" mean the same everywhere.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from reflectcoach.core import clock
from reflectcoach.core.errors import UserError
from reflectcoach.core.numbers import MAX_NUMBER, within
from reflectcoach.script import dates
from reflectcoach.script.model import QuestionType, Step

MAX_TEXT = 20_000  # characters: far beyond any reflection, short of a pasted file

_YES = {"y", "yes", "true"}
_NO = {"n", "no", "false"}


class AnswerError(UserError, ValueError):
    """An answer that does not fit its question. str() is the message to show."""


def normalise(step: Step, raw: Any, labels: Mapping[str, str], today: dt.date | None = None) -> Any:
    """Validate `raw` (as typed, or already typed) for `step` and return the stored value.
    `today` (default `clock.today()`) is what date words and date bounds count from."""
    kind = step.type or QuestionType.TEXT
    if kind is QuestionType.DATE:
        return date_value(step, raw, today or clock.today()).isoformat()
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return _text(step, raw)
    if kind is QuestionType.CHOICE:
        return _choice(raw, labels)
    if kind is QuestionType.MULTI:
        chosen = _multi(raw, labels)
        alone = alone_clash(step, chosen)
        if alone is not None:
            raise AnswerError(
                f"'{labels.get(alone, alone)}' goes alone: pick it or the others, not both."
            )
        return chosen
    if kind is QuestionType.YES_NO:
        return _yes_no(raw)
    if kind is QuestionType.SCALE:
        return _scale(step, raw)
    return _number(step, raw)


def exclusive_values(step: Step) -> frozenset[str]:
    """A multi question's options that go alone (`exclusive: true`)."""
    return frozenset(option.value for option in step.options if option.exclusive)


def alone_clash(step: Step, chosen: Sequence[str]) -> str | None:
    """The exclusive option picked together with others, if any."""
    if len(chosen) < 2:
        return None
    return next((value for value in chosen if value in exclusive_values(step)), None)


def fits(step: Step, value: Any) -> bool:
    """Whether a stored value is one `step` could give now (the table in
    docs/architecture.md): its type, its options, its range. A stored value may be older
    than the script (an option removed, a range narrowed, a type changed) or come from an
    import; only values that fit are taken up again. None (a skip) fits an optional step."""
    if value is None:
        return step.optional
    kind = step.type or QuestionType.TEXT
    if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
        return isinstance(value, str) and bool(value.strip()) and len(value) <= MAX_TEXT
    options = {option.value for option in step.options}
    if kind is QuestionType.CHOICE:
        return isinstance(value, str) and value in options
    if kind is QuestionType.MULTI:
        return (
            isinstance(value, list)
            and bool(value)
            and all(isinstance(v, str) and v in options for v in value)
            and len(set(value)) == len(value)
            and alone_clash(step, value) is None
        )
    if kind is QuestionType.YES_NO:
        return isinstance(value, bool)
    if kind is QuestionType.SCALE:
        lo, hi = scale_bounds(step)
        return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
    if kind is QuestionType.DATE:
        return _date_fits(step, value)
    return (
        within(value)
        and (step.min is None or value >= step.min)
        and (step.max is None or value <= step.max)
    )


def display(step: Step, value: Any, labels: Mapping[str, str]) -> str:
    """The words an answer stands for: labels for options, yes/no, plain numbers."""
    if value is None:
        return ""
    if step.type is QuestionType.CHOICE:
        return labels.get(value, str(value))
    if step.type is QuestionType.MULTI:
        return ", ".join(labels.get(v, str(v)) for v in value)
    if step.type is QuestionType.DATE:
        day = dates.from_iso(value)
        return dates.readable(day) if day is not None else str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def instructions(step: Step, labels: Mapping[str, str], today: dt.date | None = None) -> str:
    """One line telling a person how to answer this kind of question (a date's examples
    counted from `today`, the clock's when None, and inside the step's bounds)."""
    kind = step.type or QuestionType.TEXT
    if kind is QuestionType.LONG_TEXT:
        return "Write as much as you like."
    if kind is QuestionType.CHOICE:
        return f"Pick 1-{len(labels)} or type an option."
    if kind is QuestionType.MULTI:
        return f"Pick one or more of 1-{len(labels)}, separated by commas."
    if kind is QuestionType.YES_NO:
        return "Answer yes or no."
    if kind is QuestionType.SCALE:
        lo, hi = scale_bounds(step)
        ends = [f"{n} = {step.labels[n]}" for n in (lo, hi) if n in step.labels]
        extra = f" ({', '.join(ends)})" if ends else ""
        return f"A whole number from {lo} to {hi}{extra}."
    if kind is QuestionType.NUMBER:
        return "A number" + _range_words(step.min, step.max) + "."
    if kind is QuestionType.DATE:
        today = today if today is not None else clock.today()
        return f"A date: {dates.examples(today, *date_bounds(step, today))}."
    return ""


def date_value(step: Step, raw: Any, today: dt.date) -> dt.date:
    """What was typed for a date question -> the day, within the step's bounds as counted
    from `today`; AnswerError with a message otherwise."""
    if isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dates.parse_date(str(raw) if raw is not None else "", today)
        except dates.DateError as err:
            raise AnswerError(err.message) from None
    lo, hi = date_bounds(step, today)
    if (lo is not None and day < lo) or (hi is not None and day > hi):
        raise AnswerError(f"{dates.readable(day)} is out of range: {date_range_words(lo, hi)}.")
    return day


def date_bounds(step: Step, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """A date question's (min, max) when answering on `today`; None where it has none."""
    try:
        lo = dates.resolve(step.date_min, today) if step.date_min else None
        hi = dates.resolve(step.date_max, today) if step.date_max else None
    except dates.DateError:
        return None, None  # a bound past year 9999: no answer can reach it anyway
    return lo, hi


def date_range_words(lo: dt.date | None, hi: dt.date | None) -> str:
    """ "pick a date from Tuesday 1 December 2026 on", "... up to ...", "... from ... to ..." """
    if lo is not None and hi is not None:
        return f"pick a date from {dates.readable(lo)} to {dates.readable(hi)}"
    if lo is not None:
        return f"pick a date from {dates.readable(lo)} on"
    if hi is not None:
        return f"pick a date up to {dates.readable(hi)}"
    return "pick a date"


def _date_fits(step: Step, value: Any) -> bool:
    """A stored date fits when it is an ISO date within the script's fixed (ISO) bounds.
    Bounds counted from the day of answering were checked that day: a plan made last week
    "from today on" stays the answer it was."""
    day = dates.from_iso(value)
    if day is None:
        return False
    lo = step.date_min.fixed if step.date_min else None
    hi = step.date_max.fixed if step.date_max else None
    return (lo is None or day >= lo) and (hi is None or day <= hi)


def _text(step: Step, raw: Any) -> str:
    text = str(raw).strip("\n") if raw is not None else ""
    if step.type is not QuestionType.LONG_TEXT:
        text = text.strip()
    if not text.strip():
        raise AnswerError(
            "Type an answer, or skip this one." if step.optional else "Type an answer to go on."
        )
    if len(text) > MAX_TEXT:
        raise AnswerError(f"That is {len(text):,} characters; keep it under {MAX_TEXT:,}.")
    return text


def _fold(text: str) -> str:
    """Text as compared with an option: NFKC, spaces collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _matches(raw: str, labels: Mapping[str, str]) -> list[str]:
    """The option values `raw` may mean, best rule first: the value exactly; the value or
    label, ignoring case and spacing; the option's number; what the label says before its
    colon ("yours" for "yours: it mostly depends on you"); or the start of one label, ending
    at a word ("every two" for "every two weeks"). People type what they read, so every
    way of naming an option that is shown counts, as picking it in the app does."""
    word = raw.strip()
    if word in labels:
        return [word]
    folded = _fold(word)
    if not folded:
        return []
    for value, label in labels.items():
        if folded in (_fold(value), _fold(label)):
            return [value]
    if word.isdigit() and 1 <= int(word) <= len(labels):
        return [list(labels)[int(word) - 1]]
    heads = [
        v for v, label in labels.items() if ":" in label and _fold(label.split(":")[0]) == folded
    ]
    if heads:
        return heads
    starts = []
    for value, label in labels.items():
        shown = _fold(label)
        rest = shown[len(folded) :]
        if shown.startswith(folded) and not (rest[:1].isalnum() and folded[-1:].isalnum()):
            starts.append(value)
    return starts


def _pick(raw: str, labels: Mapping[str, str]) -> str | None:
    """The one option `raw` names; None when it names none; AnswerError when several."""
    found = _matches(raw, labels)
    if len(found) > 1:
        several = ", ".join(f"{list(labels).index(v) + 1}) {labels[v]}" for v in found)
        raise AnswerError(f"'{raw.strip()}' could be any of {several}. Type more, or a number.")
    return found[0] if found else None


def _choices_hint(labels: Mapping[str, str]) -> str:
    return ", ".join(labels)


def _choice(raw: Any, labels: Mapping[str, str]) -> str:
    found = _pick(str(raw), labels) if raw is not None else None
    if found is None:
        raise AnswerError(f"Pick 1-{len(labels)} or type one of: {_choices_hint(labels)}")
    return found


def _multi(raw: Any, labels: Mapping[str, str]) -> list[str]:
    if isinstance(raw, str):
        parts: Sequence[Any] = _split_options(raw, labels)
    elif isinstance(raw, Sequence):
        parts = raw
    else:
        parts = []
    chosen: set[str] = set()
    for part in parts:
        part = str(part)
        if not part.strip():
            continue
        found = _pick(part, labels)
        if found is None:
            raise AnswerError(
                f"'{part.strip()}' is not an option. Pick from 1-{len(labels)} "
                f"or type: {_choices_hint(labels)}"
            )
        chosen.add(found)
    if not chosen:
        raise AnswerError(f"Pick one or more of 1-{len(labels)}, separated by commas.")
    return [value for value in labels if value in chosen]


def _split_options(raw: str, labels: Mapping[str, str]) -> list[str]:
    """A typed multi answer, split at commas into the options it names; a label may hold a
    comma itself ("enough time, not squeezed in"), so the longest run of pieces that names
    one option is taken first. A piece naming none is kept alone, for the error message."""
    pieces = raw.split(",")
    span = 1 + max(
        (label.count(",") + value.count(",") for value, label in labels.items()), default=0
    )
    parts: list[str] = []
    i = 0
    while i < len(pieces):
        for j in range(min(len(pieces), i + span), i + 1, -1):
            joined = ",".join(pieces[i:j])
            if len(_matches(joined, labels)) == 1:
                parts.append(joined)
                i = j
                break
        else:
            parts.append(pieces[i])
            i += 1
    return parts


def _yes_no(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise AnswerError("Answer yes or no (y/n).")


def scale_bounds(step: Step) -> tuple[int, int]:
    """A scale's (min, max): 1..5 unless the script says otherwise."""
    lo = 1 if step.min is None else int(step.min)
    hi = 5 if step.max is None else int(step.max)
    return lo, hi


def _scale(step: Step, raw: Any) -> int:
    lo, hi = scale_bounds(step)
    problem = f"Pick a whole number from {lo} to {hi}."
    if isinstance(raw, bool):
        raise AnswerError(problem)
    if isinstance(raw, int):
        value = raw
    else:
        word = str(raw).strip()
        named = [n for n, label in step.labels.items() if label.casefold() == word.casefold()]
        if named:
            return named[0]
        try:
            value = int(word)
        except ValueError:
            raise AnswerError(problem) from None
    if not lo <= value <= hi:
        raise AnswerError(problem)
    return value


def _range_words(lo: float | None, hi: float | None) -> str:
    def show(n: float) -> str:
        return str(int(n)) if float(n).is_integer() else str(n)

    if lo is not None and hi is not None:
        return f" from {show(lo)} to {show(hi)}"
    if lo is not None:
        return f" of at least {show(lo)}"
    if hi is not None:
        return f" of at most {show(hi)}"
    return ""


def _number(step: Step, raw: Any) -> int | float:
    problem = "Type a number" + _range_words(step.min, step.max) + "."
    if isinstance(raw, bool):
        raise AnswerError(problem)
    if isinstance(raw, int | float):
        value: int | float = raw
    else:
        word = str(raw).strip().replace("_", "")
        try:
            value = int(word)
        except ValueError:
            try:
                value = float(word)
            except ValueError:
                raise AnswerError(problem) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise AnswerError(problem)
    if not within(value):
        # Beyond what the store, float() and the plots hold exactly (numbers.py): say the
        # range that can be kept, within the step's own bounds.
        lo = -MAX_NUMBER if step.min is None else step.min
        hi = MAX_NUMBER if step.max is None else step.max
        raise AnswerError(f"That number is too large to keep. Type a number{_range_words(lo, hi)}.")
    if (step.min is not None and value < step.min) or (step.max is not None and value > step.max):
        raise AnswerError(problem)
    return value
