"""The app's work beside its screens: a sync in a thread after the first paint and one on
quit, the export of everything, and `reflectcoach try`'s script (its conversation, and with
--watch the file looked at again and the conversation reloaded)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reflectcoach.core import settings as saved
from reflectcoach.core.errors import UserError
from reflectcoach.core.text import clean

if TYPE_CHECKING:
    from reflectcoach.app.app import ReflectCoachApp


def sync_in_thread(app: ReflectCoachApp) -> None:
    from reflectcoach.store import StoreError

    try:
        with app.worker_store() as store:
            # Asked of the store first: most people never set syncing up, and the sync
            # package (its envelopes, keys, age encryption: ~14 ms of imports, and their
            # memory) is then never loaded.
            if not store.sync.configured():
                return
            from reflectcoach.sync import device

            app._syncs = True
            report = device.run(store)
    except (UserError, StoreError, OSError) as problem:
        app.call_from_thread(
            app.notify, clean(str(problem)), title="Sync", severity="warning", markup=False
        )
        return
    lines = report.lines()
    summary = " ".join(lines[1:]) if report.files_read or len(lines) > 2 else lines[0]
    app.call_from_thread(app.notify, clean(summary), title="Sync", markup=False)
    if report.files_read:  # another device's conversations are here now: home shows them
        app.call_from_thread(_home_reads_again, app)


def _home_reads_again(app: ReflectCoachApp) -> None:
    from reflectcoach.app.screens.home import HomeScreen

    home = app.screen
    if isinstance(home, HomeScreen) and home.loaded:
        home.load()


def sync_on_quit(app: ReflectCoachApp) -> None:
    """On quit, when syncing is set up: this session's changes written for the other
    devices (a failure is no reason not to quit)."""
    if not getattr(app, "_syncs", False):
        return
    from reflectcoach.sync import device

    try:
        with app.worker_store() as store:
            device.run(store)
    except Exception:  # quitting goes on; the next sync writes it
        return


def open_tryout(app: ReflectCoachApp) -> None:
    """The tried script's conversation; with --watch, the file looked at twice a second."""
    from reflectcoach.app.screens.conversation import ConversationScreen

    assert app.tryout is not None
    script, errors = app.tryout.load()
    if script is None:
        tried_errors(app, errors)
    else:
        app.push_screen(ConversationScreen(app.tryout.start(app.main_store(), script)))
    if app.watch:
        app.set_interval(0.5, lambda: check_tryout(app), name="try --watch")


def tried_errors(app: ReflectCoachApp, lines: list[str], *, running: bool = False) -> None:
    from reflectcoach.services.tryout import STILL_RUNNING

    app.notify(
        clean("\n".join(lines)),
        title=STILL_RUNNING if running else "The script has errors",
        severity="error",
        timeout=60,
        markup=False,
    )


def check_tryout(app: ReflectCoachApp) -> None:
    """The file changed: run it again with the answers so far, and say what changed (or,
    with errors, keep the conversation as it is and show them with their line:col)."""
    from reflectcoach.app.screens.conversation import ConversationScreen
    from reflectcoach.app.screens.finished import FinishedScreen

    tryout = app.tryout
    if tryout is None or not tryout.changed():
        return
    current = app.screen
    running = getattr(current, "session", None)
    if running is None:  # nothing running yet (the first load had errors)
        app.clear_notifications()
        script, errors = tryout.load()
        if script is None:
            tried_errors(app, errors)
            return
        app.push_screen(ConversationScreen(tryout.start(app.main_store(), script)))
        said = f"Reloaded {tryout.path.name}."
        app.call_after_refresh(lambda: app.notify(said, title="Reloaded", markup=False))
        return
    done = tryout.reload(app.main_store(), running)
    if done.session is None:
        tried_errors(app, done.lines, running=True)
        return
    app.clear_notifications()
    fresh = (
        FinishedScreen(done.session)
        if done.session.conversation.finished
        else ConversationScreen(done.session)
    )
    if isinstance(current, ConversationScreen | FinishedScreen):
        app.switch_screen(fresh)
    else:
        app.push_screen(fresh)
    # Once the new screen is up: its notice line says it.
    said = clean("\n".join(done.lines))
    app.call_after_refresh(lambda: app.notify(said, title="Reloaded", markup=False))


def ask_export_all(app: ReflectCoachApp) -> None:
    """Everything exported as Markdown to the usual folder; a file already there asks first."""
    from reflectcoach.app.screens.confirm import confirm_replace
    from reflectcoach.app.screens.export import default_path, export_folder

    folder = export_folder(app.settings.get(saved.EXPORT_FOLDER))
    target = Path(default_path("markdown", app.today(), folder)).expanduser()
    if target.exists() or target.is_symlink():
        # Twice on one day is the same name: replacing the first one always asks.
        confirm_replace(app.screen, target, lambda yes: app.export_all(target) if yes else None)
        return
    app.export_all(target)


def export_all(app: ReflectCoachApp, target: Path) -> None:
    """The export itself (in a thread worker), said in a notice."""
    from reflectcoach.store import StoreError
    from reflectcoach.store.export import write_file

    try:
        with app.worker_store() as store:
            count = write_file(store, target, "markdown")
    except (OSError, StoreError) as problem:
        message = getattr(problem, "strerror", None) or str(problem)
        app.call_from_thread(
            app.notify,
            clean(f"Could not write {target}: {message}"),
            title="Not exported",
            severity="error",
            markup=False,
        )
        return
    app.call_from_thread(
        app.notify,
        clean(f"Wrote {count:,} answers to {target}"),
        title="Exported",
        markup=False,
    )
    app.call_from_thread(app.remember, saved.EXPORT_FOLDER, str(target.parent))
