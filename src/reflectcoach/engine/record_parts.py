"""A conversation's record: the script's record template filled with its answers, each part
with the lookup it may use (a part that may be sent never shows a just-for-me answer of
another conversation, nor a private value of the mentorship's state), each answer escaped
where it lands. The record half of `Conversation`, kept apart so each module reads whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reflectcoach.core import sharing
from reflectcoach.core.text import markdown_escape
from reflectcoach.engine import followup
from reflectcoach.engine.records import drop_empty_sections, join_parts, plain_text, share_text
from reflectcoach.script.mentorship_fields import PREFIX as MENTORSHIP_PREFIX
from reflectcoach.script.model import QuestionType, Script, Step, parse_recall

if TYPE_CHECKING:
    from reflectcoach.engine.followup import Pending
    from reflectcoach.engine.turns import Entry


class RecordParts:
    """What `Conversation` gives its record: the script, the answers and their lookups."""

    script: Script
    follow_ups: tuple[Pending, ...]
    points: tuple[Pending, ...]

    if TYPE_CHECKING:

        @property
        def history(self) -> list[Entry]: ...
        def lookup_text(self, name: str) -> str: ...
        def lookup_value(self, name: str) -> Any: ...
        def _mentorship_field(self, name: str) -> tuple[Any, str, str] | None: ...
        def _latest(self, step_id: str) -> tuple[Any, str] | None: ...
        def _offer(self, step: Step, labels: dict[str, str]) -> tuple[Any, bool] | None: ...
        def _option_labels(self, step: Step) -> dict[str, str]: ...
        def _is_private(self, script_id: str, step_id: str) -> bool: ...

    def record_text(self) -> str | None:
        """The script's record with this conversation's answers as typed, inside the script's
        Markdown; lines whose answers are all empty (skipped, or on another branch) are left
        out, and so are headings left with nothing under them. To read or paste,
        `record_markdown` or `record_plain`. Another conversation's just-for-me answer shows
        only in just-for-me parts (`sharing.KEPT_PRIVATE` elsewhere)."""
        return self._record_from(
            lambda part, shared: part.render_filled(self._record_lookup(shared))
        )

    def record_markdown(self) -> str | None:
        """The record as Markdown (what is stored): each answer escaped for the place it
        lands, so that it renders exactly as typed; just-for-me parts between their markers."""
        return self._record_from(
            lambda part, shared: part.render_placed(
                lambda name, before: self._placed(name, before, self._record_lookup(shared)),
                drop_empty_lines=True,
            )
        )

    def _record_from(self, render: Callable[[Any, bool], str]) -> str | None:
        record = self.script.record
        if record is None:
            return None
        if not self.script.record_parts:
            return drop_empty_sections(render(record, True))
        pieces = []
        for part in self.script.record_parts:
            if part.condition is not None and not part.condition.evaluate(self.lookup_value):
                continue
            text = render(part.template, not part.private)
            pieces.append(sharing.mark(text) if part.private else text)
        return drop_empty_sections(join_parts(pieces))

    def _record_lookup(self, shared: bool) -> Callable[[str], str]:
        """`lookup_text` for a record part; in one that may be shared, a just-for-me answer
        of another conversation (or one offered from it and kept) as `KEPT_PRIVATE`."""
        if not shared:
            return self.lookup_text

        def lookup(name: str) -> str:
            if name.startswith(MENTORSHIP_PREFIX):
                found = self._mentorship_field(name)
                if found is not None and found[2] != found[1]:  # private, or with private items
                    return found[2]
            text = self.lookup_text(name)
            if text and self._kept_private(name):
                return sharing.KEPT_PRIVATE
            return text

        return lookup

    def _kept_private(self, name: str) -> bool:
        """Whether the answer `name` stands for must stay out of shared parts: a recall of a
        just-for-me step, or a step of this conversation whose answer is what a prefill
        offered from one (kept with Enter, or typed the same)."""
        recall = parse_recall(name)
        if recall is not None:
            return self._is_private(*recall)
        step = self.script.steps.get(name)
        latest = self._latest(name)
        if step is None or not step.prefill or latest is None:
            return False
        offer = self._offer(step, self._option_labels(step))
        return offer is not None and offer[1] and offer[0] == latest[0]

    def record_plain(self) -> str | None:
        """The whole record as plain text, just-for-me parts included: to read."""
        markdown = self.record_markdown()
        return None if markdown is None else plain_text(markdown)

    def record_share(self) -> str | None:
        """The record as plain text without its just-for-me parts: to copy and send."""
        markdown = self.record_markdown()
        return None if markdown is None else share_text(markdown)

    def _escaped(self, name: str, before: str) -> str:
        return self._placed(name, before, self.lookup_text)

    def _placed(self, name: str, before: str, lookup: Callable[[str], str]) -> str:
        """An answer escaped where it lands; a follow_up step's outcomes at the start of a
        line are a Markdown list of their own, each item's words escaped."""
        step = self.script.steps.get(name)
        if step is not None and step.type is QuestionType.FOLLOW_UP and not before.strip():
            return followup.said_markdown(step, self.history, self.follow_ups, self.points)
        return markdown_escape(lookup(name), before)
