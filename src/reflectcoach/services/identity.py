"""A person's identity for the exchange with their partner: an age X25519 key pair (pyrage)
so that only the partner can read what is sent, and an Ed25519 signing key (`cryptography`)
so that the partner knows who sent it.

The public half is one line to send (`reflectcoach id`):

    reflectcoach-id:1:<age recipient>:<Ed25519 public key, base64url>:<checksum>

The checksum (8 hex digits of SHA-256 over what comes before it) catches a line cut short or
mistyped when it is pasted. The secret halves live in the OS keyring where there is one
(filed under the public signing key), else in the database (`identity` table): then anyone
who can read a plaintext database can send in the person's name and read what is sent to
them, which the README says. They are never in an export or a bundle.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyrage

from reflectcoach.core.errors import UserError
from reflectcoach.services import remember

if TYPE_CHECKING:
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from reflectcoach.store import Store

PREFIX = "reflectcoach-id"
VERSION = "1"
MAX_LINE = 300
_LINE = re.compile(
    r"reflectcoach-id:1:(age1[02-9ac-hj-np-z]{58}):([A-Za-z0-9_-]{43}):([0-9a-f]{8})"
)
KEYRING_PREFIX = "identity:"


class IdentityProblem(UserError):
    """An identity line that cannot be used, or secret keys that cannot be found."""


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _checksum(body: str) -> str:
    return hashlib.sha256(body.encode("ascii")).hexdigest()[:8]


@dataclass(frozen=True, slots=True)
class PublicIdentity:
    age_recipient: str  # age1...
    signing_public: str  # base64url of the raw 32-byte Ed25519 public key

    def line(self) -> str:
        body = f"{PREFIX}:{VERSION}:{self.age_recipient}:{self.signing_public}"
        return f"{body}:{_checksum(body)}"

    def short(self) -> str:
        """A fingerprint to read aloud and compare: 4 groups of 4 hex digits."""
        digest = hashlib.sha256(self.line().encode("ascii")).hexdigest()[:16]
        return " ".join(digest[i : i + 4] for i in range(0, 16, 4))

    def as_dict(self) -> dict[str, str]:
        return {"age": self.age_recipient, "sign": self.signing_public}


def parse(line: str) -> PublicIdentity:
    """The identity line a partner sent; IdentityProblem saying what is wrong with it."""
    text = line.strip()
    if len(text) > MAX_LINE:
        raise IdentityProblem("That is too long to be a reflectcoach identity line.")
    if not text.startswith(f"{PREFIX}:"):
        raise IdentityProblem(
            "That is not a reflectcoach identity: it starts with 'reflectcoach-id:'. Ask your "
            "partner for the line `reflectcoach id` prints."
        )
    if not text.startswith(f"{PREFIX}:{VERSION}:"):
        raise IdentityProblem(
            "That identity was made by another version of reflectcoach; upgrade to link it."
        )
    found = _LINE.fullmatch(text)
    if found is None:
        raise IdentityProblem(
            "That identity line is cut short or has a character changed: copy it again, whole."
        )
    age_recipient, signing, checksum = found.groups()
    if _checksum(text.rsplit(":", 1)[0]) != checksum:
        raise IdentityProblem(
            "That identity line's checksum does not match: a character was changed or lost "
            "on the way. Copy it again, whole."
        )
    try:
        _recipient(age_recipient)
        _verifier(signing)
    except ValueError:
        raise IdentityProblem("That identity line holds keys that are not valid.") from None
    return PublicIdentity(age_recipient, signing)


def _recipient(text: str) -> pyrage.x25519.Recipient:
    try:
        return pyrage.x25519.Recipient.from_str(text)
    except pyrage.RecipientError as exc:
        raise ValueError(str(exc)) from None


def _verifier(text: str):  # -> Ed25519PublicKey
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        raw = unb64(text)
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("not 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def recipient(public: PublicIdentity) -> pyrage.x25519.Recipient:
    return _recipient(public.age_recipient)


def verify(public: PublicIdentity, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        _verifier(public.signing_public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class Identity:
    """This person's identity, secret halves included: never printed, never exported."""

    age: pyrage.x25519.Identity
    signing: Ed25519PrivateKey
    where: str  # "keyring" | "database"

    @property
    def public(self) -> PublicIdentity:
        return PublicIdentity(str(self.age.to_public()), b64(_raw_public(self.signing)))

    def sign(self, message: bytes) -> bytes:
        return self.signing.sign(message)

    def __repr__(self) -> str:
        return f"Identity({self.public.line()!r}, secrets in the {self.where})"


