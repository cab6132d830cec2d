"""Rules on what an answer may be used for: a condition compares values of one kind, dates
only as dates, `days_until` counts to a date question, a commitment's `due` is a date."""

from __future__ import annotations

from reflectcoach.script import conditions, dates
from reflectcoach.script.model import QuestionType, parse_recall
from reflectcoach.script.parse import Parser
from reflectcoach.script.report import short, suggest
from reflectcoach.script.yamlsafe import Scalar

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
_KIND_WORDS = {
    **{"str": "text", "number": "a number", "bool": "true/false", "list": "a list"},
    "date": "a date",
}


def check_commitments(p: Parser) -> None:
    """A commitment's `due` names a date question, its `goal` a question."""
    for draft in p.steps.values():
        for key, node in draft.commitment_nodes:
            assert isinstance(node, Scalar)
            name = node.text
            target = p.steps.get(name)
            if target is None:
                p.report.error_at(
                    node,
                    f"'{key}': no step named '{short(name)}'{p.report.suggest_step(name, p.steps)}",
                )
            elif not target.is_question:
                p.report.error_at(node, f"'{key}': step '{name}' is a say step; it has no answer")
            elif target.type is QuestionType.FOLLOW_UP:
                p.report.error_at(node, f"'{key}': step '{name}' is a follow_up step")
            elif key == "due" and target.type not in (QuestionType.DATE, None):
                p.report.error_at(node, f"'due': step '{name}' must be a date question")


def kind(p: Parser, operand: conditions.Operand) -> str | None:
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
    step = p.steps.get(operand.name)
    return ANSWER_KIND.get(step.type) if step is not None and step.type else None


def check_comparison(p: Parser, comparison: conditions.Compare, node: Scalar) -> None:
    op, left, right = comparison.op, comparison.left, comparison.right
    left_kind, right_kind = kind(p, left), kind(p, right)
    if left_kind is None or right_kind is None:
        return
    if "date" in (left_kind, right_kind):
        check_date_comparison(p, comparison, node, left_kind, right_kind)
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
        p.report.warn(*node.locate(comparison.offset), f"'{op}' is always false here: {why}")
        return
    # A literal compared with a choice or multi answer must be one of its option values.
    pairs = [(left, right), (right, left)] if op in ("==", "!=") else [(left, right)]
    for value, other in pairs:
        if not isinstance(value, conditions.Literal) or not isinstance(other, conditions.Name):
            continue
        step = p.steps.get(other.name)
        if step is None or step.type not in (QuestionType.CHOICE, QuestionType.MULTI):
            continue
        if op in ("in", "not in") and step.type is not QuestionType.MULTI:
            continue
        values = [o.value for o in step.options]
        if step.options and value.value not in values:
            hint = suggest(str(value.value), values)
            message = f"'{value.value}' is not an option of '{other.name}'{hint}"
            p.report.warn(*node.locate(value.offset), message)


def check_date_comparison(
    p: Parser, comparison: conditions.Compare, node: Scalar, left_kind: str, right_kind: str
) -> None:
    """A date compares with `today`, another date question or a quoted ISO date, and
    only by order or equality: anything else would compare its text, not the calendar."""
    op, left, right = comparison.op, comparison.left, comparison.right
    if op in ("in", "not in"):
        p.report.error(
            *node.locate(comparison.offset),
            f"'{op}' does not apply to dates; compare them with <, <=, >, >=, == or !=",
        )
        return
    for value, kind, other in ((left, left_kind, right), (right, right_kind, left)):
        if kind == "date":
            continue
        if isinstance(value, conditions.Literal) and isinstance(value.value, str):
            if dates.from_iso(value.value) is None:
                p.report.error(
                    *node.locate(value.offset),
                    f'"{short(value.value)}" is not a date; write it as "YYYY-MM-DD"',
                )
            continue
        p.report.error(
            *node.locate(comparison.offset),
            f"{_operand(other)} is a date, {_operand(value)} is {_KIND_WORDS[kind]}: a date "
            'compares with today, another date question or a quoted "YYYY-MM-DD"',
        )


def check_days_until(p: Parser, call: conditions.DaysUntil, node: Scalar) -> None:
    if parse_recall(call.name) is not None:
        return  # another script's step: the registry knows its type
    step = p.steps.get(call.name)
    if step is None or not step.is_question or step.type in (None, QuestionType.DATE):
        return  # unknown steps and say steps are reported already
    p.report.error(
        *node.locate(call.offset),
        f"days_until needs a date question; '{call.name}' is a {step.type} question",
    )


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
