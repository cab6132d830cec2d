"""Glue both front ends use: a script and the store make a running conversation.

A session holds its conversation's lease (store/leases.py) from its first write until it
leaves: `start` takes it with the new conversation, `resume` before anything is shown
(ConversationHeld when another session holds it), `leave` gives it back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from reflectcoach.core.clock import today
from reflectcoach.engine.conversation import Conversation, Entry, ResumeError, followup
from reflectcoach.script import privacy
from reflectcoach.script.model import QuestionType
from reflectcoach.script.privacy import Scripts
from reflectcoach.store.commitments import OPEN, Commitment, sort_key
from reflectcoach.store.errors import StoreError
from reflectcoach.store.leases import Holder, Lease

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.script.registry import Catalog
    from reflectcoach.store import Store


@dataclass
class Session:
    id: str
    conversation: Conversation
    mentorship: str | None = None
    lease: Lease = field(default_factory=Lease.new)
    # The session this one took the conversation from without it being given back (it had
    # ended or been killed, or was taken over): front ends say so.
    took_from: Holder | None = None

    @property
    def script(self) -> Script:
        return self.conversation.script


def _earlier(
    store: Store, mentorship: str | None, script: Script, scripts: Scripts | None
) -> dict[str, Any]:
    """What a conversation may read from earlier ones: recalls in this mentorship (in any
    when it has none), recalls from any mentorship (for prefills of facts about you), the
    mentorship's name, and which of those answers are just for me (`scripts` finds the
    other scripts by id: script/privacy.py)."""
    return {
        "recall": partial(store.recall, mentorship=mentorship),
        "recall_anywhere": partial(store.recall, mentorship=None),
        "mentorship": mentorship,
        "private": privacy.lookup(script, scripts),
        "state": partial(store.state.lookup, mentorship),
        "points": _open_points(store, mentorship),
    }


@dataclass(frozen=True, slots=True)
class _Point:
    """A talking point as a follow_up step walks it (engine.followup.Pending)."""

    id: str
    text: str
    due: dt.date | None = None
    goal: str | None = None


def _open_points(store: Store, mentorship: str | None) -> list[_Point]:
    if mentorship is None:
        return []
    return [_Point(p.id, p.text) for p in store.state.points(mentorship)]


def _open_commitments(
    store: Store,
    script: Script,
    mentorship: str | None,
    started_at: str | None = None,
    asked: Sequence[str] = (),
) -> list[Commitment]:
    """What a `follow_up` step asks about: the mentorship's commitments open when the
    conversation started (on resume: made before it started and open now, or already asked
    about in it), oldest due first, undated last. A new conversation leaves out those already
    followed up today (a check-in before the meeting has asked; the one after need not)."""
    if mentorship is None or not any(s.type is QuestionType.FOLLOW_UP for s in script.questions):
        return []
    found = {
        c.id: c
        for c in store.commitments.all(mentorship=mentorship, statuses=OPEN)
        if (
            c.created_at <= started_at
            if started_at is not None
            else c.updated_at == c.created_at or not _today(c.updated_at)
        )
    }
    for item in store.commitments.by_id(asked):
        found.setdefault(item.id, item)
    return sorted(found.values(), key=sort_key)


def mentorship_bound(script: Script) -> bool:
    """Whether a conversation of `script` is about a mentorship: it follows commitments up,
    makes them, sets or reads the mentorship's state, offers its name, or recalls its earlier
    answers. Started without one, the front ends ask which (issue 21)."""
    for step in script.steps.values():
        if step.type is QuestionType.FOLLOW_UP or step.sets or step.commitment:
            return True
        if any(p.kind in ("mentorship", "state", "recall") for p in step.prefill):
            return True
    return bool(script.recalls)


def closed_notice(name: str, closed_at: str | None) -> str:
    """What a conversation started on a closed mentorship says first."""
    when = f" on {closed_at[:10]}" if closed_at else ""
    return (
        f"The mentorship with {name} was closed{when}. Reopen it, or go on as a reflection "
        "on its own (not filed under it)?"
    )


def _today(stamp: str) -> bool:
    """Whether a stored time falls on today, the local day (REFLECTCOACH_TODAY when set)."""
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return False
    return moment.date() == today()


def start(
    store: Store,
    script: Script,
    mentorship: str | None = None,
    *,
    catalog: Catalog | Scripts | None = None,
) -> Session:
    """A new conversation, stored (and held by this session) before its first question is
    shown. An existing mentorship is found whatever the case or spacing ("sam" is "Sam")
    and keeps its name. `catalog` (or a function finding a script by id) tells which
    recalled answers are just for me; without it, only this script's own are known."""
    lease = Lease.new()
    conversation_id = store.start(
        script_id=script.id,
        script_version=script.version,
        script_sha256=script.sha256,
        title=script.title,
        mentorship=mentorship,
        current_step=script.first_step,
        lease=lease,
    )
    row = store.conversation(conversation_id)
    mentorship = row["mentorship"] if row is not None else None
    conversation = Conversation(
        script,
        journal=store.journal(conversation_id, lease),
        **_earlier(store, mentorship, script, _finder(catalog)),
        follow_ups=_open_commitments(store, script, mentorship),
    )
    if conversation.finished:  # a script with no questions
        conversation.complete()
    return Session(conversation_id, conversation, mentorship, lease)


