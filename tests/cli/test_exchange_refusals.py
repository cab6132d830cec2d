"""Bundles that must not be taken (issue 23's "Done means"): a tampered byte, a bundle for
someone else, a replayed older bundle, one from an unlinked sender, one passed on by its
recipient, a forged signature, a hostile payload signed by the partner, and files that are
no bundle at all. Each is refused by `reflectcoach receive` with a clear message, and the
database is byte-identical (hashed with no Store open in this process)."""

from __future__ import annotations

import json
from pathlib import Path

import pyrage
import pytest
from store.helpers import run

from reflectcoach.services import exchange, identity
from reflectcoach.store import Store

from .exchange_sides import Side, digest, make_sides

ROLE = [("role", "Which are you?", "choice", "mentee", "the mentee")]


def _person(side: Side, mentorships: list[str]) -> identity.PublicIdentity:
    with Store.open(side.db) as store:
        for name in mentorships:
            run(store, ROLE, mentorship=name, script_id="meeting")
        return identity.load_or_create(store).public


def _link(side: Side, name: str, other: identity.PublicIdentity) -> None:
    with Store.open(side.db) as store:
        store.partners.link(name, other.age_recipient, other.signing_public)


def _share(side: Side, name: str, target: Path) -> Path:
    with Store.open(side.db) as store:
        target.write_bytes(exchange.make(store, name).data)
    return target


def _me(side: Side) -> identity.Identity:
    with Store.open(side.db) as store:
        found = identity.load(store)
    assert found is not None
    return found


def _seal(plain_payload: bytes, signer: identity.Identity, to: identity.PublicIdentity) -> bytes:
    signature = signer.sign(exchange.MAGIC + plain_payload)
    inner = exchange.MAGIC + identity.b64(signature).encode() + b"\n" + plain_payload
    return pyrage.encrypt(inner, [identity.recipient(to)])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """Alex and Sam linked to each other; Eve linked to both, linked by neither; two
    bundles from Alex to Sam (the second newer), the first already received."""
    tmp = tmp_path_factory.mktemp("exchange")
    alex, sam = make_sides(tmp)
    eve = Side(tmp / "eve", alex.scripts)
    eve.folder.mkdir()
    alex_id = _person(alex, ["Sam", "Eve"])
    sam_id = _person(sam, ["Alex"])
    eve_id = _person(eve, ["Sam", "Alex"])
    _link(alex, "Sam", sam_id)
    _link(alex, "Eve", eve_id)
    _link(sam, "Alex", alex_id)
    _link(eve, "Sam", sam_id)
    _link(eve, "Alex", alex_id)
    first = _share(alex, "Sam", tmp / "a1.bundle")
    second = _share(alex, "Sam", tmp / "a2.bundle")
    assert "Received from Alex" in sam.ok("receive", str(second))
    return {"tmp": tmp, "alex": alex, "sam": sam, "eve": eve, "first": first,
            "second": second, "ids": (alex_id, sam_id, eve_id)}  # fmt: skip


def _refused(side: Side, bundle: Path, message: str) -> None:
    before = digest(side.db)
    done = side.run("receive", str(bundle))
    assert done.returncode == 1, done.stdout
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert digest(side.db) == before


