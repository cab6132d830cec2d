"""Merging is idempotent and order-independent: the files of three devices (a conversation
answered on two at once, a rename, a deletion, finished and unfinished conversations),
delivered to a fresh device in random orders, with duplicates, and synced at random points,
always end in the same database as everything delivered at once."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store.helpers import WEEKLY, Clock

from reflectcoach.store import Store
from reflectcoach.sync import device as sync_device
from sync.helpers import Device, dump, pair


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("history")
    folder = root / "Sync"
    clock = Clock()
    a, b, c = (Device(root, n, clock) for n in ("laptop", "home", "phone"))
    sync_device.init(a.store, folder)
    pair(a, b, folder)
    pair(a, c, folder)
    done = a.start(WEEKLY, mentorship="Ada")
    open_ = b.start(WEEKLY[:2], complete=False, mentorship="Sam")
    gone = c.start(WEEKLY, mentorship="Bo")
    for d in (a, b, c, a, b, c):
        d.sync()
    a.answer(open_, 2, ("help", "Q", "text", "from the laptop", None))
    b.answer(open_, 2, ("help", "Q", "text", "from home", None))
    c.answer(open_, 2, ("help", "Q", "text", "from the phone", None))
    c.store.mentorships.rename("Ada", "Ada L.")
    assert b.store.delete(gone)
    for d in (a, b, c, b, a, c):
        d.sync()
    b.answer(open_, 3, WEEKLY[3])
    for d in (b, a, c, a):
        d.sync()
    states = {dump(d.state()) for d in (a, b, c)}
    assert len(states) == 1  # the three devices converged
    # A fourth device, paired and then closed: each example starts from a copy of it.
    fresh = Device(root, "fresh", clock)
    code = sync_device.pair(a.store)
    empty = root / "fresh-sync"
    empty.mkdir()
    shutil.copy(folder / "reflectcoach-sync", empty)
    shutil.copytree(folder / "pairing", empty / "pairing")
    sync_device.join(fresh.store, empty, code)
    fresh.close()
    names = sorted(p.relative_to(folder) for p in (folder / "devices").rglob("*") if p.is_file())
    for d in (a, b, c):
        d.close()
    assert done and open_
    return folder, names, fresh.path, empty, states.pop()


def _fresh(history, where: Path) -> tuple[Store, Path]:
    _, _, db, empty, _ = history
    target = where / "db" / "reflections.db"
    target.parent.mkdir()
    shutil.copy(db, target)
    own = where / "sync"
    shutil.copytree(empty, own)
    store = Store.open(target)
    store.sync.set_settings({"folder": str(own)})
    store.clock = Clock("2027-01-01T00:00:00")
    return store, own


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_order_any_duplicates_any_sync_points_give_one_database(history, data) -> None:
    folder, names, _, _, expected = history
    order = data.draw(st.permutations(names))
    extra = data.draw(st.lists(st.sampled_from(names), max_size=len(names)))
    deliveries = list(order)
    for name in extra:  # duplicates, delivered again at some later point
        deliveries.insert(data.draw(st.integers(0, len(deliveries))), name)
    syncs = data.draw(st.sets(st.integers(0, len(deliveries) - 1), max_size=6))
    with tempfile.TemporaryDirectory() as temp:
        store, own = _fresh(history, Path(temp))
        try:
            for index, name in enumerate(deliveries):
                target = own / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(folder / name, target)
                if index in syncs:
                    assert sync_device.run(store).refused == []
            report = sync_device.run(store)
            assert report.refused == [] and report.waiting == []
            items = store.sync.current()
            assert dump([items[k] for k in sorted(items)]) == expected
            again = sync_device.run(store)  # idempotent: nothing more to read or write
            assert again.written == 0 and again.files_read == 0 and again.changed == []
        finally:
            store.close()
