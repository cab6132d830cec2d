"""Three devices, one folder: files arriving in any order, twice, cut short, or never; two
devices answering one conversation in progress at once; tampered and foreign files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store.helpers import WEEKLY, Clock

from reflectcoach.sync import device as sync_device
from reflectcoach.sync import envelope
from sync.helpers import Device, deliver, dump, files, pair


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "Sync"


@pytest.fixture
def three(tmp_path: Path, folder: Path):
    clock = Clock()
    a, b = Device(tmp_path, "laptop", clock), Device(tmp_path, "home", clock)
    sync_device.init(a.store, folder)
    pair(a, b, folder)
    # The third has a copy of the folder of its own: the test is its carrier.
    c = Device(tmp_path, "phone", clock)
    code = sync_device.pair(a.store)
    own = tmp_path / "phone-sync"
    shutil.copytree(folder, own)
    sync_device.join(c.store, own, code)
    yield a, b, c, own
    for d in (a, b, c):
        d.close()


def _answers(device: Device) -> set[str]:
    return {
        answer["answer_text"]
        for conversation in device.state()
        for answer in conversation["answers"]
        if answer["answer_text"]
    }


def test_two_devices_answering_one_conversation_at_once_lose_neither(three) -> None:
    a, b, _, _ = three
    cid = a.start(WEEKLY[:2], complete=False)
    a.sync()
    b.sync()
    # Both answer the third question, differently, before either syncs.
    a.answer(cid, 2, ("help", "Did you ask for help?", "text", "Asked Ada on the laptop", None))
    b.answer(cid, 2, ("help", "Did you ask for help?", "text", "Asked Sam at home", None))
    a.sync()
    b.sync()
    a.sync()
    assert dump(a.state()) == dump(b.state())
    state = a.state()
    assert len(state) == 2  # the conversation, and the other device's path kept as a copy
    assert {"Asked Ada on the laptop", "Asked Sam at home"} <= _answers(a)
    shown = next(c for c in state if c["id"] == cid)
    copy = next(c for c in state if c["id"] != cid)
    assert shown["status"] == copy["status"] == "in_progress"
    assert copy["title"].endswith(")") and "(kept from " in copy["title"]
    # The newest write is the conversation; the copy holds the one that lost.
    assert shown["answers"][2]["answer_text"] == "Asked Sam at home"
    assert copy["answers"][2]["answer_text"] == "Asked Ada on the laptop"
    # Syncing on does not multiply copies, nor write anything new.
    assert a.sync().written == 0 and b.sync().written == 0
    assert len(a.state()) == 2


def test_answering_on_in_the_copy_makes_it_a_conversation_of_its_own(three) -> None:
    a, b, _, _ = three
    cid = a.start(WEEKLY[:2], complete=False)
    a.sync()
    b.sync()
    a.answer(cid, 2, ("help", "Q", "text", "laptop", None))
    b.answer(cid, 2, ("help", "Q", "text", "home", None))
    a.sync()
    b.sync()
    a.sync()
    copy = next(c for c in a.state() if c["id"] != cid)
    a.answer(copy["id"], 3, ("hours", "Hours?", "text", "three hours", None))
    a.sync()
    b.sync()
    assert dump(a.state()) == dump(b.state())
    assert "three hours" in _answers(b)


def test_files_arriving_late_out_of_order_twice_truncated_and_never(three, folder) -> None:
    a, b, c, own = three
    first = a.start(WEEKLY[:1], complete=False)
    a.sync()
    b.sync()
    b.answer(first, 1, WEEKLY[1])
    b.sync()
    a.sync()
    a.answer(first, 2, WEEKLY[2])
    a.sync()
    lost = b.start(WEEKLY, mentorship="Sam")
    b.sync()
    second = a.start(WEEKLY, mentorship="Bo")
    a.sync()
    b.sync()
    written = files(folder)
    never = next(p for p in written if _holds(b, p, lost))
    arriving = [p for p in written if p != never]
    cards = sorted((folder / "devices").glob("*/device.card"))
    deliver(folder, own, cards)
    # Newest first, each twice, and the newest cut in half first.
    newest = arriving[-1]
    half = own / newest.relative_to(folder)
    half.parent.mkdir(parents=True, exist_ok=True)
    half.write_bytes(newest.read_bytes()[: newest.stat().st_size // 2])
    report = c.sync()
    assert report.waiting == [f"devices/{newest.relative_to(folder / 'devices')}"]
    assert report.refused == [] and c.state() == []
    for path in reversed(arriving):
        deliver(folder, own, [path])
        c.sync()
        deliver(folder, own, [path])
        c.sync()
    ids = {conversation["id"] for conversation in c.state()}
    assert ids == {first, second}  # `lost` never arrived; the rest is whole
    expected = [x for x in a.state() if x["id"] in ids]
    assert dump(c.state()) == dump(expected)
    deliver(folder, own, [never])  # it turns up after all
    c.sync()
    assert dump(c.state()) == dump(a.state())


def _holds(device: Device, path: Path, conversation_id: str) -> bool:
    from reflectcoach.sync import keys

    person, _ = keys.load(device.store)
    other = path.parent.name
    card = envelope.read_card(path.parent.parent.parent, other, person.signing_public)
    payload = envelope.unseal(
        path.read_bytes(),
        device=other,
        seq=envelope.seq_of(path.name) or 0,
        card=card,
        person=person,
    )
    return any(v["conversation"] == conversation_id for v in payload["versions"])


def test_a_changed_byte_is_refused_and_changes_nothing(three, folder) -> None:
    a, b, _, _ = three
    a.start()
    a.sync()
    [path] = files(folder)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.chmod(0o600)
    path.write_bytes(bytes(data))
    before = dump(b.state())
    report = b.sync()
    assert report.refused and "signature" in report.refused[0][1]
    assert dump(b.state()) == before
    assert "Nothing in it was used." in "\n".join(report.lines())


def test_another_persons_device_in_the_folder_is_refused(three, folder, tmp_path) -> None:
    _, b, _, _ = three
    stranger = Device(tmp_path, "stranger", Clock())
    other = tmp_path / "other"
    sync_device.init(stranger.store, other)
    stranger.start()
    stranger.sync()
    for path in (other / "devices").iterdir():
        shutil.copytree(path, folder / "devices" / path.name)
    report = b.sync()
    assert report.refused and "not signed by your identity" in report.refused[0][1]
    assert b.state() == []
    stranger.close()


def test_a_deletion_travels(three) -> None:
    a, b, _, _ = three
    cid = a.start()
    a.sync()
    b.sync()
    assert b.store.delete(cid)
    b.sync()
    report = a.sync()
    assert report.removed == [cid]
    assert a.state() == [] and b.state() == []


def test_a_rename_travels_and_the_newest_name_wins(three) -> None:
    a, b, _, _ = three
    a.start(mentorship="Ada")
    a.sync()
    b.sync()
    b.store.mentorships.rename("Ada", "Ada Lovelace")
    b.sync()
    a.sync()
    assert [c["mentorship"] for c in a.state()] == ["Ada Lovelace"]
    assert dump(a.state()) == dump(b.state())


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda data: b"not a change file at all" * 10, id="garbage"),
        pytest.param(lambda data: data + b"x", id="longer-than-its-header"),
        pytest.param(
            lambda data: data.replace(b" 0000000001 ", b" 0000000002 ", 1), id="renumbered"
        ),
    ],
)
def test_hostile_files_are_refused_with_a_message_and_change_nothing(three, folder, make) -> None:
    a, b, _, _ = three
    a.start()
    a.sync()
    [path] = files(folder)
    data = make(path.read_bytes())
    path.chmod(0o600)
    path.write_bytes(data)
    report = b.sync()
    assert report.refused, report.lines()
    assert b.state() == []
    assert report.refused[0][0].endswith(path.name)


def test_a_file_moved_to_another_devices_folder_is_refused(three, folder) -> None:
    a, b, _, _ = three
    b.start()
    b.sync()
    [path] = files(folder)
    laptop = next(p for p in (folder / "devices").iterdir() if p.name != path.parent.name)
    shutil.copyfile(path, laptop / "0000000001.rcs")  # b's file, now claiming to be a's
    report = b.sync()  # b reads a's folder: the file's header names b
    assert [why for _, why in report.refused] == [
        "says it is another device's or another number's (moved or replayed)"
    ]
    assert len(b.state()) == 1 and a.state() == []
