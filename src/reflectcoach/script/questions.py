"""A question step's type-specific parts: options, scales and labels, number and date
ranges, prefill sources, commitments and re-ratings."""

from __future__ import annotations

from reflectcoach.script import dates, keys, mentorship_fields, prefill, templates
from reflectcoach.script.model import (
    RE_RATES,
    CommitmentSpec,
    Option,
    Pos,
    Prefill,
    QuestionType,
    ReRate,
)
from reflectcoach.script.reading import Draft, Reader, key_node
from reflectcoach.script.report import short, suggest
from reflectcoach.script.yamlsafe import Map, Node, Scalar, Seq, describe

QUESTION_KEYS = keys.names(keys.QUESTION)
COMMITMENT_KEYS = keys.names(keys.COMMITMENT)
OPTION_KEYS = keys.names(keys.OPTION)
SCALE_DEFAULT = (1, 5)
SCALE_MAX_SPAN = 10
TYPE_KEYS = keys.TYPE_KEYS  # the keys that only some question types take
_TYPES = {t.value: t for t in QuestionType}


def read_question(r: Reader, draft: Draft, found: dict[str, Node], node: Map) -> None:
    if "hint" in found:
        draft.hint = r.template("hint", found["hint"])
    if "prefill" in found:
        draft.prefill = read_prefill(r, found["prefill"])
    if "optional" in found:
        draft.optional = r.flag("optional", found["optional"])
    kind = QuestionType.TEXT
    if "type" in found:
        text = r.text("type", found["type"])
        if text is not None and text not in _TYPES:
            hint = suggest(text, _TYPES) or f" (one of: {', '.join(_TYPES)})"
            r.error_at(found["type"], f"unknown type '{short(text)}'{hint}")
        if text not in _TYPES:
            return  # without a known type, the type-specific checks would only add noise
        kind = _TYPES[text]
    draft.type = kind
    allowed = TYPE_KEYS[kind]
    for name in keys.TYPE_ONLY:
        if name in found and name not in allowed:
            r.error_at(key_node(node, name), f"'{name}' does not apply to a {kind} question")
    if kind in keys.NEEDS_OPTIONS:
        if "options" in found:
            draft.options = read_options(r, found["options"])
        else:
            r.error_at(draft.key, f"a {kind} question needs 'options'")
    if kind is QuestionType.SCALE:
        read_scale(r, draft, found)
        if "re_rates" in found:
            draft.re_rates = read_re_rates(r, found["re_rates"])
    elif kind is QuestionType.NUMBER:
        read_number_range(r, draft, found)
    elif kind is QuestionType.DATE:
        read_date_range(r, draft, found)
    if "sets" in found:
        draft.sets = read_sets(r, found["sets"], kind)
    if "about" in found:
        draft.about = read_about(r, found["about"], kind)
    if kind is QuestionType.FOLLOW_UP:
        r.follow_up_texts.update(id(t) for t in (draft.ask, draft.hint) if t is not None)
        for name in ("prefill", "commitment"):
            if name in found:
                r.error_at(key_node(node, name), f"'{name}' does not apply to a follow_up step")
    elif "commitment" in found:
        if kind in (QuestionType.TEXT, QuestionType.LONG_TEXT):
            read_commitment(r, draft, found["commitment"])
        else:
            message = f"'commitment' is for text and long_text questions, not {kind}"
            r.error_at(key_node(node, "commitment"), message)


def read_about(r: Reader, node: Node, kind: QuestionType) -> str:
    """`about: commitments | talking_points` on a follow_up step."""
    text = r.text("about", node)
    if kind is not QuestionType.FOLLOW_UP:
        r.error_at(node, "'about' is only for a follow_up step")
    elif text is not None and text not in ("commitments", "talking_points"):
        r.error_at(node, f"'about' must be commitments or talking_points, not '{text}'")
    else:
        return text or "commitments"
    return "commitments"


def read_sets(r: Reader, node: Node, kind: QuestionType) -> str | None:
    """`sets: mentorship.FIELD` (script/mentorship_fields.py)."""
    text = r.text("sets", node)
    if text is None:
        return None
    problem = mentorship_fields.write_problem(text, kind)
    if problem is not None:
        r.error_at(node, problem)
        return None
    return mentorship_fields.field_of(text)


def read_commitment(r: Reader, draft: Draft, node: Node) -> None:
    """`commitment: {due: STEP, goal: STEP}`; the steps are checked once all are known."""
    if not isinstance(node, Map):
        r.error_at(node, f"'commitment' must be a mapping with 'due', not {describe(node)}")
        return
    found = r.fields(node, COMMITMENT_KEYS, keys.required(keys.COMMITMENT), "'commitment'")
    names: dict[str, str] = {}
    for key, value in found.items():
        text = r.text(key, value)
        if text is not None:
            names[key] = text
            draft.commitment_nodes.append((key, value))
    if "due" in names:
        draft.commitment = CommitmentSpec(names["due"], names.get("goal"))


def read_options(r: Reader, node: Node) -> list[Option]:
    if not isinstance(node, Seq):
        r.error_at(node, f"'options' must be a list, not {describe(node)}")
        return []
    if not node.items:
        r.error_at(node, "'options' is empty")
    options: list[Option] = []
    first_at: dict[str, Node] = {}
    for item in node.items:
        option = read_option(r, item)
        if option is None:
            continue
        if option.value in first_at:
            first = first_at[option.value]
            where = f"{first.line}:{first.col}"
            r.error_at(item, f"duplicate option value '{short(option.value)}' (first at {where})")
            continue
        first_at[option.value] = item
        options.append(option)
    return options


