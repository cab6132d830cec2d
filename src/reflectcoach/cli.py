"""The `reflectcoach` command.

Imports beyond click happen inside commands: `reflectcoach --version` must start as fast as
click itself, and the plain commands never load Textual.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from reflectcoach import __version__

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.script.registry import Catalog
    from reflectcoach.store import Store

DEBUG_ENV = "REFLECTCOACH_DEBUG"


@dataclass
class Settings:
    db: Path | None = None
    scripts: list[Path] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        from reflectcoach.paths import default_db_path

        return self.db or default_db_path()

    def script_dirs(self) -> list[Path]:
        from reflectcoach.script.registry import script_dirs

        return script_dirs(self.scripts)

    def catalog(self) -> Catalog:
        from reflectcoach.script.registry import load_catalog

        catalog = load_catalog(self.script_dirs())
        for problem in catalog.diagnostics:
            click.echo(_clean(str(problem)), err=True)
        return catalog

    def store(self) -> Store:
        from reflectcoach.store import Store, StoreError

        try:
            return Store.open(self.db_path)
        except StoreError as problem:
            fail(str(problem))


def _clean(text: str) -> str:
    from reflectcoach.text import clean

    return clean(text)


def fail(message: str) -> NoReturn:
    raise click.ClickException(_clean(message))


pass_settings = click.make_pass_decorator(Settings)


class Group(click.Group):
    """Turns any unexpected exception into a short message instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("\nStopped. Everything answered so far is saved.", err=True)
            sys.exit(130)
        except Exception as problem:
            if os.environ.get(DEBUG_ENV):
                raise
            name = type(problem).__name__
            raise click.ClickException(
                _clean(
                    f"unexpected problem ({name}: {problem}). Nothing you answered was lost. "
                    f"Set {DEBUG_ENV}=1 to see the details."
                )
            ) from None


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
@click.pass_context
def main(ctx: click.Context, db: Path | None, scripts: tuple[Path, ...]) -> None:
    """A conversational reflection coach for mentoring.

    With no command, opens the app.
    """
    ctx.obj = Settings(db=db, scripts=list(scripts))
    if ctx.invoked_subcommand is None:
        _open_app(ctx.obj)


def _open_app(settings: Settings, **where: Any) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the app needs a terminal. Use `reflectcoach start SCRIPT --plain` in a pipe.")
    from reflectcoach.app import run_app

    run_app(db_path=settings.db_path, script_dirs=settings.script_dirs(), **where)


# -- scripts ---------------------------------------------------------------------------------


