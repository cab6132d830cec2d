"""YAML nodes read into values and step drafts, every problem reported where it was written."""

from __future__ import annotations

from dataclasses import dataclass, field

from reflectcoach.core.numbers import MAX_NUMBER_WORDS, within
from reflectcoach.script import conditions, dates, templates, urls
from reflectcoach.script.model import (
    Branch,
    CommitmentSpec,
    Option,
    Pos,
    Prefill,
    QuestionType,
    ReRate,
    Step,
)
from reflectcoach.script.report import Report, short, suggest
from reflectcoach.script.yamlsafe import Map, Node, Scalar, describe


@dataclass
class Draft:
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


class Reader:
    """Values read from nodes: text, templates, conditions, flags, numbers. The templates and
    conditions are kept with their nodes, for the checks that need every step known."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.error, self.warn, self.error_at = report.error, report.warn, report.error_at
        # Parsed text and conditions with the node they came from, checked once steps are known.
        self.texts: list[tuple[templates.Template, Scalar]] = []
        self.conditions: list[tuple[conditions.Condition, Scalar]] = []
        # Texts that may say `{commitment.text}`: a follow_up step's ask and hint.
        self.follow_up_texts: set[int] = set()

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
            self.error_at(key, f"unknown key '{short(name)}'{hint}")
        for name in required:
            if name not in found:
                self.error_at(node, f"{what} is missing '{name}'")
        return found

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


def key_node(node: Map, name: str) -> Scalar:
    """The key node of `name` in a mapping, for pointing at it in a message."""
    return next(key for key, _ in node.pairs if key.text == name)


def build(draft: Draft) -> Step:
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
