"""Commands for script authors: run test plans (with branch coverage), print the schema."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from reflectcoach.cli.base import Settings, clean, fail, main, pass_settings


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


@main.command("try")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--from", "from_step", metavar="STEP", help="Start at this step.")
@click.option(
    "--given",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="A YAML file of answers (step: answer) given on the way.",
)
@click.option("--watch", is_flag=True, help="Reload when the file changes, keeping the answers.")
@click.option("--plain", is_flag=True, help="Line by line on stdin/stdout, no full-screen app.")
@pass_settings
def try_command(
    settings: Settings,
    file: Path,
    from_step: str | None,
    given: Path | None,
    watch: bool,
    plain: bool,
) -> None:
    """Try a script while writing it: an unsaved run against a scratch database."""
    import tempfile

    from reflectcoach.script.testplan import load_answers
    from reflectcoach.services.tryout import STILL_RUNNING, Tryout
    from reflectcoach.store import Store

    answers: tuple = ()
    if given is not None:
        answers, problems = load_answers(given)
        if problems:
            fail("\n".join(clean(str(p)) for p in problems))
    tryout = Tryout(file, from_step=from_step, given=answers)
    with tempfile.TemporaryDirectory(prefix="reflectcoach-try-") as scratch:
        db_path = Path(scratch) / "try.db"
        if not plain and sys.stdin.isatty() and sys.stdout.isatty():
            _try_in_app(settings, tryout, db_path, watch)
            return
        script, errors = tryout.load()
        if script is None:
            for line in errors:
                click.echo(clean(line), err=True)
            sys.exit(1)
        from reflectcoach.cli.plain import PlainRunner

        with Store.open(db_path, key=None) as store:
            running = tryout.start(store, script)

            def reload(runner: PlainRunner) -> object:
                if not watch or not tryout.changed():
                    return None
                done = tryout.reload(store, runner.session)
                if done.session is None:
                    runner.say(STILL_RUNNING + ":")
                for line in done.lines:
                    runner.say(line)
                return done.session

            runner = PlainRunner(running, sys.stdin, sys.stdout, store=store, reload=reload)
            code = runner.run()
        sys.exit(code)


def _try_in_app(settings: Settings, tryout: object, db_path: Path, watch: bool) -> None:
    from reflectcoach.app.app import ReflectCoachApp

    app = ReflectCoachApp(
        db_path=db_path,
        script_dirs=settings.script_dirs(),
        tryout=tryout,
        watch=watch,
    )
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
