"""The CLI's commands, run in-process with click's runner and as real processes."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reflectcoach import __version__
from reflectcoach.cli import main
from reflectcoach.script.loader import load_file
from reflectcoach.services import session
from reflectcoach.store import Store

FIXTURES = Path(__file__).parent.parent / "engine"
INJECTION = "[bold red]x[/] [@click=app.quit]hi[/] [/ \x1b[2J"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("REFLECTCOACH_SCRIPTS", raising=False)
    monkeypatch.delenv("REFLECTCOACH_DB", raising=False)
    db = tmp_path / "r.db"
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(
            main, ["--db", str(db), "--scripts", str(FIXTURES), *args], input=input
        )

    invoke.db = db  # type: ignore[attr-defined]
    return invoke


def fill(db: Path, mentorship: str | None = "Bea", finish: bool = True, name: str = "Ana") -> str:
    script = load_file(FIXTURES / "every_type.yaml").script
    assert script is not None
    with Store.open(db) as store:
        running = session.start(store, script, mentorship)
        conv = running.conversation
        answers = {
            "name": name,
            "role": "1",
            "hopes": "Become a calmer lead",
            "blockers": "time",
            "confidence": "4",
            "sure": "y",
            "hours": "3",
        }
        for _ in range(7 if finish else 2):
            assert conv.turn.question is not None
            conv.answer(answers[conv.turn.question.step.id])
        session.leave(store, running)  # this session ends: a command may resume it
        return running.id


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_scripts_lists_builtin_and_extra(cli) -> None:
    result = cli("scripts", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    ids = {r["id"] for r in rows}
    assert "every_type" in ids
    row = next(r for r in rows if r["id"] == "every_type")
    assert row["audience"] == "anyone" and row["steps"] == 11
    assert row["source"].endswith("every_type.yaml")
    plain = cli("scripts")
    assert "Every kind of question  (anyone, 11 steps)" in plain.output


def test_validate_reports_file_line_col_and_exit_status(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: bad\ntitle: t\nsummary: s\naudience: anyone\nsteps:\n  a:\n    ask: q\n"
        "    optinal: true\n",
        encoding="utf-8",
    )
    result = cli("validate", str(bad))
    assert result.exit_code == 1
    assert f"{bad}:8:5: error: unknown key 'optinal'" in result.output
    assert "optional" in result.output
    good = cli("validate", str(FIXTURES / "every_type.yaml"))
    assert good.exit_code == 0, good.output


def test_graph_prints_mermaid_with_conditions(cli) -> None:
    result = cli("graph", "every_type")
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith('---\ntitle: "Every kind of question"\n---\nstateDiagram-v2\n')
    assert "  direction TB\n" in out
    assert (
        "step_confidence --> step_make_room: if confidence #60;= 2 and #34;time#34; in blockers"
        in out
    )
    assert "step_confidence --> step_sure: else" in out
    assert "step_name --> step_hello: next" in out
    assert "step_bye --> done: end" in out
    assert 'state "role (choice)<br>Are you the mentor or the mentee?" as step_role' in out
    assert "[*] --> step_name" in out


def test_graph_direction_is_chosen_and_checked(cli) -> None:
    assert "  direction LR\n" in cli("graph", "--direction", "LR", "every_type").output
    wrong = cli("graph", "--direction", "sideways", "every_type")
    assert wrong.exit_code == 2
    assert "'sideways' is not one of 'TB', 'LR', 'BT', 'RL'" in wrong.output


def test_graph_of_unknown_script_is_a_clear_error(cli) -> None:
    result = cli("graph", "nope")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "every_type" in result.output  # lists what exists


def test_graph_of_a_bad_path_is_a_clear_error(cli, tmp_path: Path) -> None:
    missing = cli("graph", str(tmp_path / "missing.yaml"))
    assert missing.exit_code == 1
    assert "no such file" in missing.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nsteps: [\n", encoding="utf-8")
    invalid = cli("graph", str(broken))
    assert invalid.exit_code == 1
    assert f"{broken}:" in invalid.output
    for result in (missing, invalid, cli("graph", str(tmp_path))):
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "Traceback" not in result.output


def test_list_show_search(cli) -> None:
    first = fill(cli.db, mentorship=INJECTION)
    second = fill(cli.db, mentorship=None, finish=False, name="Zed")
    listing = cli("list")
    assert listing.exit_code == 0
    assert first in listing.output and second in listing.output
    assert "\x1b" not in listing.output
    assert "completed" in listing.output and "in_progress" in listing.output
    only = cli("list", "--status", "in_progress")
    assert second in only.output and first not in only.output
    shown = cli("show", first[:5])
    assert shown.exit_code == 0, shown.output
    assert "What do you hope for, Ana?" in shown.output
    assert "Become a calmer lead" in shown.output
    found = cli("search", "calmer")
    assert found.exit_code == 0
    assert first in found.output and "What do you hope for, Ana?" in found.output
    assert "Nothing matches" in cli("search", "zebra").output


def test_since_must_be_a_date(cli) -> None:
    result = cli("list", "--since", "last week")
    assert result.exit_code != 0
    assert "is not a date" in result.output


def test_delete_asks_first(cli) -> None:
    conversation = fill(cli.db)
    kept = cli("delete", conversation, input="n\n")
    assert "Kept." in kept.output
    with Store.open(cli.db) as store:
        assert store.conversation(conversation) is not None
    gone = cli("delete", conversation, "--yes")
    assert gone.exit_code == 0
    with Store.open(cli.db) as store:
        assert store.conversation(conversation) is None


def test_unknown_conversation_is_a_clear_error(cli) -> None:
    fill(cli.db)
    result = cli("show", "ffffffff")
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_export_and_import_round_trip(cli, tmp_path: Path) -> None:
    fill(cli.db)
    fill(cli.db, mentorship="Cy", finish=False)
    out = tmp_path / "all.json"
    result = cli("export", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))["conversations"]
    assert len(data) == 2
    other = tmp_path / "other.db"
    runner = CliRunner()
    for expected in (
        "Imported 2 conversation(s); 0 were already here.",
        "Imported 0 conversation(s); 2 were already here.",
    ):
        imported = runner.invoke(main, ["--db", str(other), "import", str(out)])
        assert imported.exit_code == 0, imported.output
        assert expected in imported.output
    with Store.open(cli.db) as a, Store.open(other) as b:
        assert [(r["id"], r["status"]) for r in a.conversations()] == [
            (r["id"], r["status"]) for r in b.conversations()
        ]


@pytest.mark.parametrize("fmt", ["markdown", "csv", "json"])
def test_export_to_stdout(cli, fmt: str) -> None:
    fill(cli.db)
    result = cli("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "Become a calmer lead" in result.output


def test_import_of_a_bad_file_is_a_clear_error(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = cli("import", str(bad))
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_a_database_that_is_not_sqlite_is_refused_untouched(cli) -> None:
    cli.db.write_bytes(b"my diary, not a database" * 100)
    before = cli.db.read_bytes()
    result = cli("list")
    assert result.exit_code != 0
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert str(cli.db) in result.output
    assert cli.db.read_bytes() == before


def test_app_refuses_politely_without_a_terminal(cli) -> None:
    result = cli()
    assert result.exit_code != 0
    assert "needs a terminal" in result.output


def bare_command(tmp_path: Path, db: Path) -> subprocess.CompletedProcess[str]:
    """`reflectcoach` alone, as the console script runs it (cli/start.py), without a
    terminal, the modules it loads listed on stderr (-X importtime)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTCOACH_")}
    env |= {"REFLECTCOACH_DB": str(db), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "reflectcoach"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_reflectcoach_alone_says_what_the_group_says_without_loading_click(tmp_path) -> None:
    done = bare_command(tmp_path, tmp_path / "r.db")
    said = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
    assert done.returncode == 1
    assert said == [
        "Error: the app needs a terminal. Use `reflectcoach start SCRIPT --plain` in a pipe."
    ]
    loaded = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert "reflectcoach.cli.start" in loaded
    # The app's start: no click, no command's module (22 ms of CPU before home's first frame).
    assert [m for m in loaded if m.split(".")[0] == "click" or m == "reflectcoach.cli.base"] == []


def test_reflectcoach_alone_leaves_a_database_click_refuses_to_the_group(tmp_path) -> None:
    done = bare_command(tmp_path, tmp_path)  # a folder: `--db`'s type says so
    assert done.returncode == 2
    assert "Invalid value for '--db': File" in done.stderr and "is a directory" in done.stderr


def test_each_command_is_found_in_the_module_the_table_names() -> None:
    from reflectcoach.cli import BY_NAME, COMMANDS

    # `main` here is the whole group (every module imported): the table is what they register.
    assert {name: command.callback.__module__ for name, command in main.commands.items()} == {
        name: f"reflectcoach.cli.{module}" for name, module in BY_NAME.items()
    }
    assert set(BY_NAME.values()) == set(COMMANDS)


@pytest.mark.parametrize(("command", "module"), [("scripts", "scripts"), ("list", "history")])
def test_a_command_loads_its_own_module_and_no_other_command_s(
    tmp_path: Path, command: str, module: str
) -> None:
    from reflectcoach.cli import COMMANDS

    env = {k: v for k, v in os.environ.items() if not k.startswith("REFLECTCOACH_")}
    env |= {"REFLECTCOACH_DB": str(tmp_path / "r.db"), "XDG_CACHE_HOME": str(tmp_path)}
    code = (
        "import sys\n"
        f"sys.argv = ['reflectcoach', {command!r}]\n"
        "from reflectcoach.cli.start import main\n"
        "try:\n"
        "    main()\n"
        "finally:\n"
        "    print(sorted(m for m in sys.modules if m.startswith('reflectcoach.cli.')),\n"
        "          file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    loaded = ast.literal_eval(done.stderr.strip().splitlines()[-1])  # the list printed above
    commands = [m for m in loaded if m.rsplit(".", 1)[-1] in COMMANDS]
    assert commands == [f"reflectcoach.cli.{module}"]


def test_help_lists_every_command(cli) -> None:
    from reflectcoach.cli import BY_NAME

    listed = cli("--help").output.split("Commands:", 1)[1].split()
    assert set(BY_NAME) <= set(listed)


def test_plain_cli_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "from reflectcoach import cli, store\n"
        "from reflectcoach.cli import plain\n"
        "from reflectcoach.engine import conversation, graph\n"
        "from reflectcoach.services import session\n"
        "from reflectcoach.script import registry, loader\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_engine_and_store_import_nothing_from_the_front_ends() -> None:
    code = (
        "import sys\n"
        "import reflectcoach.engine.conversation, reflectcoach.store\n"
        "import reflectcoach.services.session\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual'\n"
        "       or m.startswith(('reflectcoach.app', 'reflectcoach.cli'))]\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_help_screens_command_list_is_the_click_groups() -> None:
    from reflectcoach.services.commands import COMMANDS

    # The summary as click gives it, whole (the help screen wraps it rather than cutting it).
    assert list(COMMANDS) == [
        (name, command.get_short_help_str(limit=1000))
        for name, command in sorted(main.commands.items())
    ]


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [name for name in main.commands if f"reflectcoach {name}" not in readme]
    assert missing == []


def test_abandon_sets_aside_and_resume_takes_it_up_again(cli) -> None:
    conversation = fill(cli.db, finish=False)
    result = cli("abandon", conversation[:6])
    assert result.exit_code == 0, result.output
    assert f"reflectcoach resume {conversation}" in result.output
    with Store.open(cli.db) as store:
        assert store.conversation(conversation)["status"] == "abandoned"
        assert store.latest_in_progress() is None
    assert conversation in cli("list", "--status", "abandoned").output
    resumed = cli("resume", conversation, "--plain", input=":quit\n")
    assert resumed.exit_code == 0, resumed.output
    with Store.open(cli.db) as store:
        assert store.conversation(conversation)["status"] == "in_progress"


def test_a_completed_conversation_cannot_be_set_aside(cli) -> None:
    conversation = fill(cli.db)
    result = cli("abandon", conversation)
    assert result.exit_code != 0 and "is complete" in result.output
