"""Kill reflectcoach with SIGKILL at random moments and check that every promise held.

`make crash` (or `.venv/bin/python scripts/crash_harness.py --kills 200 --seed 1`). Not part of
`make test`: it takes minutes. Each run picks, at random (seeded), one of:

- conversation: `reflectcoach start every_type --plain` answering from a pipe, killed after k
  questions were shown: right after a question appeared, part way through typing an answer,
  or just after an answer was sent;
- import: `reflectcoach import` of a big JSON export into a fresh database, killed after a
  random delay up to its full running time;
- export: `reflectcoach export --format json -o FILE` over an existing export, killed likewise.

After every kill, the database is opened the way reflectcoach opens it (Store.open: the
write-ahead log check must accept what a crash legitimately leaves) and checked:

- `PRAGMA integrity_check` is ok;
- conversation: every answer whose next question was shown is stored, as given;
- import: all or nothing (the conversation count is the count before, or before plus all of
  the file), and the answers are all there for every conversation imported;
- export: the target holds the old bytes or a complete export (valid JSON, every
  conversation), never part of one; stray partial files are cleaned by the next export.

Prints a table: runs per kind, kills, violations (must be 0), elapsed. Exits 1 on a violation.
The data come from the repo: tests/engine/every_type.yaml and tests/store/history.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from store.history import make_history  # noqa: E402

from reflectcoach.store import Store  # noqa: E402

SCRIPTS = ROOT / "tests" / "engine"
# every_type's questions on the path these answers take; "" ends the long answer.
ANSWER_LINES = ["Ana", "2", "Grow as a lead", "", "time, fear", "4", "y", "2.5"]
# The line (index into ANSWER_LINES) that completes each question's answer.
ANSWER_ENDS = [0, 1, 3, 4, 5, 6, 7]
KINDS = ("conversation", "import", "export")


class Harness:
    def __init__(self, work: Path, rng: random.Random) -> None:
        self.work = work
        self.rng = rng
        self.env = dict(os.environ)
        for name, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data")):
            self.env[name] = str(work / sub)
        self.env["XDG_CACHE_HOME"] = str(work / "cache")
        self.env["PYTHONUNBUFFERED"] = "1"
        self.env.pop("REFLECTCOACH_DB", None)
        self.env.pop("REFLECTCOACH_SCRIPTS", None)
        self.db = work / "shared.db"  # conversations and exports run against this one
        self.export_target = work / "export.json"
        self.violations: list[str] = []
        self.runs: Counter[str] = Counter()
        self.kills: Counter[str] = Counter()
        self.reference: list[tuple[str, str | None]] = []
        self.durations: dict[str, float] = {}
        self.outcomes: Counter[str] = Counter()  # what the kills left, to show they varied

    # -- setup --------------------------------------------------------------------------

    def command(self, db: Path, *args: str) -> list[str]:
        return [
            sys.executable, "-m", "reflectcoach", "--db", str(db), "--scripts", str(SCRIPTS),
            *args,
        ]  # fmt: skip

    def setup(self, conversations: int) -> None:
        make_history(self.db, conversations=conversations, answers_per=12, seed=7)
        self.import_file = self.work / "import.json"
        source = self.work / "source.db"
        make_history(source, conversations=conversations, answers_per=12, seed=8)
        started = time.monotonic()
        subprocess.run(
            self.command(source, "export", "--format", "json", "-o", str(self.import_file)),
            env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.durations["export"] = time.monotonic() - started
        self.import_count = len(json.loads(self.import_file.read_text()))
        self.empty_db = self.work / "empty.db"
        Store.open(self.empty_db).close()
        target = self.work / "timing.db"
        shutil.copy(self.empty_db, target)
        started = time.monotonic()
        subprocess.run(
            self.command(target, "import", str(self.import_file)),
            env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        self.durations["import"] = time.monotonic() - started
        # What a whole conversation stores, to compare killed ones with.
        reference = self.work / "reference.db"
        subprocess.run(
            self.command(reference, "start", "every_type", "--plain"),
            input="\n".join(ANSWER_LINES) + "\n", text=True, env=self.env, check=True,
            capture_output=True,
        )  # fmt: skip
        with Store.open(reference) as store:
            (row,) = store.conversations(limit=None)
            self.reference = [(a["step_id"], a["answer_text"]) for a in store.answers(row["id"])]
        self.export_target.write_text("old bytes, not an export\n")

    # -- one run ------------------------------------------------------------------------

    def violation(self, kind: str, what: str) -> None:
        self.violations.append(f"{kind} run {self.runs[kind]}: {what}")

    def kill(self, process: subprocess.Popen[bytes], kind: str) -> None:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            self.kills[kind] += 1
        process.wait()

    def delay(self, kind: str) -> float:
        # Anywhere in the run, and more often near its end, around the commit or the rename
        # (a uniform delay almost never lands after it).
        whole = self.durations[kind]
        if self.rng.random() < 0.3:
            return self.rng.uniform(0.85 * whole, 1.1 * whole)
        return self.rng.uniform(0.0, whole)

    def open_checked(self, db: Path, kind: str) -> Store | None:
        try:
            store = Store.open(db)
        except Exception as problem:  # any failure to open is the finding
            self.violation(kind, f"cannot open after the kill: {problem}")
            return None
        (result,) = store.db.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            self.violation(kind, f"integrity_check: {result}")
        return store

    def conversation(self) -> None:
        questions = len(ANSWER_ENDS)
        stop_after = self.rng.randint(1, questions)  # kill once this many questions were shown
        moment = self.rng.choice(("after_question", "mid_answer", "after_answer"))
        process = subprocess.Popen(
            self.command(self.db, "start", "every_type", "--plain"),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=self.env,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        shown = 0  # questions displayed ("[n/8] ...")
        line_index = 0
        buffer = b""
        while True:
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            buffer += chunk
            shown = buffer.count(b"\n[")  # each question starts on a new line with "[n/"
            # Answer whatever has been asked, line by line, until the chosen question.
            if shown >= stop_after:
                break
            end = ANSWER_ENDS[shown - 1] if shown else -1
            while line_index <= end:
                process.stdin.write(ANSWER_LINES[line_index].encode() + b"\n")
                process.stdin.flush()
                line_index += 1
        acknowledged = shown - 1  # answers whose next question was shown
        if moment != "after_question" and shown and shown <= questions:
            pending = ANSWER_LINES[line_index] if line_index < len(ANSWER_LINES) else ""
            if moment == "mid_answer":
                process.stdin.write(pending[: self.rng.randint(0, len(pending))].encode())
            else:
                process.stdin.write(pending.encode() + b"\n")
            process.stdin.flush()
            if self.rng.random() < 0.5:
                time.sleep(self.rng.uniform(0, 0.05))
        self.kill(process, "conversation")
        store = self.open_checked(self.db, "conversation")
        if store is None:
            return
        with store:
            newest = store.db.execute(
                "SELECT id FROM conversations WHERE script_id = 'every_type' "
                "ORDER BY rowid DESC LIMIT 1"
            ).fetchone()
            rows = [] if newest is None else store.answers(newest[0])
            stored = [(a["step_id"], a["answer_text"]) for a in rows]
        self.outcomes["conversation: acknowledged answers checked"] += max(acknowledged, 0)
        self.outcomes["conversation: answers stored beyond those"] += max(
            len(stored) - max(acknowledged, 0), 0
        )
        if stored[:acknowledged] != self.reference[:acknowledged] or len(stored) < acknowledged:
            self.violation(
                "conversation",
                f"{acknowledged} answers acknowledged, stored {stored[:acknowledged]}",
            )

    def importing(self) -> None:
        target = self.work / "import-target.db"
        for suffix in ("", "-wal", "-shm", "-clean"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(self.empty_db, target)
        process = subprocess.Popen(
            self.command(target, "import", str(self.import_file)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.delay("import"))
        self.kill(process, "import")
        store = self.open_checked(target, "import")
        if store is None:
            return
        with store:
            (count,) = store.db.execute("SELECT count(*) FROM conversations").fetchone()
            (short,) = store.db.execute(
                "SELECT count(*) FROM conversations c WHERE position > "
                "(SELECT count(*) FROM answers a WHERE a.conversation_id = c.id)"
            ).fetchone()
        self.outcomes["import: nothing imported" if count == 0 else "import: all imported"] += 1
        if count not in (0, self.import_count):
            self.violation("import", f"{count} of {self.import_count} conversations imported")
        if short:
            self.violation("import", f"{short} conversations imported without all answers")

    def export(self) -> None:
        before = self.export_target.read_bytes()
        process = subprocess.Popen(
            self.command(self.db, "export", "--format", "json", "-o", str(self.export_target)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.delay("export"))
        self.kill(process, "export")
        after = self.export_target.read_bytes()
        self.outcomes["export: old bytes kept" if after == before else "export: new export"] += 1
        if after != before:
            try:
                exported = json.loads(after)
                with Store.open(self.db) as store:
                    (count,) = store.db.execute("SELECT count(*) FROM conversations").fetchone()
                if len(exported) != count:
                    self.violation("export", "the export is missing conversations")
            except (ValueError, TypeError) as problem:
                self.violation("export", f"the target holds part of an export: {problem}")
        store = self.open_checked(self.db, "export")
        if store is not None:
            store.close()

    def partials(self) -> list[Path]:
        return sorted(self.work.glob(f".{self.export_target.name}.*"))

    def finish(self) -> None:
        """One export run to the end: it must clean the partials that kills left."""
        left = len(self.partials())
        subprocess.run(
            self.command(self.db, "export", "--format", "json", "-o", str(self.export_target)),
            env=self.env, check=True, capture_output=True,
        )  # fmt: skip
        if self.partials():
            self.violation("export", f"partial files left after a complete export: {left}")
        self.partials_cleaned = left


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="SIGKILLs to deliver (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--conversations", type=int, default=2000, help="history size")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reflectcoach-crash-") as folder:
        harness = Harness(Path(folder), rng)
        harness.setup(args.conversations)
        run = {"conversation": harness.conversation, "import": harness.importing}
        run["export"] = harness.export
        # Until enough kills landed: a run whose process finished first counts, kills nothing.
        while sum(harness.kills.values()) < args.kills:
            kind = rng.choice(KINDS)
            harness.runs[kind] += 1
            run[kind]()
        harness.finish()
        elapsed = time.monotonic() - started
        digest = hashlib.sha256(harness.export_target.read_bytes()).hexdigest()[:12]
    print(f"crash harness: seed {args.seed}, {args.conversations} conversations of history")
    print(f"{'kind':<14}{'runs':>6}{'kills':>7}")
    for kind in KINDS:
        print(f"{kind:<14}{harness.runs[kind]:>6}{harness.kills[kind]:>7}")
    total_kills = sum(harness.kills.values())
    print(f"{'total':<14}{sum(harness.runs.values()):>6}{total_kills:>7}")
    for outcome, number in sorted(harness.outcomes.items()):
        print(f"  {outcome}: {number}")
    print(
        f"partial exports left by kills and cleaned by the next export: {harness.partials_cleaned}"
    )
    print(f"final export sha256 {digest}…")
    print(f"violations: {len(harness.violations)}")
    for problem in harness.violations:
        print(f"  {problem}")
    print(f"elapsed: {elapsed:.1f} s")
    return 1 if harness.violations else 0


if __name__ == "__main__":
    sys.exit(main())