def test_a_tampered_byte_is_refused(world) -> None:
    data = bytearray(world["second"].read_bytes())
    data[len(data) // 2] ^= 0x01
    bad = world["tmp"] / "tampered.bundle"
    bad.write_bytes(bytes(data))
    _refused(world["sam"], bad, "damaged or was changed after it was made")


def test_a_bundle_for_someone_else_is_refused(world) -> None:
    for_eve = _share(world["alex"], "Eve", world["tmp"] / "for-eve.bundle")
    _refused(world["sam"], for_eve, "This bundle is not for you")


def test_a_replayed_older_bundle_is_refused(world) -> None:
    _refused(world["sam"], world["first"], "older than one already received")


def test_a_bundle_from_an_unlinked_sender_is_refused(world) -> None:
    from_eve = _share(world["eve"], "Sam", world["tmp"] / "from-eve.bundle")
    _refused(world["sam"], from_eve, "from someone you have not linked")


def test_a_bundle_passed_on_by_its_recipient_is_refused(world) -> None:
    """Sam decrypts Alex's bundle and re-encrypts it, signature and all, to Eve (who has
    Alex linked): Eve sees it was signed by Alex for someone else."""
    _alex_id, _sam_id, eve_id = world["ids"]
    plain = pyrage.decrypt(world["second"].read_bytes(), [_me(world["sam"]).age])
    passed = world["tmp"] / "passed-on.bundle"
    passed.write_bytes(pyrage.encrypt(plain, [identity.recipient(eve_id)]))
    _refused(world["eve"], passed, "signed by Alex for someone else")


def test_a_forged_signature_is_refused(world) -> None:
    """Eve writes a payload that says it is from Alex, signs it with her own key and
    encrypts it to Sam (anyone can encrypt to Sam's public key)."""
    alex_id, sam_id, _eve_id = world["ids"]
    payload = json.dumps(
        {"format": exchange.FORMAT, "version": 1, "from": alex_id.as_dict(),
         "to": sam_id.as_dict(), "seq": 2**62, "made_at": "2026-12-06T00:00:00Z",
         "sections": {}},
    ).encode()  # fmt: skip
    forged = world["tmp"] / "forged.bundle"
    forged.write_bytes(_seal(payload, _me(world["eve"]), sam_id))
    _refused(world["sam"], forged, "signature does not match Alex's key")


HOSTILE = [
    {"commitments": {"version": 1, "body": {"items": [{"id": "zz"}]}}},
    {"commitments": {"version": 1, "body": {"items": "x" * 10}}},
    {
        "records": {
            "version": 1,
            "body": {
                "items": [
                    {"id": "abcdef12", "title": "t", "completed_at": "x", "text": "y" * 200_000}
                ]
            },
        }
    },
    {"mentorship": {"version": 1, "body": {"role": "boss", "started": None, "status": "active"}}},
    {"agreement": {"version": 1, "body": {"terms": {"salary": {"value": 1, "text": "1"}},
                                          "accepted": None}}},
    {"agreement": {"version": 1, "body": {"terms": {}, "accepted": {"digest": "x" * 64,
                                                                   "on": "2026-12-06"}}}},
    {"talking_points": {"version": 1, "body": {"items": [{"id": "ab", "text": "t",
                                                          "created_at": "x"}]}}},
]  # fmt: skip


@pytest.mark.parametrize(
    "sections",
    HOSTILE,
    ids=[
        "bad-commitment",
        "items-not-a-list",
        "text-too-long",
        "unknown-role",
        "unknown-term",
        "bad-digest",
        "bad-point-id",
    ],
)
def test_a_hostile_payload_signed_by_the_partner_is_refused(world, sections) -> None:
    alex_id, sam_id, _eve_id = world["ids"]
    payload = json.dumps(
        {"format": exchange.FORMAT, "version": 1, "from": alex_id.as_dict(),
         "to": sam_id.as_dict(), "seq": 2**62, "made_at": "2026-12-06T00:00:00Z",
         "sections": sections},
    ).encode()  # fmt: skip
    hostile = world["tmp"] / "hostile.bundle"
    hostile.write_bytes(_seal(payload, _me(world["alex"]), sam_id))
    _refused(world["sam"], hostile, "not in the expected form")


def test_files_that_are_no_bundle_are_refused(world) -> None:
    tmp = world["tmp"]
    (tmp / "note.txt").write_text("hello", encoding="utf-8")
    _refused(world["sam"], tmp / "note.txt", "not a reflectcoach bundle")
    with (tmp / "huge.bundle").open("wb") as fp:
        fp.write(exchange.AGE_MAGIC)
        fp.truncate(exchange.MAX_BUNDLE + 10)
    _refused(world["sam"], tmp / "huge.bundle", "too large to be a reflectcoach bundle")
    _refused(world["sam"], world["sam"].db, "is your reflection database")
    # An age file for Sam that holds something else entirely.
    _alex_id, sam_id, _eve_id = world["ids"]
    (tmp / "other.age").write_bytes(pyrage.encrypt(b"just a note", [identity.recipient(sam_id)]))
    _refused(world["sam"], tmp / "other.age", "not a reflectcoach bundle")


def test_an_identity_line_with_a_changed_character_is_refused(world) -> None:
    line = world["ids"][0].line()
    changed = line[:30] + ("q" if line[30] != "q" else "p") + line[31:]
    before = digest(world["sam"].db)
    done = world["sam"].run("partner", "add", "Alex", changed)
    assert done.returncode == 1
    assert "checksum does not match" in done.stderr or "not valid" in done.stderr
    assert digest(world["sam"].db) == before