@main.command("scripts")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_settings
def scripts_command(settings: Settings, as_json: bool) -> None:
    """List the conversations you can start."""
    from reflectcoach.script.index import listing

    rows, problems = listing(settings.script_dirs())
    for problem in problems:
        click.echo(_clean(problem), err=True)
    if as_json:
        import json

        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No scripts found.")
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        click.echo(
            _clean(f"{r['id']:<{width}}  {r['title']}  ({r['audience']}, {r['steps']} steps)")
        )
        click.echo(_clean(f"{'':<{width}}  {r['source']}"))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check script files (or folders of them) and report every problem as file:line:col."""
    from reflectcoach.script.registry import validate_paths

    problems = validate_paths(list(paths), strict=strict)
    for problem in problems:
        click.echo(_clean(str(problem)))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"ok: no errors, {warnings} warning(s)", err=True)


def _script(settings: Settings, id_or_path: str) -> Script:
    from reflectcoach.script.registry import ScriptError, load_one

    try:
        return load_one(id_or_path, settings.script_dirs())
    except ScriptError as problem:
        fail(str(problem))


@main.command()
@click.argument("script")
@pass_settings
def graph(settings: Settings, script: str) -> None:
    """Print a conversation as a Mermaid state diagram (SCRIPT is an id or a file)."""
    from reflectcoach.graph import mermaid

    click.echo(mermaid(_script(settings, script)))


# -- conversations ---------------------------------------------------------------------------


@main.command()
@click.argument("script")
@click.option("--mentorship", "-m", help="Who this is about (a mentorship name).")
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@pass_settings
def start(settings: Settings, script: str, mentorship: str | None, plain: bool) -> None:
    """Start a conversation (SCRIPT is an id from `reflectcoach scripts`, or a file)."""
    chosen = _script(settings, script)
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        _open_app(settings, start=chosen.id, mentorship=mentorship)
        return
    from reflectcoach import session
    from reflectcoach.plain import PlainRunner

    with settings.store() as store:
        running = session.start(store, chosen, mentorship)
        sys.exit(PlainRunner(running, sys.stdin, sys.stdout).run())


@main.command()
@click.argument("conversation_id", required=False)
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@pass_settings
def resume(settings: Settings, conversation_id: str | None, plain: bool) -> None:
    """Continue a conversation where it stopped (the latest one in progress by default)."""
    if not plain and sys.stdin.isatty() and sys.stdout.isatty():
        _open_app(settings, resume=conversation_id or "")
        return
    from reflectcoach import session
    from reflectcoach.engine import ResumeError
    from reflectcoach.plain import PlainRunner
    from reflectcoach.store import StoreError

    with settings.store() as store:
        try:
            running = session.resume(store, settings.catalog(), conversation_id)
        except (ResumeError, StoreError) as problem:
            fail(str(problem))
        sys.exit(PlainRunner(running, sys.stdin, sys.stdout).run(resumed=True))


@main.command()
@pass_settings
def review(settings: Settings) -> None:
    """Open the app on the review screen."""
    _open_app(settings, screen="review")


def _resolve(store: Store, conversation_id: str) -> str:
    from reflectcoach.store import StoreError

    try:
        return store.resolve_id(conversation_id)
    except StoreError as problem:
        fail(str(problem))


@main.command("list")
@click.option("--script", "script_id", help="Only this script id.")
@click.option("--mentorship", "-m", help="Only this mentorship.")
@click.option(
    "--status",
    type=click.Choice(["in_progress", "completed", "abandoned"]),
    help="Only this status.",
)
@click.option("--since", help="Only conversations started on or after this date (YYYY-MM-DD).")
@click.option("--limit", default=100, show_default=True, help="At most this many.")
@pass_settings
def list_command(
    settings: Settings,
    script_id: str | None,
    mentorship: str | None,
    status: str | None,
    since: str | None,
    limit: int,
) -> None:
    """List conversations, newest first."""
    since = _date(since)
    with settings.store() as store:
        rows = store.conversations(
            script_id=script_id, mentorship=mentorship, status=status, since=since, limit=limit
        )
    if not rows:
        click.echo(
            "No conversations yet."
            if not any([script_id, mentorship, status, since])
            else "No conversations match."
        )
        return
    click.echo(
        f"{'ID':<12}  {'SCRIPT':<18}  {'MENTORSHIP':<16}  {'STATUS':<11}  "
        f"{'STARTED':<16}  {'UPDATED':<16}  ANSWERS"
    )
    for r in rows:
        click.echo(
            _clean(
                f"{r['id']:<12}  {r['script_id'][:18]:<18}  {(r['mentorship'] or '-')[:16]:<16}  "
                f"{r['status']:<11}  {_when(r['started_at']):<16}  {_when(r['updated_at']):<16}  "
                f"{r['answer_count']}"
            )
        )


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    from datetime import date

    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        fail(f"'{value}' is not a date; use YYYY-MM-DD, e.g. 2026-01-31.")


@main.command()
@click.argument("conversation_id")
@pass_settings
def show(settings: Settings, conversation_id: str) -> None:
    """Print a conversation's transcript, exactly as it was asked."""
    import io

    from reflectcoach.store.export import write_markdown

    with settings.store() as store:
        found = _resolve(store, conversation_id)
        out = io.StringIO()
        write_markdown(store, out, ids=[found])
    click.echo(_clean(out.getvalue()).rstrip())


