"""One part of the Store's API, as sqlite-utils' `Table` is one part of a `Database`:
`store.mentorships.rename(...)`, `store.commitments.set_status(...)`. A facet holds no state
of its own; it reads and writes through its store's connection, clock and transactions."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # peek.py reads mentorships without sqlite-utils
    from sqlite_utils import Database

    from .db import Store


class Facet:
    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def db(self) -> Database:
        return self.store.db

    @property
    def path(self) -> Path:  # `guarded` names the file in its messages
        return self.store.path

    def clock(self) -> str:
        return self.store.clock()

    def transaction(self) -> AbstractContextManager[Database]:
        return self.store.transaction()
