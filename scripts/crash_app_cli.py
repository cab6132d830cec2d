"""The app and the CLI on one database at once, SIGKILLs on both sides, every promise checked.

`make crash-app` (or `.venv/bin/python scripts/crash_app_cli.py --rounds 200 --seed 1`). Not
part of `make test` (tests/app/test_app_and_cli_together.py runs a few rounds): it takes
minutes. Linux only: it reads /proc/PID/fd.

The real app runs in a pseudo-terminal (tests/app/terminal.py reads what is on its screen)
answering `harness_talk`, a long conversation of every answer kind, in mentorship Kim. It is
started in turn with `start harness_talk -m Kim`, from home (Who, the filter, Enter), with
`resume ID`, from home with `c`, and through `review` then home then `c`; it leaves to home
and visits review, the export screen (and exports), the commitments screen (and marks one
done), the mentorship screen and insights, then continues with `c`. Meanwhile, in random
(seeded) order and often while the app is answering, a second process runs every command
of `reflectcoach --help` that opens the database: list, show (and --record), search, export
in every format (json, markdown, markdown --share, csv, csv --excel, csv --raw; to a file or
standard output), import of a small export, commitments (--due, --overdue, --all, --json,
--ics), commitment done / partly / not-yet / drop on ids that exist, mentorship list / show /
NAME / rename / reopen, delete, abandon, resume --plain (of a conversation the app does not
hold, answering one question; and of the one it holds, which must be refused), start --plain,
compare, encrypt (which must be refused while the app has the database open), decrypt and
passphrase (refused: the database is not encrypted; with `--storage encrypted` every process
has the key, and decrypt and passphrase are the ones that must refuse while the app has the
database open). Some commands are SIGKILLed part way;
some rounds SIGKILL the app (idle, part way through typing an answer, just after sending
one, or while a command runs), some quit it, the rest keep it for the next round.

Checked, after every command and app action and at the end of every round:

- no descriptor of the app (or its children, or a running command) points at the database,
  its -wal or its -shm after they were unlinked ("(deleted)" in /proc/PID/fd);
- the app, on a conversation (its Store open), holds its SQLite locks: a read lock on the
  database and one on the -shm (/proc/locks). Lost, another process may find itself the last
  user and delete the log (Python's SQLite 3.40 here did; with SQLCipher's 3.53 the app
  lost its database lock the same way but the log was not deleted, so with encrypted
  databases only this check saw the fault);
- every answer the app acknowledged (it showed the next question, or the end screen: it
  commits before either) is in the file as given: read by another process while the app
  lives, and after it was killed;
- `PRAGMA integrity_check` is ok, the database opened as reflectcoach opens it
  (Store.open, in a subprocess);
- a resumed app asks no question it had already had answered and acknowledged;
- a conversion (encrypt; decrypt, passphrase) and resume --plain of the conversation the
  app holds are refused;
- no command or app stops on an unexpected exception (a traceback or "hit a problem").

Prints a table (rounds, kills, commands, violations by kind, elapsed) and exits 1 on any
violation.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from app.terminal import Terminal, held_locks, unlinked_database_files  # noqa: E402

TODAY = "2026-03-14"
SIZE = (120, 40)  # wide enough that no question or list row wraps
WAIT = 45.0  # seconds for the app to show what it must (a busy database makes it wait)
PACE = 0.3  # between keys that move the focus and the keys meant for the new focus
MENTORSHIP = "Kim"
TALK_TITLE = "Harness talk"
FINISHED = "Finished. Everything you said is saved."
HOME = "Pick up where you left off"
QUIT_ASKED = "Quit reflectcoach?"

TALK = """\
id: harness_talk
title: Harness talk
summary: A long, straight conversation with every kind of answer, for the harness.
audience: anyone
version: 1
record: |
  # Harness talk
  {h01}; {h06} by {h07}
steps:
"""
# (step, kind) in order; the question of step hNN reads "HNN. ..." (how the screen shows it).
STEPS = [
    ("h01", "text"), ("h02", "choice"), ("h03", "scale"), ("h04", "yes_no"),
    ("h05", "long_text"), ("h06", "text"), ("h07", "date"), ("h08", "text"),
    ("h09", "choice"), ("h10", "long_text"), ("h11", "scale"), ("h12", "yes_no"),
    ("h13", "text"), ("h14", "text"), ("h15", "long_text"), ("h16", "choice"),
    ("h17", "text"), ("h18", "scale"), ("h19", "text"), ("h20", "date"),
]  # fmt: skip
OPTIONS = ["alpha", "beta", "gamma"]
KIND_YAML = {
    "text": "",
    "long_text": "    type: long_text\n",
    "choice": "    type: choice\n    options: [alpha, beta, gamma]\n",
    "scale": "    type: scale\n    min: 1\n    max: 5\n",
    "yes_no": "    type: yes_no\n",
    "date": "    type: date\n",
}
for _index, (_step, _kind) in enumerate(STEPS):
    TALK += f"  {_step}:\n    ask: {_step.upper()}. Question {_index + 1} of the harness?\n"
    TALK += KIND_YAML[_kind]
    if _step == "h06":
        TALK += "    commitment: {due: h07}\n"

PLAN = """\
id: harness_plan
title: Harness plan
summary: A goal and two next steps, each with a date (commitments for the commands).
audience: anyone
version: 1
record: |
  Goal: {goal}. Steps: {first_step}; {second_step}.
steps:
  goal:
    ask: P1. What goal are you working on?
  first_step:
    ask: P2. What is your first step?
    commitment: {due: first_date, goal: goal}
  first_date:
    ask: P3. By when?
    type: date
    optional: true
  second_step:
    ask: P4. And one more step?
    optional: true
    commitment: {due: second_date, goal: goal}
  second_date:
    ask: P5. By when?
    type: date
    optional: true
