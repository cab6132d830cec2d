"""Multi-select: ticks that read without colour, digits that tick, options that go alone;
and the export format's mark only on the format chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import RadioButton

from reflectcoach.app.widgets.answer_inputs import MultiAnswer, MultiList
from reflectcoach.store import Store

from .conftest import settle

MULTI_SCRIPT = """\
id: multi
title: Multi
summary: One multi-select with an option that goes alone.
audience: anyone
version: 1
steps:
  blockers:
    ask: What could get in the way?
    type: multi
    options:
      - time
      - fear
      - people
      - {value: nothing, label: "nothing I can see", exclusive: true}
  last:
    ask: Anything else?
"""


@pytest.fixture
def multi_app(db_path: Path, tmp_path: Path):
    from reflectcoach.app.app import ReflectCoachApp

    folder = tmp_path / "multi-scripts"
    folder.mkdir()
    (folder / "multi.yaml").write_text(MULTI_SCRIPT, encoding="utf-8")

    def build() -> ReflectCoachApp:
        return ReflectCoachApp(db_path=db_path, script_dirs=[folder], start="multi")

    return build


def marks(listing: MultiList) -> list[str]:
    """The character inside each option's box, as a terminal without colour shows it."""
    return [listing.render_line(y).text[1] for y in range(listing.option_count)]


async def test_ticks_read_without_colour_and_digits_tick(multi_app, drive, db_path) -> None:
    app = multi_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        assert isinstance(d.widget, MultiAnswer)
        listing = app.screen.query_one(MultiList)
        assert marks(listing) == [" ", " ", " ", " "]
        await pilot.press("1", "3")
        await d.settle()
        assert listing.selected == ["time", "people"]
        assert marks(listing) == ["x", " ", "x", " "]
        await pilot.press("3")  # again: unticks
        await d.settle()
        assert listing.selected == ["time"]
        await pilot.press("enter")
        await d.settle()
        assert d.question.step.id == "last"
    with Store.open(db_path) as store:
        (conversation,) = store.conversations()
        assert store.answers(conversation["id"])[0]["value"] == ["time"]


async def test_an_exclusive_option_goes_alone(multi_app, drive) -> None:
    app = multi_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        listing = app.screen.query_one(MultiList)
        await pilot.press("1", "2", "4")
        await d.settle()
        assert listing.selected == ["nothing"]
        await pilot.press("3")
        await d.settle()
        assert listing.selected == ["people"]
        assert "'nothing I can see' goes alone" in str(
            app.screen.query_one(MultiAnswer).query(".how").first().render()
        )


def test_the_engine_refuses_an_exclusive_option_with_others() -> None:
    from reflectcoach.engine.answers import AnswerError, fits, normalise
    from reflectcoach.script.loader import load_text

    script = load_text(MULTI_SCRIPT).script
    assert script is not None
    step = script.steps["blockers"]
    labels = {o.value: o.value for o in step.options}
    assert normalise(step, ["nothing"], labels) == ["nothing"]
    with pytest.raises(AnswerError, match="goes alone"):
        normalise(step, "time, nothing", labels)
    assert not fits(step, ["time", "nothing"])


async def test_the_export_format_marks_only_the_one_chosen(filled_db, review_app) -> None:
    from reflectcoach.app.screens.review import ReviewScreen

    app = review_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ReviewScreen())
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        buttons = list(app.screen.query(RadioButton))
        shown = {b.id: str(b.render()).lstrip("▐")[0] for b in buttons}
        assert shown["export-markdown"] == "●"
        assert {shown[b.id] for b in buttons if b.id != "export-markdown"} == {" "}
