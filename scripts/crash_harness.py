"""Kill reflectcoach with SIGKILL at random moments and check that every promise held.

`make crash` (or `.venv/bin/python scripts/crash_harness.py --kills 200 --seed 1`). Not part of
`make test`: it takes minutes. Each run picks, at random (seeded), one of:

- conversation: `reflectcoach start every_type --plain` answering from a pipe, killed after k
  questions were shown: right after a question appeared, part way through typing an answer,
  or just after an answer was sent;
- import: `reflectcoach import` of a big JSON export into a fresh database, killed after a
  random delay up to its full running time;
- export: `reflectcoach export --format json -o FILE` over an existing export, killed likewise;
- status: `reflectcoach commitment not-yet ID --date ...` or `partly ID --reason ...` on a
  history with commitments, killed likewise;
- rename: `reflectcoach mentorship rename OLD NEW` (a new name, or a merge into another one);
- ics: `reflectcoach commitments --ics FILE` over an existing calendar;
- draft: a process saving a draft again and again (`Store.save_draft`, what the app's draft
  worker calls), killed at a random moment;
- settings: a process saving `settings.json` again and again (`UserSettings.set`);
- keyring: a process remembering a key in the OS keyring again and again (skipped, and said
  so, where there is no keyring backend).

After a conversation is killed, half the time `resume ID --plain` must take it at once: a
killed session never keeps its lease.

After every kill, the database is opened the way reflectcoach opens it (Store.open: the
write-ahead log check must accept what a crash legitimately leaves) and checked:

- `PRAGMA integrity_check` is ok;
- conversation: every answer whose next question was shown is stored, as given;
- import: all or nothing (the conversation count is the count before, or before plus all of
  the file), and the answers are all there for every conversation imported;
- export: the target holds the old bytes or a complete export (valid JSON, every
  conversation), never part of one; stray partial files are cleaned by the next export;
- status: the commitment is as before (status, date, events) or changed once: the new status
  and date with exactly one more event saying so;
- rename: all of the old mentorship's conversations and commitments moved or none, none lost,
  and the mentorship rows are exactly the mentorships the conversations name;
- ics: the old bytes or a complete calendar (icalendar parses it; one event per open dated
  commitment);
- draft, settings, keyring: the value saved last, or the one being saved, never a damaged
  one (settings.json loads without a problem).

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
from reflectcoach.store.commitments import OPEN  # noqa: E402

SCRIPTS = ROOT / "tests" / "engine"
# every_type's questions on the path these answers take; "" ends the long answer.
ANSWER_LINES = ["Ana", "2", "Grow as a lead", "", "time, fear", "4", "y", "2.5"]
# The line (index into ANSWER_LINES) that completes each question's answer.
ANSWER_ENDS = [0, 1, 3, 4, 5, 6, 7]
KINDS = ("conversation", "import", "export", "status", "rename", "ics", "draft", "settings")
KINDS += ("keyring",)
TODAY = "2026-12-01"

# Children that save one thing again and again, printing the number of each save once it
# returned: `i` acknowledged means saves 0..i are done, i+1 may be.
DRAFT_CHILD = """
import sys
from reflectcoach.store import Store
db, cid, step = sys.argv[1], sys.argv[2], sys.argv[3]
with Store.open(db) as store:
    i = 0
    while True:
        assert store.drafts.save(cid, seq=0, step_id=step, text=f"draft {i} " + "x" * (i % 700))
        print(i, flush=True)
        i += 1
"""
SETTINGS_CHILD = """
import sys
from pathlib import Path
from reflectcoach.core.settings import THEME, UserSettings
settings = UserSettings.load(Path(sys.argv[1]))
assert settings.problem is None, settings.problem
i = 0
while True:
    assert settings.set(THEME, f"theme {i} " + "y" * (i % 300)) is None
    print(i, flush=True)
    i += 1
"""
KEYRING_CHILD = """
import sys
from pathlib import Path
from reflectcoach.services import remember
from reflectcoach.store.key import Key
db = Path(sys.argv[1])
i = 0
while True:
    assert remember.remember(db, Key.from_hex(f"{i % 256:02x}" * 32), b"s" * 16)
    print(i, flush=True)
    i += 1
