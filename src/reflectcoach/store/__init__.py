"""The reflection database: conversations and answers in one SQLite file.

`Store.open(path)` creates or opens it (private modes, WAL, migrations); every read returns
plain dicts typed in `rows`; every write is one durable transaction. Export and import live
in `export` and `importer`. Imports nothing from the engine or the front ends.
"""

from __future__ import annotations

from .commitments import Commitment, DueGroup
from .db import ConversationJournal, Store
from .drafts import Draft
from .errors import DatabaseBusy, StoreError
from .insights import NumericQuestion
from .leases import ConversationHeld, Holder, Lease, LeaseLost
from .rows import (
    STATUSES,
    Answer,
    Conversation,
    ConversationWithAnswers,
    MonthCount,
    SearchHit,
    Series,
)

__all__ = [
    "STATUSES",
    "Answer",
    "Commitment",
    "Conversation",
    "ConversationHeld",
    "ConversationJournal",
    "ConversationWithAnswers",
    "DatabaseBusy",
    "Draft",
    "DueGroup",
    "Holder",
    "Lease",
    "LeaseLost",
    "MonthCount",
    "NumericQuestion",
    "SearchHit",
    "Series",
    "Store",
    "StoreError",
]
