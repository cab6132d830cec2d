"""The built-ins carry their plans (issue 25, part 6): every shipped plan passes, and together
they take every branch edge of every built-in script."""

from __future__ import annotations

from reflectcoach.script.registry import builtin_dir, load_catalog
from reflectcoach.services import testplan


def test_every_shipped_plan_passes_and_covers_every_branch_of_every_builtin() -> None:
    catalog = load_catalog([builtin_dir()])
    results, problems = testplan.run_files([builtin_dir() / "plans"], catalog.scripts)
    assert problems == []
    assert [str(f) for r in results for f in r.failures] == []
    report = testplan.coverage(list(catalog.scripts.values()), results)
    assert {c.script.id: [m.what for m in c.missed] for c in report if c.missed} == {}
    assert all(c.percent == 100.0 for c in report)
    # Each built-in has plans of its own.
    assert {r.script.id for r in results if r.script is not None} == set(catalog.scripts)
