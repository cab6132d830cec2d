"""The reflection database: conversations and answers in one SQLite file.

`Store.open(path)` creates or opens it (private modes, WAL, migrations); every read returns
plain dicts typed in `rows`; every write is one durable transaction. Export and import live
in `export` and `importer`. Imports nothing from the engine or the front ends.

The names below are imported when first used (PEP 562): `Store` brings sqlite-utils, about
40 ms, which the app's home screen does not wait for (`peek` reads its lists without it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Errors and row types need only the standard library: imported now, so that an exception
# handler never runs a first import (a ctrl+c could land in it).
from .errors import DatabaseBusy, StoreError
from .rows import (
    STATUSES,
    Answer,
    Conversation,
    ConversationWithAnswers,
    MonthCount,
    SearchHit,
    Series,
)

if TYPE_CHECKING:
    from .commitments import Commitment, DueGroup
    from .db import ConversationJournal, Store
    from .drafts import Draft
    from .insights import NumericQuestion
    from .leases import ConversationHeld, Holder, Lease, LeaseLost

_WHERE = {
    "Commitment": "commitments",
    "DueGroup": "commitments",
    "ConversationJournal": "db",
    "Store": "db",
    "Draft": "drafts",
    "NumericQuestion": "insights",
    "ConversationHeld": "leases",
    "Holder": "leases",
    "Lease": "leases",
    "LeaseLost": "leases",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # once: later lookups do not come here
    return value
