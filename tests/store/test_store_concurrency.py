"""Two running copies on one file: both write, neither sees "database is locked"."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reflectcoach.store import Store

from .helpers import WEEKLY, run

ROUNDS = 25

WRITER = """
import sys
from reflectcoach.store import Store
path, label, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Store.open(path) as store:
    for number in range(rounds):
        cid = store.start(script_id="weekly", script_version=1, script_sha256="0",
                          title="W", mentorship=label, current_step="a")
        journal = store.journal(cid)
        for seq in range(3):
            journal.answered(step_id=f"s{seq}", question="q", qtype="text", text=label,
                             value=label, skipped=False, seq=seq, position=seq + 1,
                             current_step="next", discard_from=None)
        journal.completed(record=None, position=3, current_step="end")
        store.conversations(limit=5)
print("ok")
"""


def test_two_threads_two_stores(db_path: Path) -> None:
    Store.open(db_path).close()
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work(label: str) -> None:
        try:
            with Store.open(db_path) as store:
                start.wait()
                for _ in range(ROUNDS):
                    run(store, WEEKLY, mentorship=label)
                    store.search("shipped")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(label,)) for label in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Store.open(db_path) as store:
        assert store.count(mentorship="one") == ROUNDS
        assert store.count(mentorship="two") == ROUNDS
        assert store.db.execute("SELECT count(*) FROM answers").fetchone()[0] == (
            2 * ROUNDS * len(WEEKLY)
        )


@pytest.mark.plaintext
def test_two_processes(db_path: Path) -> None:
    # Neither process creates the schema first: both open a file that does not exist yet.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), label, str(ROUNDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for label in ("one", "two")
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "ok"
    with Store.open(db_path) as store:
        assert store.count(mentorship="one") == ROUNDS
        assert store.count(mentorship="two") == ROUNDS
        assert store.count(status="completed") == 2 * ROUNDS
