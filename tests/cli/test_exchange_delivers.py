"""`delivers: feedback` (a script's top-level key): completing the conversation queues its
record in the outbox as feedback, in the completion's own transaction, so the next share
carries it (its copy to send only) and the partner sees it under feedback, not records."""

from __future__ import annotations

from pathlib import Path

from reflectcoach.script.loader import load_text

from .exchange_sides import FEEDBACK, make_sides

DELIVERED = FEEDBACK.replace("audience: anyone\n", "audience: anyone\ndelivers: feedback\n")


def test_a_script_that_delivers_feedback_queues_its_record_as_feedback(tmp_path: Path) -> None:
    alex, sam = make_sides(tmp_path)
    (alex.scripts / "feedback_note.yaml").write_text(DELIVERED, encoding="utf-8")
    assert "Nothing is marked to send" in alex.ok("outbox")
    said = alex.ok(
        "start", "feedback_note", "-m", "Sam", "--plain",
        stdin="Your questions before advice\nMARGAY held back\n",
    )  # fmt: skip
    queued = alex.ok("outbox")
    assert alex.conversation_id(said) in queued and "(feedback, completed" in queued

    alex.ok("partner", "add", "Sam", sam.identity_line())
    sam.ok("start", "feedback_note", "-m", "Alex", "--plain", stdin="x\ny\n")
    sam.ok("partner", "add", "Alex", alex.identity_line())
    alex.ok("share", "Sam", "-o", str(tmp_path / "a.bundle"))
    assert "1 feedback" in sam.ok("receive", str(tmp_path / "a.bundle"))
    theirs = sam.ok("partner", "show", "Alex")
    records, feedback = theirs.split("Feedback for you:")
    assert "Your questions before advice" in feedback
    assert "Your questions before advice" not in records
    assert "MARGAY" not in theirs


def test_delivers_takes_feedback_or_record_only() -> None:
    bad = load_text(DELIVERED.replace("delivers: feedback", "delivers: email"))
    assert any("'delivers' must be feedback or record" in d.message for d in bad.errors)
    good = load_text(DELIVERED)
    assert good.errors == [] and good.script is not None
    assert good.script.delivers == "feedback"
