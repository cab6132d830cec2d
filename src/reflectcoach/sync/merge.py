"""One sync: this device's changes written as a new file, every other device's new files
read, and each conversation they touch settled.

The rules, each a function of the set of versions seen, so any arrival order, and any file
read twice, ends in the same database:

- A conversation travels as versions: its whole export object, the version it was made from
  on its device (`parent`), the device, when. A finished conversation has one version and
  merges by union.
- A conversation's *heads* are its versions that no other version was made from. The one
  shown is the newest head (a completed one before one in progress, then the later write,
  then the device id). A conversation answered on two devices at once has two heads: the
  newest is the conversation, and every other head is kept whole as a copy of it, in
  progress, titled "... (kept from DEVICE)": nobody's answers are lost. The copy is derived:
  it is not sent on, and it goes when its head stops being one (a later version of that
  device made from it). Once the person answers in it, it is a conversation of its own.
- A deletion is a version too, and wins: a conversation deleted on one device goes on all.
- Commitments and their events merge by union (ids); each commitment takes its newest
  event's status and date; every event stays (the history, and the value that lost).
- Mentorship renames travel in the conversations' versions (the newest head carries the
  name), and the older name stays in the versions kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reflectcoach.store import Store, StoreError, commitments_io
from reflectcoach.store.importer import conversation_rows
from reflectcoach.store.rows import ID_LENGTH, utc_now
from reflectcoach.store.sync_rows import DELETED, Local, Version, canonical, content_hash

from . import envelope
from .keys import Device, Person

MAX_VERSIONS = 1_000_000  # in one file
BATCH = 500  # files whose contents are kept in one transaction
SETTLE_BATCH = 200  # conversations settled in one transaction


@dataclass
class Report:
    written: int = 0  # versions this device wrote
    file: str | None = None  # the file it wrote them in
    files_read: int = 0
    versions_read: int = 0
    changed: list[str] = field(default_factory=list)  # conversations rewritten here
    copies: list[str] = field(default_factory=list)  # conversations kept as copies
    removed: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # files still arriving
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    held: list[str] = field(default_factory=list)  # conversations open elsewhere: next time
    commitments: int = 0

    def lines(self) -> list[str]:
        out = [
            f"Wrote {self.written} change(s)"
            + (f" to {self.file}." if self.file else " (nothing new here)."),
            f"Read {self.files_read} new file(s) from your other devices "
            f"({self.versions_read} change(s)); {len(self.changed)} conversation(s) updated"
            f"{f', {self.commitments} commitment(s) merged' if self.commitments else ''}.",
        ]
        if self.copies:
            out.append(
                f"{len(self.copies)} conversation(s) were answered on two devices at once: "
                "the other answers are kept as a copy, titled '(kept from DEVICE)': "
                + ", ".join(self.copies)
            )
        if self.removed:
            out.append(f"Deleted on another device: {', '.join(self.removed)}")
        if self.waiting:
            out.append(
                f"{len(self.waiting)} file(s) are still arriving (not whole yet); "
                "they are read at the next sync."
            )
        for name, why in self.refused:
            out.append(f"Refused {name}: it {why}. Nothing in it was used.")
        if self.held:
            out.append(f"Open in another session, merged at the next sync: {', '.join(self.held)}")
        return out


def version_id(parent: str | None, content: str, device: str) -> str:
    return hashlib.sha256(f"{parent or '-'}|{content}|{device}".encode()).hexdigest()[:32]


def copy_id(conversation_id: str, version: str) -> str:
    return hashlib.sha256(f"copy|{conversation_id}|{version}".encode()).hexdigest()[:ID_LENGTH]


def _rank(v: Version) -> tuple[bool, str, str, str]:
    return (v.completed, v.at, v.device, v.version)


@dataclass(frozen=True)
class Resolved:
    deleted: Version | None
    winner: Version | None
    others: list[Version]  # the other heads, one per content, oldest first


def resolve(versions: Iterable[Version]) -> Resolved:
    found = list(versions)
    gone = [v for v in found if v.content == DELETED]
    if gone:
        return Resolved(min(gone, key=lambda v: v.version), None, [])
    parents = {v.parent for v in found}
    heads = sorted((v for v in found if v.version not in parents), key=_rank)
    if not heads:  # a cycle only a forger could make: the newest of all
        heads = sorted(found, key=_rank)
    winner = heads[-1]
    seen = {winner.content}
    others = []
    for head in heads[:-1]:
        if head.content not in seen:
            seen.add(head.content)
            others.append(head)
    return Resolved(None, winner, others)


# -- writing --------------------------------------------------------------------------


def _own_seqs(folder: Path, device: str) -> list[int]:
    mine = envelope.devices_dir(folder) / device
    if not mine.is_dir():
        return []
    return sorted(s for s in (envelope.seq_of(p.name) for p in mine.iterdir()) if s is not None)


def publish(store: Store, folder: Path, person: Person, device: Device, report: Report) -> None:
    now = store.clock()
    changed, gone = store.sync.changed()
    current = store.sync.current(sorted(changed))
    locals_ = store.sync.locals()
    out: list[Version] = []
    unchanged: list[Local] = []
    for cid, item in current.items():
        content = content_hash(item)
        local = locals_.get(cid)
        if local is not None and local.content == content:
            unchanged.append(local)  # touched, not changed: remember its fingerprint
            continue
        parent = None if local is None or local.copy_of else local.version
        out.append(
            Version(
                cid,
                version_id(parent, content, device.id),
                parent,
                content,
                device.id,
                now,
                item.get("status") == "completed",
                canonical(item),
            )
        )
    for cid in sorted(gone):
        local = locals_[cid]
        deleted = version_id(local.version, DELETED, device.id)
        out.append(Version(cid, deleted, local.version, DELETED, device.id, now, False, None))
    mark = store.sync.setting("commitments_mark")
    commitments = store.sync.commitments_since(mark)
    if unchanged:
        store.sync.record_local(unchanged)
    if not out and commitments is None:
        return
    seq = (_own_seqs(folder, device.id) or [0])[-1] + 1
    payload = {
        "format": 1,
        "device": device.id,
        "seq": seq,
        "at": now,
        "versions": [_version_out(v) for v in out],
        "commitments": commitments,
    }
    name = envelope.file_name(seq)
    data = envelope.seal(person, device, seq, payload)
    # The file first, then the database: a crash between them writes the same versions
    # again next time (same ids), which merging takes as duplicates.
    envelope.write_new(envelope.devices_dir(folder) / device.id / name, data)
    store.sync.add_versions(out)
    store.sync.record_local([Local(v.conversation_id, v.version, v.content, None) for v in out])
    store.sync.set_settings({"commitments_mark": now})
    store.sync.mark_read([(f"{device.id}/{name}", hashlib.sha256(data).hexdigest())])
    report.written = len(out)
    report.file = f"devices/{device.id}/{name}"


def _version_out(v: Version) -> dict[str, Any]:
    return {
        "conversation": v.conversation_id,
        "version": v.version,
        "parent": v.parent,
        "content": v.content,
        "at": v.at,
        "completed": v.completed,
        "data": None if v.data is None else json.loads(v.data),
    }


# -- reading --------------------------------------------------------------------------

_HEX = "0123456789abcdef"


def _hex(value: Any, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and all(c in _HEX for c in value)


def _version_in(item: Any, device: str) -> Version:
    """One version from another device's file, checked; Refused says what is wrong."""
    if not isinstance(item, dict) or set(item) != {
        "conversation",
        "version",
        "parent",
        "content",
        "at",
        "completed",
        "data",
    }:
        raise envelope.Refused("holds a change reflectcoach does not write")
    cid, parent, content, at = item["conversation"], item["parent"], item["content"], item["at"]
    if not _hex(cid, ID_LENGTH) or not (parent is None or _hex(parent, 32)):
        raise envelope.Refused("holds a change with a malformed id")
    if not isinstance(at, str) or len(at) > 40 or not isinstance(item["completed"], bool):
        raise envelope.Refused("holds a change with a malformed time")
    data = item["data"]
    if content == DELETED:
        if data is not None:
            raise envelope.Refused("holds a deletion that carries data")
        text = None
    else:
        if not isinstance(data, dict) or data.get("id") != cid:
            raise envelope.Refused("holds a change whose data is about another conversation")
        if content_hash(data) != content:
            raise envelope.Refused("holds a change whose data does not match its hash")
        try:
            conversation_rows(data)
        except StoreError as exc:
            raise envelope.Refused(f"holds a conversation that is not valid ({exc})") from None
        if (data.get("status") == "completed") != item["completed"]:
            raise envelope.Refused("holds a change whose status does not match its data")
        text = canonical(data)
    if item["version"] != version_id(parent, content, device):
        raise envelope.Refused("holds a change whose id does not match it")
    return Version(cid, item["version"], parent, content, device, at, item["completed"], text)


