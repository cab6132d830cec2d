"""Commands that sync this device with the person's other devices through a folder they
already sync (sync/): set it up, pair a new device, sync."""

from __future__ import annotations

from pathlib import Path

import click

from reflectcoach.cli.base import Settings, clean, main, pass_settings


@main.group("sync", invoke_without_command=True)
@click.pass_context
def sync_group(ctx: click.Context) -> None:
    """Sync with your other devices through a folder you already sync (Syncthing, Dropbox, a
    USB stick): `sync init DIR` once, then `sync` (the app also syncs when it starts and when
    it quits)."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(sync_now)


@sync_group.command("now", hidden=True)
@pass_settings
def sync_now(settings: Settings) -> None:
    from reflectcoach.sync import device

    with settings.store() as store:
        if not device.configured(store):
            raise click.ClickException(
                "Syncing is not set up here. On your first device: "
                "reflectcoach sync init DIR (a folder inside the one you sync); on another "
                "device: reflectcoach sync join DIR CODE."
            )
        report = device.run(store)
    for line in report.lines():
        click.echo(clean(line))


@sync_group.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@pass_settings
def sync_init(settings: Settings, folder: Path) -> None:
    """Set up syncing on this, your first device, with FOLDER: a new, empty folder inside the
    one Syncthing, Dropbox or your USB stick carries. Makes your identity."""
    from reflectcoach.sync import device

    with settings.store() as store:
        made, where = device.init(store, folder)
        report = device.run(store)
    click.echo(clean(f"This device ({made.name}) now syncs with {folder.resolve()}."))
    click.echo(f"Its keys are kept in {where}; the folder holds only encrypted, signed files.")
    for line in report.lines():
        click.echo(clean(line))
    click.echo("To add another device: reflectcoach sync pair (here), then on the other one:")
    click.echo("reflectcoach sync join DIR CODE")


@sync_group.command("pair")
@pass_settings
def sync_pair(settings: Settings) -> None:
    """Offer your identity to a new device through the synced folder: prints a code to type
    there within the hour (reflectcoach sync join DIR CODE)."""
    from reflectcoach.sync import device

    with settings.store() as store:
        if not device.configured(store):
            raise click.ClickException("Syncing is not set up here: reflectcoach sync init DIR")
        code = device.pair(store)
        folder = device.folder_of(store)
    click.echo(f"Pairing code: {code}")
    click.echo(
        clean(
            f"On the new device, once {folder} has synced there, run:\n"
            f"  reflectcoach sync join DIR {code}\n"
            "where DIR is that folder on the new device. The code works once, for an hour."
        )
    )


@sync_group.command("join")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("code")
@pass_settings
def sync_join(settings: Settings, folder: Path, code: str) -> None:
    """Set this new device up with the identity your other device offered (`sync pair`),
    then sync: FOLDER is the synced folder as it is here, CODE the code it printed."""
    from reflectcoach.sync import device

    with settings.store() as store:
        made, other, report = device.join(store, folder, code)
    click.echo(clean(f"Paired: this device ({made.name}) has your identity from {other}."))
    for line in report.lines():
        click.echo(clean(line))


@sync_group.command("status")
@pass_settings
def sync_status(settings: Settings) -> None:
    """Whether syncing is set up, with which folder, and when it last ran."""
    from reflectcoach.sync import device

    with settings.store() as store:
        if not device.configured(store):
            click.echo("Syncing is not set up here (reflectcoach sync init DIR).")
            return
        folder = device.folder_of(store)
        last = store.sync.setting("last_sync") or "never"
        versions = store.sync.version_count()
        name = store.sync.setting("device_name")
    click.echo(clean(f"This device: {name}. Folder: {folder}. Last sync: {last}."))
    click.echo(f"{versions} change(s) known from all devices.")


@main.group("programme")
def programme_group() -> None:
    """A programme lead's view, aggregate only: status cards of counts and dates (never a
    word you wrote), written into a folder the lead collects."""


@programme_group.command("join")
@click.option("-m", "--mentorship", "name", required=True, help="The mentorship to opt in.")
@click.option(
    "--share-health",
    is_flag=True,
    help="Also share your 1-5 ratings of how the mentorship is going (check-ins, midpoint).",
)
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
@pass_settings
def programme_join(settings: Settings, name: str, share_health: bool, folder: Path) -> None:
    """Opt the mentorship NAME in: write its status card (counts and dates only) into FOLDER,
    the folder your programme lead collects (a cohort's subfolder, if the lead made one).
    Run it again to update the card."""
    from reflectcoach.core.clock import today
    from reflectcoach.sync import programme

    with settings.store() as store:
        card = programme.card_for(store, name, share_health=share_health, today=today())
        path = programme.write(store, name, folder, card)
    click.echo(clean(f"Wrote {path}. It holds exactly:"))
    for key, value in card.to_json().items():
        click.echo(clean(f"  {key}: {value}"))


@programme_group.command("summary")
@click.argument("folder", type=click.Path(file_okay=False, exists=True, path_type=Path))
def programme_summary(folder: Path) -> None:
    """For a programme lead: per cohort (each subfolder of FOLDER), pairs active, the phase
    reached, overdue midpoints, rematch requests and the health trend, from signed cards."""
    from reflectcoach.core.clock import today
    from reflectcoach.sync import programme

    cohorts = programme.summary(folder)
    if not cohorts:
        click.echo(clean(f"No status cards in {folder} yet."))
        return
    for cohort in cohorts:
        for line in cohort.lines(today()):
            click.echo(clean(line))
