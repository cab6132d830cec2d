"""The app syncs after its first frame and when it quits, when syncing is set up."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from store.helpers import WEEKLY, run
from textual.widgets import OptionList

from reflectcoach.app import background
from reflectcoach.store import Store
from reflectcoach.sync import device as sync_device


async def test_the_app_syncs_after_the_first_paint_and_on_quit(
    make_app, drive, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "Sync"
    other = tmp_path / "other.db"
    with Store.open(other) as first:
        sync_device.init(first, folder)
        code = sync_device.pair(first)
        run(first, WEEKLY, mentorship="From the laptop")
        run(first, WEEKLY[:2], complete=False, mentorship="Begun on the laptop")
        sync_device.run(first)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(db_path) as here:
        sync_device.join(here, folder, code)
        assert here.sync.current() != {}
        run(here, WEEKLY[:2], complete=False, mentorship="Started in the app's database")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        d = drive(pilot)
        await d.settle()
        await app.workers.wait_for_complete()
        await d.settle()
        await app.workers.wait_for_complete()
        await d.settle()
        # Home shows what the start-up sync brought, without leaving it.
        running = app.screen.query_one("#running", OptionList)
        shown = [str(running.get_option_at_index(i).prompt) for i in range(running.option_count)]
        assert any("Begun on the laptop" in line for line in shown), shown
        # A sync while home is up (the start-up one may come before home's first read, so
        # this is the one that proves it): home reads again and shows what it brought.
        with Store.open(other) as first:
            run(first, WEEKLY[:2], complete=False, mentorship="Begun later on the laptop")
            sync_device.run(first)
        await asyncio.get_running_loop().run_in_executor(None, background.sync_in_thread, app)
        await app.workers.wait_for_complete()
        await d.settle()
        running = app.screen.query_one("#running", OptionList)
        shown = [str(running.get_option_at_index(i).prompt) for i in range(running.option_count)]
        assert any("Begun later on the laptop" in line for line in shown), shown
    # On quit it wrote this device's change for the others.
    with Store.open(other) as first:
        sync_device.run(first)  # this device's changes, read in the block above or now
        names = {c["mentorship"] for c in first.sync.current().values()}
    assert "Started in the app's database" in names


def test_without_syncing_set_up_the_app_loads_no_sync_package(tmp_path: Path) -> None:
    # Most people never set syncing up: the start-up check asks the store, and the sync
    # package (envelopes, keys, age encryption) stays unloaded, its time and memory unspent.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reflectcoach.app import background\n"
        "from reflectcoach.app.app import ReflectCoachApp\n"
        f"app = ReflectCoachApp(db_path=Path({str(tmp_path / 'r.db')!r}), script_dirs=[])\n"
        "background.sync_in_thread(app)\n"
        "app.worker_store.close()\n"
        "print(sorted(m for m in sys.modules if m.startswith('reflectcoach.sync')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
