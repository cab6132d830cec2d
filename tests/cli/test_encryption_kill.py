"""SIGKILL `reflectcoach encrypt`, `decrypt` and `passphrase` part way, at many points, and
check the promise of store/convert.py: the old file or the new one is complete and opens with
its key, never neither; after encrypting, no plaintext copy is left anywhere beside it.

Points are deterministic, not timed: the command runs in a child process whose profile hook
counts every call made in store/convert.py and store/cipher.py (Python functions and the C
calls they make: each SQL statement, os.open, os.fsync, os.replace) and SIGKILLs itself at the
k-th one. A counting run first gives the number of calls; the kills are spread over all of them.
(`make crash-encryption` runs it with KILL_POINTS=300.)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from reflectcoach.store import Store
from reflectcoach.store.key import Key

pytestmark = pytest.mark.plaintext  # manages its own keys: plaintext and encrypted in one test

OLD_RAW = "x'" + "11" * 32 + "'"
NEW_RAW = "x'" + "22" * 32 + "'"
# Points per command: 50 in all with KILL_POINTS=50 (`make crash-encryption` gives more);
# the suite's default keeps it under a minute on a quiet machine.
SCALE = int(os.environ.get("KILL_POINTS", "24"))
KILLS = {"encrypt": max(4, SCALE * 2 // 5), "passphrase": max(3, SCALE * 3 // 10)}
KILLS["decrypt"] = max(3, SCALE - KILLS["encrypt"] - KILLS["passphrase"])
SECRET = "Zenobia-kintsugi-secret"

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    kill_at = int(sys.argv[1])
    seen = 0
    WATCHED = ("reflectcoach.store.convert", "reflectcoach.store.cipher")

    def profile(frame, event, arg):
        global seen
        if event in ("call", "c_call") and frame.f_globals.get("__name__") in WATCHED:
            seen += 1
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)

    from reflectcoach.cli import main
    sys.setprofile(profile)
    try:
        main(sys.argv[2:], prog_name="reflectcoach")
    finally:
        sys.setprofile(None)
        sys.stderr.write(f"\\ncalls={seen}\\n")
    """
)


def _key(text: str | None) -> Key | None:
    return None if text is None else Key.from_passphrase(text)


def _command(tmp: Path, kind: str, db: Path) -> tuple[list[str], dict[str, str]]:
    old_file, new_file = tmp / "old.key", tmp / "new.key"
    old_file.write_text(OLD_RAW)
    new_file.write_text(NEW_RAW)
    args = ["--db", str(db)]
    env_file = {"encrypt": old_file, "passphrase": old_file, "decrypt": new_file}[kind]
    if kind == "passphrase":
        args += ["passphrase", "--new-passphrase-file", str(new_file)]
    else:
        args.append(kind)
    return args, {"REFLECTCOACH_PASSPHRASE_FILE": str(env_file)}


# (key before, key after) for each command.
KEYS = {"encrypt": (None, OLD_RAW), "passphrase": (OLD_RAW, NEW_RAW), "decrypt": (NEW_RAW, None)}


def _start(db: Path, kind: str) -> None:
    """The database as the command finds it: keyed as before it, with a few conversations."""
    from store.helpers import WEEKLY, run  # tests/ is on sys.path (rootdir conftest)

    before = KEYS[kind][0]
    with Store.open(db, key=_key(before)) as store:
        for n in range(10):
            steps = [*WEEKLY]
            steps[1] = (steps[1][0], steps[1][1], "text", f"{SECRET} {n}", None)
            run(store, steps, mentorship=f"Person {n}")


def _child(tmp: Path, kind: str, db: Path, kill_at: int, env: dict[str, str]) -> str:
    import os

    args, extra = _command(tmp, kind, db)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(kill_at), *args],
        capture_output=True,
        text=True,
        env={**env, **extra, "XDG_CACHE_HOME": str(tmp / "cache")},
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=os.getcwd(),
    )
    if kill_at:
        assert done.returncode == -signal.SIGKILL, done.stderr
    else:
        assert done.returncode == 0, done.stderr
    return done.stderr


def _contents(db: Path, key: Key | None) -> str:
    import io

    from reflectcoach.store.export import write_json

    out = io.StringIO()
    with Store.open(db, key=key) as store:
        write_json(store, out)
    return json.dumps(json.loads(out.getvalue()), sort_keys=True)


def _which_opens(db: Path, kind: str) -> str:
    """ "old" or "new": the key that opens the complete database now."""
    before, after = KEYS[kind]
    for name, text in (("old", before), ("new", after)):
        try:
            with Store.open(db, key=_key(text)) as store:
                store.count()
        except Exception:
            continue
        return name
    raise AssertionError(f"neither key opens {db}")


@pytest.mark.parametrize("kind", list(KILLS))
def test_a_kill_at_any_point_leaves_old_or_new_complete(tmp_path: Path, kind: str) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k != "REFLECTCOACH_PASSPHRASE_FILE"}
    pristine = tmp_path / "pristine" / "r.db"
    _start(pristine, kind)
    expected = _contents(pristine, _key(KEYS[kind][0]))

    # How many calls a whole conversion makes.
    counting = tmp_path / "count" / "r.db"
    shutil.copytree(pristine.parent, counting.parent)
    stderr = _child(tmp_path, kind, counting, 0, env)
    calls = int(stderr.rsplit("calls=", 1)[1])
    assert calls > KILLS[kind]
    assert _contents(counting, _key(KEYS[kind][1])) == expected

    points = sorted({1 + (calls - 1) * i // (KILLS[kind] - 1) for i in range(KILLS[kind])})
    outcomes = []
    for point in points:
        run_dir = tmp_path / f"kill{point}"
        shutil.copytree(pristine.parent, run_dir)
        db = run_dir / "r.db"
        _child(tmp_path, kind, db, point, env)
        which = _which_opens(db, kind)
        outcomes.append(which)
        before, after = KEYS[kind]
        assert _contents(db, _key(before if which == "old" else after)) == expected
        if kind == "encrypt" and which == "new":
            for leftover in run_dir.iterdir():
                data = leftover.read_bytes()
                assert not data.startswith(b"SQLite format 3"), leftover.name
                assert SECRET.encode() not in data, leftover.name
        # Run again to the end (once for each side of the rename): the command completes
        # whatever the kill left, and cleans it.
        if which not in outcomes[:-1]:
            if which == "old":
                _child(tmp_path, kind, db, 0, env)
                assert _which_opens(db, kind) == "new"
            assert {p.name for p in run_dir.iterdir()} <= {"r.db", "r.db-clean"}
        shutil.rmtree(run_dir)
    # The points covered both sides of the rename.
    assert "old" in outcomes and "new" in outcomes, outcomes
