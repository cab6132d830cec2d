"""The `step` group: one answer in the app and in plain mode."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from bench_floor_step import StepFloorApp
from textual.widgets import Input, TextArea

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.app.widgets.answer_inputs import AnswerInput
from reflectcoach.store import Store

from .common import (
    INFO,
    REFLECTCOACH,
    Budget,
    Child,
    Context,
    Row,
    Stat,
    interleaved,
    run_child,
    wall,
)
from .paint import PaintWatch, composited, until
from .workloads import PLAIN_ANSWERS, copy_database, ensure_history, write_script


async def _app_steps(db: Path, folder: Path, questions: int) -> tuple[list[tuple[str, float]], int]:
    """Answer every question of the linear script through the widgets; time each submit to
    the next question painted. Returns [(question type, ms)] and the answers stored."""
    app = ReflectCoachApp(db_path=db, script_dirs=[folder], start="bench_linear")
    times: list[tuple[str, float]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        watch = PaintWatch(app)

        def screen() -> ConversationScreen:
            current = app.screen
            assert isinstance(current, ConversationScreen)
            return current

        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ConversationScreen) and bool(app.screen.query(AnswerInput))
            ),
            "the conversation screen",
        )
        conversation_id = screen().session.id
        for index in range(questions):
            await pilot.pause()
            question = screen().question
            assert question is not None
            kind = str(question.step.type.value if question.step.type else "text")
            widget = screen().query_one(AnswerInput)
            keys: tuple[str, ...]
            if kind in ("text", "number"):
                widget.query_one(Input).value = "6" if kind == "number" else "About the team"
                keys = ("enter",)
            elif kind == "long_text":
                widget.query_one(TextArea).text = "A longer answer.\nOn two lines."
                keys = ("ctrl+s",)
            elif kind == "multi":
                await pilot.press("space")
                keys = ("enter",)
            elif kind == "yes_no":
                keys = ("y",)
            else:  # choice, scale: a digit picks and submits
                keys = ("2",)
            await pilot.pause()
            if index == questions - 1:
                await pilot.press(*keys)
                await until(pilot, lambda: isinstance(app.screen, FinishedScreen), "the end")
                break
            asked = question.step.id

            def next_question_shown(asked: str = asked) -> bool:
                current = app.screen
                if not isinstance(current, ConversationScreen):
                    return False
                shown = current.question
                if shown is None or shown.step.id == asked:
                    return False
                found = current.query(AnswerInput)
                if not found or found.first().question is not shown:
                    return False
                control = found.first().query(".answer-control")
                return bool(control) and composited(current, control.first())

            watch.expect(next_question_shown)
            start = time.perf_counter()
            await pilot.press(*keys)
            painted = await watch.wait()
            times.append((kind, (painted - start) * 1000))
        await pilot.pause()
    with Store.open(db) as store:
        stored = len(store.answers(conversation_id))
    return times, stored


async def _floor_steps(db: Path, questions: int) -> list[float]:
    app = StepFloorApp(db)
    times: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        watch = PaintWatch(app)
        await until(pilot, lambda: bool(app.query("#answer-slot Input")), "the floor's input")
        for _ in range(questions - 1):
            await pilot.pause()
            app.query_one("#answer-slot Input", Input).value = "About the team"
            await pilot.pause()
            asked = app.number

            def next_shown(asked: int = asked) -> bool:
                found = app.query("#answer-slot Input")
                return app.number > asked and bool(found) and composited(app.screen, found.first())

            watch.expect(next_shown)
            start = time.perf_counter()
            await pilot.press("enter")
            painted = await watch.wait()
            times.append((painted - start) * 1000)
    return times


def group_step(ctx: Context) -> None:
    folder = ctx.tmp / "step-scripts"
    _, kinds = write_script(folder, ctx.questions)
    # Each step is measured in a database that already holds the history, as a person's
    # would after years of use: a fresh copy per round, so every round starts the same.
    history = ensure_history(ctx)
    conversations = history["summary"]["conversations"]
    app_times: list[tuple[str, float]] = []
    floor_times: list[float] = []
    rounds = 1 if ctx.quick else 2
    for round_ in range(rounds):  # alternated, so a busier minute hits both
        db = ctx.tmp / f"step-app-{round_}.db"
        copy_database(history["big"], db)
        times, stored = asyncio.run(_app_steps(db, folder, ctx.questions))
        if stored != ctx.questions:
            raise RuntimeError(f"the app stored {stored} answers for {ctx.questions} questions")
        app_times += times
        floor_times += asyncio.run(_floor_steps(ctx.tmp / f"step-floor-{round_}.db", ctx.questions))
    values = [ms for _, ms in app_times]
    by_kind: dict[str, list[float]] = {}
    for kind, ms in app_times:
        by_kind.setdefault(kind, []).append(ms)
    steps = ctx.questions - 1
    quarter = max(1, steps // 4)
    early = [ms for i, ms in enumerate(values) if i % steps < quarter]
    late = [ms for i, ms in enumerate(values) if i % steps >= steps - quarter]
    early_floor = [ms for i, ms in enumerate(floor_times) if i % steps < quarter]
    late_floor = [ms for i, ms in enumerate(floor_times) if i % steps >= steps - quarter]
    note = "by the type of the question answered (median ms): " + ", ".join(
        f"{k} {statistics.median(v):.1f}" for k, v in sorted(by_kind.items())
    )
    floor_name = "bare Textual screen: commit 1 row, mount 1 line + 1 Input"
    ctx.add(
        Row(
            "step",
            f"app: answer submitted -> next question painted ({rounds}x{steps} steps, "
            f"{conversations:,}-conversation history)",
            "ms",
            Stat(values),
            floor_name,
            Stat(floor_times),
            Budget("below", 30),
            note,
        )
    )
    for label, real, floor in (
        (f"first {quarter}", early, early_floor),
        (f"last {quarter}", late, late_floor),
    ):
        ctx.add(
            Row(
                "step",
                f"app: the same, {label} steps of the conversation",
                "ms",
                Stat(real),
                floor_name,
                Stat(floor),
                INFO,
            )
        )
    ctx.notes.append(f"App step ({ctx.questions}-question linear script): {note}.")

    answers = ctx.tmp / "plain-answers.txt"
    answers.write_text("".join(PLAIN_ANSWERS[k] for k in kinds), encoding="utf-8")
    db = ctx.tmp / "plain.db"
    env = ctx.env()
    command = [
        REFLECTCOACH,
        "--db",
        str(db),
        "--scripts",
        str(folder),
        "start",
        "bench_linear",
        "--plain",
    ]

    def plain() -> Child:
        child = run_child(command, env, stdin=answers)
        if "Saved as conversation" not in child.stdout:
            raise RuntimeError(
                "plain mode did not finish the conversation:\n" + child.stdout[-2000:]
            )
        return child

    empty = ctx.tmp / "plain-empty.txt"
    empty.write_text("", encoding="utf-8")

    def plain_start() -> Child:
        # The process start of plain mode: the conversation begins, its first question is
        # asked, input ends at once (exit status 3: left in progress).
        return run_child(command, env, stdin=empty, check=False)

    results = interleaved(
        {
            "version": lambda: run_child([REFLECTCOACH, "--version"], env),
            "start": plain_start,
            "plain": plain,
        },
        ctx.process_runs if ctx.quick else 7,
    )
    ctx.add(
        Row(
            "step",
            f"plain: whole {ctx.questions}-question conversation piped in",
            "ms",
            wall(results["plain"]),
            "plain mode's process start (first question, then EOF)",
            wall(results["start"]),
            Budget("ratio", 2.0),
        )
    )
    ctx.add(
        Row(
            "step",
            f"plain: whole {ctx.questions}-question conversation, against --version (info)",
            "ms",
            wall(results["plain"]),
            "reflectcoach --version",
            wall(results["version"]),
            INFO,
        )
    )
