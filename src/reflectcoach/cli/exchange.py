"""Commands for the exchange with a partner: your identity, linking a partner, choosing the
records that go, sharing a bundle (a file, or by magic-wormhole), receiving one, and the
agreement accepted by both."""

from __future__ import annotations

from pathlib import Path

import click

from reflectcoach.cli.base import TYPED, Settings, clean, fail, main, pass_settings


@main.command("id")
@click.option(
    "--new",
    "new",
    is_flag=True,
    help="Make a new identity in place of yours (its keys lost or exposed); asks first.",
)
@click.option("--yes", is_flag=True, help="With --new: do not ask.")
@pass_settings
def show_id(settings: Settings, new: bool, yes: bool) -> None:
    """Your identity for sharing with a partner: one line to send them (made on first use)."""
    from reflectcoach.services import identity

    if new and not yes:
        click.confirm(
            "Make a new identity? Bundles made for your current one can no longer be read here, "
            "and each partner must link your new line",
            abort=True,
        )
    with settings.store() as store:
        me = identity.replace(store) if new else identity.load_or_create(store)
        plaintext = not store.encrypted
    click.echo(me.public.line())
    where = "this machine's keyring" if me.where == "keyring" else "your reflection database"
    click.echo(
        f"Fingerprint {me.public.short()} (read it to your partner to check). Your secret keys "
        f"are in {where}; they never leave it.",
        err=True,
    )
    if me.where == "database" and plaintext:
        click.echo(
            "Your database is not encrypted: anyone who can read it can read what partners send "
            "you and sign bundles as you. `reflectcoach encrypt` protects it.",
            err=True,
        )
    if new:
        click.echo("A new identity: send your partners this line to link again.", err=True)


@main.group("partner")
def partner_group() -> None:
    """Link a mentorship to your partner's identity, and see what they shared."""


@partner_group.command("add")
@click.argument("name", type=TYPED)
@click.argument("identity_line", metavar="IDENTITY")
@pass_settings
def partner_add(settings: Settings, name: str, identity_line: str) -> None:
    """Link the mentorship NAME to your partner, by the line their `reflectcoach id` prints."""
    from reflectcoach.services import identity

    public = identity.parse(identity_line)
    with settings.store() as store:
        me = identity.load(store)
        if me is not None and me.public == public:
            fail("That is your own identity: link your partner's (`reflectcoach id` on theirs).")
        partner = store.partners.link(name, public.age_recipient, public.signing_public)
    click.echo(
        clean(
            f"Linked {partner.name!r} to the identity with fingerprint {public.short()}. "
            f"Share with: reflectcoach share {partner.name!r}"
        )
    )


@partner_group.command("show")
@click.argument("name", type=TYPED)
@pass_settings
def partner_show(settings: Settings, name: str) -> None:
    """What the partner of NAME last shared with you: their side, in their words."""
    from reflectcoach.services import exchange

    with settings.store() as store:
        found = store.mentorships.find(name)
        lines = exchange.partner_lines(store, found.name)
    if not lines:
        fail(f"No partner is linked to {found.name!r}: reflectcoach partner add NAME IDENTITY")
    for line in lines:
        click.echo(clean(line))


@main.command("outbox")
@click.argument("conversation_id", metavar="ID", required=False)
@click.option("--feedback", is_flag=True, help="Deliver it as feedback to your partner.")
@click.option("--remove", is_flag=True, help="Take it out: the next share leaves it out.")
@pass_settings
def outbox(settings: Settings, conversation_id: str | None, feedback: bool, remove: bool) -> None:
    """Mark a completed conversation's record to go with the next share to its mentorship's
    partner (its copy to send: never a just-for-me part). Without ID, list what is marked."""
    with settings.store() as store:
        if conversation_id is None:
            names = [p.name for p in store.partners.all()] or store.mentorships.names()
            any_marked = False
            for name in names:
                for marked, row in store.partners.marked(name):
                    any_marked = True
                    click.echo(
                        clean(
                            f"{name}  {row['id']}  {row['title']} ({marked.kind}, "
                            f"completed {(row['completed_at'] or '')[:10]})"
                        )
                    )
            if not any_marked:
                click.echo("Nothing is marked to send. Mark a record: reflectcoach outbox ID")
            return
        full = store.resolve_id(conversation_id)
        if remove:
            done = store.partners.unmark(full)
            click.echo(f"{full} is {'no longer' if done else 'not'} marked to send.")
            return
        store.partners.mark(full, "feedback" if feedback else "record")
        found = store.conversation(full)
    assert found is not None
    as_what = "as feedback" if feedback else "as a record"
    click.echo(
        clean(
            f"{full} ({found['title']}) goes {as_what} with your next share for "
            f"{found['mentorship']} (reflectcoach share {found['mentorship']!r}), without its "
            "just-for-me parts."
        )
    )


