"""Commands that encrypt a database, decrypt it, or change its passphrase (store/convert.py),
and that unlock one for a while (services/agent.py) or lock it again.

The passphrase to encrypt with, and the current one, come as for every command (passphrase.py:
--passphrase-fd, REFLECTCOACH_PASSPHRASE_FILE, the keyring, the terminal); a new passphrase
typed on the terminal is asked twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import Settings, clean, fail, main, pass_settings

if TYPE_CHECKING:
    from reflectcoach.store.convert import Converted
    from reflectcoach.store.key import Key

REMEMBER_HELP = "Keep the key in this machine's keyring, so it is not asked again here."


TRIES = 3  # a passphrase typed at a terminal, for decrypt


def _summary(done: Converted) -> str:
    conversations = done.rows.get("conversations", 0)
    answers = done.rows.get("answers", 0)
    return (
        f"{conversations} conversation{'s' if conversations != 1 else ''} and {answers} "
        f"answer{'s' if answers != 1 else ''}, every table's rows checked"
    )


def _remember(db: Path, key: Key) -> None:
    from reflectcoach.services import remember
    from reflectcoach.store.cipher import salt_of

    salt = salt_of(db)
    if salt is not None and remember.remember(db, key, salt):
        click.echo("The key is remembered in this machine's keyring.", err=True)
    else:
        click.echo("No keyring is available here: the passphrase will be asked.", err=True)


def _clear_leftover(settings: Settings) -> None:
    """First of all: the copy a killed conversion left beside the database (after a killed
    `decrypt`, every answer in plaintext) goes, whatever this command then does."""
    from reflectcoach.store.leftover import remove_stale

    removed = remove_stale(settings.db_path.expanduser())
    if removed is not None:
        click.echo(clean(removed), err=True)


def _need_plaintext(settings: Settings) -> None:
    from reflectcoach.store.files import looks_encrypted

    if looks_encrypted(settings.db_path):
        fail(
            f"{settings.db_path} is already encrypted (or is not an SQLite database); "
            "use `reflectcoach passphrase` to change its passphrase."
        )


@main.command()
@click.option("--remember", is_flag=True, help=REMEMBER_HELP)
@pass_settings
def encrypt(settings: Settings, remember: bool) -> None:
    """Encrypt the database with a passphrase (SQLCipher). The passphrase cannot be
    recovered: without it, nothing in the database can be read."""
    from reflectcoach.services import passphrase
    from reflectcoach.store.convert import convert

    _clear_leftover(settings)
    _need_plaintext(settings)
    text = passphrase.given(settings.passphrase_fd)
    if text is None:
        text = passphrase.ask(
            "New passphrase: ", confirm=True, how=f"with --passphrase-fd N or {passphrase.FILE_ENV}"
        )
    click.echo(passphrase.strength(text), err=True)  # said, never the passphrase itself
    key = passphrase.Key.from_passphrase(text)
    done = convert(settings.db_path, None, key)
    click.echo(clean(f"Encrypted {done.path}: {_summary(done)}."))
    click.echo(
        "Earlier backups or copies of the file are not encrypted, and the disk may still hold "
        "its old, plaintext blocks. Exports are never encrypted.",
        err=True,
    )
    if remember:
        _remember(done.path, key)


@main.command()
@pass_settings
def decrypt(settings: Settings) -> None:
    """Turn an encrypted database back into a plaintext one."""
    from reflectcoach.services import passphrase, remember
    from reflectcoach.store.cipher import WrongPassphrase
    from reflectcoach.store.convert import convert

    _clear_leftover(settings)
    key = settings.key()
    if key is None:
        fail(f"{settings.db_path} is not encrypted: there is nothing to decrypt.")
    # Typed at a terminal, a mistyped passphrase may be typed again (three tries in all);
    # one given for scripts (fd, file) is tried once.
    tries = TRIES if passphrase.given(settings.passphrase_fd) is None else 1
    while True:
        try:
            done = convert(settings.db_path, key, None)
            break
        except WrongPassphrase:
            tries -= 1
            if tries <= 0 or not passphrase.can_ask():
                raise
            click.echo(f"That passphrase does not open it; try again ({tries} left).", err=True)
            key = passphrase.Key.from_passphrase(
                passphrase.ask(f"Passphrase for {settings.db_path}: ")
            )
    remember.forget(done.path)
    _end_session(done.path)
    click.echo(clean(f"Decrypted {done.path}: {_summary(done)}. It is now plaintext."))


@main.command("passphrase")
@click.option(
    "--new-passphrase-fd",
    type=click.IntRange(min=0),
    metavar="N",
    help="Read the new passphrase from file descriptor N (for scripts).",
)
@click.option(
    "--new-passphrase-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read the new passphrase from this file (for scripts).",
)
@click.option("--remember", is_flag=True, help=REMEMBER_HELP)
@pass_settings
def change_passphrase(
    settings: Settings,
    new_passphrase_fd: int | None,
    new_passphrase_file: Path | None,
    remember: bool,
) -> None:
    """Change an encrypted database's passphrase (it is re-encrypted under the new one)."""
    from reflectcoach.services import passphrase
    from reflectcoach.services import remember as keyring
    from reflectcoach.store.convert import convert
    from reflectcoach.store.files import looks_encrypted

    _clear_leftover(settings)
    # A passphrase given for scripts (REFLECTCOACH_PASSPHRASE_FILE) says nothing about this
    # file: a plaintext one has no passphrase to change.
    old = settings.key() if looks_encrypted(settings.db_path) else None
    if old is None:
        fail(f"{settings.db_path} is not encrypted: use `reflectcoach encrypt`.")
    text = passphrase.new_passphrase(new_passphrase_fd, new_passphrase_file)
    click.echo(passphrase.strength(text), err=True)  # said, never the passphrase itself
    new = passphrase.Key.from_passphrase(text)
    done = convert(settings.db_path, old, new)
    keyring.forget(done.path)
    _end_session(done.path)
    click.echo(clean(f"Changed the passphrase of {done.path}: {_summary(done)}."))
    if remember:
        _remember(done.path, new)


