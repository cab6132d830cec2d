"""The synced folder's files, written and read with strict limits.

    DIR/reflectcoach-sync              "reflectcoach sync folder, format 1" (written once)
    DIR/devices/<device>/device.card   the device's public signing key, vouched for by the
                                       person's key (JSON, at most 4 KiB)
    DIR/devices/<device>/<seq>.rcs     its changes, one file per sync, never rewritten
    DIR/pairing/<name>.rcpair          a pairing offer (sync/pairing.py)

A change file is `MAGIC`, a header line (device, sequence number, the ciphertext's length),
the ciphertext (age, to the person's own recipient; inside, zlib-compressed JSON) and a
64-byte Ed25519 signature by the device over everything before it. A file shorter than its
header says is still arriving (a half-synced file): it is left for later, unread. Anything
else wrong (a longer file, a bad signature, an unknown device, a header that does not match
its place, content that fails the checks) is refused with a message, and nothing in it is
used. Files are written to a hidden temporary name and renamed, 0600.
"""

from __future__ import annotations

import json
import os
import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from reflectcoach.core.private import FILE_MODE, make_dirs

from .keys import Device, Person, b64, unb64, verify

MARKER = "reflectcoach-sync"
MARKER_TEXT = "reflectcoach sync folder, format 1\n"
MAGIC = b"RCSYNC1\n"
SUFFIX = ".rcs"
CARD = "device.card"
MAX_FILE = 64 * 1024 * 1024  # bytes of one change file
MAX_PLAIN = 256 * 1024 * 1024  # bytes of its JSON, once decompressed
MAX_CARD = 4096
SIGNATURE = 64
_HEADER = re.compile(rb"([0-9a-f]{16}) ([0-9]{10}) ([0-9]{1,12})\n")
_NAME = re.compile(r"([0-9]{10})\.rcs\Z")
DEVICE_ID = re.compile(r"[0-9a-f]{16}\Z")


class Refused(Exception):
    """A file that is not whole and true: its message says why; nothing in it is used."""


class Incomplete(Exception):
    """A file still arriving: shorter than its header says."""


def devices_dir(folder: Path) -> Path:
    return folder / "devices"


def write_new(path: Path, data: bytes) -> None:
    """A new file, whole or not at all: a hidden temporary, fsynced, renamed into place;
    0600 whatever the umask. Never replaces a file (FileExistsError)."""
    make_dirs(path.parent)
    if path.exists():
        raise FileExistsError(path)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fp:
            os.fchmod(fp.fileno(), FILE_MODE)
            fp.write(data)
            fp.flush()
            os.fsync(fp.fileno())
        os.link(temp, path)  # fails if the name was taken meanwhile: never overwrites
    finally:
        temp.unlink(missing_ok=True)


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit`; Refused for anything else."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise Refused(f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as fp:
        if not stat.S_ISREG(os.fstat(fp.fileno()).st_mode):
            raise Refused("is not a regular file")
        data = fp.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"is larger than {limit} bytes")
    return data


# -- device cards -----------------------------------------------------------------------


def _card_message(device: str, name: str, sign: str) -> bytes:
    return json.dumps(
        {"format": 1, "device": device, "name": name, "sign": sign}, sort_keys=True
    ).encode("utf-8")


def write_card(folder: Path, person: Person, device: Device) -> None:
    message = _card_message(device.id, device.name, device.signing_public)
    card = {
        "format": 1,
        "device": device.id,
        "name": device.name,
        "sign": device.signing_public,
        "signature": b64(person.signing_key.sign(message)),
    }
    path = devices_dir(folder) / device.id / CARD
    if not path.exists():
        write_new(path, json.dumps(card, sort_keys=True).encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Card:
    device: str
    name: str
    sign: str  # the device's public signing key


def read_card(folder: Path, device: str, person_sign: str) -> Card:
    """A device's card, checked against the person's key; Incomplete, or Refused."""
    path = devices_dir(folder) / device / CARD
    if not path.exists():
        raise Incomplete("no device card yet")
    data = read_bounded(path, MAX_CARD)
    try:
        card = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise Incomplete("device card not whole yet") from None
    if not isinstance(card, dict) or set(card) != {"format", "device", "name", "sign", "signature"}:
        raise Refused("its device card is not one reflectcoach writes")
    name, sign, signature = card["name"], card["sign"], card["signature"]
    if card["format"] != 1 or card["device"] != device:
        raise Refused("its device card names another device")
    if not all(isinstance(v, str) and len(v) <= 200 for v in (name, sign, signature)):
        raise Refused("its device card is not one reflectcoach writes")
    try:
        raw = unb64(signature)
    except ValueError:
        raise Refused("its device card's signature is not readable") from None
    if not verify(person_sign, raw, _card_message(device, name, sign)):
        raise Refused("its device card is not signed by your identity")
    clean = "".join(ch for ch in name if ch.isprintable())[:40]
    return Card(device, clean or device, sign)


# -- change files -----------------------------------------------------------------------


def seal(person: Person, device: Device, seq: int, payload: dict[str, Any]) -> bytes:
    plain = zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6)
    cipher = pyrage.encrypt(plain, [person.age_identity.to_public()])
    head = MAGIC + f"{device.id} {seq:010d} {len(cipher)}\n".encode("ascii")
    body = head + cipher
    return body + device.signing_key.sign(body)


def file_name(seq: int) -> str:
    return f"{seq:010d}{SUFFIX}"


def seq_of(name: str) -> int | None:
    found = _NAME.match(name)
    return None if found is None else int(found.group(1))


def unseal(data: bytes, *, device: str, seq: int, card: Card, person: Person) -> dict[str, Any]:
    """The payload of a change file; Incomplete while it is arriving, Refused when not true."""
    if len(data) < len(MAGIC) or not data.startswith(MAGIC[: len(data)]):
        raise Refused("is not a reflectcoach change file")
    end = data.find(b"\n", len(MAGIC), len(MAGIC) + 64)
    if end < 0:
        if len(data) < len(MAGIC) + 64:
            raise Incomplete("header not whole yet")
        raise Refused("has no header")
    header = _HEADER.fullmatch(data[len(MAGIC) : end + 1])
    if header is None:
        raise Refused("has a header reflectcoach does not write")
    if header.group(1).decode() != device or int(header.group(2)) != seq:
        raise Refused("says it is another device's or another number's (moved or replayed)")
    length = int(header.group(3))
    whole = end + 1 + length + SIGNATURE
    if len(data) < whole:
        raise Incomplete("still arriving")
    if len(data) > whole:
        raise Refused("is longer than its header says")
    body, signature = data[: end + 1 + length], data[end + 1 + length :]
    if not verify(card.sign, signature, body):
        raise Refused("has a signature that does not match (changed after it was written)")
    try:
        packed = pyrage.decrypt(body[end + 1 :], [person.age_identity])
    except pyrage.DecryptError:
        raise Refused("is not encrypted to your identity") from None
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(packed, MAX_PLAIN)
    except zlib.error:
        raise Refused("holds data that is not readable") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise Refused(f"unpacks to more than {MAX_PLAIN} bytes, or not at all")
    try:
        payload = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise Refused("holds data that is not readable") from None
    if (
        not isinstance(payload, dict)
        or payload.get("format") != 1
        or payload.get("device") != device
        or payload.get("seq") != seq
    ):
        raise Refused("holds data reflectcoach does not write")
    return payload
