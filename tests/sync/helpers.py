"""Devices for the sync tests: each its own database, all sharing one folder (a carrier
that can be made to deliver files late, twice, cut short or never)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from store.helpers import WEEKLY, Clock, run

from reflectcoach.store import Store
from reflectcoach.sync import device as sync_device


class Device:
    def __init__(self, root: Path, name: str, clock: Clock) -> None:
        self.name = name
        self.path = root / name / "reflections.db"
        self.path.parent.mkdir(parents=True)
        self.store = Store.open(self.path)
        self.store.clock = clock

    def sync(self):
        return sync_device.run(self.store)

    def start(self, steps=WEEKLY, *, complete=True, mentorship="Ada") -> str:
        return run(self.store, steps, complete=complete, mentorship=mentorship)

    def answer(self, cid: str, seq: int, step: tuple[str, str, str, Any, str | None]) -> None:
        step_id, question, qtype, value, text = step
        self.store.journal(cid).answered(
            step_id=step_id,
            question=question,
            qtype=qtype,
            text=text if text is not None else str(value),
            value=value,
            skipped=False,
            seq=seq,
            position=seq + 1,
            current_step="next",
            discard_from=None,
        )

    def state(self) -> list[dict[str, Any]]:
        """Every conversation with its answers, as JSON would carry it (order-free)."""
        items = self.store.sync.current()
        return [items[k] for k in sorted(items)]

    def close(self) -> None:
        self.store.close()


def pair(first: Device, second: Device, folder: Path) -> None:
    code = sync_device.pair(first.store)
    sync_device.join(second.store, folder, code)


def files(folder: Path) -> list[Path]:
    return sorted((folder / "devices").glob("*/*.rcs"))


def deliver(source: Path, target: Path, names: list[Path]) -> None:
    """Copy files (and device cards) from one copy of the folder to another."""
    for path in names:
        relative = path.relative_to(source)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / relative)


def dump(state: list[dict[str, Any]]) -> str:
    return json.dumps(state, sort_keys=True)


def day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