def resume(
    store: Store,
    catalog: Catalog,
    conversation_id: str | None = None,
    *,
    take_over: bool = False,
) -> Session:
    """Continue exactly where a conversation stopped (the latest in progress without an id).

    ConversationHeld when another session still holds it; `take_over` takes it anyway (that
    session's next write is refused). A holder that is gone (ended, killed) is taken over
    without asking."""
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
    lease = Lease.new()
    took_from = store.leases.take(row["id"], lease, take_over=take_over)
    try:
        running = _resumed(store, script, row["id"], lease, catalog)
    except BaseException:
        # Not resumed after all (the script no longer fits it, say): nobody holds it.
        with contextlib.suppress(StoreError):
            store.leases.release(row["id"], lease)
        raise
    running.took_from = took_from
    return running


def _resumed(
    store: Store, script: Script, conversation_id: str, lease: Lease, catalog: Catalog
) -> Session:
    # Read again now that it is ours: a session writing until a moment ago may have moved it.
    row = store.conversation(conversation_id)
    if row is None or row["status"] == "completed":
        raise ResumeError(
            f"Conversation {conversation_id} was finished or deleted in another session. "
            f"Read it with `reflectcoach show {conversation_id}`."
        )
    if row["status"] == "abandoned":  # taken up again: back on the list to resume
        store.set_status(row["id"], "in_progress")
    entries = [
        Entry(
            a["step_id"],
            a["value"],
            a["answer_text"] or "",
            a["question"],
            bool(a["skipped"]),
            a["commitment_id"],
            followup.part_of_type(a["type"]) if a["commitment_id"] else None,
        )
        for a in store.answers(row["id"], include_future=True)
    ]
    mentorship = row["mentorship"]
    asked = [e.commitment for e in entries if e.commitment is not None]
    conversation = Conversation(
        script,
        **_earlier(store, mentorship, script, catalog.get),
        follow_ups=_open_commitments(store, script, mentorship, row["started_at"], asked),
        journal=store.journal(row["id"], lease),
        entries=entries,
        position=row["position"],
        current_step=row["current_step"],
    )
    if conversation.finished:  # killed between the last answer and completing
        conversation.complete()
    return Session(row["id"], conversation, mentorship, lease)


def _finder(catalog: Catalog | Scripts | None) -> Scripts | None:
    if catalog is None or callable(catalog):
        return catalog
    return catalog.get


def leave(store: Store, running: Session) -> None:
    """Give the conversation back, so that another session may take it without asking."""
    store.leases.release(running.id, running.lease)
