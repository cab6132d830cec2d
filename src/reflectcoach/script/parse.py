"""A script file's nodes read into a header and step drafts (the model is built once every
reference and the graph are checked: script/loader.py)."""

from __future__ import annotations

from dataclasses import dataclass

from reflectcoach.core import sharing
from reflectcoach.core.text import clean
from reflectcoach.script import conditions, includes, keys, questions, templates
from reflectcoach.script.model import SCRIPT_ID, STEP_ID, Audience, RecallRef, RecordPart
from reflectcoach.script.reading import Draft, Reader, key_node
from reflectcoach.script.report import Diagnostic, Report, short, suggest
from reflectcoach.script.yamlsafe import Map, Node, Scalar, Seq, compose, describe

# Which keys each mapping holds: one table (script/keys.py), which the JSON Schema reads too.
TOP_KEYS = keys.names(keys.TOP)
# What `delivers:` may say: how a completed record goes to the partner (store/partners.py).
DELIVERIES = ("feedback", "record")
RECORD_PART_KEYS = keys.names(keys.RECORD_PART)
TOP_REQUIRED = keys.required(keys.TOP)
STEP_KEYS = keys.names(keys.STEP)
BRANCH_KEYS = keys.names(keys.BRANCH)
# Words of the condition language and the recall prefix cannot name steps.
RESERVED = frozenset(conditions.KEYWORDS | {"recall"})
_AUDIENCES = {a.value: a for a in Audience}


@dataclass
class Header:
    """The script's own fields as read; None where they are missing or wrong."""

    id: str | None
    id_node: Node | None
    title: str | None
    summary: str | None
    audience: Audience | None
    version: int
    record: templates.Template | None
    closes_mentorship: bool
    delivers: str | None = None


