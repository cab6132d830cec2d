"""Every test of the store, the engine, the CLI and the app runs against a plaintext database
and again against an encrypted one (issue 13), without a copy of any test:

    pytest                        # plaintext (the default)
    pytest --storage encrypted    # the same tests, every database encrypted

`make test` runs both. A whole run is one kind, rather than a parameter per test, so that test
ids, snapshot names (syrupy names them by test id) and module-scoped fixtures that build a
database stay exactly as they are, for tests written by anyone.

With `--storage encrypted`:
- REFLECTCOACH_PASSPHRASE_FILE points at a file holding a key, so every front end (the CLI in
  a subprocess, plain mode, the app) finds it as a person's script would, and creates new
  databases encrypted;
- `Store.open(path)` without a `key` uses that key in this process (test code opens stores
  directly); an explicit `key=None` still means plaintext;
- only tests under tests/store, engine, files and sync run (the others never open a
  database, or open it only through `Store.open`), with the app and CLI tests marked
  `@pytest.mark.encrypted_too`: those where the storage kind changes what a front end does
  (the app's locks beside another process, two sessions, drafts written from a thread; the
  commands that read the file on the stdlib path, `due`, `list`, `commitments --due`; two
  processes on one file; plain mode, `note` and `brief` finding the key through a whole
  relationship; identities kept in the database). The other app and CLI tests read and
  write through the same `Store.open` the store tests cover twice; running them again with
  a key showed nothing new and doubled the suite (issue 20). Tests marked
  `@pytest.mark.plaintext` are left out: those about plaintext bytes (SQLite's header,
  pages damaged by hand, a file or a lock made with the stdlib sqlite3) and those that
  choose their own keys.

The key is a raw key (SQLCipher's x'...' syntax, accepted in the passphrase file): the
deliberately slow derivation of a typed passphrase (a quarter of a second) would otherwise run
in every subprocess; tests/store/test_cipher.py and tests/cli/test_encryption_*.py cover
passphrases themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FLOORS = {"store", "engine", "files", "sync"}  # tests/<floor>/: all run encrypted too
FILE_ENV = "REFLECTCOACH_PASSPHRASE_FILE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--storage",
        choices=("plain", "encrypted"),
        default="plain",
        help="run the database tests against plaintext (default) or encrypted databases",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "plaintext: about plaintext bytes, or chooses its own keys: not run with "
        "--storage encrypted",
    )
    config.addinivalue_line(
        "markers",
        "encrypted_too: an app or CLI test --storage encrypted runs as well (see the docstring)",
    )


def _floor(path: Path) -> str | None:
    parts = path.parts
    if "tests" not in parts:
        return None
    rest = parts[len(parts) - parts[::-1].index("tests") :]
    return rest[0] if len(rest) > 1 else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("storage") != "encrypted":
        return
    kept, left = [], []
    for item in items:
        about_plaintext = item.get_closest_marker("plaintext") is not None
        wanted = item.get_closest_marker("encrypted_too") is not None
        if (_floor(Path(str(item.path))) in FLOORS or wanted) and not about_plaintext:
            kept.append(item)
        else:
            left.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def storage(request: pytest.FixtureRequest) -> str:
    """ "plain" or "encrypted": how databases are created and opened in this run."""
    return str(request.config.getoption("storage"))


@pytest.fixture(autouse=True, scope="session")
def _storage_kind(storage: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        if storage == "encrypted":
            from reflectcoach.store import Store
            from reflectcoach.store.key import Key

            key_file = tmp_path_factory.mktemp("key") / "passphrase"
            key_file.write_text(f"x'{secrets.token_hex(32)}'\n", encoding="ascii")
            key_file.chmod(0o600)
            patch.setenv(FILE_ENV, str(key_file))
            key = Key.from_passphrase(key_file.read_text(encoding="ascii").strip())
            opened = Store.open.__func__  # type: ignore[attr-defined]

            def open_with_key(cls: type[Store], path: Any, **options: Any) -> Store:
                options.setdefault("key", key)
                return opened(cls, path, **options)  # type: ignore[no-any-return]

            patch.setattr(Store, "open", classmethod(open_with_key))
        else:
            patch.delenv(FILE_ENV, raising=False)
        yield


@pytest.fixture
def encrypted(storage: str) -> bool:
    return storage == "encrypted"
