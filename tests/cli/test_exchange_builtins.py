"""No just-for-me answer of any built-in conversation ever travels in a bundle: each one is
walked with a marker word in every private answer (the walks of test_builtin_scripts.py),
its record marked to send, shared, and the bundle decrypted here and searched. A commitment,
which travels as text, is never a private-only answer."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest
from store.helpers import run
from test_builtin_scripts import BUILTIN, SKIP, WALKS, Walk, _load, _private_only_steps, drive

from reflectcoach.script.model import QuestionType
from reflectcoach.services import exchange, identity
from reflectcoach.store import Store

TEXT = (None, QuestionType.TEXT, QuestionType.LONG_TEXT)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-12-01")  # the walks' "friday"


@pytest.mark.parametrize("script_id", BUILTIN)
def test_no_private_answer_of_a_builtin_is_in_a_bundle(script_id: str, tmp_path: Path) -> None:
    script = _load(script_id)
    private = _private_only_steps(script)
    assert not {s for s in private if script.steps[s].commitment is not None}
    records: list[str] = []
    for walk in WALKS[script_id]:
        answers = dict(walk.answers)
        for step_id in private:
            if script.steps[step_id].type in TEXT and answers.get(step_id) is not SKIP:
                answers[step_id] = f"Zebrine{step_id}"
        conv = drive(script, Walk(answers, walk.recalled))
        records.append(conv.record_markdown() or "")
    assert any("Zebrine" in markdown for markdown in records)  # in the full records
    with (
        Store.open(tmp_path / "mine.db", key=None) as mine,
        Store.open(tmp_path / "theirs.db", key=None) as theirs,
    ):
        for number, markdown in enumerate(records):
            done = run(mine, [], mentorship="Sam", script_id=script_id, record=markdown)
            mine.partners.mark(done, "feedback" if number % 2 else "record")
        run(theirs, [], mentorship="Alex", record=None)
        me, them = identity.load_or_create(mine), identity.load_or_create(theirs)
        mine.partners.link("Sam", them.public.age_recipient, them.public.signing_public)
        made = exchange.make(mine, "Sam")
    plain = pyrage.decrypt(made.data, [them.age]).decode("utf-8")
    assert made.counts["records"] + made.counts["feedback"] == len(records)
    assert "zebrine" not in plain.lower()
    assert "just for me" not in plain.lower()
    assert me.public.signing_public in plain  # it is the bundle, read whole
    # and never a secret key, of either side
    assert "AGE-SECRET-KEY" not in plain.upper()
    for person in (me, them):
        assert identity.b64(identity._raw_private(person.signing)) not in plain


NO_AGE = "age is not installed (apt-get install age)"


@pytest.mark.skipif(shutil.which("age") is None, reason=NO_AGE)
def test_a_bundle_is_a_plain_age_file_the_age_tool_opens(tmp_path: Path) -> None:
    """Cross-check with the reference tool: Debian's `age -d` opens a bundle with the
    recipient's secret key, and the plaintext is the signed bundle."""
    with (
        Store.open(tmp_path / "mine.db", key=None) as mine,
        Store.open(tmp_path / "theirs.db", key=None) as theirs,
    ):
        run(mine, [], mentorship="Sam")
        run(theirs, [], mentorship="Alex")
        them = identity.load_or_create(theirs)
        mine.partners.link("Sam", them.public.age_recipient, them.public.signing_public)
        bundle = tmp_path / "b.reflectcoach"
        bundle.write_bytes(exchange.make(mine, "Sam").data)
    key = tmp_path / "key.txt"
    key.write_text(str(them.age) + "\n", encoding="ascii")
    key.chmod(0o600)
    done = subprocess.run(
        ["age", "-d", "-i", str(key), str(bundle)], capture_output=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(exchange.MAGIC)
