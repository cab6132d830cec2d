"""A database key, kept out of every repr, message and traceback.

Imports no SQLCipher: front ends hold a Key before they know whether the file needs one, and
the plaintext path must never load sqlcipher3 (start-up time).
"""

from __future__ import annotations

import os
import re

# SQLCipher 4's defaults (cipher_default_kdf_iter, PBKDF2-HMAC-SHA512, a 16-byte salt at the
# start of the file): deriving it here gives the same key SQLCipher would, once per file per
# process instead of once per connection (the app and plain mode open one per thread).
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16

# SQLCipher's own syntax for a raw key given as the passphrase: x'<64 hex digits>'.
_RAW = re.compile(r"x'([0-9a-fA-F]{64})'")


class Key:
    """A passphrase (stretched with the file's salt) or a raw 32-byte key (no derivation:
    what "remember on this machine" keeps). `repr` and `str` never show either."""

    __slots__ = ("_derived", "_passphrase", "_raw")

    def __init__(self, *, passphrase: str | None = None, raw: bytes | None = None) -> None:
        if (passphrase is None) == (raw is None):
            raise ValueError("a Key is a passphrase or a raw key")
        if raw is not None and len(raw) != KEY_BYTES:
            raise ValueError(f"a raw key is {KEY_BYTES} bytes")
        self._passphrase = passphrase
        self._raw = raw
        self._derived: dict[bytes, bytes] = {}

    @classmethod
    def from_passphrase(cls, text: str) -> Key:
        match = _RAW.fullmatch(text)
        if match:  # as SQLCipher itself reads it: a raw key for scripts and tests
            return cls(raw=bytes.fromhex(match.group(1)))
        return cls(passphrase=text)

    @classmethod
    def from_hex(cls, text: str) -> Key:
        return cls(raw=bytes.fromhex(text))

    def __repr__(self) -> str:
        return "Key(<hidden>)"

    __str__ = __repr__

    def __reduce__(self) -> object:
        raise TypeError("a Key is not pickled")

    def raw_for(self, salt: bytes) -> bytes:
        """The 32-byte key for a file with this salt (the slow derivation happens once)."""
        if self._raw is not None:
            return self._raw
        derived = self._derived.get(salt)
        if derived is None:
            import hashlib  # here: a raw key (a session's, a remembered one) never needs it

            assert self._passphrase is not None
            derived = hashlib.pbkdf2_hmac(
                "sha512", self._passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES
            )
            self._derived[salt] = derived
        return derived

    def pragma_for(self, salt: bytes | None) -> str:
        """The value for `PRAGMA key` / `ATTACH ... KEY`: the salt of an existing file, or None
        for a new one (a fresh salt is chosen and given with the key, as SQLCipher allows)."""
        if salt is None:
            if self._raw is not None:
                return f"x'{self._raw.hex()}'"  # SQLCipher picks the salt
            salt = os.urandom(SALT_BYTES)
            return f"x'{self.raw_for(salt).hex()}{salt.hex()}'"
        return f"x'{self.raw_for(salt).hex()}'"
