"""A notice raised in a worker thread is shown by the app's own thread. A store opened in a
worker says what it tightened (a loose data folder); home's NoticeLine started a timer from
that thread, which has no event loop, and the app stopped: it never showed home in a real
terminal (`make bench`'s pty group) while every Pilot test passed."""

from __future__ import annotations

import asyncio

from reflectcoach.app.notices import NoticeLine


async def test_a_notice_from_a_worker_thread_is_shown(make_app, drive) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await drive(pilot).settle()
        line = app.screen.query_one(NoticeLine)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(
            None, lambda: app.notify("Made the data folder private", title="Privacy", markup=False)
        )
        await pilot.pause()
        assert app.return_code is None  # still running
        assert [n.message for n in app.notices_said][-1] == "Made the data folder private"
        assert "Made the data folder private" in str(line.render())
