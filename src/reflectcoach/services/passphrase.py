"""Getting a database's passphrase, the same way for every front end.

From, in order: a file descriptor (`--passphrase-fd N`), the file REFLECTCOACH_PASSPHRASE_FILE
names, an unlocked session's key (agent.py: `reflectcoach unlock`), the key remembered in the
OS keyring (remember.py), or the terminal (getpass: never echoed). There is deliberately no
environment variable holding the passphrase itself: the environment of a process can be read
by others (`ps e`, /proc/PID/environ) and is inherited by every program it starts.

A passphrase given by fd or file is used even for a new database, which is then created
encrypted. The terminal is only asked when the file looks encrypted.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from pathlib import Path

from reflectcoach.services import agent, remember
from reflectcoach.store.errors import StoreError
from reflectcoach.store.files import looks_encrypted
from reflectcoach.store.key import Key

FILE_ENV = "REFLECTCOACH_PASSPHRASE_FILE"
MAX_BYTES = 64 * 1024  # a passphrase, not a document: a wrong file is refused, not read whole


class PassphraseError(StoreError):
    """No passphrase could be had, or the one given cannot be used (a StoreError: wherever
    the database cannot be opened is said, this is)."""


def _one_line(data: bytes, where: str) -> str:
    if len(data) > MAX_BYTES:
        raise PassphraseError(f"The passphrase in {where} is longer than {MAX_BYTES} bytes.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PassphraseError(f"The passphrase in {where} is not UTF-8 text.") from None
    # One line: the first, without its line ending. Empty lines after it (an editor's, or
    # `echo` twice) are nothing; a line with anything on it is refused, never made part of
    # the key (`pw\n\n` was the key `pw\n`, which the terminal can never type).
    first, _, rest = text.partition("\n")
    first = first.removesuffix("\r")
    if any(line.removesuffix("\r") for line in rest.split("\n")):
        raise PassphraseError(
            f"The passphrase in {where} holds more than one line; it must hold only the "
            "passphrase, on its first line. Nothing was opened."
        )
    if not first:
        raise PassphraseError(f"The passphrase in {where} is empty.")
    return first


def from_fd(fd: int) -> str:
    """The first line read from descriptor `fd` (read to its end, then closed)."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(fd, 4096):
            chunks.append(chunk)
            if sum(map(len, chunks)) > MAX_BYTES:
                break
    except OSError as exc:
        raise PassphraseError(f"Cannot read the passphrase from fd {fd}: {exc.strerror}.") from None
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)
    return _one_line(b"".join(chunks), f"fd {fd}")


def from_file(path: Path) -> str:
    try:
        with path.open("rb") as fp:
            data = fp.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PassphraseError(
            f"Cannot read the passphrase file {path} ({FILE_ENV}): {exc.strerror}."
        ) from None
    return _one_line(data, f"{path} ({FILE_ENV})")


def can_ask() -> bool:
    """Whether a person is there to type it (stdin a terminal: never block a pipe)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def ask(prompt: str = "Passphrase: ", *, confirm: bool = False, how: str = "") -> str:
    """Typed on the terminal, never echoed; `confirm` asks twice (a new passphrase), and
    `how` says where else a new one may come from when there is no terminal."""
    if not can_ask():
        if confirm:
            raise PassphraseError(
                f"There is no terminal to ask for the new passphrase: give it {how}."
            )
        raise PassphraseError(
            "The reflection database is encrypted and there is no terminal to ask for its "
            f"passphrase: give it with --passphrase-fd N or {FILE_ENV}."
        )
    import getpass  # only when a person is asked: a session's or a file's key needs none

    try:
        text = getpass.getpass(prompt)
        if not text:
            raise PassphraseError("No passphrase typed; nothing was changed.")
        if confirm and getpass.getpass("Type it again: ") != text:
            raise PassphraseError("The two passphrases differ; nothing was changed.")
    except EOFError:
        raise PassphraseError("No passphrase typed; nothing was changed.") from None
    return text


def given(fd: int | None = None) -> str | None:
    """A passphrase given for scripts (fd, then the file), or None."""
    if fd is not None:
        return from_fd(fd)
    named = os.environ.get(FILE_ENV)
    if named:
        return from_file(Path(named).expanduser())
    return None


def key_for(db: Path, fd: int | None = None, *, interactive: bool = True) -> Key | None:
    """The key to open `db` with, or None for a plaintext (or new) database."""
    text = given(fd)
    if text is not None:
        return Key.from_passphrase(text)
    if not looks_encrypted(db):
        return None
    unlocked = agent.recall(db)  # a session the person started: `reflectcoach unlock`
    if unlocked is not None:
        return Key(raw=unlocked)
    remembered = remember.recall(db)
    if remembered is not None:
        return remembered
    if not interactive or not can_ask():
        return None  # Store.open then says the file is encrypted (or not SQLite), and how
    return Key.from_passphrase(ask(f"Passphrase for {db}: "))


def new_passphrase(fd: int | None = None, file: Path | None = None) -> str:
    """A new passphrase: from `fd` or `file` if given, else typed twice on the terminal."""
    if fd is not None:
        return from_fd(fd)
    if file is not None:
        return from_file(file)
    how = "with --new-passphrase-fd N or --new-passphrase-file FILE"
    return ask("New passphrase: ", confirm=True, how=how)


def strength(text: str) -> str:
    """How strong a new passphrase is, in words, as password tools say it: a rough count of
    the guesses it takes (length times the kinds of character used, a repeated or
    sequential one counted once), never the passphrase itself."""
    kinds = 0
    if any(c.islower() for c in text):
        kinds += 26
    if any(c.isupper() for c in text):
        kinds += 26
    if any(c.isdigit() for c in text):
        kinds += 10
    if any(not c.isalnum() for c in text):
        kinds += 33
    distinct = len(set(text))
    bits = min(len(text), distinct * 2) * math.log2(max(kinds, 2))
    if bits < 28:
        verdict = "very weak: guessed in moments"
    elif bits < 45:
        verdict = "weak: guessed in hours by a patient attacker"
    elif bits < 64:
        verdict = "fair"
    else:
        verdict = "strong"
    advice = (
        "" if bits >= 64 else " Four or five random words make a strong one that is easy to type."
    )
    return f"Passphrase strength: {verdict} ({len(text)} characters).{advice}"
