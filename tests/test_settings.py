"""The settings file: kept between runs, private, written whole, and never fatal."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from reflectcoach.core import settings
from reflectcoach.core.settings import UserSettings


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "reflectcoach" / "settings.json"


def test_missing_file_gives_defaults_and_no_problem(path: Path) -> None:
    loaded = UserSettings.load(path)
    assert loaded.values == {} and loaded.problem is None
    assert not path.exists()  # reading writes nothing


def test_set_saves_owner_only_and_reloads(path: Path) -> None:
    loaded = UserSettings.load(path)
    assert loaded.set(settings.THEME, "textual-light") is None
    assert loaded.set(settings.MENTORSHIP, "Ada") is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = UserSettings.load(path)
    assert again.get(settings.THEME) == "textual-light"
    assert again.get(settings.MENTORSHIP) == "Ada"
    assert again.set(settings.MENTORSHIP, None) is None
    assert UserSettings.load(path).get(settings.MENTORSHIP) is None
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp left


def test_a_link_is_reported_and_neither_followed_nor_written(path: Path, tmp_path: Path) -> None:
    path.parent.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"theme": "nord"}', encoding="utf-8")
    os.symlink(elsewhere, path)
    loaded = UserSettings.load(path)
    assert loaded.problem is not None and "symbolic link" in loaded.problem
    assert loaded.values == {}
    loaded.set(settings.THEME, "dracula")
    assert elsewhere.read_text(encoding="utf-8") == '{"theme": "nord"}'  # never written through
    assert path.is_symlink()  # nor replaced: left as it is, like any file that is not settings


def test_unknown_keys_are_kept(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text('{"from_a_newer_version": [1, 2], "theme": "nord"}', encoding="utf-8")
    loaded = UserSettings.load(path)
    loaded.set(settings.EXPORT_FOLDER, "/tmp/exports")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {
        "from_a_newer_version": [1, 2],
        "theme": "nord",
        "export_folder": "/tmp/exports",
    }


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[1, 2]",
        b'{"theme": 3}',
        b"\xff\xfe",
        b'{"theme": "' + b"x" * (settings.MAX_BYTES + 1) + b'"}',
        b"[" * 30_000 + b"]" * 30_000,
        b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"x": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3000 + b"}",
    ],
    ids=[
        "syntax",
        "not-an-object",
        "wrong-type",
        "not-utf8",
        "too-large",
        "30000-nested-lists",
        "deep-unknown-key",
        "deep-objects",
    ],
)
def test_a_damaged_file_is_reported_ignored_and_left_alone(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    loaded = UserSettings.load(path)
    assert loaded.problem is not None and str(path) in loaded.problem
    assert loaded.values == {}
    assert loaded.set(settings.THEME, "nord") is None  # used for this run ...
    assert loaded.get(settings.THEME) == "nord"
    assert path.read_bytes() == content  # ... but the file is never written over


def test_a_folder_where_the_file_should_be(path: Path) -> None:
    path.mkdir(parents=True)
    loaded = UserSettings.load(path)
    assert loaded.problem is not None


def test_a_failed_save_is_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "config"
    loaded = UserSettings.load(folder / "settings.json")
    folder.write_text("", encoding="utf-8")  # a file where its folder should be made
    message = loaded.set(settings.THEME, "nord")
    assert message is not None and "Could not save" in message
    assert loaded.get(settings.THEME) == "nord"


def test_in_memory_settings_write_nothing(tmp_path: Path) -> None:
    loaded = UserSettings.load(None)
    assert loaded.set(settings.THEME, "nord") is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux", reason="XDG folders are the Linux convention")
def test_default_path_is_in_the_user_config_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert settings.default_path() == tmp_path / "reflectcoach" / "settings.json"


def test_settings_import_no_textual() -> None:
    import subprocess

    code = (
        "import sys, reflectcoach.core.settings\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_deep_nesting_in_strings_is_only_text(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"theme": "nord", "note": "[" * 2000 + '\\"{'}))
    loaded = UserSettings.load(path)
    assert loaded.problem is None and loaded.get(settings.THEME) == "nord"


LOAD = "import sys; from pathlib import Path; from reflectcoach.core.settings import UserSettings; "


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(path: Path) -> None:
    """Opening a FIFO for reading blocks until someone writes: the app never started."""
    import subprocess

    path.parent.mkdir(parents=True)
    os.mkfifo(path)
    code = LOAD + "print(UserSettings.load(Path(sys.argv[1])).problem)"
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,  # a hang guard, not a measure: it returns at once or never
    )
    assert done.returncode == 0, done.stderr
    assert str(path) in done.stdout and "not a regular file" in done.stdout
    assert stat.S_ISFIFO(os.stat(path).st_mode)  # left as it was


nested = st.integers(min_value=1, max_value=3000).flatmap(
    lambda depth: (
        st.sampled_from(["[", '{"a":', '{"theme": ['])
        .map(lambda opener: opener * depth)
        .map(lambda text: text.encode())
    )
)


@hsettings(max_examples=200, deadline=None)
@given(content=st.one_of(st.binary(max_size=300), nested, st.text(max_size=200).map(str.encode)))
def test_no_file_content_stops_the_app(tmp_path_factory, content: bytes) -> None:
    """Whatever the file holds: settings, or defaults with a problem said; never an exception."""
    path = tmp_path_factory.mktemp("s") / "settings.json"
    path.write_bytes(content)
    loaded = UserSettings.load(path)
    assert loaded.problem is None or str(path) in loaded.problem
    assert all(isinstance(v, str) for v in loaded.values.values())


def test_a_killed_writers_temp_file_is_removed_by_the_next_save(path: Path) -> None:
    import subprocess

    path.parent.mkdir(parents=True)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = path.parent / f".settings.json.{int(gone.stdout)}.tmp"
    stale.write_text('{"theme": "half')
    other = path.parent / ".settings.json.notapid.tmp"
    other.write_text("kept")
    assert UserSettings.load(path).set(settings.THEME, "nord") is None
    assert not stale.exists() and other.exists()
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "nord"}