def _payload_parts(payload: dict[str, Any], device: str) -> tuple[list[Version], Any]:
    versions_in = payload.get("versions")
    if not isinstance(versions_in, list) or len(versions_in) > MAX_VERSIONS:
        raise envelope.Refused("holds data reflectcoach does not write")
    versions = [_version_in(item, device) for item in versions_in]
    commitments = payload.get("commitments")
    if commitments is not None:
        if not isinstance(commitments, dict) or not commitments_io.is_part(commitments):
            raise envelope.Refused("holds commitments reflectcoach does not write")
        try:
            commitments_io.read_part(commitments)
        except commitments_io.Invalid as exc:
            raise envelope.Refused(f"holds commitments that are not valid ({exc})") from None
    return versions, commitments


def device_names(store: Store, device: Device) -> dict[str, str]:
    """The names of the devices whose cards were read here (kept: a copy's title must not
    depend on which files a sync happened to read)."""
    found = {
        name.removeprefix("name."): value
        for name, value in store.sync.settings_starting("name.").items()
    }
    found[device.id] = device.name
    return found


def read_others(
    store: Store, folder: Path, person: Person, device: Device, report: Report
) -> tuple[set[str], dict[str, str]]:
    """New files of the other devices: their versions and commitments merged into the
    store's tables; the conversations touched, and the device names seen."""
    root = envelope.devices_dir(folder)
    done = store.sync.read_files()
    touched: set[str] = set()
    names = device_names(store, device)
    pending: list[Version] = []
    parts: list[Any] = []
    read: list[tuple[str, str]] = []
    if not root.is_dir():
        return touched, names
    person_sign = store.sync.setting("person_sign") or person.signing_public
    for entry in sorted(root.iterdir()):
        other = entry.name
        if other == device.id or not envelope.DEVICE_ID.match(other) or not entry.is_dir():
            continue
        files = sorted(
            (seq, p) for p in entry.iterdir() if (seq := envelope.seq_of(p.name)) is not None
        )
        if not any(f"{other}/{p.name}" not in done for _, p in files):
            continue
        try:
            card = envelope.read_card(folder, other, person_sign)
        except envelope.Incomplete:
            report.waiting.extend(f"devices/{other}/{p.name}" for _, p in files)
            continue
        except envelope.Refused as exc:
            report.refused.append((f"devices/{other}", str(exc)))
            continue
        if names.get(other) != card.name:
            store.sync.set_settings({f"name.{other}": card.name})
        for seq, path in files:
            key = f"{other}/{path.name}"
            if key in done:
                continue
            shown = f"devices/{key}"
            try:
                data = envelope.read_bounded(path, envelope.MAX_FILE)
                payload = envelope.unseal(data, device=other, seq=seq, card=card, person=person)
                versions, commitments = _payload_parts(payload, other)
            except envelope.Incomplete:
                report.waiting.append(shown)
                continue
            except envelope.Refused as exc:
                report.refused.append((shown, str(exc)))
                continue
            pending.extend(versions)
            read.append((key, hashlib.sha256(data).hexdigest()))
            if commitments is not None:
                parts.append(commitments)
            report.files_read += 1
            report.versions_read += len(versions)
            if len(read) >= BATCH:
                touched |= _keep(store, pending, parts, read, report)
    touched |= _keep(store, pending, parts, read, report)
    return touched, names


