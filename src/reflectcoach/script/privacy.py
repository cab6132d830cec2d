"""Which answers are just for the person, wherever they are reused.

A step is private in its script when it appears only in the record's just-for-me parts
(`private: true`; `Script.private_steps`). Its answer, recalled (`{recall.X.S}`) or offered
(`prefill: recall.X.S`, `anywhere.X.S`) by any script, built-in or from a shared folder, may
land only in just-for-me parts: a shared part shows `sharing.KEPT_PRIVATE` instead
(engine/conversation.py).
A step whose own prefill comes from a private one counts as private too when another
conversation recalls it (what was kept with Enter is the private answer; what was typed
instead cannot be told apart from another conversation, so it is kept private as well).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reflectcoach.core.errors import UserError
from reflectcoach.script.model import RecordPart, Script, parse_recall

Scripts = Callable[[str], "Script | None"]
IsPrivate = Callable[[str, str], bool]


def private_steps(parts: Iterable[RecordPart]) -> frozenset[str]:
    """The steps a record's parts name only inside just-for-me parts."""
    inside: set[str] = set()
    outside: set[str] = set()
    for part in parts:
        names = {name for name in part.template.references() if _own_step(name)}
        (inside if part.private else outside).update(names)
    return frozenset(inside - outside)


def _own_step(name: str) -> bool:
    return parse_recall(name) is None and "." not in name


def lookup(script: Script, others: Scripts | None = None) -> IsPrivate:
    """`is_private(script_id, step_id)` for `script` and the scripts `others` finds by id
    (each looked up once, when first needed)."""
    found: dict[str, Script | None] = {script.id: script}

    def get(script_id: str) -> Script | None:
        if script_id not in found:
            try:
                found[script_id] = others(script_id) if others is not None else None
            except (UserError, OSError):  # a script that does not load now: nothing known
                found[script_id] = None
        return found[script_id]

    def is_private(script_id: str, step_id: str) -> bool:
        return _private(get, script_id, step_id, set())

    return is_private


def _private(get: Scripts, script_id: str, step_id: str, seen: set[tuple[str, str]]) -> bool:
    if (script_id, step_id) in seen:
        return False
    seen.add((script_id, step_id))
    script = get(script_id)
    if script is None:
        return False
    if step_id in script.private_steps:
        return True
    step = script.steps.get(step_id)
    if step is None:
        return False
    return any(
        source.kind != "mentorship" and _private(get, source.script, source.step, seen)
        for source in step.prefill
    )
