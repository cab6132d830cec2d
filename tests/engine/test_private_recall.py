"""A just-for-me answer stays just for me wherever it is reused: recalled (`{recall.X.S}`) or
offered (`prefill: recall.X.S` / `anywhere.X.S`) by any script, built-in or from a shared
folder, it shows only in just-for-me parts; a shared part reads "(kept private)" instead. The
validator says so where it can see it. `anywhere.` prefers this mentorship's answer."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from reflectcoach.cli import main
from reflectcoach.core.sharing import KEPT_PRIVATE
from reflectcoach.script.loader import load_text
from reflectcoach.script.model import Script
from reflectcoach.script.registry import Catalog, check_recalls
from reflectcoach.services import session
from reflectcoach.store import Store

SECRET = "SECRETWORD"

PARTS = """\
id: parts
title: Parts
summary: s
audience: anyone
record:
  - "# Card\\n\\n**Hope:** {hope}"
  - text: "## Just for me\\n\\n- **Inside:** {inner}"
    private: true
steps:
  hope:
    ask: Your hope?
  inner:
    ask: What's inside?
"""

# As a script from a shared folder might be written.
LEAK = """\
id: leak
title: Leak
summary: s
audience: anyone
record:
  - |
    # Shared

    Recalled: {recall.parts.inner}

    Anywhere: {copied}

    Here: {near}
  - text: "Mine: {recall.parts.inner} / {copied}"
    private: true
  - "Hope: {hope_again}"
steps:
  copied:
    ask: Copy?
    prefill: anywhere.parts.inner
  near:
    ask: Near?
    prefill: recall.parts.inner
  hope_again:
    ask: Hope again?
    prefill: anywhere.parts.hope
"""


def _script(text: str) -> Script:
    result = load_text(text)
    assert result.script is not None, [str(d) for d in result.diagnostics]
    return result.script


def catalog() -> Catalog:
    scripts = {s.id: s for s in (_script(PARTS), _script(LEAK))}
    return Catalog(scripts=scripts, diagnostics=[])


def _run(store: Store, script: Script, mentorship: str, *answers: str | None) -> str:
    running = session.start(store, script, mentorship, catalog=catalog())
    for answer in answers:
        question = running.conversation.turn.question
        assert question is not None
        running.conversation.answer(question.offered if answer is None else answer)
    assert running.conversation.finished
    return running.id


def test_private_steps_are_those_only_in_just_for_me_parts() -> None:
    assert _script(PARTS).private_steps == frozenset({"inner"})
    assert _script(LEAK).private_steps == frozenset()


def test_a_recalled_or_offered_private_answer_is_never_in_what_is_shared(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    scripts = catalog().scripts
    with Store.open(db) as store:
        _run(store, scripts["parts"], "Sam", "Lead a team", SECRET)
        # Another mentorship: `anywhere.` crosses to Sam's; `recall.` does not.
        other = _run(store, scripts["leak"], "Bo", None, "typed near", None)
        # The same mentorship: both find it, and the offers are kept with Enter.
        same = _run(store, scripts["leak"], "Sam", None, None, None)
        near = store.answers(same)[1]
        assert near["value"] == SECRET  # the person's own answer is stored as given

    def cli(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    for conversation_id in (other, same):
        record = cli("show", conversation_id, "--record")
        assert SECRET not in record, record
        assert f"Anywhere: {KEPT_PRIVATE}" in record
        assert "Hope: Lead a team" in record  # not private: offered and shown as before
    assert f"Recalled: {KEPT_PRIVATE}" in cli("show", same, "--record")
    assert "Recalled" not in cli("show", other, "--record")  # recall. stays in its mentorship
    assert f"Here: {KEPT_PRIVATE}" in cli("show", same, "--record")
    assert "Here: typed near" in cli("show", other, "--record")  # typed, not offered
    share = cli("export", "--format", "markdown", "--share")
    assert SECRET not in share
    full = cli("export", "--format", "markdown")
    assert f"Mine: {SECRET} / {SECRET}" in full  # in the just-for-me part, as it should be


def test_anywhere_prefers_this_mentorships_answer(tmp_path: Path) -> None:
    scripts = catalog().scripts
    with Store.open(tmp_path / "r.db") as store:
        _run(store, scripts["parts"], "Sam", "hope of Sam", "x")
        _run(store, scripts["parts"], "Bo", "hope of Bo", "y")  # the latest, anywhere
        running = session.start(store, scripts["leak"], "Sam", catalog=catalog())
        conv = running.conversation
        conv.answer("a")
        conv.answer("b")
        question = conv.turn.question
        assert question is not None and question.offered == "hope of Sam"
        running = session.start(store, scripts["leak"], "Kim", catalog=catalog())
        conv = running.conversation
        conv.answer("a")
        conv.answer("b")
        question = conv.turn.question
        assert question is not None and question.offered == "hope of Bo"


def test_the_validator_says_where_a_private_answer_would_be_shared() -> None:
    scripts = catalog().scripts
    found = check_recalls([scripts["leak"]], scripts)
    said = {(d.line, d.col, d.severity): d.message for d in found}
    assert (9, 16, "warning") in said, found  # {recall.parts.inner} in the shared part
    assert "just for me" in said[(9, 16, "warning")]
    assert "(kept private)" in said[(9, 16, "warning")]
    prefills = [(line, col) for line, col, _ in said if line != 9]
    assert prefills == [(20, 14), (23, 14)]  # copied and near; not hope_again (line 26)
    assert len(found) == 3  # nothing for the private part (line 14)
