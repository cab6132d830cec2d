"""Script files -> `Script`, with every problem as a gcc-style `Diagnostic`.

The loader never raises for bad input: whatever the bytes, the result is a LoadResult whose
script is None when there is any error. All problems of a file are found in one run.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, TypeAlias

from reflectcoach.core import sharing
from reflectcoach.core.numbers import MAX_NUMBER_WORDS, within
from reflectcoach.core.text import clean
from reflectcoach.script import (
    conditions,
    dates,
    includes,
    keys,
    mentorship_fields,
    prefill,
    privacy,
    templates,
    urls,
)
from reflectcoach.script.model import (
    COMMITMENT_PREFIX,
    RE_RATES,
    SCRIPT_ID,
    STEP_ID,
    Audience,
    Branch,
    CommitmentSpec,
    Option,
    Pos,
    Prefill,
    QuestionType,
    RecallRef,
    RecordPart,
    ReRate,
    Script,
    Step,
    parse_recall,
)
from reflectcoach.script.yamlsafe import MAX_BYTES, Map, Node, Scalar, Seq, compose, describe
from reflectcoach.script.yamlsafe import too_big as _too_big

Severity: TypeAlias = Literal["error", "warning"]

# Which keys each mapping holds: one table (script/keys.py), which the JSON Schema reads too.
TOP_KEYS = keys.names(keys.TOP)
RECORD_PART_KEYS = keys.names(keys.RECORD_PART)
TOP_REQUIRED = keys.required(keys.TOP)
STEP_KEYS = keys.names(keys.STEP)
QUESTION_KEYS = keys.names(keys.QUESTION)
COMMITMENT_KEYS = keys.names(keys.COMMITMENT)
BRANCH_KEYS = keys.names(keys.BRANCH)
OPTION_KEYS = keys.names(keys.OPTION)
# Words of the condition language and the recall prefix cannot name steps.
RESERVED = frozenset(conditions.KEYWORDS | {"recall"})
SCALE_DEFAULT = (1, 5)
SCALE_MAX_SPAN = 10
# The kind of value each question type gives, in the terms of script.conditions.
ANSWER_KIND = {
    QuestionType.TEXT: "str",
    QuestionType.LONG_TEXT: "str",
    QuestionType.CHOICE: "str",
    QuestionType.MULTI: "list",
    QuestionType.SCALE: "number",
    QuestionType.NUMBER: "number",
    QuestionType.YES_NO: "bool",
    QuestionType.DATE: "date",
    QuestionType.FOLLOW_UP: "str",
}
TYPE_KEYS = keys.TYPE_KEYS  # the keys that only some question types take
_TYPES = {t.value: t for t in QuestionType}
_AUDIENCES = {a.value: a for a in Audience}
_KIND_WORDS = {
    **{"str": "text", "number": "a number", "bool": "true/false", "list": "a list"},
    "date": "a date",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


@dataclass
class LoadResult:
    script: Script | None
    diagnostics: list[Diagnostic]
    # The id the file declares, when it is readable even though the script has errors.
    script_id: str | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return self.script is not None


def load_text(text: str | bytes, source: str = "<string>") -> LoadResult:
    """Load a script from text or bytes; `source` names it in diagnostics."""
    # surrogatepass: a lone surrogate in a str then fails the UTF-8 check with a position.
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    return _load(data, source)


def load_file(path: Path) -> LoadResult:
    """Load one script file; `Script.source` is `str(path)`."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
            size = max(len(data), os.fstat(handle.fileno()).st_size)
    except OSError as err:
        message = f"cannot read the file: {err.strerror or err}"
        return LoadResult(None, [Diagnostic(source, 1, 1, "error", message)])
    if len(data) > MAX_BYTES:
        problem = _too_big(size)
        return LoadResult(None, [Diagnostic(source, 1, 1, "error", problem.message)])
    return _load(data, source)


def _load(data: bytes, source: str) -> LoadResult:
    checker = _Checker(source)
    # Loading allocates many small, acyclic objects; the cycle collector would rescan them
    # again and again for nothing (it doubled the time to validate 100 large scripts).
    collecting = gc.isenabled()
    gc.disable()
    try:
        script = checker.load(data)
    except Exception as err:  # a bug here must still come out as a diagnostic, not a crash
        message = f"internal error while loading (please report it): {type(err).__name__}: {err}"
        checker.error(1, 1, message)
        script = None
    finally:
        if collecting:
            gc.enable()
    if checker.included.parts:  # what was said about a part's lines, said of the part
        checker.diagnostics = [_in_part(d, checker.included) for d in checker.diagnostics]
        if script is not None:
            script = includes.placed(script, checker.included)
    checker.diagnostics.sort(key=lambda d: (d.path != source, d.path, d.line, d.col))
    if checker.has_errors:
        script = None
    return LoadResult(script, checker.diagnostics, checker.script_id)


def _in_part(d: Diagnostic, included: includes.Included) -> Diagnostic:
    path, line, col = included.place(d.line, d.col, d.path)
    return d if path == d.path else Diagnostic(path, line, col, d.severity, d.message)


