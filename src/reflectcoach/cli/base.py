"""The `reflectcoach` group: global options, settings, and errors as messages.

Imports beyond click happen inside commands: `reflectcoach --version` must start as fast as
click itself, and the plain commands never load Textual. The settings and the app's start
are in start.py, which `reflectcoach` alone loads without click; the commands' modules
import them from here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from reflectcoach import __version__
from reflectcoach.cli import BY_NAME, load
from reflectcoach.cli.start import DEBUG_ENV, STOPPED
from reflectcoach.cli.start import Settings as Settings
from reflectcoach.cli.start import open_app as open_app
from reflectcoach.cli.start import unexpected as _unexpected
from reflectcoach.cli.start import use_locale as _use_locale
from reflectcoach.core.errors import UserError


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

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # Only the named command's module: the other nine cost every command ~4 ms.
        if cmd_name not in self.commands and cmd_name in BY_NAME:
            load(BY_NAME[cmd_name])
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load()  # `--help` lists them all
        return super().list_commands(ctx)

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
            click.echo(STOPPED, err=True)
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
