"""Keys for syncing: the person's identity and this device's own Ed25519 signing key.

The person's identity is the one of "Two people, one mentorship" (services/identity.py): an
age X25519 key pair, so that only the person's own devices read the change log, and an
Ed25519 key, which here vouches for each of their devices. Pairing carries it to a new
device (`identity.adopt`). Its secret halves are kept where services/identity.py keeps them
(the OS keyring, else the database).

This device's own signing key is kept behind `KeyStore`: the OS keyring where there is one,
else the database (`sync_settings`; anyone who can read a plaintext database can then write
in this device's name: encrypt the database, or keep a keyring). No secret key is ever
written to the synced folder, except the identity inside a pairing file encrypted with a key
derived from the code the person types (sync/pairing.py).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import pyrage

from reflectcoach.core.errors import UserError
from reflectcoach.services import identity, remember

if TYPE_CHECKING:
    import pyrage
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

    from reflectcoach.store import Store

SERVICE = "reflectcoach-sync"


class KeyProblem(UserError):
    """Keys that cannot be found or read."""


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ValueError("not base64") from None


def verifier(text: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    raw = unb64(text)
    if len(raw) != 32:
        raise ValueError("not an Ed25519 public key")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify(public: str, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature

    try:
        verifier(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def _signing_from(text: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = unb64(text)
    if len(raw) != 32:
        raise ValueError("not an Ed25519 secret key")
    return Ed25519PrivateKey.from_private_bytes(raw)


def _signing_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return b64(
        key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    )


def public_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives import serialization

    return b64(
        key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


@dataclass(frozen=True)
class Person:
    """The person's identity, secret halves included: never printed, never exported."""

    age_identity: pyrage.x25519.Identity
    signing_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Person:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        return cls(pyrage.x25519.Identity.generate(), Ed25519PrivateKey.generate())

    @property
    def age_recipient(self) -> str:
        return str(self.age_identity.to_public())

    @property
    def signing_public(self) -> str:
        return public_text(self.signing_key)

    def secrets(self) -> dict[str, str]:
        return {"age": str(self.age_identity), "sign": _signing_text(self.signing_key)}

    @classmethod
    def from_secrets(cls, found: dict[str, str]) -> Person:
        try:
            return cls(pyrage.x25519.Identity.from_str(found["age"]), _signing_from(found["sign"]))
        except (KeyError, ValueError, TypeError, pyrage.IdentityError):
            raise KeyProblem("The keys kept for syncing are not readable.") from None

    def __repr__(self) -> str:
        return f"Person(age={self.age_recipient})"

    @classmethod
    def of(cls, found: identity.Identity) -> Person:
        return cls(found.age, found.signing)


def person_for_init(store: Store) -> Person:
    """The person's identity, made now if they have none yet."""
    return Person.of(identity.load_or_create(store))


def person_from_pairing(store: Store, carried: Person) -> Person:
    """Keep the identity a pairing offer carried, as this person's identity here."""
    found = carried.secrets()
    return Person.of(identity.adopt(store, found["age"], found["sign"]))


class KeyStore(Protocol):
    where: str

    def get(self, name: str) -> str | None: ...

    def put(self, name: str, value: str) -> None: ...


class InDatabase:
    """Secret keys in the database's sync_settings (no keyring on this machine)."""

    where = "the database"

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, name: str) -> str | None:
        return self.store.sync.setting(f"secret.{name}")

    def put(self, name: str, value: str) -> None:
        self.store.sync.set_settings({f"secret.{name}": value})


class InKeyring:
    """Secret keys in the OS keyring, filed under this device's id."""

    where = "the keyring"

    def __init__(self, device: str) -> None:
        self.device = device

    def get(self, name: str) -> str | None:
        import keyring

        try:
            return keyring.get_password(SERVICE, f"{self.device}:{name}")
        except Exception:
            return None

    def put(self, name: str, value: str) -> None:
        import keyring

        try:
            keyring.set_password(SERVICE, f"{self.device}:{name}", value)
        except Exception as exc:
            raise KeyProblem(f"The keyring refused the sync keys: {exc}") from None


def key_store(store: Store, device: str) -> KeyStore:
    """Where this device keeps its secret keys: as chosen when it was set up."""
    if store.sync.setting("key_store") == "keyring":
        return InKeyring(device)
    return InDatabase(store)


def choose_key_store(store: Store, device: str) -> KeyStore:
    chosen: KeyStore = InKeyring(device) if remember.available() else InDatabase(store)
    store.sync.set_settings({"key_store": "keyring" if chosen.where == "the keyring" else "db"})
    return chosen


@dataclass(frozen=True)
class Device:
    """This device: its id (16 hex digits, also its folder's name), a name to show (the
    host's), and its own signing key."""

    id: str
    name: str
    signing_key: Ed25519PrivateKey

    @classmethod
    def generate(cls) -> Device:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        name = "".join(ch for ch in socket.gethostname() if ch.isprintable())[:40] or "device"
        return cls(secrets.token_hex(8), name, Ed25519PrivateKey.generate())

    @property
    def signing_public(self) -> str:
        return public_text(self.signing_key)

    def __repr__(self) -> str:
        return f"Device({self.id}, {self.name!r})"


def save(store: Store, keys: KeyStore, person: Person, device: Device) -> None:
    """This device's key, and which identity and device this database syncs as."""
    keys.put("device.sign", _signing_text(device.signing_key))
    store.sync.set_settings(
        {
            "device": device.id,
            "device_name": device.name,
            "person_age": person.age_recipient,
            "person_sign": person.signing_public,
        }
    )


def load(store: Store) -> tuple[Person, Device]:
    device_id = store.sync.setting("device")
    if device_id is None:
        raise KeyProblem("Syncing is not set up here: `reflectcoach sync init DIR` sets it up.")
    try:
        found = identity.load(store)
    except identity.IdentityProblem as exc:
        raise KeyProblem(str(exc)) from None
    if found is None:
        raise KeyProblem("Your identity is gone from this database: pair this device again.")
    person = Person.of(found)
    if person.signing_public != store.sync.setting("person_sign"):
        raise KeyProblem(
            "Your identity changed since syncing was set up here (reflectcoach id --new): "
            "your other devices do not know it. Set syncing up again with a new folder."
        )
    keys = key_store(store, device_id)
    mine = keys.get("device.sign")
    if mine is None:
        raise KeyProblem(
            f"This device's sync key is missing from {keys.where}. Pair it again: "
            "`reflectcoach sync join DIR CODE`."
        )
    try:
        device_key = _signing_from(mine)
    except ValueError:
        raise KeyProblem("This device's sync key is not readable.") from None
    name = store.sync.setting("device_name") or device_id
    return person, Device(device_id, name, device_key)
