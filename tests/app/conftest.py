"""Fixtures for the app tests: a fresh database, the built-in scripts, a steady cursor."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reflectcoach.app.app import ReflectCoachApp


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "reflections.db"


@pytest.fixture
def make_app(db_path: Path, tmp_path: Path):
    """Build the app like the CLI does, with only the built-in scripts (plus `extra` dirs)."""

    def build(*, extra: list[Path] | None = None, **where: object) -> ReflectCoachApp:
        from reflectcoach.script.registry import builtin_dir

        return ReflectCoachApp(
            db_path=db_path, script_dirs=[builtin_dir(), *(extra or [])], **where
        )

    return build


# -- conversation helpers (home, conversation, help and snapshot tests) ----------------------

FIXTURES = Path(__file__).parent / "fixtures"
FIXED_DAY = "2026-03-14"


@pytest.fixture
def fixture_dir() -> Path:
    """tests/app/fixtures: `every_type.yaml`, one question of each type."""
    return FIXTURES


@pytest.fixture
def fixture_app(db_path: Path):
    """The app with only the fixture scripts: stable titles for snapshots, every type."""

    def build(**where: object) -> ReflectCoachApp:
        import datetime as dt

        app = ReflectCoachApp(db_path=db_path, script_dirs=[FIXTURES], **where)
        app.today = lambda: dt.date.fromisoformat(FIXED_DAY)
        return app

    return build


@pytest.fixture
def seed(db_path: Path):
    """seed(script_id, mentorship, answers=n, dirs=[...]) starts a conversation outside the
    app and answers `n` questions with defaults, on a fixed clock; returns its id."""

    def start(
        script_id: str = "every_type",
        mentorship: str | None = None,
        *,
        answers: int = 0,
        dirs: list[Path] | None = None,
    ) -> str:
        from reflectcoach.script.registry import load_catalog
        from reflectcoach.services import session
        from reflectcoach.store import Store

        catalog = load_catalog(dirs or [FIXTURES])
        script = catalog.get(script_id)
        assert script is not None, catalog.diagnostics
        with Store.open(db_path) as store:
            store.clock = lambda: f"{FIXED_DAY}T09:30:00.000000Z"
            running = session.start(store, script, mentorship)
            conv = running.conversation
            for _ in range(answers):
                assert conv.turn.question is not None
                conv.answer(default_answer(conv.turn.question))
            session.leave(store, running)  # this session ends: the app may resume it
            return running.id

    return start


def default_answer(question) -> object:
    """A sensible answer for any question, as a typed value the engine accepts."""
    from reflectcoach.script.model import QuestionType

    step = question.step
    kind = step.type or QuestionType.TEXT
    if kind is QuestionType.TEXT:
        return "A short answer"
    if kind is QuestionType.LONG_TEXT:
        return "A longer answer.\nOn two lines."
    if kind is QuestionType.CHOICE:
        return question.options[0][0]
    if kind is QuestionType.MULTI:
        return [question.options[0][0]]
    if kind is QuestionType.SCALE:
        return int(step.max if step.max is not None else 5)
    if kind is QuestionType.YES_NO:
        return True
    if kind is QuestionType.DATE:
        return "tomorrow"
    low = step.min if step.min is not None else 1
    return int(low) if float(low).is_integer() else low


class Driver:
    """Drives the conversation screen through its answer widgets, as a person would."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.app = pilot.app

    async def settle(self) -> None:
        # Under snap_compare the pilot may start before home has even started its loading
        # worker: until home has its data (`loaded`), wait again.
        for _ in range(500):
            await self.app.workers.wait_for_complete()
            await self.pilot.pause()
            stack = self.app.screen_stack
            if not stack or getattr(stack[0], "loaded", True):
                break
        await self.pilot.pause()

    @property
    def screen(self):
        return self.app.screen

    @property
    def question(self):
        from reflectcoach.app.screens.conversation import ConversationScreen

        screen = self.screen
        assert isinstance(screen, ConversationScreen), f"not in a conversation: {screen!r}"
        return screen.question

    @property
    def widget(self):
        from reflectcoach.app.widgets.answer_inputs import AnswerInput

        return self.screen.query_one(AnswerInput)

    async def answer(self, value: object) -> None:
        """Post the widget's Submitted message with `value`, as its submit key would."""
        widget = self.widget
        widget.post_message(widget.Submitted(value))
        await self.settle()

    async def answer_default(self) -> None:
        await self.answer(default_answer(self.question))

    async def submit_widget(self) -> None:
        """Submit whatever the widget currently holds (its own value, pre-filled or set)."""
        self.widget.submit()
        await self.settle()

    async def finish(self, answers: dict[str, object] | None = None, limit: int = 400) -> int:
        """Answer every question (from `answers` by step id, else a default) to the end."""
        from reflectcoach.app.screens.conversation import ConversationScreen

        given = 0
        while isinstance(self.screen, ConversationScreen):
            assert given < limit, "the conversation did not end"
            question = self.question
            assert question is not None
            value = (answers or {}).get(question.step.id, default_answer(question))
            await self.answer(value)
            given += 1
        return given

    async def wait_for(self, condition, what: str, tries: int = 200) -> None:
        """Let the app run (no sleeping) until `condition()` holds; fail after `tries` turns."""
        for _ in range(tries):
            if condition():
                return
            await self.pilot.pause()
        raise AssertionError(f"never happened: {what}")

    async def palette(self, text: str) -> None:
        """Open the command palette, type `text`, and wait until a matching command is
        highlighted (the palette searches asynchronously), then run it."""
        from textual.command import CommandList

        await self.pilot.press("ctrl+p", *text)

        def highlighted() -> bool:
            lists = self.app.screen.query(CommandList)
            option = lists.first().highlighted_option if lists else None
            return option is not None and text.casefold() in str(option.prompt).casefold()

        await self.wait_for(highlighted, f"the palette to offer {text!r}")
        await self.pilot.press("enter")
        await self.settle()

    async def until(self, step_id: str) -> None:
        """Answer with defaults until the question `step_id` is asked."""
        for _ in range(100):
            if self.question is not None and self.question.step.id == step_id:
                return
            await self.answer(default_answer(self.question))
        raise AssertionError(f"never reached {step_id}")


