"""Commands over past conversations: list, show, search, delete, export, import."""

from __future__ import annotations

import functools
import io
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import TYPED, Settings, clean, fail, main, pass_settings

if TYPE_CHECKING:
    from reflectcoach.store.commitments import Commitment
    from reflectcoach.store.rows import Filters


# More rows than anyone reads, and well inside what SQLite can bind (beyond 2**63 it cannot).
MAX_LIMIT = 1_000_000_000


@main.command("list")
@click.option("--script", "script_id", help="Only this script id.")
@click.option("--mentorship", "-m", type=TYPED, help="Only this mentorship.")
@click.option(
    "--status",
    type=click.Choice(["in_progress", "completed", "abandoned"]),
    help="Only this status.",
)
@click.option("--since", help="Only conversations started on or after this date (YYYY-MM-DD).")
@click.option(
    "--limit",
    default=100,
    show_default=True,
    type=click.IntRange(min=1, max=MAX_LIMIT),
    help="At most this many (the newest).",
)
@click.option("--all", "show_all", is_flag=True, help="Every one (overrides --limit).")
@pass_settings
def list_command(
    settings: Settings,
    script_id: str | None,
    mentorship: str | None,
    status: str | None,
    since: str | None,
    limit: int,
    show_all: bool,
) -> None:
    """List conversations, newest first.

    When more match than --limit, a line on standard error says how many there are.
    """
    filters: Filters = {
        "script_id": script_id,
        "mentorship": mentorship,
        "status": status,
        "since": _date(since),
    }
    filtered = any(value is not None for value in filters.values())
    from reflectcoach.store import readonly

    # Read with sqlite3 alone when the file allows (no sqlite-utils, no checks to run), else
    # through the Store, which migrates, checks and asks for a passphrase as it must.
    found = settings.read_alone(
        readonly.conversations, limit=None if show_all else limit, **filters
    )
    if found is not None:
        rows, total = found
    else:
        with settings.store() as store:
            rows = store.conversations(limit=None if show_all else limit, **filters)
            total = store.count(**filters) if len(rows) == limit and not show_all else len(rows)
    if not rows:
        click.echo("No conversations yet." if not filtered else "No conversations match.")
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
    if total > len(rows):
        matching = " matching" if filtered else ""
        click.echo(
            f"Showing the newest {len(rows):,} of {total:,}{matching} conversations; "
            "use --limit N or --all to see more.",
            err=True,
        )


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


def _date(value: str | None) -> str | None:
    if value is None:
        return None
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
    help="Only the record, as plain text to paste and send: without its just-for-me parts.",
)
@pass_settings
def show(settings: Settings, conversation_id: str, as_record: bool) -> None:
    """Print a conversation's transcript, exactly as it was asked (Markdown)."""
    from reflectcoach.store.export import write_markdown

    with settings.store() as store:
        found = store.resolve_id(conversation_id)
        if as_record:
            row = store.conversation(found)
            assert row is not None
            record = row["record"]
            if not record:
                fail(_no_record(found, row["status"]))
            from reflectcoach.engine.records import share_text

            click.echo(clean(share_text(record)).rstrip())
            return
        out = io.StringIO()
        write_markdown(store, out, ids=[found])
    click.echo(clean(out.getvalue()).rstrip())


@main.command()
@click.argument("first_id")
@click.argument("second_id")
@pass_settings
def compare(settings: Settings, first_id: str, second_id: str) -> None:
    """Two completed runs of one script side by side, question by question: answers they
    share shown once, differences marked "≠ changed"."""
    from reflectcoach.services import compare as comparing

    with settings.store() as store:
        comparison = comparing.compare(store, first_id, second_id)
    for line in comparing.plain_lines(comparison):
        click.echo(clean(line))


