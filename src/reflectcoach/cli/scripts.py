"""Commands about scripts: list, validate, draw."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reflectcoach.cli.base import Settings, clean, main, pass_settings

if TYPE_CHECKING:
    from reflectcoach.script.model import Script


@main.command("scripts")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@pass_settings
def scripts_command(settings: Settings, as_json: bool) -> None:
    """List the conversations you can start."""
    from reflectcoach.script.index import listing

    rows, problems = listing(settings.script_dirs())
    for problem in problems:
        click.echo(clean(problem), err=True)
    if as_json:
        from reflectcoach.core.text import json_text

        click.echo(json_text(rows, indent=2))
        return
    if not rows:
        click.echo("No scripts found.")
        return
    width = max(len(r["id"]) for r in rows)
    for r in rows:
        click.echo(
            clean(f"{r['id']:<{width}}  {r['title']}  ({r['audience']}, {r['steps']} steps)")
        )
        click.echo(clean(f"{'':<{width}}  {r['source']}"))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def validate(paths: tuple[Path, ...], strict: bool) -> None:
    """Check script files (or folders of them) and report every problem as file:line:col."""
    from reflectcoach.script.registry import validate_paths

    problems = validate_paths(list(paths), strict=strict)
    for problem in problems:
        click.echo(clean(str(problem)))
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if errors:
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    click.echo(f"ok: no errors, {warnings} warning(s)", err=True)


def load_script(settings: Settings, id_or_path: str) -> Script:
    from reflectcoach.script.registry import load_one

    return load_one(id_or_path, settings.script_dirs())


@main.command()
@click.argument("script")
@click.option(
    "--direction",
    type=click.Choice(["TB", "LR", "BT", "RL"]),
    default="TB",
    show_default=True,
    help="TB: top to bottom, readable on a page however long the script; LR: left to right.",
)
@pass_settings
def graph(settings: Settings, script: str, direction: str) -> None:
    """Print a conversation as a Mermaid state diagram (SCRIPT is an id or a file)."""
    from reflectcoach.engine.graph import mermaid

    click.echo(mermaid(load_script(settings, script), direction=direction))