def _raw_public(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _raw_private(key: Ed25519PrivateKey) -> bytes:
    from cryptography.hazmat.primitives import serialization

    return key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )


def _secrets(age_secret: str, signing_secret: str, where: str) -> Identity:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Identity(
        pyrage.x25519.Identity.from_str(age_secret),
        Ed25519PrivateKey.from_private_bytes(unb64(signing_secret)),
        where,
    )


def _keyring_name(signing_public: str) -> str:
    return f"{KEYRING_PREFIX}{signing_public}"


def load(store: Store) -> Identity | None:
    """This person's identity, or None when they have none yet. IdentityProblem when its
    secret keys were in the keyring and are not there now."""
    row = store.partners.identity()
    if row is None:
        return None
    if row.secret_where == "database":
        assert row.age_secret is not None and row.signing_secret is not None
        return _secrets(row.age_secret, row.signing_secret, "database")
    stored = None
    if remember.available():
        import keyring

        with contextlib.suppress(Exception):
            stored = keyring.get_password(remember.SERVICE, _keyring_name(row.signing_public))
    if not stored:
        raise IdentityProblem(
            "Your identity's secret keys were kept in this machine's keyring, and the keyring "
            "does not have them now (another machine, or a keyring that was reset). Without "
            "them nothing can be sent in your name or read: see 'A lost key' in the README."
        )
    found = json.loads(stored)
    return _secrets(found["age"], found["sign"], "keyring")


def load_or_create(store: Store) -> Identity:
    """This person's identity, made on first use: secret keys in the OS keyring where there
    is one, else in the database."""
    found = load(store)
    if found is not None:
        return found
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    made = Identity(pyrage.x25519.Identity.generate(), Ed25519PrivateKey.generate(), "keyring")
    return _keep(store, str(made.age), b64(_raw_private(made.signing)))


def adopt(store: Store, age_secret: str, signing_secret: str) -> Identity:
    """Keep the identity another device of this person carried here (sync pairing): the same
    person, so the same keys. IdentityProblem when this device already has another one."""
    try:
        carried = _secrets(age_secret, signing_secret, "keyring")
    except Exception:  # pyrage's and cryptography's own errors for a key that is not one
        raise IdentityProblem(
            "The identity carried from your other device is not readable."
        ) from None
    found = load(store)
    if found is not None:
        if found.public == carried.public:
            return found
        raise IdentityProblem(
            "This device already has an identity of its own (made for sharing with a partner "
            "here), not the one your other device carries. Pair into a database without one, "
            "or replace it first: reflectcoach id --new (partners linked to it must then link "
            "the new line)."
        )
    return _keep(store, age_secret, signing_secret)


def _keep(store: Store, age_secret: str, signing_secret: str) -> Identity:
    """Secret keys in the OS keyring where there is one, else in the database."""
    made = _secrets(age_secret, signing_secret, "keyring")
    public = made.public
    kept = False
    if remember.available():
        import keyring

        try:
            keyring.set_password(
                remember.SERVICE,
                _keyring_name(public.signing_public),
                json.dumps({"age": age_secret, "sign": signing_secret}),
            )
            kept = True
        except Exception:
            kept = False
    store.partners.save_identity(
        public.age_recipient,
        public.signing_public,
        age_secret=None if kept else age_secret,
        signing_secret=None if kept else signing_secret,
    )
    result = load(store)
    assert result is not None
    return result


def replace(store: Store) -> Identity:
    """A new identity in place of the one there (lost from the keyring, or exposed): its
    secret keys are forgotten here and in the keyring. Partners must link the new line."""
    row = store.partners.identity()
    if row is not None and row.secret_where == "keyring" and remember.available():
        import keyring

        with contextlib.suppress(Exception):
            keyring.delete_password(remember.SERVICE, _keyring_name(row.signing_public))
    store.partners.forget_identity()
    return load_or_create(store)
