"""The real app's cold start, as a whole process: scripts/bench.py runs this and times it.

Builds `ReflectCoachApp(db_path=..., script_dirs=[built-in])` as the CLI does, runs it
headless and exits through the same hook as scripts/bench_floor_app.py:

- `--until paint` (default): on the first paint of the home screen (`events.Ready`).
- `--until loaded`: once the home screen has filled its lists (scripts parsed, store read,
  `HomeScreen.fill` done) and that has been painted: the app as a person sees it, settled.

Prints one JSON line: `time.perf_counter()` at the paint (the same monotonic clock as the
parent's on Linux, so the parent can subtract its spawn time) and the frame size.

Usage: python scripts/bench_app_probe.py --db PATH [--until paint|loaded]
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# As the command line starts the app (cli/start.py's open_app): the collector paused before
# Textual is imported, until the first frame.
gc.disable()

from bench_floor_app import HEADLESS_SIZE, PAINTED, exit_on_first_paint  # noqa: E402

from reflectcoach.app.app import ReflectCoachApp  # noqa: E402
from reflectcoach.app.screens.home import HomeScreen  # noqa: E402


class ProbeApp(ReflectCoachApp):
    """The real app, unchanged but for the exit hook (handlers run for every class in the
    MRO, so the app's own `on_ready`, if it gets one, still runs). Textual resolves a
    relative CSS_PATH against the file of the class that runs, so point it back at the
    app's own stylesheet."""

    CSS_PATH = str(Path(inspect.getfile(ReflectCoachApp)).parent / str(ReflectCoachApp.CSS_PATH))

    def __init__(self, *, until: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.until = until

    def on_ready(self) -> None:
        home = self.screen
        if not isinstance(home, HomeScreen):
            self.exit(-1)
            return
        if self.until == "paint":
            self._done()
            return
        if home.loaded:
            self.call_after_refresh(self._done)
            return
        original = home.fill

        def fill(*args: Any, **kwargs: Any) -> None:
            original(*args, **kwargs)
            if home.loaded:  # the full read (catalog and Store), not the quick fill before it
                self.call_after_refresh(self._done)

        home.fill = fill  # type: ignore[method-assign]

    def _done(self) -> None:
        exit_on_first_paint(self)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--until", choices=("paint", "loaded"), default="paint")
    args = parser.parse_args()
    # Where the command line takes it from too: registry.py would load the script model.
    from reflectcoach.script.folders import builtin_dir

    app = ProbeApp(until=args.until, db_path=args.db, script_dirs=[builtin_dir()])
    app.owns_process = True
    result = app.run(headless=True, size=HEADLESS_SIZE)
    if not result or result < 0:
        raise SystemExit(f"the app did not paint its home screen (result {result!r})")
    print(json.dumps(PAINTED))


if __name__ == "__main__":
    main()
