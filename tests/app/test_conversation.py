"""The conversation screen through the UI: every type, back, skip, leave, resume, the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.selection import Selection
from textual.widgets import Input, Markdown, OptionList, Static, TextArea

from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.screens.finished import FinishedScreen
from reflectcoach.app.screens.home import HomeScreen
from reflectcoach.app.widgets.answer_inputs import (
    ChoiceAnswer,
    LongTextAnswer,
    MultiAnswer,
    NumberAnswer,
    ScaleAnswer,
    TextAnswer,
    YesNoAnswer,
)
from reflectcoach.app.widgets.chat import ANSWER_BAR, ExchangeLog
from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.store import Store

INJECTIONS = [
    "[bold red]x[/]",
    "[@click=app.quit]hi[/]",
    "[link=file:///etc/passwd]x[/]",
    "[/",
    "x [/bad] y",
]

EVERY_TYPE_ANSWERS = {
    "name": "Robin",
    "role": "mentee",
    "hopes": "To grow.\nAnd to listen.",
    "blockers": ["time", "unclear"],
    "confidence": 4,
    "ready": True,
    "hours": 6,
}


def shown(widget: Static) -> str:
    return str(widget.render())


def exchanges(app) -> list[tuple[str, str]]:
    """(question, answer) as the screen draws them: the text of the exchange logs' lines."""
    pairs = []
    for log in app.screen.query(ExchangeLog):
        text, _ = log.get_selection(Selection(None, None))
        for block in text.split("\n\n"):  # a blank line after each exchange
            lines = block.splitlines()
            if not lines:
                continue
            asked = " ".join(line.strip() for line in lines if ANSWER_BAR not in line)
            answer = "\n".join(
                line.split(ANSWER_BAR, 1)[1][1:] for line in lines if ANSWER_BAR in line
            )
            pairs.append((asked, answer))
    return pairs


def rows(db_path: Path) -> tuple[dict, list[dict]]:
    with Store.open(db_path) as store:
        (conversation,) = store.conversations()
        return conversation, store.answers(conversation["id"])


async def test_every_type_walked_through_its_widgets(fixture_app, drive, db_path: Path) -> None:
    app = fixture_app(start="every_type", mentorship="Sam")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        kinds = {}
        while isinstance(app.screen, ConversationScreen):
            kinds[d.question.step.id] = type(d.widget)
            await d.answer(EVERY_TYPE_ANSWERS[d.question.step.id])
        assert kinds == {
            "name": TextAnswer,
            "role": ChoiceAnswer,
            "hopes": LongTextAnswer,
            "blockers": MultiAnswer,
            "confidence": ScaleAnswer,
            "ready": YesNoAnswer,
            "hours": NumberAnswer,
        }
        assert isinstance(app.screen, FinishedScreen)
        record = app.screen.query_one("#record", Markdown)
        assert "Card for Robin" in record.source
    conversation, answers = rows(db_path)
    assert conversation["status"] == "completed"
    assert conversation["mentorship"] == "Sam"
    assert {a["step_id"]: a["value"] for a in answers} == EVERY_TYPE_ANSWERS
    assert "**Hopes:** To grow" in conversation["record"]


async def test_keys_answer_each_type(fixture_app, drive, db_path: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press(*"Robin", "enter")  # text: typed, Enter
        await d.settle()
        assert d.question.step.id == "role"
        await pilot.press("2")  # choice: a digit picks
        await d.settle()
        assert d.question.step.id == "hopes"
        area = app.screen.query_one(TextArea)
        assert area.has_focus
        area.text = "First line\nsecond line"
        await pilot.press("ctrl+s")  # long_text: ctrl+s submits
        await d.settle()
        assert d.question.step.id == "blockers"
        await pilot.press("space", "down", "down", "space", "enter")  # multi
        await d.settle()
        assert d.question.step.id == "confidence"
        await pilot.press("2")  # scale: a digit, low enough to branch to "worry"
        await d.settle()
        assert d.question.step.id == "worry"
        await pilot.press(*"Time", "enter")
        await d.settle()
        await pilot.press("n")  # yes_no
        await d.settle()
        assert d.question.step.id == "hours"
        await pilot.press(*"12", "enter")  # number
        await d.settle()
        assert isinstance(app.screen, FinishedScreen)
    _, answers = rows(db_path)
    assert [(a["step_id"], a["value"]) for a in answers] == [
        ("name", "Robin"),
        ("role", "mentee"),
        ("hopes", "First line\nsecond line"),
        ("blockers", ["time", "unclear"]),
        ("confidence", 2),
        ("worry", "Time"),
        ("ready", False),
        ("hours", 12),
    ]


async def test_scale_and_yes_no_buttons(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.until("confidence")
        assert "1 = not at all" in shown(app.screen.query_one(".scale-ends", Static))
        await pilot.press("right", "right", "enter")  # from 1, two to the right: 3
        await d.settle()
        assert d.question.step.id == "ready"
        assert d.app.screen.conversation.history[-1].value == 3
        await pilot.press("right", "enter")  # the No button
        await d.settle()
        assert d.app.screen.conversation.history[-1].value is False


async def test_engine_and_validator_messages_shown_in_place(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("enter")  # an empty required text answer
        await d.settle()
        problem = app.screen.query_one("#problem", Static)
        assert problem.display and "Type an answer" in shown(problem)
        assert d.question.step.id == "name"
        await d.until("hours")
        field = app.screen.query_one(Input)
        field.value = "99"  # above the maximum of 40
        await d.settle()
        assert "from 0 to 40" in shown(problem)  # the validator, while typing
        await pilot.press("enter")
        await d.settle()
        assert "from 0 to 40" in shown(problem)  # the engine's AnswerError
        assert d.question.step.id == "hours"
        field.value = "40"
        await d.settle()
        assert not problem.display
        await pilot.press("enter")
        await d.settle()
        assert isinstance(app.screen, FinishedScreen)


async def test_back_offers_the_earlier_answer(fixture_app, drive, db_path: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert app.screen.check_action("back", ()) is False  # nothing to go back to
        await d.answer("Robin")
        await d.answer("mentee")
        assert d.question.step.id == "hopes"
        assert len(exchanges(app)) == 2
        await pilot.press("ctrl+b")
        await d.settle()
        assert d.question.step.id == "role"
        assert exchanges(app) == [("Q: What should I call you?", "Robin")]
        assert app.screen.query_one(OptionList).highlighted == 1  # mentee, pre-selected
        await pilot.press("ctrl+b")
        await d.settle()
        assert app.screen.query_one(Input).value == "Robin"  # pre-filled
        await pilot.press("enter")  # keep it
        await d.settle()
        await pilot.press("enter")  # keep "mentee"
        await d.settle()
        assert d.question.step.id == "hopes"
    _, answers = rows(db_path)
    assert [(a["step_id"], a["value"]) for a in answers] == [("name", "Robin"), ("role", "mentee")]


async def test_skip_only_for_optional_questions(fixture_app, drive, db_path: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        screen = app.screen
        assert screen.check_action("skip", ()) is False
        await pilot.press("ctrl+n")  # ignored on a required question
        await d.settle()
        assert d.question.step.id == "name"
        await d.until("blockers")
        assert screen.check_action("skip", ()) is True
        await pilot.press("ctrl+n")
        await d.settle()
        assert d.question.step.id == "confidence"
        assert exchanges(app)[-1] == ("Q: What might get in the way?", "(skipped)")
    _, answers = rows(db_path)
    assert answers[-1]["step_id"] == "blockers" and answers[-1]["skipped"]


async def test_leave_then_resume_in_a_new_app(fixture_app, drive, db_path: Path) -> None:
    app = fixture_app(start="every_type", mentorship="Alex")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("Robin")
        await d.answer("mentor")
        await pilot.press("escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)
        running = app.screen.query_one("#running", OptionList)
        assert running.option_count == 1
        assert "with Alex" in str(running.get_option_at_index(0).prompt)
        assert "2 answers so far" in str(running.get_option_at_index(0).prompt)
    conversation, _ = rows(db_path)
    assert conversation["status"] == "in_progress"

    again = fixture_app()
    async with again.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await pilot.press("c")  # continue the highlighted conversation
        await d.settle()
        assert isinstance(again.screen, ConversationScreen)
        assert d.question.step.id == "hopes"
        assert exchanges(again) == [
            ("Q: What should I call you?", "Robin"),
            ("Q: Which side of the mentorship are you on?", "I'm the mentor"),
        ]
        assert again.screen.sub_title == "with Alex"
        await d.finish(EVERY_TYPE_ANSWERS)
        assert isinstance(again.screen, FinishedScreen)
    conversation, answers = rows(db_path)
    assert conversation["status"] == "completed"
    assert answers[1]["value"] == "mentor"


async def test_resume_latest_from_the_command_line(fixture_app, drive, seed) -> None:
    seed("every_type", "Alex", answers=3)
    app = fixture_app(resume="")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        assert len(exchanges(app)) == 3
        await pilot.press("escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)


async def test_resume_problems_are_notifications(fixture_app, drive, seed) -> None:
    app = fixture_app(resume="")  # nothing in progress
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        assert isinstance(app.screen, HomeScreen)
        assert any("no conversation in progress" in n.message for n in app.notices_said)
        app.open_conversation(resume="zz[/]")
        app.open_conversation(script_id="[bold]nope[/]")
        await drive(pilot).settle()
        messages = [n.message for n in app.notices_said]
        assert any("[bold]nope[/]" in m for m in messages)
        assert isinstance(app.screen, HomeScreen)


@pytest.mark.parametrize("text", INJECTIONS)
async def test_markup_in_answers_and_names_is_literal(
    fixture_app, drive, db_path: Path, text: str
) -> None:
    app = fixture_app(start="every_type", mentorship=text)
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert app.screen.sub_title == f"with {text}"
        await d.answer(text)
        assert exchanges(app)[0][1] == text
        await d.finish({"hopes": text})
        assert isinstance(app.screen, FinishedScreen)
        answers = [answer for _, answer in exchanges(app)]
        assert answers[0] == text and answers[2] == text
        await pilot.press("escape")
        await d.settle()
        # Another, named on the home screen, so the name shows in the in-progress list.
        app.screen.query_one("#mentorship", Input).value = text
        await pilot.press("enter")
        await d.settle()
        assert app.screen.sub_title == f"with {text}"
        await d.answer("Robin")  # one answer: a conversation left empty is not kept
        await pilot.press("escape")
        await d.settle()
        running = app.screen.query_one("#running", OptionList)
        assert f"with {text}" in str(running.get_option_at_index(0).prompt)
        assert app.is_running
    assert [c["mentorship"] for c, _ in rows_all(db_path)] == [text, text]


def rows_all(db_path: Path) -> list[tuple[dict, list[dict]]]:
    with Store.open(db_path) as store:
        return [(c, store.answers(c["id"])) for c in store.conversations()]


async def test_control_characters_are_shown_cleaned(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("bell\x07 and \x1b[31mred")
        assert exchanges(app)[0][1] == "bell\\x07 and \\x1b[31mred"


async def test_finished_exports_markdown(fixture_app, drive, tmp_path: Path) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.finish(EVERY_TYPE_ANSWERS)
        path_field = app.screen.query_one("#export-path", Input)
        assert path_field.value == "~/reflectcoach-every_type-2026-03-14.md"
        target = tmp_path / "out" / "mine.md"
        path_field.value = str(target)
        await pilot.press("e")
        await d.settle()
        assert "To grow." in target.read_text(encoding="utf-8")
        assert any(str(target) in n.message for n in app.notices_said)
        await pilot.press("escape")
        await d.settle()
        assert isinstance(app.screen, HomeScreen)


BUILTIN = sorted(load_catalog([builtin_dir()]).scripts)


@pytest.mark.parametrize("script_id", BUILTIN)
async def test_every_builtin_script_to_the_end(
    make_app, drive, db_path: Path, script_id: str
) -> None:
    app = make_app(start=script_id, mentorship="Alex")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(app.screen, ConversationScreen)
        # Part-way, leave and come back: the same path goes on.
        await d.answer_default()
        await pilot.press("escape")
        await d.settle()
        await pilot.press("c")
        await d.settle()
        given = await d.finish()
        assert given >= 1
        assert isinstance(app.screen, FinishedScreen)
    conversation, answers = rows(db_path)
    assert conversation["status"] == "completed"
    assert conversation["script_id"] == script_id
    assert len(answers) == given + 1
    assert conversation["record"] is None or conversation["record"].strip()


# -- the transcript stays cheap as it grows -------------------------------------------------


def transcript_widgets(app) -> int:
    return len(app.screen.query_one("#transcript").query("*"))


async def test_answers_add_lines_not_widgets(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.until("blockers")  # past the say after the first answer
        widgets = transcript_widgets(app)
        logs = list(app.screen.query(ExchangeLog))
        await d.until("hours")
        assert transcript_widgets(app) == widgets
        assert list(app.screen.query(ExchangeLog)) == logs
        assert [seq for log in logs for seq in (e.seq for e in log.exchanges)] == list(range(6))
        assert [q for q, _ in exchanges(app)] == [
            "Q: What should I call you?",
            "Q: Which side of the mentorship are you on?",
            "Q: What do you hope to get out of it?",
            "Q: What might get in the way?",
            "Q: How confident are you?",
            "Q: Are you ready to start?",
        ]


async def test_back_past_a_say_takes_the_say_too(fixture_app, drive) -> None:
    from reflectcoach.app.widgets.chat import CoachSays

    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("Robin")
        await d.answer("mentee")
        assert len(app.screen.query(CoachSays)) == 1
        await pilot.press("ctrl+b", "ctrl+b")
        await d.settle()
        assert d.question.step.id == "name"
        assert exchanges(app) == [] and not app.screen.query(CoachSays)
        assert not app.screen.query(ExchangeLog)
        await d.answer("Sam")
        assert len(app.screen.query(CoachSays)) == 1
        assert exchanges(app) == [("Q: What should I call you?", "Sam")]


async def test_long_answers_wrap_again_when_the_terminal_narrows(fixture_app, drive) -> None:
    long = "words " * 30 + "end\nsecond line"
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer(long.strip())
        log = app.screen.query_one(ExchangeLog)
        wide = log.size.height
        ((_, shown_wide),) = exchanges(app)
        await pilot.resize_terminal(40, 24)
        await d.settle()
        assert log.size.height > wide
        ((_, shown_narrow),) = exchanges(app)
        assert shown_narrow.split() == shown_wide.split() == long.split()
        assert all(len(line) <= 40 for line in shown_narrow.splitlines())


async def test_transcript_text_can_be_selected(fixture_app, drive) -> None:
    from textual.geometry import Offset

    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("[b]Robin[/b]")
        log = app.screen.query_one(ExchangeLog)
        app.screen.selections = {log: Selection(Offset(1, 0), Offset(14, 1))}
        await pilot.pause()
        assert app.screen.get_selected_text() == "Q: What should I call you?\n    ▎ [b]Robin"


async def test_the_focus_goes_from_answer_to_answer(fixture_app, drive) -> None:
    """Never by way of the transcript: a focus change restyles all it lands on."""
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        screen = app.screen
        focused: list[object] = []

        def moved(widget: object) -> None:
            focused.append(widget)

        screen.watch(screen, "focused", moved, init=False)
        await d.until("hours")
        transcript = screen.query_one("#transcript")
        assert focused and all(widget is not transcript for widget in focused)


async def test_the_footer_follows_the_question(fixture_app, drive) -> None:
    from textual.widgets._footer import FooterKey

    def keys() -> set[str]:
        return {key.description for key in app.screen.query(FooterKey)}

    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert "Save & leave" in keys() and "Back" not in keys()
        await d.until("hopes")
        assert {"Back", "Submit answer"} <= keys()
        await d.until("ready")
        assert {"Yes", "No"} <= keys() and "Submit answer" not in keys()
        await d.answer(True)
        assert not {"Yes", "No"} & keys()


async def test_digit_on_a_choice_answers_with_that_option(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.answer("Robin")
        await pilot.press("1")
        await d.settle()
        assert d.question.step.id == "hopes"
        assert app.screen.conversation.history[-1].value == "mentor"
        assert exchanges(app)[-1] == (
            "Q: Which side of the mentorship are you on?",
            "I'm the mentor",
        )


async def test_the_number_box_says_what_it_takes_as_typed(fixture_app, drive) -> None:
    app = fixture_app(start="every_type")
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await d.until("hours")
        await pilot.press(*"six")
        await d.settle()
        field = app.screen.query_one(Input)
        assert field.value == "six"  # every key shows
        problem = str(app.screen.query_one("#problem").render())
        assert "'six' is not a number" in problem and "from 0 to 40" in problem
        field.value = ""
        await pilot.press(*"41")
        await d.settle()
        assert "from 0 to 40" in str(app.screen.query_one("#problem").render())
        await pilot.press("backspace", "backspace", "6")
        await d.settle()
        assert not str(app.screen.query_one("#problem").render()).strip()