def _no_record(conversation_id: str, status: str) -> str:
    if status != "completed":
        return (
            f"Conversation {conversation_id} is not finished, so it has no record yet. "
            f"`reflectcoach show {conversation_id}` prints the answers so far."
        )
    return f"Conversation {conversation_id} has no record: its script does not write one."


@main.command()
@click.argument("text", nargs=-1, required=True, type=TYPED)
@click.option(
    "--limit",
    default=20,
    show_default=True,
    type=click.IntRange(min=1, max=MAX_LIMIT),
    help="At most this many answers.",
)
@pass_settings
def search(settings: Settings, text: tuple[str, ...], limit: int) -> None:
    """Full-text search over every question and answer.

    \b
    Each match is three lines: the conversation (id, title, [mentorship], start),
    then its question (Q:) and its answer (A:), each on one line; `search hope`:
      3f9a2c1d0e4b  First meeting [Sam]  2026-01-12 09:30
      > Q: What do you hope for?
        A: A calmer week
    A line starting with ">" is where the words were found (both, if they were found
    in both). The text is printed as it was written; on a terminal the words found are
    highlighted (not with NO_COLOR set, or TERM=dumb). Commitments whose words match come
    after, each as "Commitment ID [mentorship]  status, from CONVERSATION" and "C: what".
    """
    from reflectcoach.core.text import clean_line

    query = " ".join(text)
    with settings.store() as store:
        hits = store.search(query, limit=limit, with_matches=True)
        promised = store.commitments.search(query, limit=limit)
    if not hits and not promised:
        click.echo(clean(f"Nothing matches '{query}'."))
        return
    mark = _highlight if _styled() else None
    for hit in hits:
        who = f" [{hit['mentorship']}]" if hit.get("mentorship") else ""
        click.echo(
            clean(f"{hit['conversation_id']}  {hit['title']}{who}  {_when(hit['started_at'])}")
        )
        for label, line, spans in (
            ("Q", hit["question"], hit.get("question_matches", [])),
            ("A", hit["answer_text"] or "", hit.get("answer_matches", [])),
        ):
            gutter = ">" if spans else " "
            click.echo(f"{gutter} {label}: {clean_line(line, spans, mark)}")
    _commitment_hits(promised)


def _commitment_hits(found: list[Commitment]) -> None:
    """After the answers: matching commitments, labelled so, with the conversation that made
    each (C: what, G: its goal)."""
    for item in found:
        who = f" [{item.mentorship}]" if item.mentorship else ""
        status = item.status.replace("_", " ")
        click.echo(clean(f"Commitment {item.id}{who}  {status}, from {item.conversation_id}"))
        click.echo(clean(f"  C: {' '.join(item.text.split())}"))
        if item.goal:
            click.echo(clean(f"  G: {' '.join(item.goal.split())}"))


def _styled() -> bool:
    """Highlight matches only on a terminal that draws them (not TERM=dumb, which shows
    escapes as text), and not when NO_COLOR is set to anything
    (no-color.org): in a pipe the text must stay exactly as the person wrote it."""
    dumb = os.environ.get("TERM") == "dumb"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and not dumb


