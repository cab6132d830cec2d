from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .helpers import Clock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reflections.db"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fresh_store(db_path: Path, clock: Clock) -> Iterator[Store]:
    store = Store.open(db_path)
    store.clock = clock
    yield store
    store.close()
