"""A share bundle: one mentorship's shareable state, signed by its sender (Ed25519) and
encrypted to the partner (age), and its opposite, a bundle received, checked and merged.

The file is an age file (binary, `age-encryption.org/v1`). Inside it:

    reflectcoach-bundle/1\\n<base64url signature>\\n<payload: JSON, UTF-8>

The signature covers `reflectcoach-bundle/1\\n` + the payload. The payload names both sides'
public identities (`from`, `to`: a bundle re-encrypted by its recipient to a third person is
refused by them), a per-sender sequence number `seq` (a bundle not newer than the last one
received from that partner changes nothing) and `sections`: named, versioned parts,
`{"commitments": {"version": 1, "body": {...}}, ...}`. Each section kind in `SECTIONS` says
how to build its body from the store, how to check one received (strictly: unknown keys, wrong
types and oversized text refused: services/bundle_form.py) and how to show it. A new kind of
shared state is one more entry, in a module of its own (the agreement and who accepted it:
services/agreement.py; talking points: services/shared_points.py): older versions leave a
section they do not know aside and say so.

What is shared is only ever the share copy: records through `core.sharing.shared()` (never a
just-for-me part), commitments as text, due date and status.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyrage

from reflectcoach.core.clock import today
from reflectcoach.core.days import readable
from reflectcoach.core.errors import UserError
from reflectcoach.core.sharing import shared
from reflectcoach.engine.records import plain_text
from reflectcoach.services import agreement, identity, shared_points
from reflectcoach.services.bundle_form import Bad as _Bad
from reflectcoach.services.bundle_form import SectionKind
from reflectcoach.services.bundle_form import day as _day
from reflectcoach.services.bundle_form import ident as _id
from reflectcoach.services.bundle_form import items as _items
from reflectcoach.services.bundle_form import no_constants as _no_constants
from reflectcoach.services.bundle_form import no_duplicates as _no_duplicates
from reflectcoach.services.bundle_form import obj as _obj
from reflectcoach.services.bundle_form import text as _text
from reflectcoach.services.bundle_form import whole as _int
from reflectcoach.store.commitments import OPEN, STATUSES
from reflectcoach.store.partners import Older, Partner

if TYPE_CHECKING:
    from reflectcoach.store import Store

MAGIC = b"reflectcoach-bundle/1\n"
AGE_MAGIC = b"age-encryption.org/v1\n"
MAX_BUNDLE = 8 * 1024 * 1024  # bytes, encrypted or not
FORMAT = "reflectcoach-bundle"
VERSION = 1


class Refused(UserError):
    """A bundle that is not taken: the message says why; nothing was changed."""


# -- the sections --------------------------------------------------------------------------------


def _build_mentorship(store: Store, name: str) -> dict[str, Any]:
    found = store.mentorships.find(name)
    return {"role": found.role, "started": found.started, "status": found.status}


def _check_mentorship(body: Any) -> dict[str, Any]:
    _obj(body, {"role", "started", "status"}, where="the mentorship")
    if body["role"] not in (None, "mentee", "mentor") or body["status"] not in (
        "active",
        "closed",
    ):
        raise _Bad("the mentorship's role or status is unknown")
    return {"role": body["role"], "started": _day(body["started"]), "status": body["status"]}


def _mentorship_lines(body: dict[str, Any]) -> list[str]:
    role = {"mentee": "the mentee", "mentor": "the mentor"}.get(body["role"] or "")
    parts = [f"they are {role}" if role else "their role not said yet"]
    parts.append(f"since {body['started']}" if body["started"] else "")
    parts.append("closed on their side" if body["status"] == "closed" else "")
    return [" · ".join(p for p in parts if p)]


def _build_commitments(store: Store, name: str) -> dict[str, Any]:
    items = store.commitments.all(mentorship=name)
    return {
        "items": [
            {
                "id": c.id,
                "text": c.text,
                "due": c.due.isoformat() if c.due else None,
                "status": c.status,
                "updated_at": c.updated_at,
            }
            for c in items
        ]
    }


def _check_commitment(item: Any) -> dict[str, Any]:
    _obj(item, {"id", "text", "due", "status", "updated_at"}, where="a commitment")
    if item["status"] not in STATUSES:
        raise _Bad("a commitment's status is unknown")
    return {
        "id": _id(item["id"]),
        "text": _text(item["text"], 10_000),
        "due": _day(item["due"]),
        "status": item["status"],
        "updated_at": _text(item["updated_at"], 40),
    }


STATUS_WORDS = {
    "open": "open",
    "partly": "partly done",
    "not_yet": "not yet",
    "done": "done",
    "dropped": "dropped",
}


def counts_text(counts: dict[str, int]) -> str:
    """ "1 commitment, 2 records, 1 feedback": what a bundle holds, in words."""
    words = {"talking_points": ("talking point", "talking points")}
    words |= {"commitments": ("commitment", "commitments"), "records": ("record", "records")}
    parts = [f"{n} {words.get(name, (name, name))[n != 1]}" for name, n in counts.items() if n]
    return ", ".join(parts) or "nothing marked to send yet"


def commitment_line(item: dict[str, Any], today: dt.date | None = None) -> str:
    due = item["due"]
    when = ""
    if due:
        when = f", due {readable(dt.date.fromisoformat(due))}"
        if today is not None and item["status"] in OPEN and due < today.isoformat():
            when += " (overdue)"
    return f"{STATUS_WORDS[item['status']]}: {item['text']}{when}"


def _commitment_lines(body: dict[str, Any]) -> list[str]:
    items = sorted(body["items"], key=lambda i: (i["status"] not in OPEN, i["due"] or "9999"))
    if not items:
        return ["none"]
    return [commitment_line(i, today()) for i in items]


def _build_records(kind: str) -> Callable[[Store, str], dict[str, Any]]:
    def build(store: Store, name: str) -> dict[str, Any]:
        return {
            "items": [
                {
                    "id": row["id"],
                    "title": row["title"],
                    "completed_at": row["completed_at"],
                    # The share copy: never a just-for-me part (core/sharing.py).
                    "text": shared(row["record"] or ""),
                }
                for marked, row in store.partners.marked(name)
                if marked.kind == kind
            ]
        }

    return build


def _check_record(item: Any) -> dict[str, Any]:
    _obj(item, {"id", "title", "completed_at", "text"}, where="a record")
    return {
        "id": _id(item["id"]),
        "title": _text(item["title"], 500),
        "completed_at": _text(item["completed_at"], 40),
        "text": _text(item["text"]),
    }


def _record_lines(body: dict[str, Any]) -> list[str]:
    if not body["items"]:
        return ["none"]
    out: list[str] = []
    for item in body["items"]:
        out.append(f"{(item['completed_at'] or '')[:10]}  {item['title']}")
        text = plain_text(item["text"]).strip("\n")
        out.extend(f"    {line}" if line else "" for line in text.split("\n"))
    return out


SECTIONS: dict[str, SectionKind] = {
    kind.name: kind
    for kind in (
        SectionKind(
            "mentorship",
            1,
            "The mentorship",
            _build_mentorship,
            _check_mentorship,
            _mentorship_lines,
        ),
        SectionKind(
            "commitments",
            1,
            "Their commitments",
            _build_commitments,
            lambda body: _items(body, _check_commitment),
            _commitment_lines,
        ),
        SectionKind(
            "records",
            1,
            "Records they sent",
            _build_records("record"),
            lambda body: _items(body, _check_record),
            _record_lines,
        ),
        SectionKind(
            "feedback",
            1,
            "Feedback for you",
            _build_records("feedback"),
            lambda body: _items(body, _check_record),
            _record_lines,
        ),
        agreement.SECTION,
        shared_points.SECTION,
    )
}


# -- making a bundle -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Made:
    data: bytes
    partner: Partner
    seq: int
    counts: dict[str, int]


def _partner(store: Store, name: str) -> Partner:
    found = store.partners.get(name)
    if found is None:
        shown = store.mentorships.find(name).name
        raise Refused(
            f"No partner is linked to {shown!r} yet. Ask them for the line `reflectcoach id` "
            f"prints, then: reflectcoach partner add {shown!r} LINE"
        )
    return found


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make(store: Store, name: str) -> Made:
    """The bundle for the partner of the mentorship `name`: signed, encrypted to them."""
    partner = _partner(store, name)
    me = identity.load_or_create(store)
    sections = {
        kind.name: {"version": kind.version, "body": kind.build(store, name)}
        for kind in SECTIONS.values()
    }
    seq = store.partners.next_sent_seq(partner, at_least=time.time_ns() // 1000)
    payload = json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "from": me.public.as_dict(),
            "to": {"age": partner.age_recipient, "sign": partner.signing_public},
            "seq": seq,
            "made_at": _now(),
            "sections": sections,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    signature = me.sign(MAGIC + payload)
    plain = MAGIC + identity.b64(signature).encode("ascii") + b"\n" + payload
    to = identity.recipient(identity.PublicIdentity(partner.age_recipient, partner.signing_public))
    counts = {n: len(s["body"]["items"]) for n, s in sections.items() if "items" in s["body"]}
    return Made(pyrage.encrypt(plain, [to]), partner, seq, counts)


# -- receiving one -------------------------------------------------------------------------------


@dataclass
class Received:
    partner: Partner
    seq: int
    made_at: str
    already: bool  # the same bundle (or one as new) was received before: nothing changed
    counts: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)


def _decrypt(store: Store, data: bytes) -> bytes:
    if len(data) > MAX_BUNDLE:
        raise Refused("This file is too large to be a reflectcoach bundle; it was not read.")
    if not data.startswith(AGE_MAGIC):
        raise Refused("This file is not a reflectcoach bundle (it is not an age file).")
    me = identity.load(store)
    if me is None:
        raise Refused(
            "You have no identity yet, so no bundle can have been made for you. Send your "
            "partner the line `reflectcoach id` prints, and ask them to share again."
        )
    try:
        return pyrage.decrypt(data, [me.age])
    except pyrage.DecryptError as exc:
        if "no matching keys" in str(exc).lower():
            raise Refused(
                "This bundle is not for you: it was encrypted to someone else's key (or its "
                "first lines were changed). Nothing was changed."
            ) from None
        raise Refused(
            "This bundle is damaged or was changed after it was made: it cannot be read. "
            "Nothing was changed. Ask your partner to share again."
        ) from None


def _split(plain: bytes) -> tuple[bytes, bytes]:
    if not plain.startswith(MAGIC):
        raise Refused(
            "This age file is not a reflectcoach bundle, or was made by a newer version of "
            "reflectcoach (upgrade to read it). Nothing was changed."
        )
    rest = plain[len(MAGIC) :]
    line, sep, payload = rest.partition(b"\n")
    if not sep or len(line) > 100:
        raise Refused("This bundle is not in the expected form. Nothing was changed.")
    try:
        signature = base64.urlsafe_b64decode(line + b"=" * (-len(line) % 4))
    except (binascii.Error, ValueError):
        raise Refused("This bundle's signature is not readable. Nothing was changed.") from None
    return signature, payload


def _parse(payload: bytes) -> dict[str, Any]:
    try:
        found = json.loads(
            payload.decode("utf-8"),
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constants,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _Bad(f"not JSON: {exc}") from None
    return _obj(found, {"format", "version", "from", "to", "seq", "made_at", "sections"})


def _public(value: Any) -> identity.PublicIdentity:
    _obj(value, {"age", "sign"}, where="an identity")
    age, sign = _text(value["age"], 100), _text(value["sign"], 100)
    assert age is not None and sign is not None
    return identity.PublicIdentity(age, sign)


def open_bundle(store: Store, data: bytes) -> Received:
    """Check a bundle and merge it into the mentorship linked to its sender. Refused (with
    the database as it was) when it is not for this person, not from a linked partner,
    changed, or older than one already received."""
    signature, payload = _split(_decrypt(store, data))
    try:
        found = _parse(payload)
        if found["format"] != FORMAT or found["version"] != VERSION:
            raise _Bad("another format or version")
        sender = _public(found["from"])
    except _Bad:
        raise Refused(
            "This bundle's contents are not in the expected form (damaged, or made by another "
            "version of reflectcoach). Nothing was changed."
        ) from None
    partner = store.partners.by_signing_key(sender.signing_public)
    if partner is None:
        raise Refused(
            "This bundle comes from someone you have not linked to a mentorship (identity "
            f"fingerprint {sender.short()}). If it is your partner: reflectcoach partner add "
            "NAME THEIR-ID-LINE. Nothing was changed."
        )
    linked = identity.PublicIdentity(partner.age_recipient, partner.signing_public)
    if not identity.verify(linked, signature, MAGIC + payload):
        raise Refused(
            f"This bundle's signature does not match {partner.name}'s key: it was changed after "
            "it was signed, or it is not from them. Nothing was changed."
        )
    me = identity.load(store)
    assert me is not None
    try:
        to = _public(found["to"])
        seq = _int(found["seq"])
        made_at = _text(found["made_at"], 40)
        assert made_at is not None
        sections, notices = _sections(found["sections"])
    except _Bad as exc:
        raise Refused(
            f"This bundle from {partner.name} is not in the expected form ({exc}). Nothing was "
            "changed."
        ) from None
    if to != me.public:
        raise Refused(
            f"This bundle was signed by {partner.name} for someone else, and passed on to you. "
            "Nothing was changed."
        )
    counts = {
        n: len(b["items"])
        for n, (_v, b) in sections.items()
        if isinstance(b, dict) and "items" in b
    }
    if seq <= partner.received_seq:
        if seq == partner.received_seq:
            return Received(partner, seq, made_at, True, counts, notices)
        raise Refused(
            f"This bundle from {partner.name} is older than one already received (made "
            f"{made_at}; the newer one on {partner.made_at}): it would undo what they shared "
            "since. Nothing was changed."
        )
    try:
        store.partners.receive(partner, seq, made_at, sections)
    except Older as exc:  # another session took a newer one meanwhile
        if exc.same:
            return Received(partner, seq, made_at, True, counts, notices)
        raise Refused(
            f"This bundle from {partner.name} is older than one already received. Nothing was "
            "changed."
        ) from None
    return Received(partner, seq, made_at, False, counts, notices)


def _sections(value: Any) -> tuple[dict[str, tuple[int, Any]], list[str]]:
    if not isinstance(value, dict) or len(value) > 64:
        raise _Bad("its sections are not an object")
    kept: dict[str, tuple[int, Any]] = {}
    notices: list[str] = []
    for name, section in value.items():
        _obj(section, {"version", "body"}, where="a section")
        version = _int(section["version"])
        kind = SECTIONS.get(name)
        if kind is None or version > kind.version:
            notices.append(
                f"It also holds {_text(name, 40)!r}, which this version of reflectcoach does "
                "not know: upgrade to see it."
            )
            continue
        kept[name] = (version, kind.check(section["body"]))
    return kept, notices


# -- the partner's side, to read -------------------------------------------------------------------


def partner_lines(store: Store, name: str, *, full: bool = True) -> list[str]:
    """The section "From NAME" of a mentorship: what the partner last shared, in words."""
    partner = store.partners.get(name)
    if partner is None:
        return []
    if not partner.received_seq:
        lines = [f"From {partner.name}: linked on {partner.linked_at[:10]}; nothing received yet."]
        return lines + _agreement_lines(store, name)
    lines = [
        f"From {partner.name} (shared {partner.made_at or '?'}, received "
        f"{(partner.received_at or '')[:10]}; their words, not yours):"
    ]
    received = store.partners.sections(name)
    for kind in SECTIONS.values():
        section = received.get(kind.name)
        if section is None:
            continue
        shown = kind.lines(section.body)
        if not full and section.name in ("records", "feedback"):
            shown = [line for line in shown if not line.startswith("    ")]
        lines.append(f"  {kind.title}:")
        lines.extend(f"    {line}" if line else "" for line in shown)
    return lines + _agreement_lines(store, name)


def _agreement_lines(store: Store, name: str) -> list[str]:
    """Where the agreement's acceptances stand on this side (nothing when nothing is agreed)."""
    accepted = agreement.status_lines(agreement.standing(store, name))
    return (
        ["  The agreement, as it stands here:", *(f"    {a}" for a in accepted)] if accepted else []
    )


def default_name() -> str:
    """A bundle's file name when the person names none: the time only. Never the partner's
    or the mentorship's name: whoever sees the file on its way learns nothing from it."""
    return f"bundle-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.reflectcoach"


def read_bundle(path: Path, db: Path) -> bytes:
    """The bytes of a bundle file, at most one more than the largest a bundle may be (the
    check says it is too large). Never the database itself (its locks, architecture.md)."""
    from reflectcoach.store.export import refuse_database

    refuse_database(path, db)
    try:
        with path.open("rb") as fp:
            return fp.read(MAX_BUNDLE + 1)
    except IsADirectoryError:
        raise Refused(f"{path} is a folder, not a bundle.") from None
    except OSError as exc:
        raise Refused(f"Could not read {path}: {exc.strerror or exc}") from None
