"""Commands about mentorships: list them, rename one, or merge two."""

from __future__ import annotations

import click

from reflectcoach.cli.base import Settings, clean, main, pass_settings


class _ShowByDefault(click.Group):
    """`reflectcoach mentorship NAME` is `reflectcoach mentorship show NAME` (a mentorship
    named like a subcommand needs `show`)."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "show", self.commands["show"], args
        return super().resolve_command(ctx, args)


@main.group("mentorship", cls=_ShowByDefault)
def mentorship_group() -> None:
    """The people your conversations are about.

    Names match whatever the case or spacing: "sam" and "Sam" are one mentorship, shown as
    first written. `reflectcoach mentorship NAME` shows one whole.
    """


@mentorship_group.command("list")
@pass_settings
def list_mentorships(settings: Settings) -> None:
    """Every mentorship, with how many conversations it has."""
    with settings.store() as store:
        found = store.mentorships.summaries()
    if not found:
        click.echo("No mentorships yet. Start one with: reflectcoach start SCRIPT -m NAME")
        return
    width = max(len(m.name) for m in found)
    for m in found:
        count = f"{m.conversations} conversation{'s' if m.conversations != 1 else ''}"
        click.echo(clean(f"{m.name:<{width}}  {count}, latest {m.last_started_at[:10]}"))


@mentorship_group.command("rename")
@click.argument("old")
@click.argument("new")
@pass_settings
def rename_mentorship(settings: Settings, old: str, new: str) -> None:
    """Rename the mentorship OLD to NEW. If NEW is already a mentorship, the two are merged:
    every conversation is kept."""
    with settings.store() as store:
        done = store.mentorships.rename(old, new)
    many = "s" if done.moved != 1 else ""
    if done.merged:
        click.echo(
            clean(
                f"Merged '{done.old}' into '{done.new}': moved {done.moved} conversation{many}; "
                f"'{done.new}' now has {done.total}."
            )
        )
    else:
        message = f"Renamed '{done.old}' to '{done.new}' ({done.moved} conversation{many})."
        click.echo(clean(message))


@mentorship_group.command("show")
@click.argument("name")
@pass_settings
def show_mentorship(settings: Settings, name: str) -> None:
    """The mentorship NAME whole: who, since when, every conversation in order, its
    commitments, and every rating with its date, on its scale."""
    from reflectcoach.services import exchange, mentorship_view

    scripts = settings.catalog().scripts
    with settings.store() as store:
        view = mentorship_view.load(store, scripts, name)
        titles = store.insights.script_titles()
        theirs = exchange.partner_lines(store, name, full=False)
    for line in mentorship_view.plain_lines(view, titles):
        click.echo(clean(line))
    if theirs:
        click.echo("")
    for line in theirs:
        click.echo(clean(line))


@mentorship_group.command("reopen")
@click.argument("name")
@pass_settings
def reopen_mentorship(settings: Settings, name: str) -> None:
    """Make the closed mentorship NAME active again (a closing conversation closed it)."""
    with settings.store() as store:
        found = store.mentorships.reopen(name)
    click.echo(clean(f"'{found.name}' is active again."))