def _highlight(words: str) -> str:
    # Bold and reverse rather than a colour: readable on any background, and in monochrome.
    return click.style(words, bold=True, reverse=True)


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
    type=click.Choice(["json", "markdown", "csv", "xlsx"]),
    default="markdown",
    show_default=True,
)
@click.option("--script", "script_id", help="Only this script id.")
@click.option("--mentorship", "-m", type=TYPED, help="Only this mentorship.")
@click.option("--since", help="Only conversations started on or after this date (YYYY-MM-DD).")
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True, path_type=Path),
    help="Write to this file, device or pipe (default, or -: standard output).",
)
@click.option(
    "--raw",
    is_flag=True,
    help="CSV: every cell exactly as stored, even one a spreadsheet would run as a formula.",
)
@click.option(
    "--excel", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, which Excel needs."
)
@click.option(
    "--share",
    is_flag=True,
    help="Markdown: the records only, without their just-for-me parts: a copy to send.",
)
@pass_settings
def export(
    settings: Settings,
    fmt: str,
    script_id: str | None,
    mentorship: str | None,
    since: str | None,
    output: Path | None,
    raw: bool,
    excel: bool,
    share: bool,
) -> None:
    """Export conversations as JSON, Markdown, CSV or a spreadsheet (xlsx).

    In CSV, a cell that a spreadsheet would read as a formula (starting with = + - @, a tab
    or a carriage return, other than a plain number) is written with a leading ' so it shows
    as text; --raw turns that off. CSV carries no cell types: a spreadsheet shows 0012 as 12,
    +1 as 1, and that ' in the cell. For a spreadsheet, --format xlsx -o FILE: every answer
    a text cell exactly as typed, never a formula; numbers, scales and dates typed as such.

    A full export is your own backup: every answer, the parts of a record marked just for
    you included. --share writes what you can send: records only, those parts left out.
    """
    from reflectcoach.store import export as exporting

    if (raw or excel) and fmt != "csv":
        fail(f"--raw and --excel are for --format csv, not {fmt}.")
    if share and fmt != "markdown":
        fail(f"--share is for --format markdown, not {fmt}.")
    if fmt == "xlsx":
        _export_xlsx(settings, output, script_id, mentorship, since)
        return
    writer = exporting.WRITERS[fmt]
    if share:
        writer = functools.partial(exporting.write_markdown, share=True)
    if fmt == "csv":
        writer = functools.partial(exporting.write_csv, raw=raw, bom=excel)
    if output == Path("-"):
        output = None
    filters = {"script_id": script_id, "mentorship": mentorship, "since": _date(since)}
    show_progress = output is not None and sys.stderr.isatty()

    def progress(done: int) -> None:
        click.echo(f"\r{done:,} conversations exported", err=True, nl=False)

    with settings.store() as store:
        if store.encrypted and sys.stderr.isatty():  # a person to tell; scripts' stderr stays
            click.echo(exporting.NOT_ENCRYPTED, err=True)  # as it was (README says it)
        if output is None:
            from reflectcoach.core.terminal import for_terminal

            count = writer(store, for_terminal(sys.stdout), **filters)
        else:
            try:
                count = exporting.write_file(
                    store, output, writer, progress=progress if show_progress else None, **filters
                )
            except OSError as problem:
                fail(f"could not write {output}: {problem.strerror or problem}")
    if output is not None:
        click.echo(
            ("\n" if show_progress else "") + f"Wrote {count:,} answers to {output}.", err=True
        )


def _export_xlsx(
    settings: Settings,
    output: Path | None,
    script_id: str | None,
    mentorship: str | None,
    since: str | None,
) -> None:
    from reflectcoach.services.xlsx import write_xlsx
    from reflectcoach.store import export as exporting

    if output is None or output == Path("-"):
        fail("--format xlsx writes a file: give it with -o FILE.xlsx.")
    filters = {"script_id": script_id, "mentorship": mentorship, "since": _date(since)}
    with settings.store() as store:
        if store.encrypted and sys.stderr.isatty():
            click.echo(exporting.NOT_ENCRYPTED, err=True)
        try:
            count = write_xlsx(store, output, **filters)
        except OSError as problem:
            fail(f"could not write {output}: {problem.strerror or problem}")
    click.echo(f"Wrote {count:,} answers to {output}.", err=True)


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_settings
def import_command(settings: Settings, file: Path) -> None:
    """Restore conversations from a JSON export (ones already here are left as they are)."""
    from reflectcoach.store.export import refuse_database
    from reflectcoach.store.importer import import_json

    with settings.store() as store:
        refuse_database(file, store.path)
        with open(file, "rb") as fp:
            added, present = import_json(store, fp)
    click.echo(f"Imported {added} conversation(s); {present} were already here.")
