"""A person's identity for the exchange: made once, its secret keys in the keyring where
there is one (a real keyring backend, in memory) and in the database only where there is
none; never in an export; the identity line's checksum and form."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from reflectcoach.services import identity
from reflectcoach.store import Store
from reflectcoach.store.export import write_json


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def memory_keyring():
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring():
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def _export(store: Store, tmp_path: Path) -> str:
    target = tmp_path / "all.json"
    with target.open("w", encoding="utf-8") as fp:
        write_json(store, fp)
    return target.read_text(encoding="utf-8")


def test_secret_keys_go_to_the_keyring_where_there_is_one(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        made = identity.load_or_create(store)
        row = store.partners.identity()
        assert row is not None and row.secret_where == "keyring"
        assert row.age_secret is None and row.signing_secret is None
        again = identity.load_or_create(store)
    assert again.public == made.public and made.where == "keyring"
    (kept,) = memory_keyring.kept.values()
    assert json.loads(kept)["age"].startswith("AGE-SECRET-KEY-")
    memory_keyring.kept.clear()  # another machine, or a keyring reset
    with Store.open(tmp_path / "r.db") as store, pytest.raises(identity.IdentityProblem) as lost:
        identity.load(store)
    assert "keyring does not have them now" in str(lost.value)


def test_without_a_keyring_they_are_in_the_database_and_never_in_an_export(
    tmp_path: Path, no_keyring: None
) -> None:
    with Store.open(tmp_path / "r.db") as store:
        made = identity.load_or_create(store)
        assert made.where == "database"
        exported = _export(store, tmp_path)
    assert "AGE-SECRET-KEY" not in exported.upper()
    assert made.public.signing_public not in exported
    assert "secret" not in repr(made).lower().replace("secrets in the database", "")


def test_the_identity_line_is_checked(tmp_path: Path, no_keyring: None) -> None:
    with Store.open(tmp_path / "r.db") as store:
        line = identity.load_or_create(store).public.line()
    assert identity.parse(f"  {line}\n").line() == line
    for bad, says in (
        ("hello", "not a reflectcoach identity"),
        (line[:-3], "cut short"),
        (line[:-1] + ("0" if line[-1] != "0" else "1"), "checksum does not match"),
        (line.replace(":1:", ":2:", 1), "another version"),
        (line + "x" * 400, "too long"),
    ):
        with pytest.raises(identity.IdentityProblem) as problem:
            identity.parse(bad)
        assert says in str(problem.value)
