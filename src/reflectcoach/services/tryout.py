"""Trying a script while writing it (`reflectcoach try FILE`): an unsaved copy of the file run
against a scratch database, from any step (`--from`, with `--given` answers on the way), and
reloaded when the file changes (`--watch`): the answers given so far are given again where
their steps still exist, and what changed is said. A file with errors keeps the conversation
as it was and reports every error with its line:col.

Both front ends use it: plain mode asks `reload()` before each question, the app from a
timer (app.py).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reflectcoach.engine.answers import AnswerError
from reflectcoach.script.loader import load_file
from reflectcoach.script.model import QuestionType
from reflectcoach.script.testplan import Answer, Where
from reflectcoach.services import session

if TYPE_CHECKING:
    from reflectcoach.engine.conversation import Conversation
    from reflectcoach.script.model import Script, Step
    from reflectcoach.services.session import Session
    from reflectcoach.store import Store


# What a front end says over the errors of a file it reloaded.
STILL_RUNNING = "The script has errors; still running the last good one"


@dataclass
class Reloaded:
    """What a reload did: a new session and what changed, or (session None) the file's
    errors, each `file:line:col: error: ...`."""

    session: Session | None
    lines: list[str] = field(default_factory=list)


class Tryout:
    def __init__(
        self, path: Path, *, from_step: str | None = None, given: Sequence[Answer] = ()
    ) -> None:
        self.path = path
        self.from_step = from_step
        self.given = tuple(given)
        self._stamp = self._mtime()
        self.script: Script | None = None

    def _mtime(self) -> tuple[tuple[str, int, int], ...]:
        """The file's time and size, and those of the parts beside it (script/includes.py)."""
        stamps = []
        for path in [self.path, *sorted(self.path.parent.glob("*.part.yaml"))]:
            try:
                status = os.stat(path)
            except OSError:
                continue
            stamps.append((str(path), status.st_mtime_ns, status.st_size))
        return tuple(stamps)

    def changed(self) -> bool:
        """Whether the file (or a part it may include) changed since it was last read."""
        return self._mtime() != self._stamp

    def load(self) -> tuple[Script | None, list[str]]:
        """The script, or None and every error as `file:line:col: error: ...`."""
        self._stamp = self._mtime()
        result = load_file(self.path)
        if result.script is None:
            return None, [str(d) for d in result.errors] or ["the script has errors"]
        if self.from_step is not None and self.from_step not in result.script.steps:
            return None, [f"{self.path}: there is no step '{self.from_step}' to start from"]
        return result.script, []

    def start(self, store: Store, script: Script, answers: Sequence[Answer] = ()) -> Session:
        """A conversation of `script`, with `answers` (or the --given ones) given again as
        far as they go, from --from STEP when they do not reach it."""
        self.script = script
        running = session.start(store, script, None)
        conversation = running.conversation
        queues: dict[str, list[Answer]] = {}
        for item in answers or self.given:
            queues.setdefault(item.step, []).append(item)
        # Trying it afresh, the person answers from --from STEP on; a reload gives them all.
        _give(conversation, queues, None if answers else self.from_step)
        if (
            self.from_step is not None
            and not conversation.finished
            and self.from_step not in conversation.path
        ):
            conversation.jump(self.from_step)
            _give(conversation, queues, None)
        return running

    def reload(self, store: Store, current: Session) -> Reloaded:
        """The file read again: a new session with the answers so far, and what changed."""
        script, errors = self.load()
        if script is None:
            return Reloaded(None, errors)
        old = current.script
        answers = [
            Answer(e.step_id, e.value, Where(str(self.path), 0, 0))
            for e in current.conversation.history
            if e.commitment is None
        ]
        with_answers = len(answers)
        fresh = self.start(store, script, answers)
        session.leave(store, current)
        lines = changes(old, script)
        kept = fresh.conversation.position
        lines.append(
            f"Reloaded {self.path.name}: {kept} of {with_answers} answers kept."
            if lines
            else f"Reloaded {self.path.name}: nothing changed that a step shows."
        )
        return Reloaded(fresh, lines)


def _give(conversation: Conversation, queues: dict[str, list[Answer]], stop: str | None) -> None:
    """Answer each question from its queue, until one has none (or `stop` is reached, or an
    answer no longer fits the question)."""
    while conversation.turn.question is not None:
        step = conversation.turn.question.step
        if step.id == stop or step.type is QuestionType.FOLLOW_UP:
            return
        queue = queues.get(step.id)
        if not queue:
            return
        item = queue.pop(0)
        try:
            if item.raw is None:
                conversation.skip()
            else:
                conversation.answer(item.raw)
        except AnswerError:
            return


def _shape(step: Step) -> tuple[object, ...]:
    return (
        step.text.source,
        step.type,
        None if step.hint is None else step.hint.source,
        tuple((o.value, o.label.source) for o in step.options),
        tuple((b.go, None if b.condition is None else b.condition.source) for b in step.branches),
        step.optional,
        step.min,
        step.max,
        step.end,
    )


def changes(old: Script, new: Script) -> list[str]:
    """What a reload changed, in words: steps added, removed, changed."""
    added = [s for s in new.steps if s not in old.steps]
    removed = [s for s in old.steps if s not in new.steps]
    changed = [
        s for s in new.steps if s in old.steps and _shape(old.steps[s]) != _shape(new.steps[s])
    ]
    lines = []
    for words, ids in (("added", added), ("removed", removed), ("changed", changed)):
        if ids:
            lines.append(f"Steps {words}: {', '.join(ids)}.")
    if (old.record is None) != (new.record is None) or (
        old.record is not None and new.record is not None and old.record.source != new.record.source
    ):
        lines.append("The record changed.")
    return lines