"""


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
        self.import_count = len(json.loads(self.import_file.read_text())["conversations"])
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
        self.setup_commitments()

    def setup_commitments(self) -> None:
        """A history with commitments (status, rename, ics), a conversation in progress for
        drafts, a settings file, and how long each command takes, for the kill delays."""
        self.env["REFLECTCOACH_TODAY"] = TODAY
        self.commit_db = self.work / "commitments.db"
        make_history(self.commit_db, conversations=400, answers_per=8, seed=9, commitments=True)
        with Store.open(self.commit_db) as store:
            self.commitment_ids = [c.id for c in store.commitments.all(statuses=None)]
        assert self.commitment_ids, "the history made no commitments"
        self.ics_target = self.work / "due.ics"
        self.ics_target.write_text("old bytes, not a calendar\n")
        timing = self.work / "timing-commitments.db"
        shutil.copy(self.commit_db, timing)
        with Store.open(timing) as store:
            first = store.mentorships.names()[0]
        for kind, args in (
            ("status", ("commitment", "partly", self.commitment_ids[0], "--reason", "timing")),
            ("rename", ("mentorship", "rename", first, "Timing")),
            ("ics", ("commitments", "--ics", str(self.work / "timing.ics"))),
        ):
            started = time.monotonic()
            subprocess.run(
                self.command(timing, *args), env=self.env, check=True, capture_output=True,
            )  # fmt: skip
            self.durations[kind] = time.monotonic() - started
        self.renames = 0
        # Drafts: a conversation whose first question is being asked.
        self.draft_db = self.work / "drafts.db"
        from reflectcoach.script.loader import load_file
        from reflectcoach.services import session

        script = load_file(SCRIPTS / "every_type.yaml").script
        assert script is not None
        with Store.open(self.draft_db) as store:
            running = session.start(store, script, "Sam")
            self.draft_conversation = running.id
            self.draft_step = script.first_step
        self.settings_path = self.work / "config" / "reflectcoach" / "settings.json"
        from reflectcoach.services import remember

        self.keyring = remember.available()

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
        if newest is not None and self.rng.random() < 0.5:
            self.resume_at_once(newest[0])

    def resume_at_once(self, conversation_id: str) -> None:
        """A killed session keeps no lease: the next one takes the conversation at once."""
        with Store.open(self.db) as store:
            row = store.conversation(conversation_id)
        if row is None or row["status"] != "in_progress":
            return  # completed before the kill, or discarded as empty
        done = subprocess.run(
            self.command(self.db, "resume", conversation_id, "--plain"),
            input=":quit\n", text=True, env=self.env, capture_output=True, timeout=120,
        )  # fmt: skip
        if done.returncode != 0 or "open in another session" in done.stderr:
            self.violation("conversation", f"resume after the kill refused: {done.stderr[:80]}")
        else:
            self.outcomes["conversation: lease taken at once by the next session"] += 1

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
                exported = json.loads(after)["conversations"]
                with Store.open(self.db) as store:
                    (count,) = store.db.execute("SELECT count(*) FROM conversations").fetchone()
                if len(exported) != count:
                    self.violation("export", "the export is missing conversations")
            except (ValueError, TypeError) as problem:
                self.violation("export", f"the target holds part of an export: {problem}")
        store = self.open_checked(self.db, "export")
        if store is not None:
            store.close()

    # -- commitments, mentorships, calendars ----------------------------------------------

    def _commitment(self, store: Store, commitment_id: str) -> tuple[str, str | None, int]:
        item = store.commitments.get(commitment_id)
        return (
            item.status,
            None if item.due is None else item.due.isoformat(),
            len(store.commitments.events(commitment_id)),
        )

    def status(self) -> None:
        commitment_id = self.rng.choice(self.commitment_ids)
        with Store.open(self.commit_db) as store:
            before = self._commitment(store, commitment_id)
        if self.rng.random() < 0.5:
            day = f"2027-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"
            args, wanted = ("not-yet", commitment_id, "--date", day), ("not_yet", day)
        else:
            args, wanted = ("partly", commitment_id, "--reason", "r"), ("partly", before[1])
        process = subprocess.Popen(
            self.command(self.commit_db, "commitment", *args),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.delay("status"))
        self.kill(process, "status")
        store = self.open_checked(self.commit_db, "status")
        if store is None:
            return
        with store:
            after = self._commitment(store, commitment_id)
            events = store.commitments.events(commitment_id)
        if after == before:
            self.outcomes["status: unchanged"] += 1
        elif after == (*wanted, before[2] + 1) and events[-1]["to_status"] == wanted[0]:
            self.outcomes["status: changed, with its event"] += 1
        else:
            self.violation("status", f"before {before}, wanted {wanted}, after {after}")

    def _mentorships(self, store: Store) -> tuple[Counter[str], Counter[str], set[str]]:
        """Conversations and commitments per mentorship key, and the keys with a row."""
        conversations = Counter(
            dict(store.db.execute(
                "SELECT mentorship_key, count(*) FROM conversations "
                "WHERE mentorship_key IS NOT NULL GROUP BY mentorship_key"
            ).fetchall())
        )  # fmt: skip
        commitments = Counter(
            dict(store.db.execute(
                "SELECT mentorship_key, count(*) FROM commitments "
                "WHERE mentorship_key IS NOT NULL GROUP BY mentorship_key"
            ).fetchall())
        )  # fmt: skip
        rows = {key for (key,) in store.db.execute("SELECT mentorship_key FROM mentorships")}
        return conversations, commitments, rows

    def rename(self) -> None:
        from reflectcoach.store.mentorships import mentorship_key

        with Store.open(self.commit_db) as store:
            names = store.mentorships.names()
            conversations, commitments, _rows = self._mentorships(store)
        old = self.rng.choice(names)
        if len(names) > 2 and self.rng.random() < 0.4:
            new = self.rng.choice([n for n in names if n != old])  # a merge
        else:
            self.renames += 1
            new = f"Renamed {self.renames}"
        old_key, new_key = mentorship_key(old), mentorship_key(new)
        assert old_key is not None and new_key is not None
        process = subprocess.Popen(
            self.command(self.commit_db, "mentorship", "rename", old, new),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.delay("rename"))
        self.kill(process, "rename")
        store = self.open_checked(self.commit_db, "rename")
        if store is None:
            return
        with store:
            after, after_commitments, after_rows = self._mentorships(store)
        moved = Counter(conversations)
        moved[new_key] += moved.pop(old_key, 0)
        moved_commitments = Counter(commitments)
        moved_commitments[new_key] += moved_commitments.pop(old_key, 0)
        moved, moved_commitments = +moved, +moved_commitments  # drop zero counts
        if (after, after_commitments) == (conversations, commitments):
            self.outcomes["rename: nothing moved"] += 1
        elif (after, after_commitments) == (moved, moved_commitments):
            self.outcomes["rename: all moved"] += 1
        else:
            self.violation("rename", f"{old!r} -> {new!r} moved part of it: {after[old_key]} left")
        if after_rows != set(after):
            self.violation("rename", f"mentorship rows {sorted(after_rows ^ set(after))} astray")

    def ics(self) -> None:
        from icalendar import Calendar

        before = self.ics_target.read_bytes()
        process = subprocess.Popen(
            self.command(self.commit_db, "commitments", "--ics", str(self.ics_target)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.delay("ics"))
        self.kill(process, "ics")
        after = self.ics_target.read_bytes()
        self.outcomes["ics: old bytes kept" if after == before else "ics: new calendar"] += 1
        if after == before:
            return
        with Store.open(self.commit_db) as store:
            dated = [c for c in store.commitments.all(statuses=OPEN) if c.due is not None]
        try:
            events = Calendar.from_ical(after).walk("VEVENT")
        except ValueError as problem:
            self.violation("ics", f"the calendar is damaged: {problem}")
            return
        # Whole, and every open dated commitment is an event (since the thread the calendar
        # also holds finished ones, CANCELLED, and each mentorship's meeting rhythm).
        uids = {str(event.get("UID")) for event in events}
        missing = [c.id for c in dated if f"{c.id}@reflectcoach" not in uids]
        if not after.rstrip().endswith(b"END:VCALENDAR") or missing:
            self.violation("ics", f"{len(missing)} of {len(dated)} open dated commitments missing")

    # -- drafts, settings, keyring: children saving one thing again and again -------------

    def _saving(self, kind: str, child: str, *args: str) -> int | None:
        """Start `child`, kill it at a random moment, and return the last save it
        acknowledged (None: none yet)."""
        process = subprocess.Popen(
            [sys.executable, "-c", child, *args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=self.env,
        )  # fmt: skip
        time.sleep(self.rng.uniform(0.2, 1.2))
        self.kill(process, kind)
        assert process.stdout is not None
        acknowledged = process.stdout.read().split()
        return int(acknowledged[-1]) if acknowledged else None

    def draft(self) -> None:
        with Store.open(self.draft_db) as store:
            before = store.drafts.get(self.draft_conversation, seq=0, step_id=self.draft_step)
        last = self._saving(
            "draft", DRAFT_CHILD, str(self.draft_db), self.draft_conversation, self.draft_step
        )
        store = self.open_checked(self.draft_db, "draft")
        if store is None:
            return
        with store:
            after = store.drafts.get(self.draft_conversation, seq=0, step_id=self.draft_step)
        first = 0 if last is None else last + 1
        allowed = {f"draft {i} " + "x" * (i % 700) for i in (first - 1, first) if i >= 0}
        if last is None:
            allowed.add(before)  # nothing acknowledged: the last run's draft may stand
        acknowledged = None if last is None else f"draft {last} " + "x" * (last % 700)
        if after not in allowed:
            self.violation("draft", f"after save {last} acknowledged: {str(after)[:40]!r}")
        elif after == acknowledged:
            self.outcomes["draft: the last acknowledged save"] += 1
        elif after == before and last is None:
            self.outcomes["draft: killed before its first save"] += 1
        else:
            self.outcomes["draft: the save being made when killed"] += 1

    def settings(self) -> None:
        from reflectcoach.core.settings import THEME, UserSettings

        before = UserSettings.load(self.settings_path).get(THEME)
        stale = set(self.settings_path.parent.glob(".settings.json.*.tmp"))  # earlier kills'
        last = self._saving("settings", SETTINGS_CHILD, str(self.settings_path))
        loaded = UserSettings.load(self.settings_path)
        if loaded.problem is not None:
            self.violation("settings", f"settings.json is damaged: {loaded.problem}")
            return
        first = 0 if last is None else last + 1
        allowed = {f"theme {i} " + "y" * (i % 300) for i in (first - 1, first) if i >= 0}
        if last is None:
            allowed.add(before)
        if loaded.get(THEME) not in allowed:
            self.violation("settings", f"after save {last}: {str(loaded.get(THEME))[:30]!r}")
        left = set(self.settings_path.parent.glob(".settings.json.*.tmp"))
        kept = left & stale  # a killed writer's temp file survived a save that went through
        if kept and last is not None:
            self.violation("settings", f"{len(kept)} temp files of killed writers kept")
        self.outcomes["settings: a killed writer's temp file, removed by the next save"] += len(
            stale - left
        )

    def keyring_run(self) -> None:
        from reflectcoach.services import remember

        db = self.work / "keyring.db"
        last = self._saving("keyring", KEYRING_CHILD, str(db))
        found = remember.recall(db)
        first = 0 if last is None else last + 1
        allowed = [bytes([i % 256]) * 32 for i in (first - 1, first)]
        if found is not None and found.raw_for(b"s" * 16) not in allowed:
            self.violation("keyring", f"after save {last}, another key is remembered")
        if found is None and last is not None:
            self.violation("keyring", f"after save {last}, no key is remembered")

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
        run.update(status=harness.status, rename=harness.rename, ics=harness.ics)
        run.update(draft=harness.draft, settings=harness.settings, keyring=harness.keyring_run)
        kinds = [k for k in KINDS if k != "keyring" or harness.keyring]
        # Until enough kills landed: a run whose process finished first counts, kills nothing.
        while sum(harness.kills.values()) < args.kills:
            kind = rng.choice(kinds)
            harness.runs[kind] += 1
            run[kind]()
        harness.finish()
        elapsed = time.monotonic() - started
        digest = hashlib.sha256(harness.export_target.read_bytes()).hexdigest()[:12]
    print(f"crash harness: seed {args.seed}, {args.conversations} conversations of history")
    print(f"{'kind':<14}{'runs':>6}{'kills':>7}")
    for kind in KINDS:
        if kind == "keyring" and not harness.keyring:
            print(f"{kind:<14}{'skipped: no keyring backend here':>40}")
            continue
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