@main.command()
@click.argument("text", nargs=-1, required=True)
@click.option("--limit", default=20, show_default=True, help="At most this many answers.")
@pass_settings
def search(settings: Settings, text: tuple[str, ...], limit: int) -> None:
    """Full-text search over every question and answer."""
    query = " ".join(text)
    with settings.store() as store:
        hits = store.search(query, limit=limit)
    if not hits:
        click.echo(_clean(f"Nothing matches '{query}'."))
        return
    for hit in hits:
        who = f" [{hit['mentorship']}]" if hit.get("mentorship") else ""
        click.echo(
            _clean(f"{hit['conversation_id']}  {hit['title']}{who}  {_when(hit['started_at'])}")
        )
        click.echo(_clean(f"  Q: {' '.join(hit['question'].split())}"))
        click.echo(
            _clean(f"  A: {' '.join((hit.get('snippet') or hit['answer_text'] or '').split())}")
        )


@main.command()
@click.argument("conversation_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_settings
def delete(settings: Settings, conversation_id: str, yes: bool) -> None:
    """Delete a conversation and its answers (asks first)."""
    with settings.store() as store:
        found = _resolve(store, conversation_id)
        row = store.conversation(found)
        assert row is not None
        summary = _clean(
            f"{row['title']} ({row['answer_count']} answers, {_when(row['started_at'])})"
        )
        if not yes and not click.confirm(f"Delete conversation {found}: {summary}?", default=False):
            click.echo("Kept.")
            return
        store.delete(found)
    click.echo(f"Deleted {found}.")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown", "csv"]),
    default="markdown",
    show_default=True,
)
@click.option("--script", "script_id", help="Only this script id.")
@click.option("--mentorship", "-m", help="Only this mentorship.")
@click.option("--since", help="Only conversations started on or after this date (YYYY-MM-DD).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default: standard output).",
)
@pass_settings
def export(
    settings: Settings,
    fmt: str,
    script_id: str | None,
    mentorship: str | None,
    since: str | None,
    output: Path | None,
) -> None:
    """Export conversations as JSON, Markdown or CSV."""
    from reflectcoach.store import export as exporting

    writer = {
        "json": exporting.write_json,
        "markdown": exporting.write_markdown,
        "csv": exporting.write_csv,
    }[fmt]
    since = _date(since)
    show_progress = output is not None and sys.stderr.isatty()

    def progress(done: int) -> None:
        click.echo(f"\r{done:,} answers exported", err=True, nl=False)

    with settings.store() as store:
        if output is None:
            count = writer(
                store, sys.stdout, script_id=script_id, mentorship=mentorship, since=since
            )
        else:
            partial = output.with_name(output.name + ".partial")
            try:
                with open(partial, "w", encoding="utf-8", newline="") as fp:
                    count = writer(
                        store,
                        fp,
                        script_id=script_id,
                        mentorship=mentorship,
                        since=since,
                        progress=progress if show_progress else None,
                    )
                partial.replace(output)
            except OSError as problem:
                partial.unlink(missing_ok=True)
                fail(f"could not write {output}: {problem.strerror or problem}")
    if output is not None:
        click.echo(
            ("\n" if show_progress else "") + f"Wrote {count:,} answers to {output}.", err=True
        )


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def import_command(settings: Settings, file: Path) -> None:
    """Restore conversations from a JSON export (ones already here are left as they are)."""
    from reflectcoach.store import StoreError
    from reflectcoach.store.importer import import_json

    with settings.store() as store, open(file, "rb") as fp:
        try:
            added, present = import_json(store, fp)
        except StoreError as problem:
            fail(str(problem))
    click.echo(f"Imported {added} conversation(s); {present} were already here.")
