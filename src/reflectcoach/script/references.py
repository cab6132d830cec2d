"""The names a script uses, checked once every step is known: `{holes}` in its text, names
in its conditions, prefill sources and re-ratings of its own steps. Other scripts' steps are
collected as recalls for the registry."""

from __future__ import annotations

from collections.abc import Iterable

from reflectcoach.script import mentorship_fields, prefill, rules
from reflectcoach.script.model import (
    COMMITMENT_PREFIX,
    Pos,
    QuestionType,
    RecallRef,
    ReRate,
    parse_recall,
)
from reflectcoach.script.parse import Parser
from reflectcoach.script.report import suggest
from reflectcoach.script.yamlsafe import Scalar


def check(p: Parser) -> None:
    """Every name the script uses, in the order the checks have always reported them."""
    check_prefills(p)
    rules.check_commitments(p)
    check_re_rates(p)
    for text, node in p.reader.texts:
        for name, offset in text.holes:
            if name.startswith(COMMITMENT_PREFIX):
                if id(text) not in p.reader.follow_up_texts:
                    p.report.error(
                        *node.locate(offset),
                        f"{{{name}}} is only for a follow_up step's 'ask' and 'hint'",
                    )
                continue
            reference(p, name, node, offset, shared=id(text) in p.shared_record_texts, in_text=True)
    for condition, node in p.reader.conditions:
        for name, offset in condition.names:
            if name.startswith(COMMITMENT_PREFIX):
                message = f"'{name}' is only for a follow_up step's 'ask' and 'hint'"
                p.report.error(*node.locate(offset), message)
                continue
            reference(p, name, node, offset)
        for comparison in condition.comparisons():
            rules.check_comparison(p, comparison, node)
        for call in condition.days_until():
            rules.check_days_until(p, call, node)


def check_prefills(p: Parser) -> None:
    """Each source must exist and give answers that fit its question; other scripts'
    steps are left to the registry, as recalls are."""
    shared_steps = _shared_steps(p)
    for draft in p.steps.values():
        if draft.type in (None, QuestionType.FOLLOW_UP):
            continue  # an unknown type, or prefill on a follow_up: reported already
        for source, node in draft.prefill:
            if source.kind == prefill.MENTORSHIP:
                if not prefill.fits(draft.type, QuestionType.TEXT):
                    p.report.error_at(
                        node,
                        f"'prefill: mentorship' gives a name, which does not fit this "
                        f"{draft.type} question (only text questions)",
                    )
                continue
            if source.kind in prefill.COUNTED:
                target = p.steps.get(source.step)
                if target is None:
                    hint = suggest(source.step, p.steps)
                    p.report.error_at(node, f"no step named '{source.step}'{hint}")
                    continue
                kind = None if not target.is_question else target.type
                problem = prefill.counted_problem(source.source, source.step, kind, draft.type)
                if problem is None and not target.is_question:
                    problem = f"step '{source.step}' is a say step; it has no answer"
                if problem is not None:
                    p.report.error_at(node, problem)
                continue
            if source.kind == prefill.STATE:
                problem = mentorship_fields.read_problem(source.source)
                if problem is not None:
                    p.report.error_at(node, problem)
                continue
            shared = draft.id in shared_steps
            ref = RecallRef(source.script, source.step, source.pos, draft.type, shared)
            if shared:  # the registry says whether that answer is just for me
                p.recalls.append(ref)
            if source.script != p.script_id:
                if not shared:
                    p.recalls.append(ref)
                continue
            target = p.steps.get(source.step)
            if target is None:
                hint = suggest(source.step, p.steps)
                p.report.error_at(
                    node, f"script '{source.script}' has no step '{source.step}'{hint}"
                )
            elif not target.is_question and not target.broken:
                p.report.error_at(node, f"step '{source.step}' is a say step; it has no answer")
            elif target.type is not None and not prefill.fits(draft.type, target.type):
                p.report.error_at(
                    node,
                    prefill.mismatch(source.script, source.step, target.type, draft.type),
                )


def _shared_steps(p: Parser) -> set[str]:
    """The steps named in record texts that may be shared."""
    return {
        name
        for text, _ in p.reader.texts
        if id(text) in p.shared_record_texts
        for name in text.references()
    }


def check_re_rates(p: Parser) -> None:
    """A re-rating of a step of this same script: that step must be a scale with the
    same min and max."""
    for draft in p.steps.values():
        ref = draft.re_rates
        if ref is None or ref.script != p.script_id:
            continue
        target = p.steps.get(ref.step)
        problem = re_rate_problem(
            ref,
            draft.min,
            draft.max,
            None if target is None else (target.type, target.min, target.max),
            p.steps,
            same=ref.step == draft.id,
        )
        if problem is not None:
            p.report.error(ref.pos.line, ref.pos.col, problem)


def reference(
    p: Parser,
    name: str,
    node: Scalar,
    offset: int,
    *,
    shared: bool = False,
    in_text: bool = False,
) -> None:
    """`in_text`: a follow_up step may be named in a text (its outcomes, in words)."""
    if name.startswith(mentorship_fields.PREFIX):
        problem = mentorship_fields.read_problem(name)
        if problem is not None:
            p.report.error(*node.locate(offset), problem)
        return
    recall = parse_recall(name)
    what = "unknown step"
    if recall is not None:
        pos = Pos(*node.locate(offset))
        p.recalls.append(RecallRef(recall[0], recall[1], pos, shared=shared))
        if recall[0] != p.script_id:
            return  # the registry checks it against the other scripts
        what, name = f"script '{recall[0]}' has no step", recall[1]
    step = p.steps.get(name)
    if step is None:
        hint = p.report.suggest_step(name, p.steps)
        p.report.error(*node.locate(offset), f"{what} '{name}'{hint}")
    elif not step.is_question and not step.broken:
        p.report.error(*node.locate(offset), f"step '{name}' is a say step; it has no answer")
    elif step.type is QuestionType.FOLLOW_UP and not in_text:
        message = f"step '{name}' is a follow_up step; it has no single answer to use here"
        p.report.error(*node.locate(offset), message)


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
