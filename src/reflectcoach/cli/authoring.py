"""Commands for script authors: run test plans (with branch coverage), print the schema."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from reflectcoach.cli.base import Settings, clean, main, pass_settings


def builtin_plans() -> Path:
    """The plans shipped with the built-in conversations."""
    from reflectcoach.script.registry import builtin_dir

    return builtin_dir() / "plans"


@main.command("test")
@click.argument("plans", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--coverage", is_flag=True, help="List every step and branch no plan took, per script."
)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    help="Fail when the branch coverage of any script is below this percentage.",
)
@pass_settings
def test_command(
    settings: Settings, plans: tuple[Path, ...], coverage: bool, fail_under: float | None
) -> None:
    """Run test plans (the built-ins' own by default) and report each failure as
    plan.yaml:line:col; --coverage lists the branches no plan took."""
    from reflectcoach.services import testplan

    catalog = settings.catalog()
    paths = list(plans) or [builtin_plans()]
    began = time.perf_counter()
    results, problems = testplan.run_files(paths, catalog.scripts)
    took = time.perf_counter() - began
    for problem in problems:
        click.echo(clean(str(problem)))
    failed = [r for r in results if not r.ok]
    for result in failed:
        for failure in result.failures:
            click.echo(clean(f"{failure}  [{result.plan.name}]"))
    click.echo(
        f"{len(results) - len(failed)} of {len(results)} plan(s) passed in {took:.2f}s",
        err=True,
    )
    below = False
    if coverage or fail_under is not None:
        scripts = {r.script.source: r.script for r in results if r.script is not None}
        if not plans:  # the built-in plans answer for every built-in
            scripts |= {s.source: s for s in catalog.scripts.values() if _builtin(s.source)}
        report = testplan.coverage(list(scripts.values()), results)
        for item in report:
            click.echo(
                clean(
                    f"{item.script.id}: {item.taken} of {item.edges} branch edges "
                    f"({item.percent:.0f}%)"
                )
            )
            if coverage:
                for missed in item.missed:
                    click.echo(clean(f"  {missed.where}: {missed.what}"))
            below = below or (fail_under is not None and item.percent < fail_under)
    if problems or failed or below:
        sys.exit(1)


def _builtin(source: str) -> bool:
    from reflectcoach.script.registry import builtin_dir

    return Path(source).parent == builtin_dir()


@main.command("schema")
def schema_command() -> None:
    """Print the JSON Schema of the script format, for editors (the YAML language server)."""
    from reflectcoach.script import schema

    click.echo(schema.text(), nl=False)
