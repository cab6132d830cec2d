"""Script directories -> a `Catalog` of valid scripts by id, plus everything wrong with the rest.

Importing this module is cheap: the CLI imports it on most commands, so the loader (and with
it YAML) is imported inside the functions that load. It does load the model's dataclasses
(about 10 ms): where the folders are and what files they hold, which every start needs before
any script is read, are in `folders` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from reflectcoach.core import paths as _paths
from reflectcoach.core.errors import UserError
from reflectcoach.core.sharing import KEPT_PRIVATE
from reflectcoach.script import prefill, privacy
from reflectcoach.script.folders import builtin_dir, script_files
from reflectcoach.script.folders import script_dirs as script_dirs  # where callers look for it
from reflectcoach.script.model import SCRIPT_ID

if TYPE_CHECKING:
    from reflectcoach.script.loader import Diagnostic, LoadResult
    from reflectcoach.script.model import RecallRef, Script


class ScriptError(UserError):
    """A script that cannot be used; the message is meant for the user."""


class ScriptNotFound(ScriptError):
    pass


class ScriptInvalid(ScriptError):
    def __init__(self, message: str, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = list(diagnostics)


class Catalog:
    """Valid scripts by id, every problem found loading them, and the ids that failed (with
    their errors, so `load_one` can say why). A plain class: listing scripts from the cached
    index must not pay for importing dataclasses."""

    def __init__(
        self,
        scripts: dict[str, Script],
        diagnostics: list[Diagnostic],
        invalid: dict[str, list[Diagnostic]] | None = None,
    ) -> None:
        self.scripts = scripts
        self.diagnostics = diagnostics
        self.invalid = invalid if invalid is not None else {}

    def get(self, script_id: str) -> Script | None:
        return self.scripts.get(script_id)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]


def load_catalog(dirs: Sequence[Path]) -> Catalog:
    """Load every script in `dirs`; on a duplicate id the first file wins.

    A missing directory is skipped quietly when it is one of the default places (built-in,
    user, $REFLECTCOACH_SCRIPTS); any other is reported as "no such directory".
    """
    from reflectcoach.script.loader import Diagnostic, load_file

    quiet = {_key(p) for p in (builtin_dir(), _paths.user_scripts_dir(), *_paths.env_script_dirs())}
    diagnostics: list[Diagnostic] = []
    files: list[Path] = []
    seen: set[Path] = set()
    for folder in dirs:
        key = _key(folder)
        if key in seen:
            continue
        seen.add(key)
        if folder.is_dir():
            files.extend(script_files(folder))
        elif key not in quiet:
            reason = "not a directory" if folder.exists() else "no such directory"
            diagnostics.append(Diagnostic(str(folder), 1, 1, "error", reason))
    results = [load_file(f) for f in files]
    catalog = _gather(results, diagnostics)
    recall_problems = check_recalls(catalog.scripts.values(), catalog.scripts)
    catalog.diagnostics.extend(recall_problems)
    _drop_failed(catalog, recall_problems)
    return catalog


def validate_paths(paths: Sequence[Path], strict: bool = False) -> list[Diagnostic]:
    """Check script files and directories as `reflectcoach validate` does.

    Duplicate ids are checked across the given files; recall references against the built-in
    scripts plus these. With `strict`, warnings count as errors.
    """
    from reflectcoach.script.loader import Diagnostic, load_file

    diagnostics: list[Diagnostic] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(script_files(path))
        elif path.is_file():
            files.append(path)
        else:
            diagnostics.append(Diagnostic(str(path), 1, 1, "error", "no such file or directory"))
    unique: dict[Path, Path] = {}
    for file in files:
        unique.setdefault(_key(file), file)  # a file named twice is checked once
    catalog = _gather([load_file(f) for f in unique.values()], diagnostics)
    known = {**load_catalog([builtin_dir()]).scripts, **catalog.scripts}
    catalog.diagnostics.extend(check_recalls(catalog.scripts.values(), known))
    if strict:
        return [replace(d, severity="error") for d in catalog.diagnostics]
    return catalog.diagnostics


def load_one(id_or_path: str, dirs: Sequence[Path]) -> Script:
    """The script with this id in `dirs`, or the script file at this path.

    Raises ScriptNotFound or ScriptInvalid with a message that can be shown as it is.
    """
    from reflectcoach.script.loader import suggest

    if not SCRIPT_ID.match(id_or_path):
        return _load_path(Path(id_or_path), dirs)
    from reflectcoach.script import index  # cycle: index reads the catalog through this module
    from reflectcoach.script.loader import load_file

    # A current index says which file holds a valid script with this id: load only that.
    source = index.cached_source(id_or_path, dirs)
    if source is not None:
        result = load_file(source)
        if result.script is not None and result.script.id == id_or_path:
            return result.script
    catalog = load_catalog(dirs)
    index.remember(dirs, catalog)  # so the next start loads one file
    script = catalog.get(id_or_path)
    if script is not None:
        return script
    if id_or_path in catalog.invalid:
        raise _invalid(f"script '{id_or_path}'", catalog.invalid[id_or_path])
    if Path(id_or_path).is_file():
        return _load_path(Path(id_or_path), dirs)
    available = ", ".join(sorted(catalog.scripts)) or "none"
    hint = suggest(id_or_path, catalog.scripts)
    raise ScriptNotFound(f"no script '{id_or_path}'{hint}; available: {available}")


def check_recalls(scripts: Iterable[Script], known: Mapping[str, Script]) -> list[Diagnostic]:
    """Check each `recall.script.step` (and each prefill from another script) against
    `known` scripts; a prefill's step must also give answers that fit its question.

    A missing step is an error; a script that is not loaded only a warning, since the
    reference then simply renders empty.
    """
    from reflectcoach.script.loader import Diagnostic, suggest

    found: list[Diagnostic] = []
    for script in scripts:
        is_private = privacy.lookup(script, known.get)
        for ref in script.recalls:
            if ref.shared and is_private(ref.script, ref.step):
                found.append(_kept_private(script, ref))
            if ref.script == script.id:
                continue  # the loader checked references to the script's own steps
            target = known.get(ref.script)
            where = (ref.pos.path or script.source, ref.pos.line, ref.pos.col)
            what = "recall" if ref.fills is None else "prefill"
            if target is None:
                hint = suggest(ref.script, known)
                message = f"no script '{ref.script}' is loaded{hint}, so this {what} is empty"
                found.append(Diagnostic(*where, "warning", message))
            elif ref.step not in target.steps:
                hint = suggest(ref.step, target.steps)
                message = f"script '{ref.script}' has no step '{ref.step}'{hint}"
                found.append(Diagnostic(*where, "error", message))
            elif not target.steps[ref.step].is_question:
                message = (
                    f"step '{ref.step}' of script '{ref.script}' is a say step; it has no answer"
                )
                found.append(Diagnostic(*where, "error", message))
            elif ref.fills is not None:
                given = target.steps[ref.step].type
                if given is not None and not prefill.fits(ref.fills, given):
                    message = prefill.mismatch(ref.script, ref.step, given, ref.fills)
                    found.append(Diagnostic(*where, "error", message))
        found.extend(_check_re_rates(script, known))
    return found


def _kept_private(script: Script, ref: RecallRef) -> Diagnostic:
    from reflectcoach.script.loader import Diagnostic

    where = (
        "this part of the record can be shared"
        if ref.fills is None
        else "this step's answer is in a part of the record that can be shared"
    )
    return Diagnostic(
        script.source,
        ref.pos.line,
        ref.pos.col,
        "warning",
        f"step '{ref.step}' of script '{ref.script}' is just for me (only in the record's "
        f"private parts), and {where}: it shows '{KEPT_PRIVATE}' there. Use it in a part "
        "with 'private: true' instead",
    )


def _check_re_rates(script: Script, known: Mapping[str, Script]) -> list[Diagnostic]:
    """Each `re_rates` naming another script: a warning while that script is not loaded
    (an error with --strict), else its step must be a scale with the same min and max."""
    from reflectcoach.script.loader import Diagnostic, re_rate_problem, suggest

    found: list[Diagnostic] = []
    for step in script.steps.values():
        ref = step.re_rates
        if ref is None or ref.script == script.id:
            continue  # the loader checked re-ratings within the script
        where = (ref.pos.path or script.source, ref.pos.line, ref.pos.col)
        target = known.get(ref.script)
        if target is None:
            hint = suggest(ref.script, known)
            message = (
                f"no script '{ref.script}' is loaded{hint}, so this re-rating cannot be "
                "checked and is plotted on its own"
            )
            found.append(Diagnostic(*where, "warning", message))
            continue
        other = target.steps.get(ref.step)
        problem = re_rate_problem(
            ref,
            step.min,
            step.max,
            None if other is None else (other.type, other.min, other.max),
            target.steps,
        )
        if problem is not None:
            found.append(Diagnostic(*where, "error", problem))
    return found


def _key(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path


def _gather(results: Iterable[LoadResult], diagnostics: list[Diagnostic]) -> Catalog:
    from reflectcoach.script.loader import Diagnostic

    catalog = Catalog({}, diagnostics)
    for result in results:
        diagnostics.extend(result.diagnostics)
        script = result.script
        if script is None:
            if result.script_id is not None:
                catalog.invalid.setdefault(result.script_id, result.errors)
            continue
        first = catalog.scripts.get(script.id)
        if first is not None:
            message = f"duplicate script id '{script.id}' (already loaded from {first.source})"
            diagnostics.append(
                Diagnostic(script.source, script.id_pos.line, script.id_pos.col, "error", message)
            )
            continue
        catalog.scripts[script.id] = script
    return catalog


def _drop_failed(catalog: Catalog, problems: list[Diagnostic]) -> None:
    # A script with a bad recall has an error, so like any script with errors it is not loaded.
    by_source = {s.source: s.id for s in catalog.scripts.values()}
    failed: dict[str, list[Diagnostic]] = {}
    for problem in problems:
        if problem.severity == "error" and problem.path in by_source:
            failed.setdefault(by_source[problem.path], []).append(problem)
    for script_id, errors in failed.items():
        del catalog.scripts[script_id]
        catalog.invalid[script_id] = errors


def _invalid(what: str, diagnostics: Sequence[Diagnostic]) -> ScriptInvalid:
    lines = "\n".join(f"  {d}" for d in diagnostics)
    return ScriptInvalid(f"{what} has errors:\n{lines}", diagnostics)


def _load_path(path: Path, dirs: Sequence[Path]) -> Script:
    from reflectcoach.script.loader import load_file

    if not path.is_file():
        raise ScriptNotFound(f"no script '{path}': not an id of a loaded script, and no such file")
    result = load_file(path)
    if result.script is None:
        raise _invalid(str(path), result.errors)
    script = result.script
    known = {**load_catalog(dirs).scripts, script.id: script}
    errors = [d for d in check_recalls([script], known) if d.severity == "error"]
    if errors:
        raise _invalid(str(path), errors)
    return script