MAX_STEP_SUGGESTIONS = 20


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib  # only when there is a mistake to explain

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class _Draft:
    """A step as read, before the whole script is known."""

    id: str
    key: Scalar
    broken: bool = False  # not a mapping, or neither say nor ask: nothing else depends on it
    is_question: bool = False
    say: templates.Template | None = None
    ask: templates.Template | None = None
    type: QuestionType | None = None
    hint: templates.Template | None = None
    options: list[Option] = field(default_factory=list)
    optional: bool = False
    min: float | None = None
    max: float | None = None
    labels: dict[int, str] = field(default_factory=dict)
    date_min: dates.Offset | None = None
    date_max: dates.Offset | None = None
    # (target, condition, node naming the target); None when the step has no `next`.
    branches: list[tuple[str, conditions.Condition | None, Node]] | None = None
    end: bool = False
    bad_target: bool = False  # a branch names no step: the graph checks stay quiet about it
    # Each source with the node it was written at, checked once every step is known.
    prefill: list[tuple[Prefill, Scalar]] = field(default_factory=list)
    # `commitment:`: its spec, and the nodes naming the due and goal steps.
    commitment: CommitmentSpec | None = None
    commitment_nodes: list[tuple[str, Node]] = field(default_factory=list)
    re_rates: ReRate | None = None
    sets: str | None = None
    about: str = "commitments"


