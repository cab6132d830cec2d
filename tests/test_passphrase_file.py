"""A passphrase given by file or descriptor is one line: the first, without its line ending.
More lines with something on them are refused, saying so (never taken as part of the key)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reflectcoach.services.passphrase import PassphraseError, from_fd, from_file


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"pw", "pw"),
        (b"pw\n", "pw"),
        (b"pw\r\n", "pw"),
        (b"pw\n\n", "pw"),
        (b"pw\r\n\r\n\n", "pw"),
        (b"two words \n", "two words "),
    ],
)
def test_the_first_line_without_its_ending(tmp_path: Path, data: bytes, expected: str) -> None:
    file = tmp_path / "secret"
    file.write_bytes(data)
    assert from_file(file) == expected
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    assert from_fd(read) == expected


@pytest.mark.parametrize("data", [b"pw\nmore\n", b"pw\n\nsecond\n", b"pw\r\n \n"])
def test_more_lines_are_refused(tmp_path: Path, data: bytes) -> None:
    file = tmp_path / "secret"
    file.write_bytes(data)
    with pytest.raises(PassphraseError, match="more than one line") as raised:
        from_file(file)
    assert "pw" not in str(raised.value).replace(str(file), "")
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)
    with pytest.raises(PassphraseError, match="more than one line"):
        from_fd(read)


@pytest.mark.parametrize("data", [b"", b"\n", b"\n\n", b"\r\n"])
def test_an_empty_first_line_is_refused(tmp_path: Path, data: bytes) -> None:
    file = tmp_path / "secret"
    file.write_bytes(data)
    with pytest.raises(PassphraseError, match="empty"):
        from_file(file)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_one_line_or_a_message(data: bytes) -> None:
    from reflectcoach.services.passphrase import _one_line

    try:
        text = _one_line(data, "the file")
    except PassphraseError as problem:
        assert "the file" in str(problem)
    else:
        assert text and "\n" not in text and not text.endswith("\r")
        assert data.startswith(text.encode())
