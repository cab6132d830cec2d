"""Pairing a new device through the synced folder, with a code the person types.

On a device already set up, `reflectcoach sync pair` makes a code of 12 letters and digits
(60 bits, grouped `ABCD-EFGH-JKMN`) and writes `pairing/<name>.rcpair`: the person's
identity, encrypted (ChaCha20-Poly1305) with a key derived from the code by scrypt
(n=2^15, r=8, p=1) and a random salt. The file's name is derived from the code too, so the
new device finds it from the code alone. On the new device, `reflectcoach sync join DIR CODE`
reads it, checks it, keeps the identity in its own key store, makes its own device key and
card, deletes the offer and syncs. An offer is good for an hour; nothing else in the folder
holds a secret key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from pathlib import Path

from reflectcoach.core.errors import UserError

from . import envelope
from .keys import Person, b64, unb64

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 12
LIFETIME = dt.timedelta(hours=1)
MAX_OFFER = 4096
SCRYPT = {"n": 2**15, "r": 8, "p": 1}


class PairingProblem(UserError):
    """A code that opens no offer, or an offer that cannot be used."""


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalise(code: str) -> str:
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        raise PairingProblem(
            f"A pairing code is {LENGTH} letters and digits, like ABCD-EFGH-JKMN: "
            "type it as `reflectcoach sync pair` printed it."
        )
    return text


def offer_path(folder: Path, code: str) -> Path:
    name = hashlib.sha256(f"reflectcoach-pair|{normalise(code)}".encode()).hexdigest()[:24]
    return folder / "pairing" / f"{name}.rcpair"


def _key(code: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, **SCRYPT).derive(normalise(code).encode("ascii"))


def offer(folder: Path, person: Person, device_name: str, now: dt.datetime | None = None) -> str:
    """Write an offer to the folder; the code to type on the new device."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    code = new_code()
    salt, nonce = os.urandom(16), os.urandom(12)
    expires = ((now or dt.datetime.now(dt.UTC)) + LIFETIME).isoformat(timespec="seconds")
    plain = json.dumps({**person.secrets(), "from": device_name, "expires": expires}).encode()
    header = {"format": 1, "salt": b64(salt), "nonce": b64(nonce), "expires": expires}
    sealed = ChaCha20Poly1305(_key(code, salt)).encrypt(
        nonce, plain, json.dumps(header, sort_keys=True).encode()
    )
    data = json.dumps({**header, "sealed": b64(sealed)}, sort_keys=True).encode()
    envelope.write_new(offer_path(folder, code), data)
    return code


def accept(folder: Path, code: str, now: dt.datetime | None = None) -> tuple[Person, str]:
    """The person's identity from the offer `code` opens, and the offering device's name.
    The offer stays until the caller has kept the identity (then `used`)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    path = offer_path(folder, code)
    if not path.exists():
        raise PairingProblem(
            f"No pairing offer for that code in {folder} yet. Check the code, and that the "
            "folder has finished syncing from the other device; then try again."
        )
    try:
        data = json.loads(envelope.read_bounded(path, MAX_OFFER).decode("utf-8"))
        header = {k: data[k] for k in ("format", "salt", "nonce", "expires")}
        salt, nonce, sealed = unb64(data["salt"]), unb64(data["nonce"]), unb64(data["sealed"])
    except (
        envelope.Refused,
        UnicodeDecodeError,
        json.JSONDecodeError,
        KeyError,
        TypeError,
        ValueError,
    ):
        raise PairingProblem("The pairing offer is not whole yet, or not one we write.") from None
    if header["format"] != 1 or len(salt) != 16 or len(nonce) != 12:
        raise PairingProblem("The pairing offer is not one this version reads.")
    try:
        plain = ChaCha20Poly1305(_key(code, salt)).decrypt(
            nonce, sealed, json.dumps(header, sort_keys=True).encode()
        )
    except InvalidTag:
        raise PairingProblem("That code does not open the pairing offer: check it.") from None
    found = json.loads(plain)
    expires = dt.datetime.fromisoformat(found["expires"])
    if (now or dt.datetime.now(dt.UTC)) > expires:
        raise PairingProblem(
            "That pairing offer has expired (an offer is good for an hour): run "
            "`reflectcoach sync pair` again on the other device."
        )
    person = Person.from_secrets(found)
    name = "".join(ch for ch in str(found.get("from", "")) if ch.isprintable())[:40]
    return person, name or "your other device"


def remove_expired(folder: Path, now: dt.datetime | None = None) -> None:
    """Offers past their hour, deleted by whichever device syncs."""
    pairing = folder / "pairing"
    if not pairing.is_dir():
        return
    moment = now or dt.datetime.now(dt.UTC)
    for path in pairing.glob("*.rcpair"):
        try:
            data = json.loads(envelope.read_bounded(path, MAX_OFFER).decode("utf-8"))
            if moment > dt.datetime.fromisoformat(data["expires"]):
                path.unlink(missing_ok=True)
        except (
            envelope.Refused,
            UnicodeDecodeError,
            json.JSONDecodeError,
            KeyError,
            TypeError,
            ValueError,
            OSError,
        ):
            continue


def used(folder: Path, code: str) -> None:
    offer_path(folder, code).unlink(missing_ok=True)
