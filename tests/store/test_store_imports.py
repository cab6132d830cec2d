"""The store stands alone: importing it pulls in no front end, engine or YAML."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import reflectcoach.store, reflectcoach.store.export, reflectcoach.store.importer
banned = ("yaml", "transitions", "textual")
inner = ("reflectcoach.engine.conversation", "reflectcoach.app", "reflectcoach.cli",
         "reflectcoach.services", "reflectcoach.script")
print([m for m in sys.modules if m.split(".")[0] in banned or m.startswith(inner)])
"""


def test_store_imports_nothing_from_upper_layers() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