def _keep(
    store: Store,
    pending: list[Version],
    parts: list[Any],
    read: list[tuple[str, str]],
    report: Report,
) -> set[str]:
    """What a batch of files held, kept; then the files marked read (a crash between the
    two reads them again, which adds nothing)."""
    touched = store.sync.add_versions(pending)
    if parts:
        report.commitments += store.sync.merge_commitments(parts)
    store.sync.mark_read(read)
    pending.clear()
    parts.clear()
    read.clear()
    return touched


# -- settling -------------------------------------------------------------------------


def settle(
    store: Store, conversations: Iterable[str], names: dict[str, str], report: Report
) -> list[str]:
    """Make each conversation what its versions say; those held by a live session are left
    for next time (returned)."""
    held: list[str] = []
    locals_ = store.sync.locals()
    copies_of: dict[str, list[str]] = {}
    for cid, local in locals_.items():
        if local.copy_of:
            copies_of.setdefault(local.copy_of.split("/", 1)[0], []).append(cid)
    wanted_ids = sorted(set(conversations))
    everything = set(wanted_ids)
    for cid in wanted_ids:
        everything.update(copies_of.get(cid, []))
    # One export of every conversation touched (and its copies), read before any is
    # rewritten: each conversation and its copies are settled apart from the others.
    before = store.sync.current(sorted(everything))
    for at in range(0, len(wanted_ids), SETTLE_BATCH):
        chunk = wanted_ids[at : at + SETTLE_BATCH]
        # A few hundred conversations to a transaction: one fsync for them all, and the
        # write lock is never held for long (the app may be writing meanwhile).
        mentorships: set[str] = set()
        with store.transaction():
            for cid in chunk:
                if store.sync.held_elsewhere(cid):
                    held.append(cid)
                    continue
                resolved = resolve(store.sync.versions(cid))
                local = locals_.get(cid)
                wanted: set[str] = set()
                mine = copies_of.get(cid, [])
                current = {k: before[k] for k in (cid, *mine) if k in before}
                if resolved.deleted is not None:
                    gone = resolved.deleted
                    if cid in current:
                        store.sync.remove(cid, Local(cid, gone.version, DELETED, None))
                        report.removed.append(cid)
                    elif local is None or local.content != DELETED:
                        store.sync.record_local([Local(cid, gone.version, DELETED, None)])
                elif resolved.winner is not None:
                    winner = resolved.winner
                    assert winner.data is not None
                    if local is None or local.version != winner.version:
                        here = current.get(cid)
                        if here is not None and content_hash(here) == winner.content:
                            store.sync.record_local(
                                [Local(cid, winner.version, winner.content, None)]
                            )
                        else:
                            store.sync.replace(
                                json.loads(winner.data),
                                Local(cid, winner.version, winner.content, None),
                                mentorships,
                            )
                            report.changed.append(cid)
                    for head in resolved.others:
                        ident = copy_id(cid, head.version)
                        wanted.add(ident)
                        if store.sync.exists(ident) or store.sync.versions(ident):
                            continue  # there already (or a conversation of its own by now)
                        assert head.data is not None
                        item = json.loads(head.data)
                        item["id"] = ident
                        where = names.get(head.device, "another device")
                        item["title"] = f"{item['title']} (kept from {where})"
                        store.sync.replace(
                            item,
                            Local(
                                ident,
                                f"copy:{head.version}",
                                content_hash(item),
                                f"{cid}/{head.version}",
                            ),
                            mentorships,
                        )
                        report.copies.append(ident)
                for ident in mine:
                    if ident in wanted or ident not in current:
                        continue
                    if content_hash(current[ident]) == locals_[ident].content:
                        store.sync.remove(ident, None)  # untouched: no longer needed
            store.sync.refresh_mentorships(mentorships)
    return held


def sync(store: Store, folder: Path, person: Person, device: Device) -> Report:
    """Write this device's changes, read the others', settle what they touched."""
    report = Report()
    envelope.write_card(folder, person, device)
    publish(store, folder, person, device, report)
    touched, _ = read_others(store, folder, person, device, report)
    names = device_names(store, device)
    waiting = json.loads(store.sync.setting("held") or "[]")
    held = settle(store, touched | set(waiting), names, report)
    report.held = held
    store.sync.set_settings({"held": json.dumps(held) if held else None, "last_sync": utc_now()})
    return report