class Parser:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.reader = Reader(report)
        self.script_id: str | None = None
        self.steps: dict[str, Draft] = {}
        self.record_parts: tuple[RecordPart, ...] = ()
        self.shared_record_texts: set[int] = set()  # ids of record texts that may be shared
        self.included = includes.Included()  # parts spliced in from other files
        # Other scripts' steps this one uses (recall, prefill), for the registry to check.
        self.recalls: list[RecallRef] = []

    def read(self, data: bytes) -> Header | None:
        """The header and `self.steps`; None when the file is not a mapping at all."""
        root, problems = compose(data)
        for problem in problems:
            self.report.error(problem.line, problem.col, problem.message)
        if root is None:
            return None
        self.included = includes.expand(root, self.report.path, len(data))  # parts spliced in
        for part in self.included.problems:
            self.report.has_errors = True
            self.report.diagnostics.append(
                Diagnostic(part.path, part.line, part.col, "error", clean(part.message))
            )
        if isinstance(root, Scalar) and root.value is None:
            self.report.error(1, 1, "the file is empty")
            return None
        if not isinstance(root, Map):
            message = "the top level must be a mapping with id, title, summary, audience and steps"
            self.report.error_at(root, f"{message}, not {describe(root)}")
            return None
        top = self.reader.fields(root, TOP_KEYS, TOP_REQUIRED, "the script")
        script_id = self.identifier(top.get("id"))
        title = self.reader.text("title", top.get("title"))
        summary = self.reader.text("summary", top.get("summary"))
        audience = self.audience(top.get("audience"))
        version = self.version(top.get("version"))
        record = self.record(top["record"]) if "record" in top else None
        closes = "closes_mentorship" in top and self.reader.flag(
            "closes_mentorship", top["closes_mentorship"]
        )
        delivers = self.delivers(top.get("delivers"))
        if "steps" in top:
            self.read_steps(top["steps"])
        id_node = top.get("id")
        return Header(
            script_id, id_node, title, summary, audience, version, record, closes, delivers
        )

    def delivers(self, node: Node | None) -> str | None:
        text = None if node is None else self.reader.text("delivers", node)
        if text is None or node is None:
            return None
        if text not in DELIVERIES:
            self.report.error_at(
                node, f"'delivers' must be feedback or record, not '{short(text)}'"
            )
            return None
        return text

    def identifier(self, node: Node | None) -> str | None:
        text = self.reader.text("id", node)
        if text is None or node is None:
            return None
        if not SCRIPT_ID.match(text):
            self.report.error_at(
                node,
                f"id '{short(text)}' must be lowercase letters, digits and _, "
                "starting with a letter",
            )
            return None
        self.script_id = text
        return text

    def audience(self, node: Node | None) -> Audience | None:
        text = self.reader.text("audience", node)
        if text is None or node is None:
            return None
        if text not in _AUDIENCES:
            hint = suggest(text, _AUDIENCES) or f" (one of: {', '.join(_AUDIENCES)})"
            self.report.error_at(node, f"unknown audience '{short(text)}'{hint}")
            return None
        return _AUDIENCES[text]

    def version(self, node: Node | None) -> int:
        if node is None:
            return 1
        value = self.reader.number("version", node, whole=True)
        if value is not None and value < 1:
            self.report.error_at(node, "'version' must be 1 or more")
        return int(value) if value is not None and value >= 1 else 1

    def record(self, node: Node) -> templates.Template | None:
        """`record:` as one template, or a list of parts: text, or `{text, private, if}`
        (a private part is just for the person, `sharing.py`; `if` shows it only when the
        condition holds). The parts go to `self.record_parts`; the joined whole is returned."""
        if not isinstance(node, Seq):
            whole_record = self.reader.template("record", node)
            if whole_record is not None:
                self.shared_record_texts.add(id(whole_record))
            return whole_record
        if not node.items:
            self.report.error_at(node, "'record' is an empty list; give it text or parts")
            return None
        whole: list[templates.Template] = []
        parts: list[RecordPart] = []
        for item in node.items:
            text_node: Node = item
            private, condition = False, None
            if isinstance(item, Map):
                fields = self.reader.fields(
                    item, RECORD_PART_KEYS, keys.required(keys.RECORD_PART), "a record part"
                )
                if "text" not in fields:
                    continue
                text_node = fields["text"]
                if "private" in fields:
                    private = self.reader.flag("private", fields["private"])
                if "if" in fields:
                    condition = self.reader.condition(fields["if"])
            elif not isinstance(item, Scalar):
                what = describe(item)
                self.report.error_at(
                    item, f"a record part must be text or {{text, private}}, not {what}"
                )
                continue
            part = self.reader.template("record", text_node)
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

    def read_steps(self, node: Node) -> None:
        if not isinstance(node, Map):
            self.report.error_at(
                node, f"'steps' must be a mapping of step id to step, not {describe(node)}"
            )
            return
        if not node.pairs and not self.included.problems:  # a refused include said why
            self.report.error_at(node, "'steps' is empty; a script needs at least one step")
        for key, value in node.pairs:
            step_id = key.text
            if not STEP_ID.match(step_id):
                self.report.error_at(
                    key,
                    f"step id '{short(step_id)}' must be lowercase letters, digits and _, "
                    "starting with a letter",
                )
            elif step_id in RESERVED:
                words = ", ".join(sorted(RESERVED))
                self.report.error_at(key, f"step id '{step_id}' is reserved ({words})")
            self.steps[step_id] = self.step(step_id, key, value)

    def step(self, step_id: str, key: Scalar, node: Node) -> Draft:
        draft = Draft(step_id, key)
        if not isinstance(node, Map):
            where = key if isinstance(node, Scalar) and node.value is None else node
            message = f"step '{step_id}' must be a mapping with 'say' or 'ask'"
            self.report.error_at(where, f"{message}, not {describe(node)}")
            draft.broken = True
            return draft
        found = self.reader.fields(node, STEP_KEYS, (), f"step '{step_id}'")
        if "say" in found and "ask" in found:
            later = max(key_node(node, "say"), key_node(node, "ask"), key=lambda k: (k.line, k.col))
            self.report.error_at(later, "a step either says or asks: use 'say' or 'ask', not both")
        elif "say" not in found and "ask" not in found:
            self.report.error_at(key, f"step '{step_id}' needs 'say' or 'ask'")
            draft.broken = True
        if "ask" in found:
            draft.is_question = True
            draft.ask = self.reader.template("ask", found["ask"])
            questions.read_question(self.reader, draft, found, node)
        elif "say" in found:
            draft.say = self.reader.template("say", found["say"])
            for name in questions.QUESTION_KEYS:
                if name in found:
                    message = f"'{name}' is only for questions (steps with 'ask')"
                    self.report.error_at(key_node(node, name), message)
        if "end" in found:
            draft.end = self.reader.flag("end", found["end"])
        if "next" in found:
            if draft.end:
                message = "a step with 'end: true' cannot also have 'next'"
                self.report.error_at(key_node(node, "end"), message)
            draft.branches = self.next_branches(found["next"], draft)
        return draft

    def next_branches(
        self, node: Node, draft: Draft
    ) -> list[tuple[str, conditions.Condition | None, Node]]:
        if isinstance(node, Scalar) and node.value is not None and node.text.strip():
            return [(node.text, None, node)]
        if not isinstance(node, Seq):
            self.report.error_at(
                node, f"'next' must be a step id or a list of branches, not {describe(node)}"
            )
            draft.bad_target = True
            return []
        if not node.items:
            self.report.error_at(node, "'next' is an empty list")
            draft.bad_target = True
        branches: list[tuple[str, conditions.Condition | None, Node]] = []
        has_else = False
        for item in node.items:
            if not isinstance(item, Map):
                self.report.error_at(
                    item, f"a branch must be a mapping with 'go' (and 'if'), not {describe(item)}"
                )
                draft.bad_target = True
                continue
            found = self.reader.fields(item, BRANCH_KEYS, keys.required(keys.BRANCH), "a branch")
            if has_else:
                self.report.error_at(
                    item, "this branch is never taken: an earlier branch has no 'if'"
                )
            condition = self.reader.condition(found["if"]) if "if" in found else None
            has_else = has_else or "if" not in found
            target = self.reader.text("go", found.get("go"))
            if target is None:
                draft.bad_target = True
                continue
            branches.append((target, condition, found["go"]))
        last = node.items[-1] if node.items else None
        if last is not None and not has_else:
            self.report.error_at(
                last,
                "no branch matches when every condition is false; add a final `- go: STEP` branch",
            )
        return branches
