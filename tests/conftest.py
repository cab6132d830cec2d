"""Every test of the store, the engine, the CLI and the app runs twice: against a plaintext
database and against an encrypted one (issue 13), without a copy of any test.

The `storage` fixture (autouse, one parameter per module run) for "encrypted":
- points REFLECTCOACH_PASSPHRASE_FILE at a file holding a key, so every front end (CLI in a
  subprocess, plain mode, the app) finds it as a person's script would, and creates new
  databases encrypted;
- makes `Store.open(path)` without a `key` use that key in this process (test code opens
  stores directly). An explicit `key=None` still means plaintext.

The key is a raw key (SQLCipher's x'...' syntax, accepted in the passphrase file): the
deliberately slow derivation of a typed passphrase (a quarter of a second) would otherwise run
in every subprocess; tests/store/test_cipher.py covers passphrases themselves.

A test about plaintext bytes (SQLite's header, pages damaged by hand, a file written with the
stdlib sqlite3) opts out with `@pytest.mark.plaintext` (or `pytestmark` in its module).
A module-scoped fixture that creates a database must take `storage` as an argument, so that
it is built again for the encrypted run.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

KINDS = ("plain", "encrypted")
# tests/<floor>/...: the floors whose tests read or write a database.
FLOORS = {"store", "engine", "cli", "app", "files"}
FILE_ENV = "REFLECTCOACH_PASSPHRASE_FILE"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "plaintext: about plaintext bytes; not run against an encrypted database"
    )


def _floor(path: Path) -> str | None:
    parts = path.parts
    if "tests" not in parts:
        return None
    rest = parts[len(parts) - 1 - parts[::-1].index("tests") + 1 :]
    return rest[0] if len(rest) > 1 else None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "storage" not in metafunc.fixturenames:
        return
    if _floor(Path(str(metafunc.definition.path))) not in FLOORS:
        return
    plain_only = metafunc.definition.get_closest_marker("plaintext") is not None
    kinds = ["plain"] if plain_only else list(KINDS)
    metafunc.parametrize("storage", kinds, indirect=True, scope="module")


@pytest.fixture(scope="session")
def raw_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "passphrase"
    path.write_text(f"x'{secrets.token_hex(32)}'\n", encoding="ascii")
    path.chmod(0o600)
    return path


@pytest.fixture(autouse=True, scope="module")
def storage(request: pytest.FixtureRequest, raw_key_file: Path) -> Iterator[str]:
    """ "plain" or "encrypted": how databases are created and opened in this test."""
    kind = getattr(request, "param", "plain")
    with pytest.MonkeyPatch.context() as patch:
        if kind == "encrypted":
            from reflectcoach.store import Store
            from reflectcoach.store.key import Key

            patch.setenv(FILE_ENV, str(raw_key_file))
            key = Key.from_passphrase(raw_key_file.read_text(encoding="ascii").strip())
            opened = Store.open.__func__  # type: ignore[attr-defined]

            def open_with_key(cls: type[Store], path: Any, **options: Any) -> Store:
                options.setdefault("key", key)
                return opened(cls, path, **options)  # type: ignore[no-any-return]

            patch.setattr(Store, "open", classmethod(open_with_key))
        else:
            patch.delenv(FILE_ENV, raising=False)
        yield kind


@pytest.fixture
def encrypted(storage: str) -> bool:
    return storage == "encrypted"
