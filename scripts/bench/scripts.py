"""The `scripts` group: loading and validating scripts against the YAML parser alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from reflectcoach.engine.conversation import Conversation
from reflectcoach.script.loader import load_file
from reflectcoach.script.registry import builtin_dir, load_catalog, script_files
from tests.script.bigscript import make_big_script

from .common import INFO, Budget, Context, Row, sample_pair


def group_scripts(ctx: Context) -> None:
    fast_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    builtin = builtin_dir()
    files = script_files(builtin)

    def catalog() -> None:
        loaded = load_catalog([builtin])
        if loaded.errors or len(loaded.scripts) != len(files):
            raise RuntimeError(f"built-in scripts do not load: {loaded.diagnostics}")

    def parse_builtin(loader: Any) -> Callable[[], None]:
        def run() -> None:
            for f in files:
                yaml.load(f.read_bytes(), Loader=loader)

        return run

    real, floor = sample_pair(catalog, parse_builtin(fast_loader), ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            f"load + validate the {len(files)} built-in scripts (load_catalog)",
            "ms",
            real,
            "yaml.load(CSafeLoader) of the same files",
            floor,
            INFO,
        )
    )

    big = ctx.tmp / "big500.yaml"
    text = make_big_script(500, seed=1)
    big.write_text(text, encoding="utf-8")

    def load_and_build() -> None:
        result = load_file(big)
        if result.script is None:
            raise RuntimeError("the 500-step script does not load: " + str(result.diagnostics[:3]))
        Conversation(result.script)

    def floor_fast() -> None:
        yaml.load(big.read_bytes(), Loader=fast_loader)

    def floor_safe_load() -> None:
        yaml.safe_load(big.read_bytes())

    real, floor = sample_pair(load_and_build, floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: load + validate + engine.Conversation",
            "ms",
            real,
            "yaml.load(CSafeLoader) of the same text",
            floor,
            Budget("below", 50),
        )
    )
    loaded = load_file(big).script
    assert loaded is not None
    only_load, floor = sample_pair(lambda: load_file(big), floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: load + validate only",
            "ms",
            only_load,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )
    only_machine, floor = sample_pair(lambda: Conversation(loaded), floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "500-step script: engine.Conversation only (transitions Machine)",
            "ms",
            only_machine,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )
    safe, floor = sample_pair(floor_safe_load, floor_fast, ctx.query_runs)
    ctx.add(
        Row(
            "scripts",
            "(reference) yaml.safe_load, pure Python, 500 steps",
            "ms",
            safe,
            "yaml.load(CSafeLoader)",
            floor,
            INFO,
        )
    )
