"""Two and three databases sharing one folder, with real age encryption and Ed25519."""

from __future__ import annotations

from pathlib import Path

import pytest
from store.helpers import WEEKLY, Clock

from reflectcoach.sync import device as sync_device
from reflectcoach.sync import pairing
from sync.helpers import Device, pair


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync" / "reflectcoach"


@pytest.fixture
def two(tmp_path: Path, folder: Path):
    clock = Clock()
    a, b = Device(tmp_path, "laptop", clock), Device(tmp_path, "home", clock)
    sync_device.init(a.store, folder)
    pair(a, b, folder)
    yield a, b
    a.close()
    b.close()


def test_a_conversation_written_on_one_device_arrives_on_the_other(two) -> None:
    a, b = two
    cid = a.start()
    a.sync()
    report = b.sync()
    assert report.files_read == 1
    assert [c["id"] for c in b.state()] == [cid]
    assert b.state() == a.state()


def test_syncing_again_changes_nothing_and_writes_nothing(two, folder: Path) -> None:
    a, b = two
    a.start()
    a.sync()
    b.sync()
    before = sorted(folder.rglob("*.rcs"))
    assert a.sync().written == 0 and b.sync().written == 0
    assert sorted(folder.rglob("*.rcs")) == before
    assert a.state() == b.state()


def test_no_word_of_an_answer_is_in_the_folder(two, folder: Path) -> None:
    a, _ = two
    a.start()
    a.sync()
    for path in folder.rglob("*"):
        if path.is_file():
            assert b"Shipped" not in path.read_bytes()
            assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_a_conversation_started_on_one_is_finished_on_the_other(two) -> None:
    a, b = two
    cid = a.start(WEEKLY[:2], complete=False)
    a.sync()
    b.sync()
    b.answer(cid, 2, WEEKLY[2])
    b.store.journal(cid).completed(record="done", position=3, current_step="end")
    b.sync()
    a.sync()
    [conversation] = a.state()
    assert conversation["status"] == "completed"
    assert len(conversation["answers"]) == 3
    assert a.state() == b.state()


def test_pairing_refuses_a_wrong_code_and_an_expired_offer(tmp_path: Path, folder: Path) -> None:
    clock = Clock()
    a, b = Device(tmp_path, "laptop", clock), Device(tmp_path, "home", clock)
    sync_device.init(a.store, folder)
    code = sync_device.pair(a.store)
    wrong = "ABCD-EFGH-JKMN" if code != "ABCD-EFGH-JKMN" else "ABCD-EFGH-JKMP"
    with pytest.raises(pairing.PairingProblem, match="No pairing offer"):
        sync_device.join(b.store, folder, wrong)
    late = pairing.offer(folder, *_person(a), now=_long_ago())
    with pytest.raises(pairing.PairingProblem, match="expired"):
        sync_device.join(b.store, folder, late)
    assert b.store.sync.setting("device") is None
    sync_device.join(b.store, folder, code)
    assert not pairing.offer_path(folder, code).exists()  # used once, then gone
    a.close()
    b.close()


def _person(device: Device):
    from reflectcoach.sync import keys

    person, me = keys.load(device.store)
    return person, me.name


def _long_ago():
    import datetime as dt

    return dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def test_pairing_carries_the_persons_identity_from_the_exchange(tmp_path: Path, folder) -> None:
    from reflectcoach.services import identity

    clock = Clock()
    a, b = Device(tmp_path, "laptop", clock), Device(tmp_path, "home", clock)
    mine = identity.load_or_create(a.store)  # made earlier, for sharing with a partner
    sync_device.init(a.store, folder)
    pair(a, b, folder)
    assert identity.load(b.store).public == mine.public
    # A device that already has an identity of its own is told so, and nothing is set up.
    c = Device(tmp_path, "phone", clock)
    identity.load_or_create(c.store)
    code = sync_device.pair(a.store)
    with pytest.raises(identity.IdentityProblem, match="already has an identity"):
        sync_device.join(c.store, folder, code)
    assert c.store.sync.setting("device") is None
    assert pairing.offer_path(folder, code).exists()  # still there for the right device
    for d in (a, b, c):
        d.close()
