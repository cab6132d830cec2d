"""A date question in a conversation: stored as ISO, shown and recorded readably."""

from __future__ import annotations

from pathlib import Path

import pytest

from reflectcoach import clock
from reflectcoach.engine import AnswerError, Conversation
from reflectcoach.script.loader import load_file
from reflectcoach.script.model import Script

DATES = Path(__file__).parents[1] / "fixtures" / "dates.yaml"


@pytest.fixture
def script(monkeypatch: pytest.MonkeyPatch) -> Script:
    monkeypatch.setenv(clock.TODAY_ENV, "2026-12-01")  # a Tuesday
    result = load_file(DATES)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def test_a_date_is_stored_as_iso_and_recorded_with_its_weekday(script: Script) -> None:
    conv = Conversation(script)
    conv.answer("Ask Sam for feedback")
    with pytest.raises(AnswerError, match="pick a date from Tuesday 1 December 2026 to Monday 1"):
        conv.answer("2026-11-30")
    with pytest.raises(AnswerError, match="not a date I can read"):
        conv.answer("soonish")
    conv.answer("friday")
    assert conv.lookup_value("next_date") == "2026-12-04"
    assert conv.lookup_text("next_date") == "Friday 4 December 2026"
    conv.skip()
    assert conv.finished
    record = conv.record_markdown()
    assert record is not None and "by Friday 4 December 2026." in record
