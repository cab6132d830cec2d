"""A conversation as a finite-state machine (`transitions`) built from a loaded script.

Every step is a state. Each step's branches become `advance` transitions whose conditions are
callables made from the parsed condition language, tried in order. End steps advance to the
terminal state `DONE`. Nothing from a script is ever handed to `transitions` as a string
callback, so a script cannot name code to run.

Persistence goes through a `Journal` (the store implements it): one call, one transaction,
before the next question is returned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from transitions import Machine

from reflectcoach.core import clock, sharing
from reflectcoach.engine import followup, sets, stored_path
from reflectcoach.engine.answers import AnswerError, display, fits, normalise
from reflectcoach.engine.followup import Made, Pending
from reflectcoach.engine.progress import Progress, measure
from reflectcoach.engine.record_parts import RecordParts
from reflectcoach.engine.sets import SetValue
from reflectcoach.engine.steps import DONE, transitions
from reflectcoach.engine.turns import Entry, Journal, Question, ResumeError, Say, Turn, same_slot
from reflectcoach.script.dates import months_ahead
from reflectcoach.script.mentorship_fields import PREFIX as MENTORSHIP_PREFIX
from reflectcoach.script.model import (
    COMMITMENT_PREFIX,
    Condition,
    Prefill,
    QuestionType,
    Script,
    Step,
    Template,
)
from reflectcoach.script.prefill import COUNTED
from reflectcoach.script.privacy import IsPrivate

__all__ = ["DONE", "AnswerError", "Conversation", "Entry", "Question", "ResumeError", "Say"]


Recall = Callable[[str, str], "tuple[Any, str] | None"]


class Conversation(RecordParts):
    """The machine's model: holds the answers and the current step (`self.state`)."""

    state: str

    def __init__(
        self,
        script: Script,
        *,
        recall: Recall | None = None,
        journal: Journal | None = None,
        entries: Sequence[Entry] = (),
        position: int = 0,
        current_step: str | None = None,
        recall_anywhere: Recall | None = None,
        mentorship: str | None = None,
        follow_ups: Sequence[Pending] = (),
        private: IsPrivate | None = None,
        state: Callable[[str], tuple[Any, str, str] | None] | None = None,
        points: Sequence[Pending] = (),
    ) -> None:
        """`recall(script_id, step_id)` gives (value, text) from this mentorship's latest
        completed conversation of that script; `recall_anywhere` the same from any
        mentorship; `mentorship` is the name the conversation is about. All three only
        feed `{recall...}`, conditions and `prefill`. `follow_ups`: the mentorship's open
        commitments, which a `follow_up` step asks about, in order. `private(script_id,
        step_id)`: whether that answer is just for me (script/privacy.py; without it, only
        this script's own steps are known). `state(field)` gives (value, text, shared text) of this
        mentorship's `{mentorship.FIELD}` (store/mentorship_state.py); `points` are its open
        talking points, which an `about: talking_points` follow_up step walks."""
        self.script = script
        self.follow_ups = tuple(follow_ups)
        # The mentorship's open talking points, walked by `about: talking_points` steps.
        self.points = tuple(points)
        self._following: Pending | None = None  # what `{commitment.text}` is about now
        self._recall = recall
        self._recall_anywhere = recall_anywhere
        self._private = private
        self.mentorship = mentorship
        self._recall_cache: dict[str, tuple[Any, str] | None] = {}
        self._state_cache: dict[str, tuple[Any, str, str] | None] = {}
        self._state = state
        self.journal = journal
        self.entries: list[Entry] = list(entries)
        self.position = position
        self.path: list[str] = []  # every state entered, says included, for tests and graphs
        # A resumed path is checked against the script as it is now (stored_path.py): what
        # no longer fits is not taken up, and `notice` says so.
        fit = stored_path.check(
            script, self.entries, position, None if current_step == DONE else current_step
        )
        self.notice: str | None = None
        start = current_step or script.first_step
        if fit.problem is not None:
            self.position = fit.kept
            # Continue after the last answer that fits, by the script's own branches.
            start = self.entries[fit.kept - 1].step_id if fit.kept else script.first_step
        self.machine = Machine(
            model=self,
            states=[*script.steps, DONE],
            transitions=transitions(script, self._holds),
            initial=start,
            auto_transitions=False,
            after_state_change=self._entered,
        )
        self.path.append(start)
        if fit.problem is not None and fit.kept:
            self.advance()  # type: ignore[attr-defined]  # trigger added by transitions
        self._anchor = self.state
        self.turn = self._settle()
        if fit.problem is not None:
            self.notice = f"{fit.problem}. {self._continuing()}"
            if self.journal is not None:
                # Stored rows stay; only the place moves, so a later resume (or a list)
                # agrees with what is shown now.
                self.journal.moved(position=self.position, current_step=self._anchor)

    def _continuing(self) -> str:
        """Where a resumed conversation goes on from, after part of its path was left."""
        kept = self.position
        question = self.turn.question
        if question is None:
            return f"It is complete with the {kept} answers that still fit."
        asked = "\u201c" + " ".join(question.text.split()) + "\u201d"
        if not kept:
            return f"You start again from the first question, {asked}."
        earlier = "the answer before it is kept" if kept == 1 else f"the {kept} before it are kept"
        return f"You continue from question {question.number}, {asked}; {earlier}."

    # -- reading ---------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.state == DONE

    @property
    def current_step(self) -> Step | None:
        return None if self.finished else self.script.steps[self.state]

    @property
    def can_back(self) -> bool:
        return self.position > 0

    @property
    def history(self) -> list[Entry]:
        """Answers on the current path, in the order given."""
        return self.entries[: self.position]

    @property
    def values(self) -> dict[str, Any]:
        return {e.step_id: e.value for e in self.history}

    @property
    def progress(self) -> Progress:
        """Questions done, and the fewest still to come: never backwards (engine/progress.py)."""
        return measure(self.script, self.state, self.position, self._pending, self.history)

    def lookup_value(self, name: str) -> Any:
        found = self._found(name)
        return None if found is None else found[0]

    def lookup_text(self, name: str) -> str:
        if name.startswith(COMMITMENT_PREFIX):
            return followup.field(self._following, name[len(COMMITMENT_PREFIX) :])
        found = self._found(name)
        return "" if found is None else found[1]

    def _found(self, name: str) -> tuple[Any, str] | None:
        if name.startswith("recall."):
            return self._recalled(name)
        if name.startswith(MENTORSHIP_PREFIX):
            state = self._mentorship_field(name)
            return None if state is None else (state[0], state[1])
        step = self.script.steps.get(name)
        if step is not None and step.type is QuestionType.FOLLOW_UP:  # its outcomes, in words
            return followup.said(step, self.history, self.follow_ups, self.points)
        return self._latest(name)

    def _pending(self, step: Step) -> tuple[Pending, ...]:
        """What a follow_up step walks: the open talking points or the open commitments."""
        return self.points if step.about == followup.POINTS else self.follow_ups

    def _mentorship_field(self, name: str) -> tuple[Any, str, str] | None:
        """`{mentorship.FIELD}` as (value, text, the text a part that may be sent shows):
        this conversation's own `sets:` answer to it when it has given one (the state it
        will leave), else the store's, read once per name (it changes only when a
        conversation completes)."""
        field_name = name[len(MENTORSHIP_PREFIX) :]
        if field_name not in ("talking_points", "goal_reached", "goal_history"):
            for item in reversed(self.sets()):
                if item.field == field_name:
                    shared = sharing.KEPT_PRIVATE if item.private and item.text else item.text
                    return item.value, item.text, shared
        if self._state is None:
            return None
        if name not in self._state_cache:
            self._state_cache[name] = self._state(field_name)
        return self._state_cache[name]

    def sets(self) -> list[SetValue]:
        """What this conversation's `sets:` answers write to its mentorship."""
        return sets.collect(self.script, self.history)

    def render(self, template: Template) -> tuple[str, str]:
        """The template as plain text and as Markdown with the answers escaped."""
        text = template.render(self.lookup_text)
        if not template.references():
            return text, text
        return text, template.render_placed(self._escaped)

    def _is_private(self, script_id: str, step_id: str) -> bool:
        if self._private is not None:
            return self._private(script_id, step_id)
        return script_id == self.script.id and step_id in self.script.private_steps

    # -- acting ----------------------------------------------------------------------------

    def answer(self, raw: Any) -> Turn:
        step = self._question()
        labels = self._option_labels(step)
        value = normalise(step, raw, labels)
        return self._record(step, value, display(step, value, labels), False)

    def skip(self) -> Turn:
        step = self._question()
        if not step.optional:
            raise AnswerError("This question needs an answer; it can't be skipped.")
        return self._record(step, None, "", True)

    def back(self) -> Turn:
        if not self.can_back:
            raise AnswerError("This is the first question; there is nothing to go back to.")
        before = (self.state, self.position, self._anchor)
        self.position -= 1
        target = self.entries[self.position].step_id
        self.machine.set_state(target, model=self)
        self._anchor = target
        try:
            if self.journal is not None:
                self.journal.moved(position=self.position, current_step=target)
        except BaseException:
            self.machine.set_state(before[0], model=self)
            self.position, self._anchor = before[1], before[2]
            raise
        self.path.append(target)
        self.turn = Turn((), self._ask(self.script.steps[target]))
        return self.turn

    def jump(self, step_id: str) -> Turn:
        """Go on from `step_id`, keeping the answers given so far: an author trying a script
        from the middle (`reflectcoach try --from STEP`). Never used in a real conversation."""
        if step_id not in self.script.steps:
            raise AnswerError(f"There is no step '{step_id}' in this script.")
        self.entries = self.entries[: self.position]
        self.machine.set_state(step_id, model=self)
        self.path.append(step_id)
        self._anchor = step_id
        if self.journal is not None:
            self.journal.moved(position=self.position, current_step=step_id)
        self.turn = self._settle()
        if self.finished:
            self.complete()
        return self.turn

    # -- inside ----------------------------------------------------------------------------

    def _question(self) -> Step:
        step = self.current_step
        if step is None:
            raise AnswerError("This conversation is finished.")
        question = self.turn.question
        if step.type is QuestionType.FOLLOW_UP and question is not None:
            return question.step  # the part being asked, as a choice, date or text question
        return step

    def _option_labels(self, step: Step) -> dict[str, str]:
        return {o.value: o.label.render(self.lookup_text) for o in step.options}

    def _record(self, step: Step, value: Any, text: str, skipped: bool) -> Turn:
        saved = (list(self.entries), self.position, self.state, self._anchor, len(self.path))
        shown = self.turn.question.text if self.turn.question else self.render(step.text)[0]
        seq = self.position
        future = self.entries[seq + 1 :]
        asked = self.turn.question
        slot = (None, None) if asked is None else (asked.commitment, asked.part)
        entry = Entry(step.id, value, text, shown, skipped, *slot)
        self.entries = [*self.entries[:seq], entry]
        self.position = seq + 1
        try:
            if self._walking(step.id):
                turn = Turn((), self._ask(self.script.steps[step.id]))
            else:
                self.advance()  # type: ignore[attr-defined]  # trigger added by transitions
                self._anchor = self.state
                turn = self._settle()
            discard_from: int | None = None
            if future and turn.question is not None and same_slot(future[0], turn.question):
                self.entries.extend(future)
                turn = Turn(turn.says, self._ask(self.script.steps[turn.question.step.id]))
            elif future:
                discard_from = seq + 1
            if self.journal is not None:
                self.journal.answered(
                    step_id=step.id,
                    question=shown,
                    qtype=str(step.type),
                    text=None if skipped else text,
                    value=value,
                    skipped=skipped,
                    seq=seq,
                    position=self.position,
                    current_step=self._anchor,
                    discard_from=discard_from,
                    **({"commitment": slot[0]} if slot[0] is not None else {}),
                )
        except BaseException:
            self.entries, self.position, state, self._anchor, n = saved
            self.machine.set_state(state, model=self)
            del self.path[n:]
            raise
        self.turn = turn
        if self.finished:
            self.complete()
        return turn

    def complete(self) -> None:
        """Store the finished conversation with its record (also used when resuming one
        that was killed between its last answer and this)."""
        if self.journal is not None:
            walks = [s for s in self.script.steps.values() if s.type is QuestionType.FOLLOW_UP]
            follow_ups = {s.id for s in walks if s.about != followup.POINTS}
            points = {s.id for s in walks if s.about == followup.POINTS}
            self.journal.completed(
                record=self.record_markdown(),
                position=self.position,
                current_step=DONE,
                made=self.made(),
                outcomes=followup.outcomes(
                    self.history, follow_ups, {c.id for c in self.follow_ups}
                ),
                closes_mentorship=self.script.closes_mentorship,
                delivers=self.script.delivers,
                sets=self.sets(),
                points=followup.point_outcomes(self.history, points, {p.id for p in self.points}),
            )

    def made(self) -> list[Made]:
        """The commitments this conversation makes (followup.made)."""
        return followup.made(self.script, self.history, self.lookup_value, self.lookup_text)

    def _walking(self, step_id: str) -> bool:
        """Whether a follow_up step has more to ask about after the answer just recorded."""
        step = self.script.steps.get(step_id)
        if step is None or step.type is not QuestionType.FOLLOW_UP:
            return False
        pending, points = self._pending(step), step.about == followup.POINTS
        return followup.next_part(step_id, pending, self.history, points=points) is not None

    def _settle(self) -> Turn:
        """Walk through say steps to the next question (or the end), collecting the says."""
        says: list[Say] = []
        while not self.finished:
            step = self.script.steps[self.state]
            if step.type is QuestionType.FOLLOW_UP and not self._walking(step.id):
                # Nothing to follow up (no mentorship, or nothing open): passed over, unrecorded.
                self.advance()  # type: ignore[attr-defined]
                continue
            if step.is_question:
                return Turn(tuple(says), self._ask(step))
            text, markdown = self.render(step.text)
            says.append(Say(step.id, text, markdown))
            self.advance()  # type: ignore[attr-defined]
        return Turn(tuple(says), None)

    def _ask(self, step: Step) -> Question:
        if step.type is not QuestionType.FOLLOW_UP:
            return self._ask_plain(step, (None, None))
        found = followup.next_part(
            step.id, self._pending(step), self.history, points=step.about == followup.POINTS
        )
        assert found is not None, "a follow_up step is asked only while it has a part left"
        pending, part = found
        self._following = pending
        status = followup.run(step.id, self.history).get(pending.id, {}).get(followup.STATUS)
        asked = followup.question_step(
            step,
            part,
            None if status is None else status.value,
            closing=self.script.closes_mentorship,
        )
        question = self._ask_plain(asked, (pending.id, part))
        if part == followup.STATUS:
            return question
        about = f"About: {pending.text}"
        return replace(
            question, hint=about if question.hint is None else f"{about}. {question.hint}"
        )

    def _ask_plain(self, step: Step, slot: tuple[str | None, str | None]) -> Question:
        text, markdown = self.render(step.text)
        offered = None
        labels = self._option_labels(step)
        here = self.entries[self.position] if self.position < len(self.entries) else None
        if here is not None and (here.step_id, here.commitment, here.part) == (step.id, *slot):
            # Offered again only if it still fits (the script, or an import, may disagree).
            kept = self.entries[self.position].value
            offered = kept if fits(step, kept) else None
        prefilled = offered is None and bool(step.prefill)
        if prefilled:
            offered = self._prefilled(step, labels)
        return Question(
            step=step,
            text=text,
            markdown=markdown,
            hint=None if step.hint is None else self.render(step.hint)[0],
            options=tuple(labels.items()),
            offered=offered,
            number=self.position + 1,
            prefilled=prefilled and offered is not None,
            commitment=slot[0],
            part=slot[1],
        )

    def _prefilled(self, step: Step, labels: dict[str, str]) -> Any:
        """The first prefill source's value that still fits the question (see `_offer`)."""
        offer = self._offer(step, labels)
        return None if offer is None else offer[0]

    def _offer(self, step: Step, labels: dict[str, str]) -> tuple[Any, bool] | None:
        """(the value `_prefilled` offers, whether it is a just-for-me answer), or None. A
        value that no longer fits (an option since removed, a number's range) is passed over."""
        for source in step.prefill:
            found = self._source(source)
            if found is None:
                continue
            try:
                value = normalise(step, found, labels)
            except AnswerError:
                continue
            return value, self._source_private(source)
        return None

    def _source_private(self, source: Prefill) -> bool:
        if source.kind == "mentorship":
            return False
        if source.kind == "state":
            found = self._mentorship_field(MENTORSHIP_PREFIX + source.step)
            return found is not None and found[1] != found[2]
        return self._is_private(source.script, source.step)

    def _source(self, source: Prefill) -> Any:
        if source.kind == "mentorship":
            return self.mentorship
        if source.kind in COUNTED:  # in_months.STEP / halfway.STEP: a date from today
            months, half = self.lookup_value(source.step), source.kind == "halfway"
            day = months_ahead(clock.today(), months, halfway=half)
            return None if day is None else day.isoformat()
        if source.kind == "state":
            state = self._mentorship_field(MENTORSHIP_PREFIX + source.step)
            return None if state is None else state[0]
        # `anywhere.` is for facts about the person whoever it is about; this mentorship's
        # own answer, where there is one, comes first.
        found = self._recalled(f"recall.{source.script}.{source.step}")
        if found is None and source.kind == "anywhere":
            key = f"anywhere.{source.script}.{source.step}"
            if key not in self._recall_cache and self._recall_anywhere is not None:
                self._recall_cache[key] = self._recall_anywhere(source.script, source.step)
            found = self._recall_cache.get(key)
        return None if found is None else found[0]

    def _holds(self, condition: Condition) -> bool:
        return bool(condition.evaluate(self.lookup_value))

    def _entered(self) -> None:
        self.path.append(self.state)

    def _latest(self, step_id: str) -> tuple[Any, str] | None:
        """(value, text) of the latest answer to `step_id` on the current path."""
        for entry in reversed(self.history):
            if entry.step_id == step_id:
                return entry.value, entry.text
        return None

    def _recalled(self, name: str) -> tuple[Any, str] | None:
        # Other conversations do not change while this one runs: ask the store once per name.
        if self._recall is None:
            return None
        if name not in self._recall_cache:
            _, script_id, step_id = name.split(".", 2)
            self._recall_cache[name] = self._recall(script_id, step_id)
        return self._recall_cache[name]