@pytest.fixture
def drive():
    return Driver


# -- a filled database for the review, transcript and insights tests -------------------------

# Strings that must show literally wherever a person's words appear, and do nothing.
MARKUP_ANSWERS = (
    "[bold red]x[/]",
    "[@click=app.quit]hi[/]",
    "[link=file:///etc/passwd]x[/]",
    "[/",
    "x [/bad] y",
)
MARKUP_MENTORSHIP = "[@click=app.quit]Sam[/]"
ESCAPE_ANSWER = "Asked for feedback \x1b[31mred\x1b[0m"

# Scripts as they were when the conversations happened (v1) ...
REVIEW_SCRIPTS_V1 = {
    "check_in": """\
id: check_in
title: Weekly check-in
summary: A short look back at the week.
audience: anyone
version: 1
record: |
  # Check-in
  - **Went well:** {win}
  - **Energy:** {energy}
steps:
  win:
    ask: What went well this week?
  energy:
    ask: How is your energy [1-5]?
    type: scale
    min: 1
    max: 5
  hours:
    ask: How many hours went into it?
    type: number
    min: 0
  note:
    ask: Anything else to note?
    type: long_text
    optional: true
""",
    "goal_review": """\
id: goal_review
title: Goal review
summary: How a goal is going.
audience: mentee
version: 1
record: |
  # Goal: {goal}
  Progress {progress} of 10; in the way: {blocker}.
steps:
  goal:
    ask: Which goal are you reviewing?
  progress:
    ask: How far along is it, from 1 to 10?
    type: scale
    min: 1
    max: 10
  blocker:
    ask: What is in the way?
    type: choice
    options: [time, {value: people, label: Other people}, nothing]
  help:
    ask: Will you ask for help?
    type: yes_no
""",
    "retro": """\
id: retro
title: Mentorship retrospective
summary: Looking back on a mentorship.
audience: anyone
version: 1
record: |
  # Looking back
  {changed}
steps:
  changed:
    ask: What changed for you?
    type: long_text
""",
}
# ... and as they are today: a reworded question, so tests can tell stored text from new.
REVIEW_SCRIPTS_NOW = {
    **REVIEW_SCRIPTS_V1,
    "check_in": REVIEW_SCRIPTS_V1["check_in"]
    .replace("What went well this week?", "What went well lately?")
    .replace("version: 1", "version: 2"),
}

