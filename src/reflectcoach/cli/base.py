"""The `reflectcoach` group: global options, settings, and errors as messages.

Imports beyond click happen inside commands: `reflectcoach --version` must start as fast as
click itself, and the plain commands never load Textual.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from reflectcoach import __version__
from reflectcoach.core.errors import UserError

if TYPE_CHECKING:
    from collections.abc import Callable

    from reflectcoach.script.registry import Catalog
    from reflectcoach.store import Store
    from reflectcoach.store.key import Key

DEBUG_ENV = "REFLECTCOACH_DEBUG"
PASSPHRASE_FILE_ENV = "REFLECTCOACH_PASSPHRASE_FILE"  # services/passphrase.py: FILE_ENV
T = TypeVar("T")


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
        from reflectcoach.core.paths import default_db_path

        return self.db or default_db_path()

    def script_dirs(self) -> list[Path]:
        from reflectcoach.script.folders import script_dirs

        return script_dirs(self.scripts)

    def catalog(self) -> Catalog:
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
        from reflectcoach.store import Store

        store = Store.open(self.db_path, key=self.key())
        for notice in store.notices:
            click.echo(clean(notice), err=True)
        return store


def clean(text: str) -> str:
    from reflectcoach.core.text import clean

    return clean(text)


def fail(message: str) -> NoReturn:
    raise click.ClickException(clean(message))


pass_settings = click.make_pass_decorator(Settings)


class TypedText(click.ParamType):
    """Text a person typed on the command line (see `text.typed`)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from reflectcoach.core.text import typed

        return typed(str(value))


TYPED = TypedText()


def _detach_stdout() -> None:
    """Point stdout at os.devnull (Python's recipe, "Note on SIGPIPE" in the signal docs):
    what is still buffered then flushes there at exit, instead of failing again and printing
    "Exception ignored ... BrokenPipeError"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass  # stdout is not a file (captured in a test): nothing will flush it to a pipe


def _closed_pipe() -> NoReturn:
    """The reader of our stdout has gone (`reflectcoach list | head -1`). That is normal use,
    not an error: stop writing and exit quietly with status 0, as git does."""
    _detach_stdout()
    raise click.exceptions.Exit(0)


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _detach_stdout()


class Group(click.Group):
    """Turns any unexpected exception into a short message instead of a traceback, and a
    closed pipe on stdout into a quiet exit (click's own handling exits 1 and would only see
    it after our catch-all)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # `--help` and `--version` print while the arguments are parsed, before invoke.
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError:
            _closed_pipe()

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _closed_pipe()
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("\nStopped. Everything answered so far is saved.", err=True)
            sys.exit(130)
        except UserError as problem:  # written for the person: shown as it is
            raise click.ClickException(clean(str(problem))) from None
        except Exception as problem:
            if os.environ.get(DEBUG_ENV):
                raise
            raise click.ClickException(clean(_unexpected(problem))) from None
        finally:
            # Exports write through sys.stdout's buffer: flushed here, a closed pipe is met
            # where it is handled, not in the interpreter's exit.
            _flush_stdout()


def _unexpected(problem: Exception) -> str:
    """One line for a bug: the exception's name, never its message (it may quote an answer),
    and where the traceback was written (`crashlog`, 0600), as the app does."""
    from reflectcoach.core import crashlog

    name = type(problem).__name__
    try:
        where = f"Details: {crashlog.write(problem, crashlog.log_dir())}"
    except Exception:  # the net must not fail itself
        where = f"Set {DEBUG_ENV}=1 to see the details."
    return f"unexpected problem ({name}). Nothing you answered was lost. {where}"


@click.group(cls=Group, invoke_without_command=True)
@click.version_option(__version__, prog_name="reflectcoach")
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="REFLECTCOACH_DB",
    help="Database file (default: your user data folder; env REFLECTCOACH_DB).",
)
@click.option(
    "--scripts",
    "scripts",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extra folder of conversation scripts (repeatable; env REFLECTCOACH_SCRIPTS).",
)
@click.option(
    "--passphrase-fd",
    type=click.IntRange(min=0),
    metavar="N",
    help="Read an encrypted database's passphrase from file descriptor N (for scripts; "
    "or name a file in REFLECTCOACH_PASSPHRASE_FILE).",
)
@click.pass_context
def main(
    ctx: click.Context, db: Path | None, scripts: tuple[Path, ...], passphrase_fd: int | None
) -> None:
    """A conversational reflection coach for mentoring.

    With no command, opens the app.
    """
    ctx.obj = Settings(db=db, scripts=list(scripts), passphrase_fd=passphrase_fd)
    _use_locale()
    if ctx.invoked_subcommand is None:
        open_app(ctx.obj)


def _use_locale() -> None:
    """Day and month names of date answers in the person's language (`dates.readable`, via
    LC_TIME); English (C) when their locale is not installed."""
    import locale

    try:
        locale.setlocale(locale.LC_TIME, "")
    except locale.Error:
        locale.setlocale(locale.LC_TIME, "C")


def open_app(settings: Settings, **where: Any) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the app needs a terminal. Use `reflectcoach start SCRIPT --plain` in a pipe.")
    # Importing Textual makes thousands of objects and no garbage: the collector waits until
    # the app's first frame is out (ReflectCoachApp.run).
    collecting = gc.isenabled()
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
    app.collect_after_paint = collecting
    app.run()
    if app.return_code:  # stopped by a problem (the app printed where its details are)
        sys.exit(app.return_code)
