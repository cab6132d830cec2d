"""Glue both front ends use: a script and the store make a running conversation."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from reflectcoach.engine import Conversation, Entry, ResumeError

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.script.registry import Catalog
    from reflectcoach.store import Store


@dataclass
class Session:
    id: str
    conversation: Conversation
    mentorship: str | None = None

    @property
    def script(self) -> Script:
        return self.conversation.script


def _earlier(store: Store, mentorship: str | None) -> dict[str, Any]:
    """What a conversation may read from earlier ones: recalls in this mentorship (in any
    when it has none), recalls from any mentorship (for prefills of facts about you), and
    the mentorship's name."""
    return {
        "recall": partial(store.recall, mentorship=mentorship),
        "recall_anywhere": partial(store.recall, mentorship=None),
        "mentorship": mentorship,
    }


def start(store: Store, script: Script, mentorship: str | None = None) -> Session:
    """A new conversation, stored before its first question is shown. An existing
    mentorship is found whatever the case or spacing ("sam" is "Sam") and keeps its name."""
    conversation_id = store.start(
        script_id=script.id,
        script_version=script.version,
        script_sha256=script.sha256,
        title=script.title,
        mentorship=mentorship,
        current_step=script.first_step,
    )
    row = store.conversation(conversation_id)
    mentorship = row["mentorship"] if row is not None else None
    conversation = Conversation(
        script,
        journal=store.journal(conversation_id),
        **_earlier(store, mentorship),
    )
    if conversation.finished:  # a script with no questions
        conversation.complete()
    return Session(conversation_id, conversation, mentorship)


def resume(store: Store, catalog: Catalog, conversation_id: str | None = None) -> Session:
    """Continue exactly where a conversation stopped (the latest in progress without an id)."""
    if conversation_id is None:
        row = store.latest_in_progress()
        if row is None:
            raise ResumeError("There is no conversation in progress to resume.")
    else:
        row = store.conversation(store.resolve_id(conversation_id))
        if row is None:
            raise ResumeError(f"No conversation with id '{conversation_id}'.")
    if row["status"] == "completed":
        raise ResumeError(
            f"Conversation {row['id']} is already complete. "
            f"Read it with `reflectcoach show {row['id']}`."
        )
    script = catalog.get(row["script_id"])
    if script is None:
        raise ResumeError(
            f"Conversation {row['id']} uses the script '{row['script_id']}', which is not "
            "available now. Add its folder with --scripts, or read it with `reflectcoach show`."
        )
    if row["status"] == "abandoned":  # taken up again: back on the list to resume
        store.set_status(row["id"], "in_progress")
    entries = [
        Entry(a["step_id"], a["value"], a["answer_text"] or "", a["question"], bool(a["skipped"]))
        for a in store.answers(row["id"], include_future=True)
    ]
    mentorship = row["mentorship"]
    conversation = Conversation(
        script,
        **_earlier(store, mentorship),
        journal=store.journal(row["id"]),
        entries=entries,
        position=row["position"],
        current_step=row["current_step"],
    )
    if conversation.finished:  # killed between the last answer and completing
        conversation.complete()
    return Session(row["id"], conversation, mentorship)