"""
WORDS = [
    "team",
    "plan",
    "feedback",
    "goal",
    "week",
    "call",
    "draft",
    "review",
    "ask",
    "listen",
    "notes",
    "step",
    "risk",
    "trust",
    "time",
    "focus",
    "habit",
    "energy",
    "question",
    "answer",
    "mentor",
    "progress",
    "idea",
    "data",
    "write",
    "read",
    "practice",
]

# Each violation kind, as the table prints it, and what it means.
KINDS = {
    "unlinked-descriptor": "a live process has the database, -wal or -shm open after unlink",
    "locks-dropped": "the app, on a conversation, holds no lock on the database or its -shm",
    "answer-missing": "an acknowledged answer is not in the file (or not as given)",
    "resumed-behind": "the app, resumed, asked again a question it had acknowledged",
    "integrity": "integrity_check not ok, or the database cannot be opened",
    "conversion-not-refused": "encrypt, decrypt or passphrase went ahead while the app had "
    "the database open",
    "held-not-refused": "resume --plain took the conversation the app holds",
    "crash": "a command or the app stopped on an unexpected exception",
    "app-stuck": "the app did not show what it must within the wait, or ended by itself",
    "command-hung": "a command did not finish within the wait",
}


@dataclass
class Talk:
    """One harness_talk conversation, as the app was seen answering it."""

    id: str | None = None
    sent: dict[int, object] = field(default_factory=dict)  # seq -> value given (latest)
    acked: dict[int, object] = field(default_factory=dict)  # seq -> value acknowledged
    finished: bool = False
    at: int = 1  # the question number the app asks now (1-based)


@dataclass
class Command:
    name: str  # the kind, for the table
    args: list[str]
    input: str | None = None
    env: dict[str, str] | None = None
    check: Callable[[subprocess.CompletedProcess[str]], str | None] | None = None
    kind: str = ""  # the violation kind `check` reports
    # Run to its end before the app does anything else: what it must do depends on where
    # the app is (the app holding its conversation, having the database open).
    alone: bool = False
    converts: bool = False  # encrypt, decrypt, passphrase: may replace the database file


class Harness:
    def __init__(
        self, work: Path, rng: random.Random, *, storage: str = "plain", verbose: bool = False
    ) -> None:
        self.work = work
        self.rng = rng
        self.storage = storage  # "plain", or "encrypted": every process has the key
        self.verbose = verbose
        self.db = work / "reflections.db"
        self.scripts = work / "scripts"
        self.env = dict(os.environ)
        for name in ("REFLECTCOACH_PASSPHRASE_FILE", "VISUAL", "EDITOR", "NO_COLOR"):
            self.env.pop(name, None)
        self.env.update(
            XDG_CONFIG_HOME=str(work / "config"),
            XDG_DATA_HOME=str(work / "data"),
            XDG_CACHE_HOME=str(work / "cache"),
            XDG_STATE_HOME=str(work / "state"),
            HOME=str(work / "home"),  # the app's export screen writes under ~
            REFLECTCOACH_DB=str(self.db),
            REFLECTCOACH_SCRIPTS=str(self.scripts),
            REFLECTCOACH_TODAY=TODAY,
            PYTHONUNBUFFERED="1",
        )
        self.passphrase_file = work / "passphrase"
        self.new_passphrase_file = work / "new-passphrase"
        self.key_env = {"REFLECTCOACH_PASSPHRASE_FILE": str(self.passphrase_file)}
        if storage == "encrypted":  # new databases are created encrypted with it
            self.env.update(self.key_env)
        self.term: Terminal | None = None
        self.screen_state = "dead"  # conversation, home, finished, dead
        self.talk = Talk()
        self.talks: list[Talk] = []
        self.command: tuple[Command, subprocess.Popen[bytes], float] | None = None
        self.app_at_command: int | None = None  # the app's pid when the command started
        self.app_pids: list[int] = []  # every app started, killed again by close()
        self.deck: list[str] = []
        self.round_number = 0
        self.violations: list[tuple[str, str]] = []
        self.kills: Counter[str] = Counter()
        self.commands: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()  # commands that exited non-zero, by name
        self.paths: Counter[str] = Counter()  # the app's ways in and around
        self.acknowledged = 0
        self.seen_unlinked: set[tuple[int, str]] = set()
        self.unlocked: set[int] = set()  # apps found without their locks

    # -- setup --------------------------------------------------------------------------

    def log(self, text: str) -> None:
        if self.verbose:
            print(f"[round {self.round_number}] {text}", file=sys.stderr, flush=True)

    def cli(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "reflectcoach", *args]

    def plain(self, db: Path, mentorship: str, lines: list[str]) -> None:
        subprocess.run(
            self.cli("--db", str(db), "start", "harness_plan", "--plain", "-m", mentorship),
            input="".join(line + "\n" for line in lines), env=self.env, text=True,
            capture_output=True, timeout=120,
        )  # fmt: skip

    def setup(self) -> None:
        for folder in ("scripts", "config", "data", "cache", "state", "home", "out"):
            (self.work / folder).mkdir(parents=True, exist_ok=True)
        (self.scripts / "talk.yaml").write_text(TALK, encoding="utf-8")
        (self.scripts / "plan.yaml").write_text(PLAN, encoding="utf-8")
        for path, key in ((self.passphrase_file, "ab"), (self.new_passphrase_file, "cd")):
            path.write_text(f"x'{key * 32}'\n", encoding="ascii")
            path.chmod(0o600)
        # A small export of another database: imported, deleted and imported again.
        side = self.work / "side.db"
        self.plain(side, "Ivy", ["Ivy goal", "ship it", "2026-03-16", ":skip", ":skip"])
        self.plain(side, "Ivy", ["Ivy again", "ship more", ":skip", "and more", "2026-03-30"])
        self.plain(side, "Ivy", ["Ivy half way"])
        self.import_file = self.work / "import.json"
        subprocess.run(
            self.cli("--db", str(side), "export", "--format", "json", "-o", str(self.import_file)),
            env=self.env, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        exported = json.loads(self.import_file.read_text())
        self.import_ids = [item["id"] for item in exported["conversations"]]
        self.seed()

    def seed(self) -> None:
        """The database the rounds start from: completed plans (their commitments, pairs to
        compare), plans in progress, and the small export imported."""
        # Piped, plain mode takes a typed date as it is (and says it back): one line each.
        whole = ["a goal", "a first step", "2026-03-10", "a second step", "2026-03-18"]
        for name in ("Sam", "Ana"):
            self.plain(self.db, name, [f"{name} goal", "call the team", *whole[2:]])
            self.plain(self.db, name, [*whole[:3], "write notes", "2026-04-20"])
        for name in ("Sam", "Ana", "Lee"):
            self.plain(self.db, name, [f"{name} is just starting"])
        subprocess.run(
            self.cli("import", str(self.import_file)), env=self.env, check=True,
            capture_output=True, timeout=120,
        )  # fmt: skip
        completed = self.others(("completed",))
        commitments = self.query("SELECT count(*) FROM commitments")
        if len(completed) < 6 or not commitments or commitments[0][0] < 8:
            raise RuntimeError(
                f"setup: {len(completed)} plans completed, {commitments} commitments"
            )

    def start_over(self, why: str) -> None:
        """The database is damaged beyond opening: kept aside for a look, and the rounds go
        on with a new one (what the talks acknowledged was in the old one)."""
        self.kill_app("the database was damaged")
        aside = self.work / "damaged" / f"round-{self.round_number}"
        aside.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal", "-clean"):
            path = Path(f"{self.db}{suffix}")
            if path.exists():
                path.rename(aside / path.name)
        self.log(f"started over with a new database ({why}); the old one is in {aside}")
        self.paths["started over: the database was damaged"] += 1
        self.talks, self.talk = [], Talk()
        self.seed()

    # -- reading the database from this process (sqlite3 only, read-only) -----------------

    def connect(self, key_file: Path | None = None) -> sqlite3.Connection:
        """A read-only connection to the database; encrypted, with the key in `key_file`."""
        if self.storage == "plain":
            return sqlite3.connect(f"{self.db.as_uri()}?mode=ro", uri=True, timeout=10)
        from reflectcoach.store.cipher import connect
        from reflectcoach.store.key import Key

        passphrase = (key_file or self.passphrase_file).read_text(encoding="ascii").strip()
        return connect(self.db, Key.from_passphrase(passphrase), timeout=10, query="?mode=ro")

    def query(self, sql: str, *params: object) -> list[tuple]:
        try:
            conn = self.connect()
        except Exception:  # sqlite3.Error, or WrongPassphrase: nothing to read now
            return []
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.Error:
            return []
        finally:
            conn.close()

    def others(self, statuses: tuple[str, ...] = ("in_progress", "abandoned")) -> list[str]:
        """harness_plan conversations with these statuses (never the app's)."""
        marks = ", ".join("?" * len(statuses))
        rows = self.query(
            f"SELECT id FROM conversations WHERE script_id = 'harness_plan' "
            f"AND status IN ({marks}) ORDER BY id",
            *statuses,
        )
        return [row[0] for row in rows]

    # -- violations and /proc ------------------------------------------------------------

    def violation(self, kind: str, what: str) -> None:
        self.log(f"VIOLATION {kind}: {what}")
        self.violations.append((kind, f"round {self.round_number}: {what}"))

    def app_alive(self) -> bool:
        return self.term is not None and self.term.proc.poll() is None

    def scan(self, where: str) -> None:
        """No live process of ours holds an unlinked database, -wal or -shm."""
        pids = []
        if self.app_alive():
            assert self.term is not None
            pids.append(("app", self.term.proc.pid))
        running = self.command
        # Conversions replace the file, then close the old one: not theirs to scan.
        if running is not None and running[1].poll() is None and not running[0].converts:
            pids.append((running[0].name, running[1].pid))
        if self.screen_state == "conversation" and pids and pids[0][0] == "app":
            # Its Store is open: SQLite's SHARED lock on the file, its "in use" on the -shm.
            locks = held_locks(pids[0][1], self.db)
            if (not locks.get("") or not locks.get("-shm")) and pids[0][1] not in self.unlocked:
                self.unlocked.add(pids[0][1])  # once per app
                self.violation("locks-dropped", f"app {pids[0][1]} holds {locks} ({where})")
        for who, pid in pids:
            for found in unlinked_database_files(pid, self.db):
                key = (pid, found.split(" -> ")[-1])
                if key not in self.seen_unlinked:  # each file once per process
                    self.seen_unlinked.add(key)
                    self.violation("unlinked-descriptor", f"{who} {found} ({where})")

    # -- the app ------------------------------------------------------------------------

    def screen(self) -> str:
        return self.term.text() if self.term is not None else ""

    def wait_screen(self, condition: Callable[[str], bool], what: str) -> str:
        assert self.term is not None
        return self.term.wait_for_screen(condition, what, timeout=WAIT)

    def press(self, keys: bytes, pause: float = 0.0) -> None:
        assert self.term is not None
        self.term.write(keys)
        if pause:
            self.idle(pause)

    def idle(self, seconds: float) -> None:
        """Let time pass, reading the screen (the app blocks on a full terminal)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.term is not None:
                self.term.drain()
            time.sleep(min(0.05, max(end - time.monotonic(), 0)))

    def launch(self, args: list[str]) -> None:
        if self.term is not None:  # one app at a time
            self.term.close()
        self.term = Terminal(args, env=self.env, size=SIZE)
        self.app_pids.append(self.term.proc.pid)
        self.log(f"app {' '.join(args) or '(home)'} pid {self.term.proc.pid}")

    def asking(self, screen: str) -> int | None:
        """The question number the talk's screen asks now, if it shows the talk."""
        rows = [row.strip() for row in screen.splitlines()]
        if not rows or TALK_TITLE not in rows[0] or "finished" in rows[0]:
            return None
        for row in rows:
            words = row.split()
            if row.startswith("Question ") and len(words) > 1 and words[1].isdigit():
                number = int(words[1])
                current = f"{STEPS[number - 1][0].upper()}." if 0 < number <= len(STEPS) else "?"
                # The question asked starts its row; those answered above start with "Q:".
                if any(r.startswith(current) for r in rows):
                    return number
        return None

    def on_question(self, number: int) -> Callable[[str], bool]:
        return lambda screen: self.asking(screen) == number

    def arrived(self, how: str) -> None:
        """The app shows the talk: learn where it is, and what that says about before."""
        screen = self.wait_screen(
            lambda s: self.asking(s) is not None or FINISHED in s, f"the talk ({how})"
        )
        self.screen_state = "conversation"
        number = self.asking(screen)
        talk = self.talk
        if number is None:  # the end screen: resumed a talk that was already complete
            self.screen_state = "finished"
            return
        answered = number - 1
        lost = sorted(seq for seq in talk.acked if seq >= answered)
        if lost:
            self.violation(
                "resumed-behind",
                f"{how}: the app asks question {number}, but had acknowledged answers "
                f"{[s + 1 for s in lost]}",
            )
            for seq in lost:  # counted once; they will be answered again
                del talk.acked[seq]
        for seq in range(answered):
            if seq not in talk.acked and seq in talk.sent:  # given, killed before it showed
                talk.acked[seq] = talk.sent[seq]
        talk.at = number
        if STEPS[number - 1][1] in ("text", "long_text", "date"):
            # A draft the kill left is in the box: cleared first, on its own (ctrl+u in the
            # same read as the text after it is applied after that text).
            self.press(b"\x15", PACE)
        if talk.id is None:
            for _ in range(50):
                rows = self.query(
                    "SELECT conversation_id FROM leases WHERE pid = ? AND released_at IS NULL",
                    self.term.proc.pid if self.term else -1,
                )
                if rows:
                    talk.id = rows[0][0]
                    break
                self.idle(0.1)
            else:
                self.violation("answer-missing", "the app's new conversation is not in the file")

    def new_talk(self) -> None:
        if self.talk.id is not None or self.talk.acked:
            self.talks.append(self.talk)
        self.talk = Talk()

    def start_app(self) -> None:
        """Start the app on the talk: a new one when the last one finished, else resumed."""
        if self.talk.id is not None and not self.talk.finished:
            status = self.query("SELECT status FROM conversations WHERE id = ?", self.talk.id)
            count = self.query("SELECT count(*) FROM conversations WHERE id = ?", self.talk.id)
            if status and status[0][0] == "completed":  # killed once its last answer was in
                self.talk.acked.update(self.talk.sent)
                self.talk.finished = True
            elif count == [(0,)]:  # gone: quit before its first answer, so discarded
                if self.talk.acked:
                    self.violation(
                        "answer-missing",
                        f"{self.talk.id}, with {len(self.talk.acked)} acknowledged answers, "
                        "is not in the file",
                    )
                self.paths["talk quit before its first answer: discarded"] += 1
                self.talk = Talk()
        fresh = self.talk.finished or self.talk.id is None
        if fresh:
            self.new_talk()
            how = self.rng.choice(("start", "start", "home-start"))
        else:
            how = self.rng.choice(("resume", "home-continue", "home-continue", "review"))
        self.paths[how] += 1
        if how == "start":
            self.launch(["start", "harness_talk", "-m", MENTORSHIP])
        elif how == "resume":
            self.launch(["resume", str(self.talk.id)])
        elif how == "review":
            self.launch(["review"])
            self.wait_screen(lambda s: "Your reflections" in s.split("\n", 1)[0], "review")
            self.press(b"\x1b")
            self.wait_screen(lambda s: HOME in s, "home from review")
            self.screen_state = "home"
            self.continue_from_home(how)
            return
        else:
            self.launch([])
            self.wait_screen(lambda s: HOME in s, "home")
            self.screen_state = "home"
            if how == "home-start":
                self.start_from_home()
            else:
                self.continue_from_home(how)
            return
        self.arrived(how)

    def start_from_home(self) -> None:
        self.idle(PACE)  # home builds its lists; keys before that go elsewhere
        # ctrl+u on its own: in one read with the text after it, it is applied last.
        self.press(b"w", PACE)
        self.press(b"\x15", PACE)
        self.press(MENTORSHIP.encode())
        self.wait_screen(lambda s: f"Who is this about?  {MENTORSHIP}\n" in s, "Who: Kim")
        self.press(b"\t", PACE)
        self.press(b"\x15", PACE)
        self.press(TALK_TITLE.encode())
        self.wait_screen(lambda s: f"Filter              {TALK_TITLE}\n" in s, "the filter")
        self.idle(PACE)
        self.press(b"\r")
        self.arrived("home-start")

    def continue_from_home(self, how: str) -> None:
        """`c` on home, once its resume list is drawn: its first row (the conversation in
        progress most recently updated, highlighted) is the talk unless a command wrote
        another meanwhile; then the app is quit and started on the talk with `resume ID`."""
        screen = self.wait_screen(lambda s: first_running(s) is not None, "home's resume list")
        self.idle(PACE)
        if (first_running(screen) or "").startswith(f"{TALK_TITLE} ·"):
            self.press(b"c")
            screen = self.wait_screen(
                lambda s: (
                    self.asking(s) is not None
                    or FINISHED in s
                    or "Open in another session" in s
                    or (HOME not in s and "Question " in s)
                ),
                "a conversation opened from home",
            )
            if self.asking(screen) is not None or FINISHED in screen:
                self.arrived(how)
                return
            self.press(b"\x1b")  # another conversation (or it is held): back
            self.wait_screen(lambda s: HOME in s, "home again")
        self.paths["home-continue: not the first, resume ID"] += 1
        self.quit_app()
        self.launch(["resume", str(self.talk.id)])
        self.arrived("resume")

    def quit_app(self) -> None:
        """ctrl+q, saying yes if asked; the app must end."""
        assert self.term is not None
        self.press(b"\x11")
        deadline = time.monotonic() + WAIT
        while self.term.proc.poll() is None:
            if QUIT_ASKED in self.screen():
                self.press(b"y", PACE)
            assert time.monotonic() < deadline, "the app did not quit"
            self.idle(0.1)
        self.term.close()
        self.term = None
        self.screen_state = "dead"

    def kill_app(self, how: str) -> None:
        if self.app_alive():
            assert self.term is not None
            self.term.kill()
            self.kills[f"app: {how}"] += 1
            self.log(f"killed the app ({how})")
        if self.term is not None:
            self.term.close()
            self.term = None
        self.screen_state = "dead"

    # -- the app's actions -------------------------------------------------------------

    def text(self, seq: int) -> str:
        return f"r{self.round_number} q{seq + 1} " + " ".join(self.rng.sample(WORDS, 3))

    def answer(self, kill: str | None = None) -> None:
        """Answer the question asked, and see it acknowledged (the next question, or the
        end screen). `kill`: "typing" (part way through), "sent" (just after the keys)."""
        talk = self.talk
        seq = talk.at - 1
        kind = STEPS[seq][1]
        if kind in ("text", "long_text"):
            value: object = self.text(seq)
            keys = str(value).encode()
            end = b"\x13" if kind == "long_text" else b"\r"
        elif kind == "choice":
            pick = self.rng.randint(1, 3)
            value, keys, end = OPTIONS[pick - 1], str(pick).encode(), b""
        elif kind == "scale":
            value = self.rng.randint(1, 5)
            keys, end = str(value).encode(), b""
        elif kind == "yes_no":
            value = self.rng.random() < 0.5
            keys, end = (b"y" if value else b"n"), b""
        else:
            value = f"2026-04-{self.rng.randint(1, 28):02d}"
            keys, end = str(value).encode(), b"\r"
        if kill == "typing" or (kind in ("text", "long_text") and self.rng.random() < 0.25):
            # Typed in two goes with a pause: the draft is written in between.
            cut = self.rng.randint(1, len(keys))
            self.press(keys[:cut], self.rng.uniform(0.3, 1.2))
            if kill == "typing":
                self.kill_app("while typing an answer")
                return
            keys = keys[cut:]
        talk.sent[seq] = value
        self.press(keys + end)
        if kill == "sent":
            self.idle(self.rng.uniform(0, 0.15))
            self.kill_app("just after an answer was sent")
            return
        if seq + 1 == len(STEPS):
            self.wait_screen(lambda s: FINISHED in s, "the end screen")
            talk.finished = True
            self.screen_state = "finished"
        else:
            step_next = STEPS[seq + 1][0].upper()
            self.wait_screen(self.on_question(seq + 2), f"question {seq + 2} ({step_next})")
            talk.at = seq + 2
        talk.acked[seq] = value
        self.acknowledged += 1

    def excursion(self) -> None:
        """Save & leave to home, visit screens that read (and one that writes) the
        database, and continue the talk with `c`."""
        if not self.talk.acked and self.talk.at == 1:
            return  # leaving a talk with nothing in it discards it
        self.press(b"\x1b")
        self.wait_screen(lambda s: HOME in s, "home")
        self.screen_state = "home"
        self.idle(PACE)
        for visit in self.rng.sample(["review", "commitments", "insights"], self.rng.randint(1, 3)):
            self.paths[f"visit {visit}"] += 1
            if visit == "review":
                self.press(b"r")
                self.wait_screen(lambda s: "Your reflections" in s.split("\n", 1)[0], "review")
                self.idle(PACE)
                choice = self.rng.random()
                if choice < 0.4:
                    self.export_from_review()
                elif choice < 0.7:
                    self.paths["visit mentorship screen"] += 1
                    self.press(b"o")
                    self.wait_screen(lambda s: "Mentorship" in s.split("\n", 1)[0], "mentorship")
                    self.idle(PACE)
                    self.press(b"\x1b")
                    self.wait_screen(lambda s: "Your reflections" in s.split("\n", 1)[0], "back")
                self.idle(PACE)
                self.press(b"\x1b")
            elif visit == "commitments":
                self.press(b"k")
                self.wait_screen(lambda s: "Commitments" in s.split("\n", 1)[0], "commitments")
                self.idle(PACE)
                if self.rng.random() < 0.5:
                    self.paths["commitment marked done in the app"] += 1
                    self.press(b"d", PACE)
                self.press(b"\x1b")
            else:
                self.press(b"i")
                self.wait_screen(lambda s: "Insights" in s.split("\n", 1)[0], "insights")
                self.idle(PACE)
                self.press(b"\x1b")
            self.wait_screen(lambda s: HOME in s and "reflection coach" in s, "home again")
            self.idle(PACE)
        self.continue_from_home("excursion, then home-continue")

    def export_from_review(self) -> None:
        """Review's export screen, written with ctrl+s (replacing the last one, if asked)."""
        self.paths["visit export screen"] += 1
        self.press(b"e")
        self.wait_screen(lambda s: "Export reflections" in s, "the export screen")
        self.idle(PACE)
        before = self.exported()
        self.press(b"\x13")
        screen = self.wait_screen(
            lambda s: "Replace the file?" in s or self.exported() != before, "the export"
        )
        if "Replace the file?" in screen:
            self.press(b"y")
            self.wait_screen(lambda s: self.exported() != before, "the export written")
        # Its "Wrote N answers" is said while the dialog is up, and goes with it: not
        # looked for (the file is).
        self.wait_screen(lambda s: "Export reflections" not in s, "the dialog closed")

    def exported(self) -> list[tuple[str, int]]:
        """The app's exports (to ~, its default folder), with when each was last written."""
        found = sorted((self.work / "home").glob("reflectcoach-export-*"))
        return [(path.name, path.stat().st_mtime_ns) for path in found if path.is_file()]

    def next_talk(self) -> None:
        """The talk is finished: a new one, from home or by starting the app again."""
        if self.rng.random() < 0.5:
            self.press(b"h")
            self.wait_screen(lambda s: HOME in s, "home after the end")
            self.screen_state = "home"
            self.new_talk()
            self.paths["home-start"] += 1
            self.start_from_home()
        else:
            self.quit_app()

    # -- the second process ---------------------------------------------------------

    def commands_available(self) -> dict[str, Callable[[], Command | None]]:
        out = self.work / "out"
        rng = self.rng

        def pick(items: list[str]) -> str | None:
            return rng.choice(items) if items else None

        def completed() -> list[str]:
            return self.others(("completed",))

        def names() -> list[str]:
            rows = self.query(
                "SELECT DISTINCT mentorship FROM conversations WHERE mentorship IS NOT NULL"
            )
            return sorted(row[0] for row in rows)

        def commitment_ids() -> list[str]:
            return [row[0] for row in self.query("SELECT id FROM commitments ORDER BY id")]

        def refused(words: str) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
            def check(done: subprocess.CompletedProcess[str]) -> str | None:
                if done.returncode != 0 and words in done.stderr:
                    return None
                return f"exit {done.returncode}: {(done.stdout + done.stderr).strip()[:300]}"

            return check

        def export() -> Command:
            fmt = rng.choice(
                ["json", "markdown", "markdown --share", "csv", "csv --excel", "csv --raw"]
            )
            args = ["export", "--format", *fmt.split()]
            args += rng.choice(
                [[], ["--script", "harness_talk"], ["-m", "Sam"], ["--since", TODAY]]
            )
            if rng.random() < 0.6:
                args += ["-o", str(out / f"export-{fmt.replace(' ', '')}")]
            return Command(f"export {fmt}", args)

        def show() -> Command | None:
            ids = completed() + ([self.talk.id] if self.talk.id else [])
            target = pick(ids)
            if target is None:
                return None
            record = rng.random() < 0.4 and target in completed()
            return Command(
                "show --record" if record else "show",
                ["show", target] + (["--record"] if record else []),
            )

        def compare() -> Command | None:
            runs = self.query(
                "SELECT mentorship_key, id FROM conversations WHERE script_id = 'harness_plan' "
                "AND status = 'completed' ORDER BY mentorship_key, id"
            )
            by: dict[str, list[str]] = {}
            for key, cid in runs:
                by.setdefault(key, []).append(cid)
            pairs = [ids for ids in by.values() if len(ids) >= 2]
            if not pairs:
                return None
            first, second = rng.sample(rng.choice(pairs), 2)
            return Command("compare", ["compare", first, second])

        def commitment() -> Command | None:
            target = pick(commitment_ids())
            if target is None:
                return None
            change = rng.choice(["done", "partly", "not-yet", "drop"])
            args = ["commitment", change, target]
            if change == "not-yet":
                args += ["--date", f"2026-04-{rng.randint(1, 28):02d}"]
            elif change in ("partly", "drop") and rng.random() < 0.5:
                args += ["--reason", "a reason " + rng.choice(WORDS)]
            return Command(f"commitment {change}", args)

        def rename() -> Command | None:
            old = pick([n for n in names() if n.casefold() != MENTORSHIP.casefold()])
            if old is None:
                return None
            new = old[:-2] if old.endswith(" B") else f"{old} B"
            return Command("mentorship rename", ["mentorship", "rename", old, new])

        def mentorship_show() -> Command | None:
            name = pick(names())
            if name is None:
                return None
            if rng.random() < 0.5:
                return Command("mentorship show", ["mentorship", "show", name])
            return Command("mentorship NAME", ["mentorship", name])

        def delete() -> Command | None:
            present = set(self.others(("in_progress", "abandoned", "completed")))
            target = pick([i for i in self.import_ids if i in present])
            return None if target is None else Command("delete", ["delete", "-y", target])

        def abandon() -> Command | None:
            target = pick(self.others(("in_progress",)))
            return None if target is None else Command("abandon", ["abandon", target])

        def resume_other() -> Command | None:
            target = pick(self.others())
            if target is None:
                return None
            lines = f"2026-03-{rng.randint(15, 28)}\n"  # a valid answer to each plan question
            return Command("resume --plain (other)", ["resume", target, "--plain"], input=lines)

        def resume_held() -> Command | None:
            if self.screen_state != "conversation" or self.talk.id is None or not self.app_alive():
                return None
            return Command(
                "resume --plain (held by the app)",
                ["resume", self.talk.id, "--plain"],
                input="",
                check=refused("open in another session"),
                kind="held-not-refused",
                alone=True,
            )

        def conversion(name: str, args: list[str]) -> Command:
            """encrypt (of a plaintext database), decrypt and passphrase (of an encrypted
            one) must refuse while the app has the database open; the others refuse anyway."""
            must = (name == "encrypt") == (self.storage == "plain") and self.app_alive()
            return Command(
                name,
                args,
                env=self.key_env,
                check=refused("open") if must else None,
                kind="conversion-not-refused",
                alone=True,
                converts=True,
            )

        def listing() -> Command:
            filters = [[], ["--all"], ["--status", "in_progress"], ["--script", "harness_talk"]]
            return Command("list", ["list", *rng.choice([*filters, ["-m", "Sam"]])])

        def commitments() -> Command:
            flag = rng.choice(["", "--due", "--overdue", "--all", "--json", "--ics"])
            args = ["commitments", *([flag] if flag else [])]
            if flag == "--ics":
                args.append(str(out / "due.ics"))
            return Command(f"commitments {flag}".strip(), args)

        def reopen() -> Command:
            return Command("mentorship reopen", ["mentorship", "reopen", pick(names()) or "Sam"])

        def start_plain() -> Command:
            args = ["start", "harness_plan", "--plain", "-m", "Lee"]
            return Command("start --plain", args, input="Lee again\n")

        def passphrase() -> Command:
            args = ["passphrase", "--new-passphrase-file", str(self.new_passphrase_file)]
            return conversion("passphrase", args)

        return {
            "list": listing,
            "show": show,
            "search": lambda: Command("search", ["search", rng.choice([*WORDS, "H01", "goal"])]),
            "export": export,
            "import": lambda: Command("import", ["import", str(self.import_file)]),
            "commitments": commitments,
            "commitment": commitment,
            "mentorship list": lambda: Command("mentorship list", ["mentorship", "list"]),
            "mentorship show": mentorship_show,
            "mentorship rename": rename,
            "mentorship reopen": reopen,
            "delete": delete,
            "abandon": abandon,
            "resume other": resume_other,
            "resume held": resume_held,
            "start --plain": start_plain,
            "compare": compare,
            "encrypt": lambda: conversion("encrypt", ["encrypt"]),
            "decrypt": lambda: conversion("decrypt", ["decrypt"]),
            "passphrase": passphrase,
        }

    def next_command(self) -> Command | None:
        """Commands are dealt from a shuffled deck of every kind: each kind runs once
        before any runs twice (a kind with nothing to act on now is passed over)."""
        available = self.commands_available()
        for _ in range(len(available)):
            if not self.deck:
                self.deck = sorted(available)
                self.rng.shuffle(self.deck)
            made = available[self.deck.pop()]()
            if made is not None:
                return made
        return None

    def start_command(self) -> None:
        self.finish_command()
        command = self.next_command()
        if command is None:
            return
        env = {**self.env, **(command.env or {})}
        given = self.work / "out" / "command-input"
        given.write_text(command.input or "", encoding="utf-8")
        with (
            given.open("rb") as stdin,
            (self.work / "out" / "command-stdout").open("wb") as stdout,
            (self.work / "out" / "command-stderr").open("wb") as stderr,
        ):  # files, not pipes: nothing blocks on output nobody reads yet
            process = subprocess.Popen(
                self.cli(*command.args), stdin=stdin, stdout=stdout, stderr=stderr, env=env
            )
        self.commands[command.name] += 1
        self.log(f"command {' '.join(command.args)}")
        kill_at = None
        if self.rng.random() < 0.12:
            kill_at = time.monotonic() + self.rng.uniform(0.05, 0.8)
        self.command = (command, process, kill_at or 0.0)
        self.app_at_command = self.term.proc.pid if self.app_alive() and self.term else None
        if command.alone:
            self.finish_command()

    def finish_command(self) -> None:
        """Wait for the running command (SIGKILL it at its moment, if it has one), then
        check what it said and scan /proc."""
        if self.command is None:
            return
        command, process, kill_at = self.command
        deadline = time.monotonic() + WAIT
        while process.poll() is None:
            if kill_at and time.monotonic() >= kill_at:
                process.kill()
                self.kills["command"] += 1
                self.log(f"killed {command.name}")
                break
            if time.monotonic() > deadline:
                process.kill()
                self.violation("command-hung", f"{command.name} ({' '.join(command.args)})")
                break
            self.scan(f"while {command.name} ran")
            self.idle(0.05)
        process.wait()
        stdout = (self.work / "out" / "command-stdout").read_text("utf-8", "replace")
        stderr = (self.work / "out" / "command-stderr").read_text("utf-8", "replace")
        self.command = None
        done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        if process.returncode < 0:  # killed: nothing it said counts
            self.scan(f"after {command.name} was killed")
            if command.converts:
                self.restore_storage()
            return
        if "Traceback" in stderr or "hit a problem" in stderr:
            self.violation("crash", f"{command.name}: {stderr.strip()[-400:]}")
        if process.returncode != 0:
            self.refused[command.name] += 1
        same_app = self.app_alive() and self.term and self.term.proc.pid == self.app_at_command
        if command.check is not None and same_app:
            problem = command.check(done)
            if problem is not None:
                self.violation(command.kind, f"{command.name}: {problem}")
        self.scan(f"after {command.name}")
        if command.converts:
            self.restore_storage()

    def opens_with(self, storage: str, key_file: Path | None = None) -> bool:
        was, self.storage = self.storage, storage
        try:
            conn = self.connect(key_file)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return True
            finally:
                conn.close()
        except Exception:  # "file is not a database", or the wrong key
            return False
        finally:
            self.storage = was

    def restore_storage(self) -> None:
        """A conversion that went ahead (wrongly, or killed after its rename, or with the
        app gone) is undone, so that the rounds go on with the database as it was made:
        plaintext, or encrypted with the first key."""
        if self.opens_with(self.storage):
            return
        new_key = {"REFLECTCOACH_PASSPHRASE_FILE": str(self.new_passphrase_file)}
        if self.storage == "plain":
            args, env = ["decrypt"], self.key_env
            if self.opens_with("encrypted", self.new_passphrase_file):
                env = new_key
        elif self.opens_with("plain"):
            args, env = ["encrypt"], self.key_env
        else:  # rekeyed with the new passphrase: back to the first
            args = ["passphrase", "--new-passphrase-file", str(self.passphrase_file)]
            env = new_key
        self.paths[f"database converted back ({' '.join(args[:1])})"] += 1
        subprocess.run(self.cli(*args), env={**self.env, **env}, capture_output=True, timeout=120)

    # -- checks -------------------------------------------------------------------------

    CHECK = """
import json, sys
from pathlib import Path
from reflectcoach.store import Store
from reflectcoach.store.key import Key
db, ids, key_file = Path(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3]
key = Key.from_passphrase(Path(key_file).read_text().strip()) if key_file else None
try:
    store = Store.open(db, key=key)
except Exception as problem:
    print(json.dumps({"open": f"{type(problem).__name__}: {problem}"}))
    sys.exit()
with store:
    (result,) = store.db.execute("PRAGMA integrity_check").fetchone()
    answers = {}
    for cid in ids:
        rows = store.db.execute(
            "SELECT seq, answer_json FROM answers WHERE conversation_id = ?", [cid]
        ).fetchall()
        answers[cid] = {str(seq): json.loads(value) for seq, value in rows}
print(json.dumps({"integrity": result, "answers": answers}))
"""

    def check(self) -> None:
        """Every acknowledged answer of every talk is in the file, as given, and the file
        is whole: read by another process, opened as reflectcoach opens it."""
        self.scan("end of round")
        talks = [t for t in [*self.talks, self.talk] if t.id is not None and t.acked]
        done = subprocess.run(
            [
                sys.executable, "-c", self.CHECK, str(self.db), json.dumps([t.id for t in talks]),
                str(self.passphrase_file) if self.storage == "encrypted" else "",
            ],
            env=self.env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        try:
            found = json.loads(done.stdout)
        except ValueError:
            self.violation("integrity", f"the check failed: {done.stderr.strip()[-400:]}")
            return
        if "open" in found:
            self.violation("integrity", f"cannot open: {found['open']}")
            self.start_over("it cannot be opened")
            return
        if found["integrity"] != "ok":
            self.violation("integrity", f"integrity_check: {found['integrity']}")
            self.start_over("its integrity check failed")
            return
        alive = "while the app runs" if self.app_alive() else "after the app ended"
        for talk in talks:
            stored = found["answers"].get(talk.id, {})
            for seq, value in sorted(talk.acked.items()):
                if str(seq) not in stored:
                    self.violation(
                        "answer-missing",
                        f"{talk.id} answer {seq + 1} ({value!r}) acknowledged, not stored "
                        f"({alive})",
                    )
                elif stored[str(seq)] != value:
                    self.violation(
                        "answer-missing",
                        f"{talk.id} answer {seq + 1}: acknowledged {value!r}, stored "
                        f"{stored[str(seq)]!r} ({alive})",
                    )
            # Counted once: what is missing now will be answered again (or stays lost).
            for seq in [s for s in talk.acked if stored.get(str(s)) != talk.acked[s]]:
                del talk.acked[seq]
                talk.sent.pop(seq, None)

    # -- a round ------------------------------------------------------------------------

    def round(self) -> None:
        """Start the app if it is not running; answer, wander and run commands in random
        order; end by killing the app, quitting it or keeping it; check."""
        self.round_number += 1
        try:
            self.play()
        except AssertionError as problem:  # the app did not show what it had to
            stopped = self.term is not None and self.term.proc.poll() is not None
            what = compact(str(problem))
            if "hit a problem" in what:
                self.violation("crash", what)
            else:
                self.violation("app-stuck", ("the app ended by itself: " if stopped else "") + what)
            self.kill_app("stuck")
        self.finish_command()
        self.check()

    def play(self) -> None:
        if not self.app_alive():
            self.start_app()
        actions = ["answer"] * self.rng.randint(1, 4) + ["command"] * self.rng.randint(2, 4)
        if self.rng.random() < 0.3:
            actions.append("excursion")
        self.rng.shuffle(actions)
        ending = self.rng.choices(["kill", "quit", "keep"], weights=[40, 10, 50])[0]
        kill_style = self.rng.choice(["idle", "typing", "sent", "command"])
        for index, action in enumerate(actions):
            last_answer = action == "answer" and "answer" not in actions[index + 1 :]
            if self.screen_state == "finished":
                self.next_talk()
                if not self.app_alive():
                    self.start_app()
            if action == "command":
                self.start_command()
                if self.rng.random() < 0.5:
                    self.finish_command()  # else it runs on during what the app does next
            elif action == "excursion" and self.screen_state == "conversation":
                self.excursion()
            elif action == "answer" and self.screen_state == "conversation":
                if ending == "kill" and last_answer and kill_style in ("typing", "sent"):
                    self.answer(kill=kill_style)
                    return
                self.answer()
            self.scan(f"after {action}")
        if ending == "kill":
            if kill_style == "command":
                self.start_command()
                self.idle(self.rng.uniform(0, 0.5))
            self.kill_app("idle" if kill_style != "command" else "while a command ran")
        elif ending == "quit" and self.app_alive():
            self.quit_app()
            self.paths["quit"] += 1

    def close(self) -> None:
        """Nothing of ours outlives the harness, whatever stopped it (an app whose terminal
        is gone does not end by itself)."""
        if self.command is not None:
            with contextlib.suppress(OSError):
                self.command[1].kill()
            self.command[1].wait()
            self.command = None
        if self.term is not None:
            self.term.close()
            self.term = None
        for pid in self.app_pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def first_running(screen: str) -> str | None:
    """The first row of home's resume list ("TITLE · with NAME · ..."), "" when it says
    nothing is in progress, None before it is drawn."""
    rows = screen.splitlines()
    for index, row in enumerate(rows):
        if HOME in row:
            for below in rows[index + 1 : index + 4]:
                text = below.split("▌")[0].strip(" ▊▎▔▁▃▄▅▆▇█▐▏")  # "▌": a notice over it
                if "Nothing in progress" in text:
                    return ""
                if " ·" in text:
                    return text
            return None
    return None


def compact(text: str) -> str:
    """A message with a screen in it, without the screen's empty rows and borders."""
    rows = [row.rstrip() for row in text.splitlines()]
    kept = [row for row in rows if row.strip(" ▊▎▔▁─█▀▄▌▐▏")]
    return "\n".join(kept)


def table(harness: Harness, rounds: int, seed: int, elapsed: float) -> str:
    played = harness.round_number
    title = f"seed {seed}, {played} of {rounds} rounds, {harness.storage} databases"
    lines = [f"app + CLI crash harness: {title}"]
    lines.append(f"answers acknowledged by the app: {harness.acknowledged}")
    lines.append(f"conversations answered in the app: {len(harness.talks) + 1}")
    kills = sum(harness.kills.values())
    lines.append(f"kills: {kills}")
    for what, number in sorted(harness.kills.items()):
        lines.append(f"  {what:<44}{number:>6}")
    lines.append(f"commands: {sum(harness.commands.values())} (refused or failed: "
                 f"{sum(harness.refused.values())})")  # fmt: skip
    for name, number in sorted(harness.commands.items()):
        refused = harness.refused.get(name, 0)
        lines.append(f"  {name:<44}{number:>6}" + (f"  ({refused} non-zero)" if refused else ""))
    lines.append("the app's ways in and around:")
    for name, number in sorted(harness.paths.items()):
        lines.append(f"  {name:<44}{number:>6}")
    by_kind = Counter(kind for kind, _ in harness.violations)
    lines.append(f"violations: {len(harness.violations)}")
    for kind, meaning in KINDS.items():
        lines.append(f"  {kind:<22}{by_kind.get(kind, 0):>6}  {meaning}")
    shown = harness.violations[:40]
    for kind, what in shown:
        lines.append(f"  - {kind}: {what}")
    if len(harness.violations) > len(shown):
        lines.append(f"  ... and {len(harness.violations) - len(shown)} more")
    lines.append(f"elapsed: {elapsed:.1f} s")
    return "\n".join(lines)


def run(
    rounds: int, seed: int, work: Path, *, storage: str = "plain", verbose: bool = False
) -> Harness:
    """`rounds` rounds in `work` (a new, empty folder); the harness, for its counts."""
    harness = Harness(work, random.Random(seed), storage=storage, verbose=verbose)
    harness.setup()
    try:
        for _ in range(rounds):
            harness.round()
    except KeyboardInterrupt:  # ctrl+c: the table of the rounds played so far
        print(f"stopped by ctrl+c in round {harness.round_number}", file=sys.stderr)
    finally:
        harness.close()
    return harness


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="rounds to play (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--storage",
        choices=("plain", "encrypted"),
        default="plain",
        help="plaintext databases (default), or encrypted ones (SQLCipher; every process "
        "is given the key, as the suite's --storage encrypted does)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("-v", "--verbose", action="store_true", help="say what each round does")
    args = parser.parse_args()
    if not Path("/proc/self/fd").is_dir():
        print("crash_app_cli needs Linux /proc/PID/fd", file=sys.stderr)
        return 2
    started = time.monotonic()
    if args.keep is not None:
        shutil.rmtree(args.keep, ignore_errors=True)
        args.keep.mkdir(parents=True)
        harness = run(args.rounds, args.seed, args.keep, storage=args.storage, verbose=args.verbose)
    else:
        with tempfile.TemporaryDirectory(prefix="reflectcoach-crash-app-") as folder:
            harness = run(
                args.rounds, args.seed, Path(folder), storage=args.storage, verbose=args.verbose
            )
    print(table(harness, args.rounds, args.seed, time.monotonic() - started))
    return 1 if harness.violations else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
