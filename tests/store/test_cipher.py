"""Encryption at rest (store/cipher.py, key.py, convert.py): keys, refusals, conversions.

These manage their own keys (plaintext and encrypted side by side), so they run once.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError
from reflectcoach.store.cipher import WrongPassphrase
from reflectcoach.store.convert import ConversionRefused, convert, temp_path
from reflectcoach.store.export import write_json
from reflectcoach.store.files import Encrypted, NotEncrypted
from reflectcoach.store.key import Key
from reflectcoach.store.leases import Lease

from .helpers import WEEKLY, run

pytestmark = pytest.mark.plaintext

PASSPHRASE = "correct horse battery staple"
ANSWERS = ("a secret about my manager Zenobia", "kintsugi-of-the-heart", "Grow as a lead")


def _filled(path: Path, key: Key | None) -> None:
    with Store.open(path, key=key) as store:
        for n, text in enumerate(ANSWERS):
            steps = [*WEEKLY]
            steps[0] = (steps[0][0], steps[0][1], "text", text, None)
            run(store, steps, mentorship=f"Person {n}")


def _export_hash(path: Path, key: Key | None) -> str:
    out = io.StringIO()
    with Store.open(path, key=key) as store:
        write_json(store, out)
    return hashlib.sha256(out.getvalue().encode()).hexdigest()


def _files(path: Path) -> dict[str, str]:
    """Every file beside the database, by name, with a hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file()
    }


def test_a_passphrase_opens_what_it_created_and_only_that(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(PASSPHRASE))
    assert not db.read_bytes().startswith(b"SQLite format 3")
    with Store.open(db, key=Key.from_passphrase(PASSPHRASE)) as store:
        assert store.encrypted
        assert store.count() == len(ANSWERS)
        assert {h["conversation_id"] for h in store.search("Zenobia")}


def test_our_derivation_is_sqlciphers_own(tmp_path: Path) -> None:
    """A file keyed through our cached PBKDF2 opens with SQLCipher's own passphrase KDF."""
    import sqlcipher3.dbapi2 as sqlcipher

    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(PASSPHRASE))
    conn = sqlcipher.connect(str(db))
    conn.execute("PRAGMA key = ?".replace("?", "'" + PASSPHRASE + "'"))
    assert conn.execute("SELECT count(*) FROM conversations").fetchone()[0] == len(ANSWERS)
    conn.close()


def test_wrong_passphrase_is_said_and_leaves_every_byte(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(PASSPHRASE))
    before = _files(db)
    for attempt in ("not-it-4821", "Correct horse battery staple", PASSPHRASE + " "):
        with pytest.raises(WrongPassphrase) as caught:
            Store.open(db, key=Key.from_passphrase(attempt))
        assert "wrong passphrase, or not a reflectcoach database" in str(caught.value)
        assert attempt not in str(caught.value)
    assert _files(db) == before


def test_encrypted_without_a_key_and_plaintext_with_one_are_said_plainly(tmp_path: Path) -> None:
    secret = tmp_path / "secret.db"
    _filled(secret, Key.from_passphrase(PASSPHRASE))
    plain = tmp_path / "plain.db"
    _filled(plain, None)
    before = _files(secret)
    with pytest.raises(Encrypted, match="is encrypted"):
        Store.open(secret)
    with pytest.raises(NotEncrypted, match="is not encrypted, but a passphrase was given"):
        Store.open(plain, key=Key.from_passphrase(PASSPHRASE))
    assert _files(secret) == before


def test_the_encrypted_bytes_hold_no_answer(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(PASSPHRASE))
    with Store.open(db, key=Key.from_passphrase(PASSPHRASE)) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    words = [word for text in ANSWERS for word in text.split() if len(word) > 4]
    for needle in [*ANSWERS, *words, "Person", "weekly", "conversations"]:
        assert needle.encode() not in data, needle
        assert needle.encode("utf-16-le") not in data, needle
    tool = shutil.which("strings")
    if tool is not None:
        found = subprocess.run([tool, "-a", str(db)], capture_output=True, text=True).stdout
        for needle in [*words, "Person", "conversations", "CREATE TABLE"]:
            assert needle not in found, needle
    # The same data in plaintext does show them: the search above can fail.
    plain = tmp_path / "plain" / "r.db"
    _filled(plain, None)
    assert ANSWERS[0].encode() in b"".join(p.read_bytes() for p in plain.parent.iterdir())


def test_key_never_shows_itself() -> None:
    key = Key.from_passphrase(PASSPHRASE)
    raw = Key(raw=bytes(range(32)))
    for shown in (repr(key), str(key), f"{key}", repr([key, raw])):
        assert PASSPHRASE not in shown
        assert bytes(range(32)).hex() not in shown
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(key)


def test_a_raw_key_in_sqlciphers_syntax_needs_no_derivation(tmp_path: Path) -> None:
    raw = "x'" + "ab" * 32 + "'"
    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(raw))
    with Store.open(db, key=Key(raw=bytes.fromhex("ab" * 32))) as store:
        assert store.count() == len(ANSWERS)


def test_encrypt_decrypt_rekey_round_trip_keeps_every_row(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, None)
    exported = _export_hash(db, None)
    first, second = Key.from_passphrase(PASSPHRASE), Key.from_passphrase("second one")

    done = convert(db, None, first)
    assert done.rows["conversations"] == len(ANSWERS)
    assert done.rows["answers"] == len(ANSWERS) * len(WEEKLY)
    assert not db.read_bytes().startswith(b"SQLite format 3")
    assert _export_hash(db, first) == exported
    assert not temp_path(db).exists()

    assert convert(db, first, second).rows == done.rows
    with pytest.raises(WrongPassphrase):
        Store.open(db, key=first)
    assert _export_hash(db, second) == exported

    assert convert(db, second, None).rows == done.rows
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert _export_hash(db, None) == exported
    with Store.open(db) as store:  # still searchable, still writable
        assert store.search("Zenobia")
        run(store, WEEKLY, mentorship="After")


def test_conversion_with_a_wrong_key_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, Key.from_passphrase(PASSPHRASE))
    before = _files(db)
    with pytest.raises(WrongPassphrase):
        convert(db, Key.from_passphrase("nope"), None)
    assert _files(db) == before


def test_conversion_refuses_while_a_session_holds_a_conversation(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, None)
    with Store.open(db) as store:
        held = store.conversations(limit=1)[0]["id"]
        store.leases.take(held, Lease.new())  # this process is alive: the lease is live
    before = _files(db)
    with pytest.raises(ConversionRefused, match="open in another session"):
        convert(db, None, Key.from_passphrase(PASSPHRASE))
    assert _files(db) == before
    assert not temp_path(db).exists()


def test_conversion_refuses_while_another_program_has_it_open(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _filled(db, None)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM conversations').fetchone(); "
            "print('open', flush=True); sys.stdin.read()",
            str(db),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ConversionRefused, match="has the reflection database"):
            convert(db, None, Key.from_passphrase(PASSPHRASE))
    finally:
        holder.communicate("", timeout=30)
    assert db.read_bytes().startswith(b"SQLite format 3")
    assert not temp_path(db).exists()


def test_nothing_to_convert_is_said(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="Nothing to convert"):
        convert(tmp_path / "r.db", None, None)


def test_the_plaintext_path_never_loads_sqlcipher(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from reflectcoach.store import Store\n"
        f"with Store.open({str(tmp_path / 'r.db')!r}) as s:\n"
        "    s.count()\n"
        "print('sqlcipher3' in sys.modules)\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "False", found.stderr