def read_option(r: Reader, item: Node) -> Option | None:
    if isinstance(item, Map):
        found = r.fields(item, OPTION_KEYS, keys.required(keys.OPTION), "an option")
        value = r.text("value", found.get("value"))
        if value is None:
            return None
        label = r.template("label", found["label"]) if "label" in found else None
        exclusive = r.flag("exclusive", found["exclusive"]) if "exclusive" in found else False
        return Option(value, label or templates.literal(value), exclusive)
    if not isinstance(item, Scalar) or item.value is None:
        r.error_at(item, f"an option must be text or {{value, label}}, not {describe(item)}")
        return None
    if not item.text.strip():
        r.error_at(item, "an option must not be empty")
        return None
    try:
        label = templates.parse(item.text)
    except templates.TemplateError as err:
        r.error(*item.locate(err.offset), f"in option: {err.message}")
        return None
    if label.holes:
        r.error_at(
            item,
            "an option written as plain text is its own value, so it cannot insert "
            "answers; write {value: ..., label: ...} instead",
        )
        return None
    return Option(label.render(str), label)


def read_prefill(r: Reader, node: Node) -> list[tuple[Prefill, Scalar]]:
    items = node.items if isinstance(node, Seq) else [node]
    if isinstance(node, Seq) and not node.items:
        r.error_at(node, "'prefill' is an empty list")
    sources: list[tuple[Prefill, Scalar]] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Scalar) or item.value is None or not item.text.strip():
            r.error_at(
                item,
                f"'prefill' must be {prefill.SOURCES_HINT}, or a list of them, "
                f"not {describe(item)}",
            )
            continue
        try:
            source = prefill.parse(item.text, Pos(item.line, item.col))
        except prefill.PrefillError as err:
            r.error_at(item, str(err))
            continue
        if source.source in seen:
            r.warn(item.line, item.col, f"'{source.source}' is already in this prefill")
            continue
        seen.add(source.source)
        sources.append((source, item))
    return sources


def read_scale(r: Reader, draft: Draft, found: dict[str, Node]) -> None:
    low, high = SCALE_DEFAULT
    if "min" in found:
        value = r.number("min", found["min"], whole=True)
        low = int(value) if value is not None else low
    if "max" in found:
        value = r.number("max", found["max"], whole=True)
        high = int(value) if value is not None else high
    where = found.get("min") or found.get("max") or draft.key
    if low >= high:
        r.error_at(where, f"scale 'min' ({low}) must be less than 'max' ({high})")
        return  # the labels cannot be checked against a range that does not exist
    if high - low > SCALE_MAX_SPAN:
        r.error_at(
            where,
            f"a scale spans at most {SCALE_MAX_SPAN + 1} points; {low}..{high} has "
            f"{high - low + 1}",
        )
    draft.min, draft.max = low, high
    if "labels" in found:
        draft.labels = read_labels(r, found["labels"], low, high)


def read_re_rates(r: Reader, node: Node) -> ReRate | None:
    """`SCRIPT.STEP`; whether that step exists and has this scale is checked once the
    step's own script is loaded (here, or by the registry for another script)."""
    text = r.text("re_rates", node)
    if text is None:
        return None
    match = RE_RATES.match(text)
    if match is None:
        r.error_at(
            node,
            f"'re_rates' must be SCRIPT_ID.STEP_ID (e.g. goal_setting.baseline), "
            f"not '{short(text)}'",
        )
        return None
    return ReRate(match.group(1), match.group(2), Pos(node.line, node.col))


def read_labels(r: Reader, node: Node, low: int, high: int) -> dict[int, str]:
    if not isinstance(node, Map):
        r.error_at(node, f"'labels' must be a mapping of scale point to text, not {describe(node)}")
        return {}
    labels: dict[int, str] = {}
    for key, value in node.pairs:
        point = key.value
        if isinstance(point, bool) or not isinstance(point, int):
            r.error_at(key, f"a label key must be a whole number, not {describe(key)}")
            continue
        if not low <= point <= high:
            r.error_at(key, f"label {point} is outside the scale {low}..{high}")
            continue
        text = r.text(f"label {point}", value)
        if text is not None:
            labels[point] = text
    return labels


def read_number_range(r: Reader, draft: Draft, found: dict[str, Node]) -> None:
    if "min" in found:
        draft.min = r.number("min", found["min"], whole=False)
    if "max" in found:
        draft.max = r.number("max", found["max"], whole=False)
    if draft.min is not None and draft.max is not None and draft.min >= draft.max:
        r.error_at(found["min"], f"'min' ({draft.min:g}) must be less than 'max' ({draft.max:g})")


def read_date_bound(r: Reader, name: str, node: Node) -> dates.Offset | None:
    if not isinstance(node, Scalar) or not isinstance(node.value, str):
        words = dates.OFFSET_EXAMPLES
        r.error_at(node, f"'{name}' must be a date bound ({words}), not {describe(node)}")
        return None
    try:
        return dates.parse_offset(node.text)
    except dates.DateError as err:
        r.error_at(node, f"'{name}': {err.message}")
        return None


def read_date_range(r: Reader, draft: Draft, found: dict[str, Node]) -> None:
    if "min" in found:
        draft.date_min = read_date_bound(r, "min", found["min"])
    if "max" in found:
        draft.date_max = read_date_bound(r, "max", found["max"])
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
        r.error_at(
            found["min"],
            f"'min' ({lo.text.strip()}) is after 'max' ({hi.text.strip()}): no date fits",
        )


def _span(offset: dates.Offset) -> tuple[int, int]:
    """The fewest and most days a counted bound can be from the day of answering."""
    if offset.unit == "month":
        return offset.count * 28, offset.count * 31
    days = offset.count * (7 if offset.unit == "week" else 1)
    return days, days
