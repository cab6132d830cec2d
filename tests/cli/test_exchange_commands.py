"""The exchange's commands in process (click's runner): what each says when something is
missing or wrong, and the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from store.helpers import run

from reflectcoach.cli import main
from reflectcoach.store import Store

ROLE = [("role", "Which are you?", "choice", "mentee", "the mentee")]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.delenv("REFLECTCOACH_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "r.db"
    with Store.open(db) as store:
        done = run(store, ROLE, mentorship="Sam", record="# Notes\n\nHello.")
        running = run(store, ROLE, mentorship="Sam", complete=False)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, ["--db", str(db), *args], input=input)

    invoke.ids = (done, running)  # type: ignore[attr-defined]
    invoke.db = db  # type: ignore[attr-defined]
    return invoke


def test_id_is_one_line_and_stays_the_same(cli) -> None:
    first, second = cli("id"), cli("id")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    assert first.stdout.count("\n") == 1 and first.stdout.startswith("reflectcoach-id:1:age1")
    assert "Fingerprint " in first.stderr and "your reflection database" in first.stderr


def test_share_says_what_is_missing(cli) -> None:
    result = cli("share", "Sam")
    assert result.exit_code == 1
    assert "No partner is linked to 'Sam' yet" in result.output
    assert "reflectcoach partner add 'Sam' LINE" in result.output
    result = cli("share", "Nobody")
    assert result.exit_code == 1 and "Nobody" in result.output
    result = cli("partner", "show", "Sam")
    assert result.exit_code == 1 and "No partner is linked to 'Sam'" in result.output


def test_your_own_identity_is_not_a_partner(cli) -> None:
    line = cli("id").stdout.strip()
    result = cli("partner", "add", "Sam", line)
    assert result.exit_code == 1 and "That is your own identity" in result.output
    result = cli("partner", "add", "Nobody", "reflectcoach-id:1:nonsense")
    assert result.exit_code == 1 and "cut short" in result.output


def test_the_outbox(cli) -> None:
    done, running = cli.ids
    assert "Nothing is marked to send" in cli("outbox").output
    result = cli("outbox", running)
    assert result.exit_code == 1 and "Only a completed conversation's record" in result.output
    assert "goes as a record" in cli("outbox", done[:5]).output
    listed = cli("outbox").output
    assert done in listed and "(record, completed" in listed
    assert "goes as feedback" in cli("outbox", done, "--feedback").output
    assert "(feedback, completed" in cli("outbox").output
    assert "no longer marked" in cli("outbox", done, "--remove").output
    assert "Nothing is marked to send" in cli("outbox").output


def test_a_deleted_conversation_leaves_the_outbox(cli) -> None:
    done, _running = cli.ids
    cli("outbox", done)
    with Store.open(cli.db) as store:
        store.delete(done)
    assert "Nothing is marked to send" in cli("outbox").output


def test_a_bundle_named_by_default_says_only_when(cli, tmp_path: Path) -> None:
    from reflectcoach.services import identity

    with Store.open(tmp_path / "partner.db") as store:
        run(store, ROLE, mentorship="Alex")
        line = identity.load_or_create(store).public.line()
    assert cli("partner", "add", "Sam", line).exit_code == 0
    result = cli("share", "Sam")
    assert result.exit_code == 0, result.output
    [bundle] = tmp_path.glob("*.reflectcoach")
    assert bundle.name.startswith("bundle-") and "sam" not in bundle.name.lower()
    assert bundle.stat().st_mode & 0o777 == 0o600
    assert f"reflectcoach receive {bundle.name}" in result.output


def test_a_new_identity_replaces_the_old_one(cli) -> None:
    old = cli("id").stdout
    assert cli("id", "--new", input="n\n").exit_code == 1  # asked, and declined: unchanged
    assert cli("id").stdout == old
    result = cli("id", "--new", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout != old and "send your partners this line" in result.stderr
    assert cli("id").stdout == result.stdout


def test_start_up_pays_for_no_exchange_library() -> None:
    """age, the signing library, magic-wormhole and Twisted load only when a command of the
    exchange needs them: never for `--version`, plain commands or the app's start."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "import reflectcoach.cli, reflectcoach.app.app\n"
        "CliRunner().invoke(reflectcoach.cli.main, ['--version'])\n"
        "heavy = ('pyrage', 'cryptography', 'wormhole', 'twisted', 'keyring')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_partner_s_commitments_say_overdue_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    from reflectcoach.services.exchange import SECTIONS

    monkeypatch.setenv("REFLECTCOACH_TODAY", "2026-12-21")
    rows = [("aaaaaa", "Late one", "2026-12-20", "open"),
            ("bbbbbb", "Done one", "2026-12-01", "done"),
            ("cccccc", "No date", None, "partly")]  # fmt: skip
    body = {
        "items": [
            {"id": i, "text": t, "due": d, "status": st, "updated_at": "x"} for i, t, d, st in rows
        ]
    }
    assert SECTIONS["commitments"].lines(SECTIONS["commitments"].check(body)) == [
        "open: Late one, due Sunday 20 December 2026 (overdue)",
        "partly done: No date",
        "done: Done one, due Tuesday 1 December 2026",
    ]


def test_agreement_says_when_nothing_is_agreed(cli) -> None:
    shown = cli("agreement", "show", "-m", "Sam")
    assert shown.exit_code == 0 and "Nothing is agreed for Sam yet." in shown.output
    refused = cli("agreement", "accept", "-m", "Sam")
    assert refused.exit_code == 1
    assert "Nothing is agreed for 'Sam' yet" in refused.output
    assert "Traceback" not in refused.output
    unknown = cli("agreement", "accept", "-m", "Nobody")
    assert unknown.exit_code == 1 and "Nobody" in unknown.output
    with Store.open(cli.db) as store:
        assert "agreement_accepted" not in store.state.fields("Sam")
