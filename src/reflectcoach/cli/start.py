"""The `reflectcoach` command's entry (pyproject's console script, `python -m reflectcoach`),
and what the app's start needs from the command line, without click.

`reflectcoach` alone opens the app as the click group would (cli/base.py: the same settings,
locale, messages and exit codes), without importing click and every command's module: that
was 22 ms of CPU before home's first frame. Anything else (a command, an option, a
REFLECTCOACH_DB that click's checks refuse) goes to the group.
"""

from __future__ import annotations

import gc
import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from reflectcoach.core.errors import UserError
from reflectcoach.core.paths import DB_ENV, default_db_path

if TYPE_CHECKING:
    from collections.abc import Callable

    from reflectcoach.script.registry import Catalog
    from reflectcoach.store import Store
    from reflectcoach.store.key import Key

DEBUG_ENV = "REFLECTCOACH_DEBUG"
PASSPHRASE_FILE_ENV = "REFLECTCOACH_PASSPHRASE_FILE"  # services/passphrase.py: FILE_ENV
STOPPED = "\nStopped. Everything answered so far is saved."
T = TypeVar("T")


def main() -> None:
    """`reflectcoach`: the app when nothing else is asked for, else the click group."""
    settings = app_alone()
    if settings is None:
        from reflectcoach.cli.base import main as group  # click; the named command's module

        group()
        return
    # As the group's invoke (cli/base.py) says a problem; SystemExit (the app's code) passes.
    try:
        use_locale()
        open_app(settings)
    except KeyboardInterrupt:
        print(STOPPED, file=sys.stderr)
        sys.exit(130)
    except UserError as problem:  # written for the person: shown as it is
        _error(clean(str(problem)))
    except Exception as problem:
        if os.environ.get(DEBUG_ENV):
            raise
        _error(clean(unexpected(problem)))


def app_alone() -> Settings | None:
    """The group's settings when the command line asks for the app alone (no arguments),
    else None. A REFLECTCOACH_DB naming a folder or an unreadable file is left to the group,
    whose `--db` type refuses it in its own words."""
    if sys.argv[1:]:
        return None
    value = os.environ.get(DB_ENV)
    if not value:  # click reads an empty variable as unset
        return Settings()
    try:
        found = os.stat(value)
    except OSError:
        return Settings(db=Path(value))  # a new file: created on first use
    if stat.S_ISDIR(found.st_mode) or not os.access(value, os.R_OK):
        return None
    return Settings(db=Path(value))


def _error(message: str) -> None:
    print(f"Error: {message}", file=sys.stderr)  # as click shows a ClickException
    sys.exit(1)


def clean(text: str) -> str:
    from reflectcoach.core.text import clean

    return clean(text)


class Settings:
    """The global options, shared by every command. (A plain class: `scripts` and
    `--version` must not pay for importing dataclasses.)"""

    def __init__(
        self,
        db: Path | None = None,
        scripts: list[Path] | None = None,
        passphrase_fd: int | None = None,
    ) -> None:
        self.db = db
        self.scripts = scripts or []
        self.passphrase_fd = passphrase_fd
        self._key: Key | None = None
        self._key_asked = False

    @property
    def db_path(self) -> Path:
        return self.db or default_db_path()

    def script_dirs(self) -> list[Path]:
        from reflectcoach.script.folders import script_dirs

        return script_dirs(self.scripts)

    def catalog(self) -> Catalog:
        import click  # only commands call this, and they run under click

        from reflectcoach.script.registry import load_catalog

        catalog = load_catalog(self.script_dirs())
        for problem in catalog.diagnostics:
            click.echo(clean(str(problem)), err=True)
        return catalog

    def key(self, *, interactive: bool = True) -> Key | None:
        """The database's key (passphrase.py), found once per process: an fd is read once,
        and the slow derivation happens once however many Stores are opened."""
        if not self._key_asked:
            if not self.passphrase_given() and not self.looks_encrypted():
                # What key_for finds here too, without loading its keyring, agent and
                # terminal modules (5 ms, before the app's first frame).
                self._key = None
            else:
                from reflectcoach.services.passphrase import key_for

                self._key = key_for(self.db_path, self.passphrase_fd, interactive=interactive)
            self._key_asked = True
        return self._key

    def passphrase_given(self) -> bool:
        # passphrase.FILE_ENV, named here: importing passphrase.py costs every `list` 5 ms.
        return self.passphrase_fd is not None or bool(os.environ.get(PASSPHRASE_FILE_ENV))

    def looks_encrypted(self) -> bool:
        from reflectcoach.store.files import looks_encrypted

        return looks_encrypted(self.db_path)

    def read_alone(self, read: Callable[..., T | None], **kwargs: Any) -> T | None:
        """What `read` (store/readonly.py) finds without opening the Store: a plaintext file
        as it is; an encrypted one with its key, found as for the Store (once per process);
        None when only the Store may read it. A passphrase given for a plaintext file goes to
        the Store, which refuses it as before."""
        if not self.passphrase_given():
            found = read(self.db_path, **kwargs)
            if found is not None:
                return found
            if not self.looks_encrypted():
                return None
        key = self.key()
        return None if key is None else read(self.db_path, key=key, **kwargs)

    def store(self) -> Store:
        import click  # only commands call this, and they run under click

        from reflectcoach.store import Store

        store = Store.open(self.db_path, key=self.key())
        for notice in store.notices:
            click.echo(clean(notice), err=True)
        return store


def unexpected(problem: Exception) -> str:
    """One line for a bug: the exception's name, never its message (it may quote an answer),
    and where the traceback was written (`crashlog`, 0600), as the app does."""
    from reflectcoach.core import crashlog

    name = type(problem).__name__
    try:
        where = f"Details: {crashlog.write(problem, crashlog.log_dir())}"
    except Exception:  # the net must not fail itself
        where = f"Set {DEBUG_ENV}=1 to see the details."
    return f"unexpected problem ({name}). Nothing you answered was lost. {where}"


def use_locale() -> None:
    """Day and month names of date answers in the person's language (`dates.readable`, via
    LC_TIME); English (C) when their locale is not installed."""
    import locale

    try:
        locale.setlocale(locale.LC_TIME, "")
    except locale.Error:
        locale.setlocale(locale.LC_TIME, "C")


def open_app(settings: Settings, **where: Any) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the app needs a terminal. Use `reflectcoach start SCRIPT --plain` in a pipe."
        )
    # Importing Textual makes thousands of objects and no garbage: the collector waits until
    # the app's first frame is out (ReflectCoachApp.run).
    gc.disable()
    from reflectcoach.app.app import ReflectCoachApp
    from reflectcoach.core.settings import UserSettings, default_path

    saved = UserSettings.load(default_path())  # the theme and other choices made before
    app = ReflectCoachApp(
        db_path=settings.db_path,
        script_dirs=settings.script_dirs(),
        settings=saved,
        key=settings.key(interactive=False),  # else the app's unlock screen asks
        **where,
    )
    app.owns_process = True
    app.run()
    if app.return_code:  # stopped by a problem (the app printed where its details are)
        sys.exit(app.return_code)