def _end_session(db: Path) -> None:
    """The key an unlocked session holds opens the file no more: the session ends."""
    from reflectcoach.services import agent

    if agent.lock(db):
        click.echo("The unlocked session has ended (its key is the old one).", err=True)


@main.command()
@click.option(
    "--for",
    "duration",
    default="15m",
    show_default=True,
    help="How long: 90s, 15m, 1h, 1h30m (at most 24h).",
)
@pass_settings
def unlock(settings: Settings, duration: str) -> None:
    """Unlock an encrypted database for a while: its key is derived once and kept by a small
    process of yours, so the commands that follow skip the slow derivation until the time is
    up or `reflectcoach lock`. Only you can ask it (a unix socket in your runtime folder,
    checked by the kernel); the key is never written to disk."""
    from reflectcoach.services import agent
    from reflectcoach.store.cipher import salt_of
    from reflectcoach.store.files import looks_encrypted

    try:
        seconds = agent.parse_duration(duration)
    except agent.AgentError as problem:
        fail(str(problem))
    db = settings.db_path
    if not db.exists() or not looks_encrypted(db):
        fail(f"{db} is not encrypted: there is nothing to unlock.")
    with settings.store():  # the key opens it (else the Store says why), before it is kept
        pass
    key = settings.key()
    salt = salt_of(db)
    assert key is not None and salt is not None
    try:
        agent.start(db, key.raw_for(salt), seconds)
    except agent.AgentError as problem:
        fail(str(problem))
    minutes, rest = divmod(seconds, 60)
    said = f"{minutes} min" + (f" {rest} s" if rest else "") if minutes else f"{seconds} s"
    click.echo(clean(f"Unlocked {db} for {said}; `reflectcoach lock` ends it sooner."))


@main.command()
@pass_settings
def lock(settings: Settings) -> None:
    """End the unlocked session of the database (`reflectcoach unlock`) now."""
    from reflectcoach.services import agent

    if agent.lock(settings.db_path):
        click.echo(clean(f"Locked {settings.db_path}: its key is asked for again."))
    else:
        click.echo(clean(f"{settings.db_path} has no unlocked session."))
