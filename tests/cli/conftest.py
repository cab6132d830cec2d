"""The CLI tests never touch the keyring of the machine running them: identities made in
process (tests/cli/test_exchange_*.py) keep their secret keys in their test database, as the
subprocesses do (PYTHON_KEYRING_BACKEND, exchange_sides.py)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail


@pytest.fixture(scope="session", autouse=True)
def no_real_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)
