"""Commands over past conversations: list, show, search, delete, export, import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import Settings, clean, fail, main, pass_settings

if TYPE_CHECKING:
    pass


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
            clean(
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
@click.option(
    "--record",
    "as_record",
    is_flag=True,
    help="Only the record, as plain text: to paste where Markdown is not shown.",
)
@pass_settings
def show(settings: Settings, conversation_id: str, as_record: bool) -> None:
    """Print a conversation's transcript, exactly as it was asked (Markdown)."""
    import io

    from reflectcoach.store.export import write_markdown

    with settings.store() as store:
        found = store.resolve_id(conversation_id)
        if as_record:
            row = store.conversation(found)
            assert row is not None
            record = row["record"]
            if not record:
                fail(_no_record(found, row["status"]))
            from reflectcoach.records import plain_text

            click.echo(clean(plain_text(record)).rstrip())
            return
        out = io.StringIO()
        write_markdown(store, out, ids=[found])
    click.echo(clean(out.getvalue()).rstrip())


def _no_record(conversation_id: str, status: str) -> str:
    if status != "completed":
        return (
            f"Conversation {conversation_id} is not finished, so it has no record yet. "
            f"`reflectcoach show {conversation_id}` prints the answers so far."
        )
    return f"Conversation {conversation_id} has no record: its script does not write one."


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
        click.echo(clean(f"Nothing matches '{query}'."))
        return
    for hit in hits:
        who = f" [{hit['mentorship']}]" if hit.get("mentorship") else ""
        click.echo(
            clean(f"{hit['conversation_id']}  {hit['title']}{who}  {_when(hit['started_at'])}")
        )
        click.echo(clean(f"  Q: {' '.join(hit['question'].split())}"))
        click.echo(
            clean(f"  A: {' '.join((hit.get('snippet') or hit['answer_text'] or '').split())}")
        )


@main.command()
@click.argument("conversation_id")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_settings
def delete(settings: Settings, conversation_id: str, yes: bool) -> None:
    """Delete a conversation and its answers (asks first)."""
    with settings.store() as store:
        found = store.resolve_id(conversation_id)
        row = store.conversation(found)
        assert row is not None
        summary = clean(
            f"{row['title']} ({row['answer_count']} answers, {_when(row['started_at'])})"
        )
        if not yes and not click.confirm(f"Delete conversation {found}: {summary}?", default=False):
            click.echo("Kept.")
            return
        store.delete(found)
    click.echo(f"Deleted {found}.")


@main.command()
@click.argument("conversation_id")
@pass_settings
def abandon(settings: Settings, conversation_id: str) -> None:
    """Set a conversation aside: off the resume list, still readable; `resume ID` takes it up."""
    with settings.store() as store:
        found = store.resolve_id(conversation_id)
        row = store.conversation(found)
        assert row is not None
        if row["status"] == "completed":
            fail(f"Conversation {found} is complete; there is nothing to set aside.")
        store.set_status(found, "abandoned")
    click.echo(f"Set aside {found}. Take it up again with: reflectcoach resume {found}")


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

    filters = {"script_id": script_id, "mentorship": mentorship, "since": _date(since)}
    show_progress = output is not None and sys.stderr.isatty()

    def progress(done: int) -> None:
        click.echo(f"\r{done:,} conversations exported", err=True, nl=False)

    with settings.store() as store:
        if output is None:
            count = exporting.WRITERS[fmt](store, sys.stdout, **filters)
        else:
            try:
                count = exporting.write_file(
                    store, output, fmt, progress=progress if show_progress else None, **filters
                )
            except OSError as problem:
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
    from reflectcoach.store.importer import import_json

    with settings.store() as store, open(file, "rb") as fp:
        added, present = import_json(store, fp)
    click.echo(f"Imported {added} conversation(s); {present} were already here.")
