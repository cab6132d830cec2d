""" "Remember on this machine": a database's raw key kept in the OS keyring (`keyring`).

What is kept is the derived 32-byte key for that file (hex), not the passphrase: opening with
it skips the deliberately slow derivation, and the passphrase itself is never stored. It is
filed under the database's resolved path. Where no keyring is available (`keyring`'s fail
backend, a headless machine) nothing is kept and the person is told so; nothing fails.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from reflectcoach.store.key import Key

SERVICE = "reflectcoach"


def _name(db: Path) -> str:
    return str(db.expanduser().resolve())


def available() -> bool:
    """Whether a real keyring backend is there (not the fail or null backend)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and backend.priority > 0
    except Exception:  # a broken keyring install is "no keyring", never a failure
        return False


def recall(db: Path) -> Key | None:
    if not available():
        return None
    import keyring

    try:
        stored = keyring.get_password(SERVICE, _name(db))
    except Exception:
        return None
    if not stored:
        return None
    try:
        return Key.from_hex(stored)
    except ValueError:
        return None  # not ours: ignored, the person is asked


def remember(db: Path, key: Key, salt: bytes) -> bool:
    """Keep the key for the file with `salt`; False where there is no keyring."""
    if not available():
        return False
    import keyring

    try:
        keyring.set_password(SERVICE, _name(db), key.raw_for(salt).hex())
    except Exception:
        return False
    return True


def forget(db: Path) -> None:
    """Drop a remembered key (after a wrong one, a rekey or a decrypt)."""
    if not available():
        return
    import keyring

    with contextlib.suppress(Exception):
        keyring.delete_password(SERVICE, _name(db))