class _Checker:
    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.has_errors = False
        self.script_id: str | None = None
        self.steps: dict[str, _Draft] = {}
        # Parsed text and conditions with the node they came from, checked once steps are known.
        self.texts: list[tuple[templates.Template, Scalar]] = []
        self.record_parts: tuple[RecordPart, ...] = ()
        self.shared_record_texts: set[int] = set()  # ids of record texts that may be shared
        self.conditions: list[tuple[conditions.Condition, Scalar]] = []
        self.recalls: list[RecallRef] = []
        # Texts that may say `{commitment.text}`: a follow_up step's ask and hint.
        self.follow_up_texts: set[int] = set()
        self.suggestions_left = MAX_STEP_SUGGESTIONS
        self.included = includes.Included()

    # Reporting
    def suggest_step(self, name: str, choices: Iterable[str]) -> str:
        """A "did you mean" among the steps, for the first few mistakes only: each costs a
        comparison with every step, and thousands of dangling names made validation quadratic
        (10,000 took minutes). Nobody reads the 50th suggestion."""
        if self.suggestions_left <= 0:
            return ""
        self.suggestions_left -= 1
        return suggest(name, choices)

    def error(self, line: int, col: int, message: str) -> None:
        self.has_errors = True
        self.diagnostics.append(Diagnostic(self.path, line, col, "error", clean(message)))

    def warn(self, line: int, col: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, line, col, "warning", clean(message)))

    def error_at(self, node: Node, message: str) -> None:
        self.error(node.line, node.col, message)

    # The whole file
    def load(self, data: bytes) -> Script | None:
        root, problems = compose(data)
        for problem in problems:
            self.error(problem.line, problem.col, problem.message)
        if root is None:
            return None
        self.included = includes.expand(root, self.path, len(data))  # parts spliced in
        for part in self.included.problems:
            self.has_errors = True
            self.diagnostics.append(
                Diagnostic(part.path, part.line, part.col, "error", clean(part.message))
            )
        if isinstance(root, Scalar) and root.value is None:
            self.error(1, 1, "the file is empty")
            return None
        if not isinstance(root, Map):
            message = "the top level must be a mapping with id, title, summary, audience and steps"
            self.error_at(root, f"{message}, not {describe(root)}")
            return None
        top = self.fields(root, TOP_KEYS, TOP_REQUIRED, "the script")
        script_id = self.identifier(top.get("id"))
        title = self.text("title", top.get("title"))
        summary = self.text("summary", top.get("summary"))
        audience = self.audience(top.get("audience"))
        version = self.version(top.get("version"))
        record = self.record(top["record"]) if "record" in top else None
        closes = "closes_mentorship" in top and self.flag(
            "closes_mentorship", top["closes_mentorship"]
        )
        if "steps" in top:
            self.read_steps(top["steps"])
        self.check_references()
        self.check_graph()
        if self.has_errors:
            return None
        assert script_id and title and summary and audience and "id" in top
        id_node = top["id"]
        return Script(
            id=script_id,
            title=title,
            summary=summary,
            audience=audience,
            steps={d.id: self.build(d) for d in self.steps.values()},
            version=version,
            record=record,
            record_parts=self.record_parts,
            source=self.path,
            sha256=hashlib.sha256(data + self.included.data).hexdigest(),
            id_pos=Pos(id_node.line, id_node.col),
            recalls=tuple(sorted(self.recalls, key=lambda r: (r.pos.line, r.pos.col))),
            closes_mentorship=closes,
            private_steps=privacy.private_steps(self.record_parts),
        )

    def fields(
        self, node: Map, known: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for key, value in node.pairs:
            name = key.text
            if name in known:
                found[name] = value
                continue
            hint = suggest(name, known) or f" (expected one of: {', '.join(known)})"
            self.error_at(key, f"unknown key '{_short(name)}'{hint}")
        for name in required:
            if name not in found:
                self.error_at(node, f"{what} is missing '{name}'")
        return found

    # Values
    def text(self, name: str, node: Node | None) -> str | None:
        if node is None:
            return None
        if not isinstance(node, Scalar):
            self.error_at(node, f"'{name}' must be text, not {describe(node)}")
            return None
        if node.value is None or not node.text.strip():
            self.error_at(node, f"'{name}' is empty")
            return None
        return node.text

    def template(self, name: str, node: Node) -> templates.Template | None:
        text = self.text(name, node)
        if text is None:
            return None
        assert isinstance(node, Scalar)
        try:
            parsed = templates.parse(text)
        except templates.TemplateError as err:
            self.error(*node.locate(err.offset), f"in '{name}': {err.message}")
            return None
        # Scripts come from shared folders: nothing they write may send answers, or the
        # fact that a record was read, to another machine (script/urls.py). Records are
        # sent to mentors and opened in any viewer; coach text is shown only by us, and
        # neither front end loads an image or opens a link from it.
        for _hole, offset in urls.holes_in_urls(parsed):
            self.error(*node.locate(offset), f"in '{name}': {urls.MESSAGE}")
        if name == "record":
            for offset in urls.remote_images(text):
                self.error(*node.locate(offset), f"in '{name}': {urls.REMOTE_IMAGE}")
        self.texts.append((parsed, node))
        return parsed

    def record(self, node: Node) -> templates.Template | None:
        """`record:` as one template, or a list of parts: text, or `{text, private, if}`
        (a private part is just for the person, `sharing.py`; `if` shows it only when the
        condition holds). The parts go to `self.record_parts`; the joined whole is returned."""
        if not isinstance(node, Seq):
            whole_record = self.template("record", node)
            if whole_record is not None:
                self.shared_record_texts.add(id(whole_record))
            return whole_record
        if not node.items:
            self.error_at(node, "'record' is an empty list; give it text or parts")
            return None
        whole: list[templates.Template] = []
        parts: list[RecordPart] = []
        for item in node.items:
            text_node: Node = item
            private, condition = False, None
            if isinstance(item, Map):
                fields = self.fields(
                    item, RECORD_PART_KEYS, keys.required(keys.RECORD_PART), "a record part"
                )
                if "text" not in fields:
                    continue
                text_node = fields["text"]
                if "private" in fields:
                    private = self.flag("private", fields["private"])
                if "if" in fields:
                    condition = self.condition(fields["if"])
            elif not isinstance(item, Scalar):
                what = describe(item)
                self.error_at(item, f"a record part must be text or {{text, private}}, not {what}")
                continue
            part = self.template("record", text_node)
            if part is None:
                continue
            parts.append(RecordPart(part, private, condition))
            if not private:
                self.shared_record_texts.add(id(part))
            if whole:
                whole.append(templates.literal("\n"))
            if private:
                opening = templates.literal(sharing.OPEN + "\n")
                closing = templates.literal("\n" + sharing.CLOSE + "\n")
                whole.extend((opening, part, closing))
            else:
                whole.append(part)
        self.record_parts = tuple(parts)
        return templates.join(whole) if len(parts) == len(node.items) else None

    def condition(self, node: Node) -> conditions.Condition | None:
        if not isinstance(node, Scalar) or node.value is None or not node.text.strip():
            self.error_at(node, f"'if' must be a condition, not {describe(node)}")
            return None
        try:
            parsed = conditions.parse(node.text)
        except conditions.ConditionError as err:
            self.error(*node.locate(err.offset), f"bad condition: {err.message}")
            return None
        self.conditions.append((parsed, node))
        return parsed

    def flag(self, name: str, node: Node) -> bool:
        if isinstance(node, Scalar) and isinstance(node.value, bool):
            return node.value
        self.error_at(node, f"'{name}' must be true or false, not {describe(node)}")
        return False

    def number(self, name: str, node: Node, whole: bool) -> float | None:
        value = node.value if isinstance(node, Scalar) else None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error_at(node, f"'{name}' must be a number, not {describe(node)}")
            return None
        if whole and not isinstance(value, int):
            self.error_at(node, f"'{name}' must be a whole number, not {describe(node)}")
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.error_at(node, f"'{name}' must be a finite number")
            return None
        if not within(value):
            # No answer beyond the bound can be kept (numbers.py), so neither can a limit.
            self.error_at(
                node,
                f"'{name}' must be between -{MAX_NUMBER_WORDS} and {MAX_NUMBER_WORDS}, "
                "the largest numbers an answer can hold",
            )
            return None
        return value

    def identifier(self, node: Node | None) -> str | None:
        text = self.text("id", node)
        if text is None or node is None:
            return None
        if not SCRIPT_ID.match(text):
            self.error_at(
                node,
                f"id '{_short(text)}' must be lowercase letters, digits and _, "
                "starting with a letter",
            )
            return None
        self.script_id = text
        return text

    def audience(self, node: Node | None) -> Audience | None:
        text = self.text("audience", node)
        if text is None or node is None:
            return None
        if text not in _AUDIENCES:
            hint = suggest(text, _AUDIENCES) or f" (one of: {', '.join(_AUDIENCES)})"
            self.error_at(node, f"unknown audience '{_short(text)}'{hint}")
            return None
        return _AUDIENCES[text]

    def version(self, node: Node | None) -> int:
        if node is None:
            return 1
        value = self.number("version", node, whole=True)
        if value is not None and value < 1:
            self.error_at(node, "'version' must be 1 or more")
        return int(value) if value is not None and value >= 1 else 1

    # Steps
    def read_steps(self, node: Node) -> None:
        if not isinstance(node, Map):
            self.error_at(
                node, f"'steps' must be a mapping of step id to step, not {describe(node)}"
            )
            return
        if not node.pairs and not self.included.problems:  # a refused include said why
            self.error_at(node, "'steps' is empty; a script needs at least one step")
        for key, value in node.pairs:
            step_id = key.text
            if not STEP_ID.match(step_id):
                self.error_at(
                    key,
                    f"step id '{_short(step_id)}' must be lowercase letters, digits and _, "
                    "starting with a letter",
                )
            elif step_id in RESERVED:
                words = ", ".join(sorted(RESERVED))
                self.error_at(key, f"step id '{step_id}' is reserved ({words})")
            self.steps[step_id] = self.step(step_id, key, value)

    def step(self, step_id: str, key: Scalar, node: Node) -> _Draft:
        draft = _Draft(step_id, key)
        if not isinstance(node, Map):
            where = key if isinstance(node, Scalar) and node.value is None else node
            message = f"step '{step_id}' must be a mapping with 'say' or 'ask'"
            self.error_at(where, f"{message}, not {describe(node)}")
            draft.broken = True
            return draft
        found = self.fields(node, STEP_KEYS, (), f"step '{step_id}'")
        if "say" in found and "ask" in found:
            later = max(_key(node, "say"), _key(node, "ask"), key=lambda k: (k.line, k.col))
            self.error_at(later, "a step either says or asks: use 'say' or 'ask', not both")
        elif "say" not in found and "ask" not in found:
            self.error_at(key, f"step '{step_id}' needs 'say' or 'ask'")
            draft.broken = True
        if "ask" in found:
            draft.is_question = True
            draft.ask = self.template("ask", found["ask"])
            self.question(draft, found, node)
        elif "say" in found:
            draft.say = self.template("say", found["say"])
            for name in QUESTION_KEYS:
                if name in found:
                    message = f"'{name}' is only for questions (steps with 'ask')"
                    self.error_at(_key(node, name), message)
        if "end" in found:
            draft.end = self.flag("end", found["end"])
        if "next" in found:
            if draft.end:
                message = "a step with 'end: true' cannot also have 'next'"
                self.error_at(_key(node, "end"), message)
            draft.branches = self.next_branches(found["next"], draft)
        return draft

    def question(self, draft: _Draft, found: dict[str, Node], node: Map) -> None:
        if "hint" in found:
            draft.hint = self.template("hint", found["hint"])
        if "prefill" in found:
            draft.prefill = self.prefill_sources(found["prefill"])
        if "optional" in found:
            draft.optional = self.flag("optional", found["optional"])
        kind = QuestionType.TEXT
        if "type" in found:
            text = self.text("type", found["type"])
            if text is not None and text not in _TYPES:
                hint = suggest(text, _TYPES) or f" (one of: {', '.join(_TYPES)})"
                self.error_at(found["type"], f"unknown type '{_short(text)}'{hint}")
            if text not in _TYPES:
                return  # without a known type, the type-specific checks would only add noise
            kind = _TYPES[text]
        draft.type = kind
        allowed = TYPE_KEYS[kind]
        for name in keys.TYPE_ONLY:
            if name in found and name not in allowed:
                self.error_at(_key(node, name), f"'{name}' does not apply to a {kind} question")
        if kind in keys.NEEDS_OPTIONS:
            if "options" in found:
                draft.options = self.options(found["options"])
            else:
                self.error_at(draft.key, f"a {kind} question needs 'options'")
        if kind is QuestionType.SCALE:
            self.scale(draft, found)
            if "re_rates" in found:
                draft.re_rates = self.re_rates(found["re_rates"])
        elif kind is QuestionType.NUMBER:
            self.number_range(draft, found)
        elif kind is QuestionType.DATE:
            self.date_range(draft, found)
        if "sets" in found:
            draft.sets = self.sets(found["sets"], kind)
        if "about" in found:
            draft.about = self.about(found["about"], kind)
        if kind is QuestionType.FOLLOW_UP:
            self.follow_up_texts.update(id(t) for t in (draft.ask, draft.hint) if t is not None)
            for name in ("prefill", "commitment"):
                if name in found:
                    self.error_at(_key(node, name), f"'{name}' does not apply to a follow_up step")
        elif "commitment" in found:
            if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
                self.commitment(draft, found["commitment"])
            else:
                message = f"'commitment' is for text and long_text questions, not {kind}"
                self.error_at(_key(node, "commitment"), message)

    def about(self, node: Node, kind: QuestionType) -> str:
        """`about: commitments | talking_points` on a follow_up step."""
        text = self.text("about", node)
        if kind is not QuestionType.FOLLOW_UP:
            self.error_at(node, "'about' is only for a follow_up step")
        elif text is not None and text not in ("commitments", "talking_points"):
            self.error_at(node, f"'about' must be commitments or talking_points, not '{text}'")
        else:
            return text or "commitments"
        return "commitments"

    def sets(self, node: Node, kind: QuestionType) -> str | None:
        """`sets: mentorship.FIELD` (script/mentorship_fields.py)."""
        text = self.text("sets", node)
        if text is None:
            return None
        problem = mentorship_fields.write_problem(text, kind)
        if problem is not None:
            self.error_at(node, problem)
            return None
        return mentorship_fields.field_of(text)

    def commitment(self, draft: _Draft, node: Node) -> None:
        """`commitment: {due: STEP, goal: STEP}`; the steps are checked once all are known."""
        if not isinstance(node, Map):
            self.error_at(node, f"'commitment' must be a mapping with 'due', not {describe(node)}")
            return
        found = self.fields(node, COMMITMENT_KEYS, keys.required(keys.COMMITMENT), "'commitment'")
        names: dict[str, str] = {}
        for key, value in found.items():
            text = self.text(key, value)
            if text is not None:
                names[key] = text
                draft.commitment_nodes.append((key, value))
        if "due" in names:
            draft.commitment = CommitmentSpec(names["due"], names.get("goal"))

    def options(self, node: Node) -> list[Option]:
        if not isinstance(node, Seq):
            self.error_at(node, f"'options' must be a list, not {describe(node)}")
            return []
        if not node.items:
            self.error_at(node, "'options' is empty")
        options: list[Option] = []
        first_at: dict[str, Node] = {}
        for item in node.items:
            option = self.option(item)
            if option is None:
                continue
            if option.value in first_at:
                first = first_at[option.value]
                where = f"{first.line}:{first.col}"
                self.error_at(
                    item, f"duplicate option value '{_short(option.value)}' (first at {where})"
                )
                continue
            first_at[option.value] = item
            options.append(option)
        return options

    def option(self, item: Node) -> Option | None:
        if isinstance(item, Map):
            found = self.fields(item, OPTION_KEYS, keys.required(keys.OPTION), "an option")
            value = self.text("value", found.get("value"))
            if value is None:
                return None
            label = self.template("label", found["label"]) if "label" in found else None
            exclusive = (
                self.flag("exclusive", found["exclusive"]) if "exclusive" in found else False
            )
            return Option(value, label or templates.literal(value), exclusive)
        if not isinstance(item, Scalar) or item.value is None:
            self.error_at(item, f"an option must be text or {{value, label}}, not {describe(item)}")
            return None
        if not item.text.strip():
            self.error_at(item, "an option must not be empty")
            return None
        try:
            label = templates.parse(item.text)
        except templates.TemplateError as err:
            self.error(*item.locate(err.offset), f"in option: {err.message}")
            return None
        if label.holes:
            self.error_at(
                item,
                "an option written as plain text is its own value, so it cannot insert "
                "answers; write {value: ..., label: ...} instead",
            )
            return None
        return Option(label.render(str), label)

    def prefill_sources(self, node: Node) -> list[tuple[Prefill, Scalar]]:
        items = node.items if isinstance(node, Seq) else [node]
        if isinstance(node, Seq) and not node.items:
            self.error_at(node, "'prefill' is an empty list")
        sources: list[tuple[Prefill, Scalar]] = []
        seen: set[str] = set()
        for item in items:
            if not isinstance(item, Scalar) or item.value is None or not item.text.strip():
                self.error_at(
                    item,
                    f"'prefill' must be {prefill.SOURCES_HINT}, or a list of them, "
                    f"not {describe(item)}",
                )
                continue
            try:
                source = prefill.parse(item.text, Pos(item.line, item.col))
            except prefill.PrefillError as err:
                self.error_at(item, str(err))
                continue
            if source.source in seen:
                self.warn(item.line, item.col, f"'{source.source}' is already in this prefill")
                continue
            seen.add(source.source)
            sources.append((source, item))
        return sources

    def scale(self, draft: _Draft, found: dict[str, Node]) -> None:
        low, high = SCALE_DEFAULT
        if "min" in found:
            value = self.number("min", found["min"], whole=True)
            low = int(value) if value is not None else low
        if "max" in found:
            value = self.number("max", found["max"], whole=True)
            high = int(value) if value is not None else high
        where = found.get("min") or found.get("max") or draft.key
        if low >= high:
            self.error_at(where, f"scale 'min' ({low}) must be less than 'max' ({high})")
            return  # the labels cannot be checked against a range that does not exist
        if high - low > SCALE_MAX_SPAN:
            self.error_at(
                where,
                f"a scale spans at most {SCALE_MAX_SPAN + 1} points; {low}..{high} has "
                f"{high - low + 1}",
            )
        draft.min, draft.max = low, high
        if "labels" in found:
            draft.labels = self.labels(found["labels"], low, high)

    def re_rates(self, node: Node) -> ReRate | None:
        """`SCRIPT.STEP`; whether that step exists and has this scale is checked once the
        step's own script is loaded (here, or by the registry for another script)."""
        text = self.text("re_rates", node)
        if text is None:
            return None
        match = RE_RATES.match(text)
        if match is None:
            self.error_at(
                node,
                f"'re_rates' must be SCRIPT_ID.STEP_ID (e.g. goal_setting.baseline), "
                f"not '{_short(text)}'",
            )
            return None
        return ReRate(match.group(1), match.group(2), Pos(node.line, node.col))

    def check_re_rates(self) -> None:
        """A re-rating of a step of this same script: that step must be a scale with the
        same min and max."""
        for draft in self.steps.values():
            ref = draft.re_rates
            if ref is None or ref.script != self.script_id:
                continue
            target = self.steps.get(ref.step)
            problem = re_rate_problem(
                ref,
                draft.min,
                draft.max,
                None if target is None else (target.type, target.min, target.max),
                self.steps,
                same=ref.step == draft.id,
            )
            if problem is not None:
                self.error(ref.pos.line, ref.pos.col, problem)

    def labels(self, node: Node, low: int, high: int) -> dict[int, str]:
        if not isinstance(node, Map):
            self.error_at(
                node, f"'labels' must be a mapping of scale point to text, not {describe(node)}"
            )
            return {}
        labels: dict[int, str] = {}
        for key, value in node.pairs:
            point = key.value
            if isinstance(point, bool) or not isinstance(point, int):
                self.error_at(key, f"a label key must be a whole number, not {describe(key)}")
                continue
            if not low <= point <= high:
                self.error_at(key, f"label {point} is outside the scale {low}..{high}")
                continue
            text = self.text(f"label {point}", value)
            if text is not None:
                labels[point] = text
        return labels

    def number_range(self, draft: _Draft, found: dict[str, Node]) -> None:
        if "min" in found:
            draft.min = self.number("min", found["min"], whole=False)
        if "max" in found:
            draft.max = self.number("max", found["max"], whole=False)
        if draft.min is not None and draft.max is not None and draft.min >= draft.max:
            self.error_at(
                found["min"], f"'min' ({draft.min:g}) must be less than 'max' ({draft.max:g})"
            )

    def date_bound(self, name: str, node: Node) -> dates.Offset | None:
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            words = dates.OFFSET_EXAMPLES
            self.error_at(node, f"'{name}' must be a date bound ({words}), not {describe(node)}")
            return None
        try:
            return dates.parse_offset(node.text)
        except dates.DateError as err:
            self.error_at(node, f"'{name}': {err.message}")
            return None

    def date_range(self, draft: _Draft, found: dict[str, Node]) -> None:
        if "min" in found:
            draft.date_min = self.date_bound("min", found["min"])
        if "max" in found:
            draft.date_max = self.date_bound("max", found["max"])
        lo, hi = draft.date_min, draft.date_max
        if lo is None or hi is None:
            return
        if lo.fixed is not None and hi.fixed is not None:
            after = lo.fixed > hi.fixed
        elif lo.fixed is None and hi.fixed is None:
            # Both counted from the day of answering: after on every day, by their spans.
            after = _span(lo)[0] > _span(hi)[1]
        else:
            return  # a fixed day against a moving one: it depends on the day of answering
        if after:
            self.error_at(
                found["min"],
                f"'min' ({lo.text.strip()}) is after 'max' ({hi.text.strip()}): no date fits",
            )

    def next_branches(
        self, node: Node, draft: _Draft
    ) -> list[tuple[str, conditions.Condition | None, Node]]:
        if isinstance(node, Scalar) and node.value is not None and node.text.strip():
            return [(node.text, None, node)]
        if not isinstance(node, Seq):
            self.error_at(
                node, f"'next' must be a step id or a list of branches, not {describe(node)}"
            )
            draft.bad_target = True
            return []
        if not node.items:
            self.error_at(node, "'next' is an empty list")
            draft.bad_target = True
        branches: list[tuple[str, conditions.Condition | None, Node]] = []
        has_else = False
        for item in node.items:
            if not isinstance(item, Map):
                self.error_at(
                    item, f"a branch must be a mapping with 'go' (and 'if'), not {describe(item)}"
                )
                draft.bad_target = True
                continue
            found = self.fields(item, BRANCH_KEYS, keys.required(keys.BRANCH), "a branch")
            if has_else:
                self.error_at(item, "this branch is never taken: an earlier branch has no 'if'")
            condition = self.condition(found["if"]) if "if" in found else None
            has_else = has_else or "if" not in found
            target = self.text("go", found.get("go"))
            if target is None:
                draft.bad_target = True
                continue
            branches.append((target, condition, found["go"]))
        last = node.items[-1] if node.items else None
        if last is not None and not has_else:
            self.error_at(
                last,
                "no branch matches when every condition is false; add a final `- go: STEP` branch",
            )
        return branches

    # Whole-script checks
    def check_prefills(self) -> None:
        """Each source must exist and give answers that fit its question; other scripts'
        steps are left to the registry, as recalls are."""
        shared_steps = self.shared_steps()
        for draft in self.steps.values():
            if draft.type in (None, QuestionType.FOLLOW_UP):
                continue  # an unknown type, or prefill on a follow_up: reported already
            for source, node in draft.prefill:
                if source.kind == prefill.MENTORSHIP:
                    if not prefill.fits(draft.type, QuestionType.TEXT):
                        self.error_at(
                            node,
                            f"'prefill: mentorship' gives a name, which does not fit this "
                            f"{draft.type} question (only text questions)",
                        )
                    continue
                if source.kind == prefill.STATE:
                    problem = mentorship_fields.read_problem(source.source)
                    if problem is not None:
                        self.error_at(node, problem)
                    continue
                shared = draft.id in shared_steps
                ref = RecallRef(source.script, source.step, source.pos, draft.type, shared)
                if shared:  # the registry says whether that answer is just for me
                    self.recalls.append(ref)
                if source.script != self.script_id:
                    if not shared:
                        self.recalls.append(ref)
                    continue
                target = self.steps.get(source.step)
                if target is None:
                    hint = suggest(source.step, self.steps)
                    self.error_at(
                        node, f"script '{source.script}' has no step '{source.step}'{hint}"
                    )
                elif not target.is_question and not target.broken:
                    self.error_at(node, f"step '{source.step}' is a say step; it has no answer")
                elif target.type is not None and not prefill.fits(draft.type, target.type):
                    self.error_at(
                        node,
                        prefill.mismatch(source.script, source.step, target.type, draft.type),
                    )

    def shared_steps(self) -> set[str]:
        """The steps named in record texts that may be shared."""
        return {
            name
            for text, _ in self.texts
            if id(text) in self.shared_record_texts
            for name in text.references()
        }

    def check_commitments(self) -> None:
        """A commitment's `due` names a date question, its `goal` a question."""
        for draft in self.steps.values():
            for key, node in draft.commitment_nodes:
                assert isinstance(node, Scalar)
                name = node.text
                target = self.steps.get(name)
                if target is None:
                    self.error_at(
                        node,
                        f"'{key}': no step named '{_short(name)}'"
                        f"{self.suggest_step(name, self.steps)}",
                    )
                elif not target.is_question:
                    self.error_at(node, f"'{key}': step '{name}' is a say step; it has no answer")
                elif target.type is QuestionType.FOLLOW_UP:
                    self.error_at(node, f"'{key}': step '{name}' is a follow_up step")
                elif key == "due" and target.type not in (QuestionType.DATE, None):
                    self.error_at(node, f"'due': step '{name}' must be a date question")

    def check_references(self) -> None:
        self.check_prefills()
        self.check_commitments()
        self.check_re_rates()
        for text, node in self.texts:
            for name, offset in text.holes:
                if name.startswith(COMMITMENT_PREFIX):
                    if id(text) not in self.follow_up_texts:
                        self.error(
                            *node.locate(offset),
                            f"{{{name}}} is only for a follow_up step's 'ask' and 'hint'",
                        )
                    continue
                self.reference(
                    name,
                    node,
                    offset,
                    shared=id(text) in self.shared_record_texts,
                    in_text=True,
                )
        for condition, node in self.conditions:
            for name, offset in condition.names:
                if name.startswith(COMMITMENT_PREFIX):
                    message = f"'{name}' is only for a follow_up step's 'ask' and 'hint'"
                    self.error(*node.locate(offset), message)
                    continue
                self.reference(name, node, offset)
            for comparison in condition.comparisons():
                self.check_comparison(comparison, node)
            for call in condition.days_until():
                self.check_days_until(call, node)

    def reference(
        self, name: str, node: Scalar, offset: int, *, shared: bool = False, in_text: bool = False
    ) -> None:
        """`in_text`: a follow_up step may be named in a text (its outcomes, in words)."""
        if name.startswith(mentorship_fields.PREFIX):
            problem = mentorship_fields.read_problem(name)
            if problem is not None:
                self.error(*node.locate(offset), problem)
            return
        recall = parse_recall(name)
        what = "unknown step"
        if recall is not None:
            pos = Pos(*node.locate(offset))
            self.recalls.append(RecallRef(recall[0], recall[1], pos, shared=shared))
            if recall[0] != self.script_id:
                return  # the registry checks it against the other scripts
            what, name = f"script '{recall[0]}' has no step", recall[1]
        step = self.steps.get(name)
        if step is None:
            hint = self.suggest_step(name, self.steps)
            self.error(*node.locate(offset), f"{what} '{name}'{hint}")
        elif not step.is_question and not step.broken:
            self.error(*node.locate(offset), f"step '{name}' is a say step; it has no answer")
        elif step.type is QuestionType.FOLLOW_UP and not in_text:
            message = f"step '{name}' is a follow_up step; it has no single answer to use here"
            self.error(*node.locate(offset), message)

    def kind(self, operand: conditions.Operand) -> str | None:
        if isinstance(operand, conditions.Today):
            return "date"
        if isinstance(operand, conditions.DaysUntil):
            return "number"
        if isinstance(operand, conditions.Literal):
            return (
                "bool"
                if isinstance(operand.value, bool)
                else ("str" if isinstance(operand.value, str) else "number")
            )
        step = self.steps.get(operand.name)
        return ANSWER_KIND.get(step.type) if step is not None and step.type else None

    def check_comparison(self, comparison: conditions.Compare, node: Scalar) -> None:
        op, left, right = comparison.op, comparison.left, comparison.right
        left_kind, right_kind = self.kind(left), self.kind(right)
        if left_kind is None or right_kind is None:
            return
        if "date" in (left_kind, right_kind):
            self.check_date_comparison(comparison, node, left_kind, right_kind)
            return
        if op in ("in", "not in"):
            holds = right_kind == "list" or (right_kind == "str" and left_kind == "str")
        elif op in ("==", "!="):
            holds = left_kind == right_kind
        else:
            holds = left_kind == right_kind and left_kind in ("number", "str")
        if not holds:
            why = (
                "only numbers and text have an order"
                if left_kind == right_kind
                else f"{_operand(left)} is {_KIND_WORDS[left_kind]}, "
                f"{_operand(right)} is {_KIND_WORDS[right_kind]}"
            )
            self.warn(*node.locate(comparison.offset), f"'{op}' is always false here: {why}")
            return
        # A literal compared with a choice or multi answer must be one of its option values.
        pairs = [(left, right), (right, left)] if op in ("==", "!=") else [(left, right)]
        for value, other in pairs:
            if not isinstance(value, conditions.Literal) or not isinstance(other, conditions.Name):
                continue
            step = self.steps.get(other.name)
            if step is None or step.type not in (QuestionType.CHOICE, QuestionType.MULTI):
                continue
            if op in ("in", "not in") and step.type is not QuestionType.MULTI:
                continue
            values = [o.value for o in step.options]
            if step.options and value.value not in values:
                hint = suggest(str(value.value), values)
                message = f"'{value.value}' is not an option of '{other.name}'{hint}"
                self.warn(*node.locate(value.offset), message)

    def check_date_comparison(
        self, comparison: conditions.Compare, node: Scalar, left_kind: str, right_kind: str
    ) -> None:
        """A date compares with `today`, another date question or a quoted ISO date, and
        only by order or equality: anything else would compare its text, not the calendar."""
        op, left, right = comparison.op, comparison.left, comparison.right
        if op in ("in", "not in"):
            self.error(
                *node.locate(comparison.offset),
                f"'{op}' does not apply to dates; compare them with <, <=, >, >=, == or !=",
            )
            return
        for value, kind, other in ((left, left_kind, right), (right, right_kind, left)):
            if kind == "date":
                continue
            if isinstance(value, conditions.Literal) and isinstance(value.value, str):
                if dates.from_iso(value.value) is None:
                    self.error(
                        *node.locate(value.offset),
                        f'"{_short(value.value)}" is not a date; write it as "YYYY-MM-DD"',
                    )
                continue
            self.error(
                *node.locate(comparison.offset),
                f"{_operand(other)} is a date, {_operand(value)} is {_KIND_WORDS[kind]}: a date "
                'compares with today, another date question or a quoted "YYYY-MM-DD"',
            )

    def check_days_until(self, call: conditions.DaysUntil, node: Scalar) -> None:
        if parse_recall(call.name) is not None:
            return  # another script's step: the registry knows its type
        step = self.steps.get(call.name)
        if step is None or not step.is_question or step.type in (None, QuestionType.DATE):
            return  # unknown steps and say steps are reported already
        self.error(
            *node.locate(call.offset),
            f"days_until needs a date question; '{call.name}' is a {step.type} question",
        )

    def check_graph(self) -> None:
        order = list(self.steps)
        if not order:
            return
        edges: dict[str, list[str]] = {}
        for index, draft in enumerate(self.steps.values()):
            if draft.branches is None and not draft.end:
                if index + 1 < len(order):
                    draft.branches = [(order[index + 1], None, draft.key)]
                else:
                    draft.end = True
            targets = []
            for target, _, node in draft.branches or ():
                if target in self.steps:
                    targets.append(target)
                else:
                    hint = self.suggest_step(target, order)
                    self.error_at(node, f"no step named '{_short(target)}'{hint}")
                    draft.bad_target = True
            edges[draft.id] = targets
        reachable = _reach([order[0]], edges)
        guessing = any(d.bad_target for d in self.steps.values())
        for step_id in order:
            if step_id not in reachable and not guessing:  # a bad target may be the cause
                self.warn(
                    self.steps[step_id].key.line,
                    self.steps[step_id].key.col,
                    f"step '{step_id}' is never reached",
                )
        # Steps with broken parts count as ending: their errors are reported already.
        backwards: dict[str, list[str]] = {s: [] for s in order}
        for source, targets in edges.items():
            for target in targets:
                backwards[target].append(source)
        ends = [d.id for d in self.steps.values() if d.end or d.broken or d.bad_target]
        can_end = _reach(ends, backwards)
        stuck = [s for s in order if s in reachable and s not in can_end]
        first = self.steps[order[0]]
        if order[0] in stuck:
            self.error_at(
                first.key,
                f"the conversation can never end: no path from '{order[0]}' reaches an end "
                "(add `end: true` to a step, or a branch to one)",
            )
            return
        for step_id in stuck:
            if all(p in stuck for p in backwards[step_id] if p in reachable):
                continue  # report where the trap is entered, not every step inside it
            trap = _reach([step_id], edges)
            inside = [s for s in order if s in trap]
            loop = ", ".join(inside[:5]) + (", ..." if len(inside) > 5 else "")
            self.error_at(
                self.steps[step_id].key,
                f"no end can be reached from step '{step_id}': every path loops through {loop}",
            )

    def build(self, draft: _Draft) -> Step:
        branches = tuple(
            Branch(go, cond, Pos(node.line, node.col)) for go, cond, node in draft.branches or ()
        )
        return Step(
            id=draft.id,
            pos=Pos(draft.key.line, draft.key.col),
            say=draft.say,
            ask=draft.ask,
            type=draft.type,
            hint=draft.hint,
            options=tuple(draft.options),
            optional=draft.optional,
            min=draft.min,
            max=draft.max,
            labels=draft.labels,
            date_min=draft.date_min,
            date_max=draft.date_max,
            branches=() if draft.end else branches,
            end=draft.end,
            prefill=tuple(source for source, _ in draft.prefill),
            commitment=draft.commitment,
            re_rates=draft.re_rates,
            sets=draft.sets,
            about=draft.about,
        )


def re_rate_problem(
    ref: ReRate,
    low: float | None,
    high: float | None,
    target: tuple[QuestionType | None, float | None, float | None] | None,
    steps: Iterable[str],
    *,
    same: bool = False,
) -> str | None:
    """Why `ref` cannot re-rate its target (type, min, max; None when the script has no
    such step), or None when it can."""
    if same:
        return "'re_rates' names this step itself; name the earlier step it asks again"
    if target is None:
        return f"script '{ref.script}' has no step '{ref.step}'{suggest(ref.step, steps)}"
    kind, target_low, target_high = target
    if kind is not QuestionType.SCALE:
        what = "a say step" if kind is None else f"a {kind} question"
        return f"'re_rates' must name a scale step; {ref.source} is {what}"
    if (target_low, target_high) != (low, high):
        return (
            f"'re_rates' needs the same scale: {ref.source} is {target_low:g}..{target_high:g}, "
            f"this step is {low:g}..{high:g}"
        )
    return None


def _key(node: Map, name: str) -> Scalar:
    """The key node of `name` in a mapping, for pointing at it in a message."""
    return next(key for key, _ in node.pairs if key.text == name)


def _span(offset: dates.Offset) -> tuple[int, int]:
    """The fewest and most days a counted bound can be from the day of answering."""
    if offset.unit == "month":
        return offset.count * 28, offset.count * 31
    days = offset.count * (7 if offset.unit == "week" else 1)
    return days, days


def _operand(operand: conditions.Operand) -> str:
    if isinstance(operand, conditions.Name):
        return f"'{operand.name}'"
    if isinstance(operand, conditions.Today):
        return "today"
    if isinstance(operand, conditions.DaysUntil):
        return f"days_until({operand.name})"
    value = operand.value
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else f"{value:g}"


def _reach(starts: list[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(starts)
    todo = list(starts)
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen
