"""A script edited after a conversation started, resumed in the app: the notice is shown in
the transcript, ctrl+b goes back to what was kept, and the stored rows stay as they were."""

from __future__ import annotations

from pathlib import Path

from cli.test_hostile_imports import exported
from cli.test_plain import FIXTURES
from cli.test_script_changed import NOTICE, edit, rows, started
from textual.widgets import Static

from reflectcoach.app.app import ReflectCoachApp
from reflectcoach.app.screens.conversation import ConversationScreen
from reflectcoach.app.widgets.chat import Note


def notes(screen: ConversationScreen) -> list[str]:
    return [str(note.render()) for note in screen.query(Note)]


async def test_a_renamed_step_is_said_and_ctrl_b_goes_back(tmp_path: Path, drive) -> None:
    folder, conversation_id = started(tmp_path, ["Ana", "mentee", "Grow"])
    _, before = rows(tmp_path, conversation_id)
    edit(folder, "q3:", "hopes:")
    app = ReflectCoachApp(db_path=tmp_path / "r.db", script_dirs=[folder], resume="")
    async with app.run_test(size=(100, 30)) as pilot:
        d = drive(pilot)
        await d.wait_for(lambda: isinstance(app.screen, ConversationScreen), "the conversation")
        await d.settle()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert notes(screen) == ["Picking up where you left off: 2 answered so far.", NOTICE]
        assert d.question is not None and d.question.step.id == "hopes"
        await pilot.press("ctrl+b")
        await d.settle()
        assert app.screen is screen and app.is_running
        assert d.question is not None and d.question.step.id == "q2"
        assert d.question.offered == "mentee"
        assert str(screen.query_one("#problem", Static).render()) == ""
    conversation, after = rows(tmp_path, conversation_id)
    assert after == before
    assert conversation["position"] == 1 and conversation["current_step"] == "q2"


async def test_an_imported_answer_of_the_wrong_type_is_asked_again(tmp_path: Path, drive) -> None:
    # A list stored for a choice question, as a hand-edited export brings it: the store takes
    # it (it cannot read scripts); resuming asks the question again instead of raising
    # "unhashable type: 'list'".
    import io
    import json

    from reflectcoach.store import Store
    from reflectcoach.store.importer import import_json

    [conversation] = exported(tmp_path)
    conversation["answers"][1]["answer"] = ["mentee"]
    with Store.open(tmp_path / "r.db") as store:
        assert import_json(store, io.StringIO(json.dumps([conversation]))) == (1, 0)
    app = ReflectCoachApp(db_path=tmp_path / "r.db", script_dirs=[FIXTURES], resume="")
    async with app.run_test(size=(100, 30)) as pilot:
        d = drive(pilot)
        await d.wait_for(lambda: isinstance(app.screen, ConversationScreen), "the conversation")
        await d.settle()
        assert d.question is not None and d.question.step.id == "role"
        assert d.question.offered is None
        assert any("your answer to 'role' no longer fits it" in n for n in notes(app.screen))
        await pilot.press("ctrl+b")
        await d.settle()
        assert d.question is not None and d.question.step.id == "name"
        assert d.question.offered == "Ana"
        await d.answer("Ana")
        await d.answer("mentor")
        assert d.question is not None and d.question.step.id == "hopes"
        assert d.question.offered == "Grow as a lead"  # the later answers, offered again
        assert app.is_running
