"""Files that are ours but not as we left them: loose modes, a umask of 000, a schema number
from the future, a write-ahead log cut short or overwritten. Real processes on real files;
whatever is refused is compared byte for byte before and after."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError
from reflectcoach.store.migrations import KNOWN

from .helpers import WEEKLY, run

SCHEMA_VERSION = len(KNOWN)  # the schema number is the count of migrations

SCRIPTS = Path(__file__).parents[1] / "engine"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digests(*paths: Path) -> dict[str, str | None]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None for p in paths
    }


def env_for(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.pop("REFLECTCOACH_SCRIPTS", None)
    env.pop("REFLECTCOACH_DB", None)
    return env


def cli(
    tmp_path: Path, *args: str, stdin: str = "", umask: int | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--scripts", str(SCRIPTS), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        timeout=60,
        preexec_fn=None if umask is None else (lambda: os.umask(umask)),
    )


# -- modes -------------------------------------------------------------------------------


def test_default_folder_and_database_are_tightened_and_said_once(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "reflectcoach"
    folder.mkdir(parents=True)
    db = folder / "reflections.db"
    with Store.open(db) as store:
        run(store, WEEKLY)
    os.chmod(folder, 0o755)
    os.chmod(db, 0o644)

    first = cli(tmp_path, "list")
    assert first.returncode == 0, first.stderr
    assert mode(folder) == 0o700
    assert mode(db) == 0o600
    assert first.stderr.count("made these private") == 1
    assert str(db) in first.stderr and "0644 -> 0600" in first.stderr
    assert "0755 -> 0700" in first.stderr

    again = cli(tmp_path, "list")
    assert again.returncode == 0 and "private" not in again.stderr


def test_a_chosen_folder_keeps_its_mode_but_the_database_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    db = folder / "r.db"
    Store.open(db).close()
    os.chmod(db, 0o644)
    with Store.open(db) as store:
        assert store.notices and str(db) in store.notices[0]
    assert mode(folder) == 0o755  # the person's folder: other files live there
    assert mode(db) == 0o600


def test_umask_000_leaves_nothing_others_can_read_or_write(tmp_path: Path) -> None:
    answers = "Ana\n2\nGrow as a lead\n\ntime, fear\n4\ny\n2.5\n"
    started = cli(tmp_path, "start", "every_type", "--plain", stdin=answers, umask=0)
    assert started.returncode == 0, started.stderr
    assert cli(tmp_path, "scripts", umask=0).returncode == 0
    out = tmp_path / "all.json"
    exported = cli(tmp_path, "export", "-o", str(out), umask=0)
    assert exported.returncode == 0, exported.stderr

    made = [
        p
        for top in ("config", "data", "cache")
        for p in [tmp_path / top, *(tmp_path / top).rglob("*")]
        if p.exists()
    ] + [out]
    assert any(p.name == "scripts.json" for p in made)  # the script cache was written
    assert any(p.name == "reflections.db" for p in made)
    loose = {str(p.relative_to(tmp_path)): oct(mode(p)) for p in made if mode(p) & 0o077}
    assert loose == {}


# -- the schema number ---------------------------------------------------------------------


@pytest.mark.plaintext
def test_new_database_records_its_schema_number(db_path: Path) -> None:
    Store.open(db_path).close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.plaintext
def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        run(store, WEEKLY)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digests(db, db.with_name("r.db-wal"), db.with_name("r.db-shm"))

    result = cli(tmp_path, "--db", str(db), "list")
    assert result.returncode != 0
    assert "newer version of reflectcoach" in result.stderr
    assert "Traceback" not in result.stderr
    assert digests(db, db.with_name("r.db-wal"), db.with_name("r.db-shm")) == before
    with pytest.raises(StoreError, match="newer version"):
        Store.open(db)


# -- a write-ahead log a crash left behind -------------------------------------------------

WRITER = """
import os, signal, sys
from reflectcoach.store import Store
sys.path.insert(0, {tests!r})
from store.helpers import WEEKLY, run
store = Store.open({db!r})
for n in range(12):
    run(store, WEEKLY, mentorship=f"Person {{n}}")
os.kill(os.getpid(), signal.SIGKILL)  # no checkpoint, no close: the commits are in the log
"""


def killed_writer(db: Path) -> Path:
    """A database whose last commits are only in its -wal, as a crash leaves it."""
    code = textwrap.dedent(WRITER).format(tests=str(Path(__file__).parents[1]), db=str(db))
    subprocess.run([sys.executable, "-c", code], timeout=60, check=False)
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 32
    return wal


@pytest.mark.plaintext
def test_a_crash_leftover_log_is_recovered(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    killed_writer(db)
    with Store.open(db) as store:
        assert len(store.conversations(limit=None)) == 12


@pytest.mark.plaintext
@pytest.mark.parametrize(
    ("damage", "says"),
    [
        ("truncated", "ends part way through frame"),
        ("header", "header is not a write-ahead log header"),
        ("middle", "is corrupt and a commit written after it"),
    ],
)
def test_a_damaged_log_is_refused_untouched(tmp_path: Path, damage: str, says: str) -> None:
    db = tmp_path / "r.db"
    wal = killed_writer(db)
    data = wal.read_bytes()
    page = int.from_bytes(data[8:12], "big")
    if damage == "truncated":
        wal.write_bytes(data[: len(data) - page // 2])  # the last commit, cut mid-page
    elif damage == "header":
        wal.write_bytes(b"\x00" * 32 + data[32:])
    else:
        frame = 32 + 2 * (24 + page) + 24 + 100  # inside the third frame's page
        wal.write_bytes(data[:frame] + bytes([data[frame] ^ 0xFF]) + data[frame + 1 :])
    files = (db, wal, db.with_name("r.db-shm"))
    before = digests(*files)

    result = cli(tmp_path, "--db", str(db), "list")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert says in message
    assert str(wal) in message and "has not touched" in message
    assert digests(*files) == before
    with pytest.raises(StoreError, match="write-ahead log"):
        Store.open(db)
    assert digests(*files) == before


SPILLING_WRITER = """
import os, signal, sys
from reflectcoach.store import Store
sys.path.insert(0, {tests!r})
from store.helpers import WEEKLY, run
store = Store.open({db!r})
for n in range(3):
    run(store, WEEKLY, mentorship=f"Person {{n}}")
# A transaction bigger than the page cache: SQLite spills it into the log before the commit
# and rewrites frames of it in place, fixing their checksums only at a commit never reached.
store.db.execute("PRAGMA cache_size = 5")
store.db.execute("BEGIN IMMEDIATE")
for round in range(4):
    for n in range(300):
        store.db.execute(
            "INSERT OR REPLACE INTO conversations (id, script_id, script_version, script_sha256,"
            " title, status, current_step, position, started_at, updated_at) VALUES"
            " (?, 's', 1, '0', ?, 'in_progress', 'a', 0, 'x', 'x')",
            (f"c{{n}}", "t" * (200 + round * 50)),
        )
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.plaintext
def test_a_killed_uncommitted_transaction_is_no_damage(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    code = textwrap.dedent(SPILLING_WRITER).format(tests=str(Path(__file__).parents[1]), db=str(db))
    subprocess.run([sys.executable, "-c", code], timeout=60, check=False)
    with Store.open(db) as store:
        assert len(store.conversations(limit=None)) == 3