# (key, script, mentorship, started (UTC), answers, final status). Answers are given in
# order; None skips; a conversation with fewer answers than questions stays in progress.
FILLED = [
    (
        "first",
        "check_in",
        "Ada",
        "2026-01-05T09:00",
        ["Shipped the first release", 3, 4, None],
        "completed",
    ),
    (
        "markup1",
        "check_in",
        "Ada",
        "2026-01-12T09:00",
        ["[bold red]x[/]", 4, 2.5, "[@click=app.quit]hi[/]"],
        "completed",
    ),
    (
        "markup2",
        "check_in",
        "Ada",
        "2026-01-19T09:00",
        ["Paired on the parser", 5, 6, "[link=file:///etc/passwd]x[/]"],
        "completed",
    ),
    (
        "markup3",
        "check_in",
        MARKUP_MENTORSHIP,
        "2026-02-02T09:00",
        ["x [/bad] y", 2, 1, "[/"],
        "completed",
    ),
    (
        "escape",
        "check_in",
        MARKUP_MENTORSHIP,
        "2026-02-09T09:00",
        [ESCAPE_ANSWER, 3, 3, None],
        "completed",
    ),
    (
        "running",
        "check_in",
        "Grace",
        "2026-03-02T09:00",
        ["Started the migration", 4],
        "in_progress",
    ),
    (
        "talk1",
        "goal_review",
        "Ada",
        "2026-01-26T09:00",
        ["Give a talk at the meetup", 6, "time", True],
        "completed",
    ),
    (
        "talk2",
        "goal_review",
        "Ada",
        "2026-02-23T09:00",
        ["Give a talk at the meetup", 8, "nothing", True],
        "completed",
    ),
    ("rust", "goal_review", "Grace", "2026-03-09T09:00", ["Learn Rust"], "in_progress"),
    ("marathon", "goal_review", "Grace", "2026-02-16T09:00", ["Run a marathon", 2], "abandoned"),
    (
        "retro",
        "retro",
        "Grace",
        "2026-03-16T09:00",
        ["Mentoring changed how I review code"],
        "completed",
    ),
    ("quiet", "retro", None, "2025-12-15T09:00", ["A quiet year end, mostly reading"], "completed"),
]


async def settle(pilot) -> None:
    """Until no worker is pending or running and the messages they caused are handled.

    Unlike `workers.wait_for_complete()` this does not raise when an exclusive worker was
    cancelled by a newer one (as typing in a search does on purpose).
    """
    import asyncio

    from textual.worker import WorkerState

    busy_states = (WorkerState.PENDING, WorkerState.RUNNING)
    await pilot.pause()  # first let pending messages start their workers
    for _ in range(50):
        busy = [worker for worker in pilot.app.workers if worker.state in busy_states]
        if not busy:
            break
        await asyncio.gather(
            *(w.wait() for w in busy if w.state is WorkerState.RUNNING), return_exceptions=True
        )
        await pilot.pause()
    await pilot.pause()


class _Clock:
    """Store timestamps one minute apart from a set moment, so every run stores the same."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def set(self, moment: str) -> None:
        self.now = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC)

    def __call__(self) -> str:
        self.now += dt.timedelta(minutes=1)
        return self.now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app writes the script index (home fills from it on the next start): into the
    test's folder, not the user's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Screens show local times: pin the zone so the dates on screen are the same everywhere."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def review_scripts(tmp_path: Path) -> Path:
    """Today's versions of the scripts behind `filled_db`, as a script folder."""
    folder = tmp_path / "review-scripts"
    folder.mkdir()
    for script_id, text in REVIEW_SCRIPTS_NOW.items():
        (folder / f"{script_id}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def fixed_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Conversation ids counted up instead of random: they are on screen in snapshots."""
    numbers = itertools.count(1)
    monkeypatch.setattr("reflectcoach.store.db.new_id", lambda: f"c0ffee{next(numbers):06x}")


@pytest.fixture
def filled_db(db_path: Path, utc_local_time: None, fixed_ids: None) -> dict[str, str]:
    """A dozen conversations over three scripts and four mentorships (one of them markup),
    made through the engine with a fixed clock. Returns FILLED key -> conversation id."""
    from reflectcoach.script.loader import load_text
    from reflectcoach.services import session
    from reflectcoach.store import Store

    scripts = {}
    for script_id, text in REVIEW_SCRIPTS_V1.items():
        loaded = load_text(text, f"{script_id}.yaml")
        assert loaded.script is not None, loaded.diagnostics
        scripts[script_id] = loaded.script
    ids: dict[str, str] = {}
    clock = _Clock()
    with Store.open(db_path) as store:
        store.clock = clock
        for key, script_id, mentorship, started, answers, status in FILLED:
            clock.set(started)
            running = session.start(store, scripts[script_id], mentorship)
            for answer in answers:
                if answer is None:
                    running.conversation.skip()
                else:
                    running.conversation.answer(answer)
            assert running.conversation.finished == (status == "completed"), key
            if status == "abandoned":
                store.set_status(running.id, "abandoned")
            session.leave(store, running)
            ids[key] = running.id
    return ids


@pytest.fixture
def review_app(db_path: Path, review_scripts: Path):
    """The app over `filled_db`'s scripts (today's versions), with a fixed date."""

    def build(**where: object) -> ReflectCoachApp:
        app = ReflectCoachApp(db_path=db_path, script_dirs=[review_scripts], **where)
        app.today = lambda: dt.date.fromisoformat(FIXED_DAY)
        return app

    return build