@main.command("share")
@click.argument("name", type=TYPED)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The bundle file (default: bundle-DATE-TIME.reflectcoach here).",
)
@click.option(
    "--wormhole",
    is_flag=True,
    help="Hand it over directly with magic-wormhole: a code phrase to read to your partner.",
)
@pass_settings
def share(settings: Settings, name: str, output: Path | None, wormhole: bool) -> None:
    """Write one file for the partner of NAME: this mentorship's shareable state (its status,
    your commitments with their status, the records you marked to send), encrypted to them
    and signed by you. Only they can read it."""
    from reflectcoach.core.private import write_private_bytes
    from reflectcoach.services import exchange
    from reflectcoach.store.export import refuse_database

    with settings.store() as store:
        made = exchange.make(store, name)
    counts = exchange.counts_text(made.counts)
    if wormhole:
        from reflectcoach.services import carriers

        def say(line: str) -> None:
            click.echo(clean(line))

        say(f"Bundle for {made.partner.name}: {len(made.data)} bytes ({counts}).")
        say(carriers.wormhole_send(made.data, "bundle.reflectcoach", say))
        return
    target = output or Path(exchange.default_name())
    refuse_database(target, settings.db_path)
    if target.is_dir():
        fail(f"{target} is a folder: name the bundle file.")
    try:
        write_private_bytes(target, made.data)
    except OSError as exc:
        fail(f"Could not write {target}: {exc.strerror or exc}")
    click.echo(
        clean(
            f"Wrote {target} ({len(made.data)} bytes: {counts}) for {made.partner.name}, "
            "encrypted to them and signed by you. Send it any way you like: only they can read "
            f"it. They run: reflectcoach receive {target.name}"
        )
    )


@main.command("receive")
@click.argument("source", metavar="FILE")
@click.option(
    "--wormhole", is_flag=True, help="FILE is a magic-wormhole code phrase your partner read out."
)
@pass_settings
def receive(settings: Settings, source: str, wormhole: bool) -> None:
    """Take in a bundle your partner shared: its signature is checked against the partner
    linked to the mentorship, and their side is kept apart from your own answers."""
    from reflectcoach.services import exchange

    if wormhole:
        from reflectcoach.services import carriers

        data = carriers.wormhole_receive(source, exchange.MAX_BUNDLE)
    else:
        data = exchange.read_bundle(Path(source), settings.db_path)
    with settings.store() as store:
        got = exchange.open_bundle(store, data)
    for notice in got.notices:
        click.echo(clean(notice), err=True)
    if got.already:
        click.echo(clean(f"Already received from {got.partner.name}: nothing new."))
        return
    counts = exchange.counts_text(got.counts)
    click.echo(
        clean(
            f"Received from {got.partner.name} (shared {got.made_at}): {counts}. "
            f"See it with: reflectcoach partner show {got.partner.name!r}"
        )
    )


@main.group("agreement")
def agreement_group() -> None:
    """The agreement accepted by both: see where it stands, accept it as it is now."""


@agreement_group.command("show")
@click.option("--mentorship", "-m", type=TYPED, required=True, help="Which mentorship.")
@pass_settings
def agreement_show(settings: Settings, mentorship: str) -> None:
    """The agreement of a mentorship and who has accepted it (and whether it changed since)."""
    from reflectcoach.services import agreement

    with settings.store() as store:
        name = store.mentorships.find(mentorship).name
        now = agreement.standing(store, name)
    if not now.terms:
        click.echo(clean(f"Nothing is agreed for {name} yet."))
        return
    click.echo(clean(f"The agreement for {name}:"))
    for line in agreement.terms_lines(now.terms) + agreement.status_lines(now):
        click.echo(clean(f"  {line}"))


@agreement_group.command("accept")
@click.option("--mentorship", "-m", type=TYPED, required=True, help="Which mentorship.")
@pass_settings
def agreement_accept(settings: Settings, mentorship: str) -> None:
    """Accept the agreement as it is now (dated, with a digest of exactly what you accepted):
    your next share carries your acceptance. A change after it needs a new one."""
    from reflectcoach.services import agreement

    with settings.store() as store:
        name = store.mentorships.find(mentorship).name
        now = agreement.accept(store, name)
    click.echo(clean(f"You accepted the agreement for {name}:"))
    for line in agreement.terms_lines(now.terms) + agreement.status_lines(now):
        click.echo(clean(f"  {line}"))
    if now.partner is not None:
        click.echo(clean(f"Your next share tells them: reflectcoach share {name!r}"))
