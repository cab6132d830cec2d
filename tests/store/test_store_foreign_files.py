"""Paths that are not our database: refused before SQLite may write, every byte left as it was
(another program's WAL and journal included), and never a hang."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reflectcoach.store import Store, StoreError

from .helpers import WEEKLY, damage_data_pages, run


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder with the hash of its bytes. A `-shm` is only listed: it is
    the WAL's shared-memory index, which every reader (read-only ones too) updates by design;
    the data is in the database and its `-wal`."""
    return {
        p.name: "" if p.name.endswith("-shm") else hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file()
    }


def refused(path: Path, *words: str) -> str:
    before = snapshot(path.parent)
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    assert snapshot(path.parent) == before
    message = str(caught.value)
    for word in words:
        assert word in message
    return message


def killed_writer(code: str, cwd: Path) -> None:
    """Run `code` in a process that SIGKILLs itself at the end: a crash, as it happens."""
    body = f"import os, signal, sqlite3\n{code}\nos.kill(os.getpid(), signal.SIGKILL)\n"
    result = subprocess.run([sys.executable, "-c", body], cwd=cwd)
    assert result.returncode == -signal.SIGKILL


@pytest.mark.plaintext
def test_another_programs_wal_with_pending_frames_is_left_whole(tmp_path: Path) -> None:
    killed_writer(
        "c = sqlite3.connect('notes.db'); c.execute('PRAGMA journal_mode=WAL')\n"
        "c.execute('PRAGMA wal_autocheckpoint=0')\n"
        "c.execute('CREATE TABLE notes(x)'); c.execute('INSERT INTO notes VALUES (1)'); c.commit()",
        tmp_path,
    )
    assert (tmp_path / "notes.db-wal").stat().st_size > 0
    refused(tmp_path / "notes.db", "not a reflectcoach database", "has not changed it")
    assert {"notes.db-wal", "notes.db-shm"} <= set(os.listdir(tmp_path))


@pytest.mark.plaintext
def test_another_programs_hot_journal_is_not_rolled_back(tmp_path: Path) -> None:
    killed_writer(
        "c = sqlite3.connect('hot.db', isolation_level=None); c.execute('CREATE TABLE t(x)')\n"
        "c.execute('PRAGMA cache_size=1'); c.execute('BEGIN')\n"
        "c.executemany('INSERT INTO t VALUES (?)', [(i,) for i in range(100000)])",
        tmp_path,
    )
    assert (tmp_path / "hot.db-journal").exists()
    refused(tmp_path / "hot.db", "not a reflectcoach database")
    assert (tmp_path / "hot.db-journal").exists()


@pytest.mark.plaintext
def test_a_database_of_views_only_gets_no_tables_of_ours(tmp_path: Path) -> None:
    path = tmp_path / "views.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW answers AS SELECT 1 AS x")
    conn.commit()
    conn.close()
    refused(path, "tables or views")


def test_our_own_database_after_a_crash_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        conversation_id = run(store, WEEKLY)
    with Store.open(path) as store:
        assert store.conversation(conversation_id) is not None


def test_a_named_pipe_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "r.db"
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "reflectcoach", "--db", str(fifo), "list"],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,  # a guard against the old hang, not a measurement
    )
    assert result.returncode == 1
    assert f"The reflection database {fifo} is a named pipe, not a file" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_device_is_refused_and_nothing_is_created_beside_it() -> None:
    journals = [Path("/dev/null-journal"), Path("/dev/null-wal")]
    existed = [p.exists() for p in journals]
    with pytest.raises(StoreError, match="is a device, not a file"):
        Store.open("/dev/null")
    assert [p.exists() for p in journals] == existed


def test_a_dangling_symlink_is_reported_as_one(tmp_path: Path) -> None:
    link = tmp_path / "r.db"
    link.symlink_to(tmp_path / "gone" / "r.db")
    with pytest.raises(StoreError, match=r"is a symbolic link to .*gone.*, which does not exist"):
        Store.open(link)
    assert not (tmp_path / "gone").exists()


@pytest.mark.plaintext
@pytest.mark.parametrize(
    "command", [["start", "every_type", "--plain"], ["export", "--format", "json"], ["list"]]
)
def test_a_damaged_file_whose_first_page_is_intact_is_refused_before_any_write(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "r.db"
    with Store.open(path) as store:
        for _ in range(20):
            run(store, WEEKLY)
    damage_data_pages(path)
    before = snapshot(tmp_path)
    scripts = Path(__file__).parent.parent / "engine"
    base = [sys.executable, "-m", "reflectcoach", "--db", str(path), "--scripts", str(scripts)]
    result = subprocess.run(
        [*base, *command],
        capture_output=True,
        text=True,
        input="x\n",
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")},
    )
    assert result.returncode == 1
    assert "is damaged or is not a reflectcoach database" in result.stderr
    assert "has not changed it" in result.stderr
    assert result.stdout == ""
    assert {k: v for k, v in snapshot(tmp_path).items() if k != "cache"} == before


@pytest.mark.plaintext
def test_only_a_clean_close_vouches_for_the_file(tmp_path: Path) -> None:
    from reflectcoach.store import integrity

    path = tmp_path / "r.db"
    Store.open(path).close()
    assert not integrity.needs_check(path)
    killed_writer(
        "import sys; sys.path[:0] = " + repr(sys.path) + "\n"
        "from reflectcoach.store import Store\n"
        f"store = Store.open({str(path)!r}); store.db.execute('PRAGMA user_version')\n"
        "store.start(script_id='w', script_version=1, script_sha256='0'*64, title='W', "
        "mentorship=None, current_step='a')",
        tmp_path,
    )
    assert integrity.needs_check(path)  # the crash left the WAL: check before trusting it
    Store.open(path).close()
    assert not integrity.needs_check(path)
    path.write_bytes(path.read_bytes())  # changed by something else: a new mtime
    assert integrity.needs_check(path)


def test_a_file_this_process_has_open_is_not_read_whole_again(tmp_path: Path) -> None:
    """The app's draft writer and plain mode's heartbeat open their own Store on the file the
    main one holds: they must not run quick_check (every page) on each open."""
    from reflectcoach.store import integrity

    path = tmp_path / "r.db"
    main = Store.open(path)
    run(main, WEEKLY)
    assert path.with_name("r.db-wal").exists()  # in use: another process would check it
    assert not integrity.needs_check(path)
    with Store.open(path) as second:
        assert second.count() == 1
    assert not integrity.needs_check(path)  # the main one is still open
    main.close()
    assert not integrity.needs_check(path)  # and was closed cleanly
