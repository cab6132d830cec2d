"""The app's one store for its workers, and running a store call in a worker.

One connection serves every worker (as harlequin keeps one `self.connection`): opened on
first use, kept until the app closes, used by one worker at a time. So nothing reopens the
database (and checks its schema, or derives an encrypted file's key) each time a screen
loads, and a screen's worker is a call and two callbacks, not a block of its own. The UI
thread writes a conversation's answers through `App.main_store()`, a connection of its own:
a long read in a worker never holds up a step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from textual.worker import Worker, get_current_worker

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from reflectcoach.store import Store

T = TypeVar("T")


class WorkerStore:
    """`with worker_store() as store:` in any worker thread: the shared connection, held
    for the block. A failed open is raised (StoreError) and tried again next time."""

    def __init__(self, opener: Callable[[], Store]) -> None:
        self._opener = opener
        self._lock = threading.Lock()
        self._store: Store | None = None

    @contextmanager
    def __call__(self) -> Iterator[Store]:
        with self._lock:
            if self._store is None:
                self._store = self._opener()
            yield self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


def read_in_worker(
    node: DOMNode,
    read: Callable[[Store], T],
    done: Callable[[T], Any],
    failed: Callable[[str], Any] | None = None,
    *,
    group: str,
    exclusive: bool = True,
) -> Worker[None]:
    """Run `read(store)` in a thread worker on the app's worker store, then `done(result)`
    on the UI thread, or `failed(message)` for a StoreError (the message is written for the
    person). Nothing is called back once the worker is cancelled (a newer load of the same
    group replaced it; `exclusive=False` for writes, which none may replace) or the node has
    left the screen."""
    from reflectcoach.store import StoreError

    app = node.app

    def back(callback: Callable[[Any], Any], value: object) -> None:
        if not get_current_worker().is_cancelled and node.is_attached:
            app.call_from_thread(callback, value)

    def work() -> None:
        try:
            with app.worker_store() as store:  # type: ignore[attr-defined]
                result = read(store)
        except StoreError as problem:
            if failed is not None:
                back(failed, str(problem))
            return
        back(done, result)

    return node.run_worker(work, thread=True, exclusive=exclusive, group=group, exit_on_error=True)
