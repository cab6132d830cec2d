"""Ratings over time as series with meaning, for insights, the mentorship screen and
`reflectcoach mentorship show`.

A series is one script step in one mentorship, labelled by its question as last asked (and
saying so when its wording changed), or, for the skill behind the mentorship's goal, by the
goal as it stands (re-aimed from its earlier words). A scale step that `re_rates` another (closing's
re-rating of goal_setting's baseline) is not a series of its own: its points join the step
it re-rates, in the same mentorship, on one line. The scale is the script's (1-10 is drawn
1-10); a step no loaded script declares is drawn from its data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from reflectcoach.script.model import QuestionType, Script

if TYPE_CHECKING:
    from reflectcoach.store import Store

StepKey = tuple[str, str]  # (script_id, step_id)
GOAL_FIELD = "goal"  # `sets: mentorship.goal`


@dataclass(frozen=True, slots=True)
class RatingPoint:
    at: str  # UTC ISO time answered
    value: float
    script_id: str  # the step that gave it: the series' own, or a re-rating of it
    step_id: str


@dataclass(frozen=True, slots=True)
class RatingSeries:
    script_id: str
    step_id: str
    mentorship: str | None
    question: str  # as last asked
    wordings: tuple[str, ...]  # every wording, first asked first; more than one: it changed
    low: float | None  # the declared scale; None for a number question or an unknown step
    high: float | None
    points: tuple[RatingPoint, ...]  # oldest first
    # The goal this series rates the skill behind (a re-rated step of a script that sets the
    # mentorship's goal), as it stands now, and its earlier wordings when it was re-aimed.
    goal: str = ""
    goal_was: tuple[str, ...] = ()

    @property
    def key(self) -> StepKey:
        return self.script_id, self.step_id

    @property
    def label(self) -> str:
        """What the series is called: the goal as it stands ("Run X by July (re-aimed from:
        Run X by June)"), else the question as last asked."""
        if not self.goal:
            return self.question
        if not self.goal_was:
            return self.goal
        return f"{self.goal} (re-aimed from: {' / '.join(self.goal_was)})"

    @property
    def reworded(self) -> bool:
        return len(self.wordings) > 1

    def is_re_rating(self, point: RatingPoint) -> bool:
        return (point.script_id, point.step_id) != self.key


def re_raters(scripts: Iterable[Script]) -> dict[StepKey, list[StepKey]]:
    """Each re-rated step -> the steps that re-rate it."""
    found: dict[StepKey, list[StepKey]] = {}
    for script in scripts:
        for step in script.steps.values():
            if step.re_rates is not None:
                target = (step.re_rates.script, step.re_rates.step)
                found.setdefault(target, []).append((script.id, step.id))
    return found


def is_rating(scripts: Mapping[str, Script], key: StepKey) -> bool:
    """Only a scale question is a rating: a number ("how many months should this run?")
    is a count, not a point on a scale. A step no loaded script declares is kept (its
    script is gone; the store does not say which it was)."""
    script = scripts.get(key[0])
    step = None if script is None else script.steps.get(key[1])
    return step is None or step.type is QuestionType.SCALE


def scale_of(scripts: Mapping[str, Script], key: StepKey) -> tuple[float | None, float | None]:
    script = scripts.get(key[0])
    step = None if script is None else script.steps.get(key[1])
    if step is None or step.type is not QuestionType.SCALE:
        return None, None
    return step.min, step.max


def mentorship_ratings(
    store: Store, scripts: Mapping[str, Script], mentorship: str
) -> list[RatingSeries]:
    """Every rating (scale question) answered in `mentorship` (even once), re-ratings joined to
    what they re-rate, in script and step order. One read of the mentorship's points; each
    series' question is read at its first and last point, and all its wordings only when
    those two differ (so one asked as A, then B, then A again reads as unchanged)."""
    name = store.mentorships.name_for(mentorship)
    raw = store.insights.numeric_points(mentorship)
    ends: dict[StepKey, tuple[tuple[str, int], tuple[str, int]]] = {}
    for script_id, step_id, _, _, conversation_id, seq in raw:
        key = (script_id, step_id)
        first = ends[key][0] if key in ends else (conversation_id, seq)
        ends[key] = (first, (conversation_id, seq))
    rows: list[Row] = [
        (s, step, at, value, "")
        for s, step, at, value, _, _ in raw
        if is_rating(scripts, (s, step))
    ]
    result = []
    for series in _grouped(rows, scripts, name):
        first, last = ends[series.key]
        question = store.insights.question_at(*last)
        said: tuple[str, ...] = (question,)
        if store.insights.question_at(*first) != question:
            found = store.insights.question_wordings(series.script_id, series.step_id, mentorship)
            said = (*(w for w in found if w != question), question)
        result.append(replace(series, question=question, wordings=said))
    return [_with_goal(store, scripts, s, name, ends[s.key][0][0]) for s in result]


@dataclass(frozen=True, slots=True)
class ListedSeries:
    """A series as the mentorship screen lists it before its points are read: what
    `mentorship_ratings` gives for it but the points (`series.points` is empty), how many
    points it has, and the steps whose points make it (its own first, then each re-rating
    of it joined to it), for `with_points`."""

    series: RatingSeries
    count: int
    steps: tuple[StepKey, ...]
    # False: only the wording it was last asked with is known (`series.wordings` holds it
    # alone); `with_wordings` and `with_points` read the others.
    worded: bool = True


def rating_list(
    store: Store, scripts: Mapping[str, Script], mentorship: str, *, wordings: bool = True
) -> list[ListedSeries]:
    """`mentorship_ratings` without the points: the same series, in the same order, with
    the same labels, wordings and scales, from the store's per-question summary (counts
    and the question as last asked) and each series' first point (its first wording, and
    the conversation whose goal it rates); no point is read. What it reads follows the
    series listed, where `mentorship_ratings` reads every rating of the mentorship.

    Without `wordings`, only the goal's series has its first point read (for its label):
    the first points are most of the time this takes (16 of 19 ms for the lifetime's Ada),
    and `with_wordings` reads them afterwards."""
    name = store.mentorships.name_for(mentorship)
    found = store.insights.numeric_questions(mentorship=mentorship, min_conversations=1)
    counts = {(q["script_id"], q["step_id"]): q["count"] for q in found}
    last = {(q["script_id"], q["step_id"]): q["question"] for q in found}
    keys = [key for key in counts if is_rating(scripts, key)]
    rerated = re_raters(scripts.values())
    targets = {rater: target for target, raters in rerated.items() for rater in raters}
    # As _grouped: a re-rating joins its target when the target has points here.
    owner = {key: targets[key] if targets.get(key) in counts else key for key in keys}
    own = sorted(key for key in keys if owner[key] == key)
    need = own if wordings else [k for k in own if k in rerated and sets_goal(scripts, k)]
    firsts = store.insights.first_points(mentorship, need)
    listed: list[ListedSeries] = []
    for key in own:
        question = last[key]
        conversation_id, _, first_question = firsts.get(key, ("", 0, question))
        said = _said(store, key, mentorship, first_question, question)
        low, high = scale_of(scripts, key)
        series = RatingSeries(
            script_id=key[0],
            step_id=key[1],
            mentorship=name,
            question=question,
            wordings=said,
            low=low,
            high=high,
            points=(),
        )
        joined = tuple(other for other in keys if owner[other] == key and other != key)
        listed.append(
            ListedSeries(
                series=_with_goal(store, scripts, series, name, conversation_id or None),
                count=sum(counts[step] for step in (key, *joined)),
                steps=(key, *joined),
                worded=wordings or key in firsts,
            )
        )
    return listed


def with_wordings(store: Store, listed: list[ListedSeries]) -> list[ListedSeries]:
    """`rating_list(wordings=False)`'s series with the wordings of each read (one statement
    for their first points): what `rating_list` gives."""
    todo = [item.series.key for item in listed if not item.worded]
    if not todo:
        return listed
    mentorship = listed[0].series.mentorship or ""
    firsts = store.insights.first_points(mentorship, todo)
    result = []
    for item in listed:
        series = item.series
        if not item.worded:
            first = firsts.get(series.key, ("", 0, series.question))[2]
            said = _said(store, series.key, mentorship, first, series.question)
            item = replace(item, series=replace(series, wordings=said), worded=True)
        result.append(item)
    return result


def _said(store: Store, key: StepKey, mentorship: str, first: str, last: str) -> tuple[str, ...]:
    """A series' wordings as `mentorship_ratings` gives them: the last alone when its first
    and last points were asked alike, else every one, the last last."""
    if first == last:
        return (last,)
    found = store.insights.question_wordings(key[0], key[1], mentorship)
    return (*(w for w in found if w != last), last)


def with_points(store: Store, scripts: Mapping[str, Script], listed: ListedSeries) -> RatingSeries:
    """A listed series with its points (and its re-ratings'), oldest first, as
    `mentorship_ratings` gives them: one read per step, of that step's points only."""
    series = listed.series
    mentorship = series.mentorship or ""
    rows: list[Row] = []
    first: tuple[str, int] | None = None
    for script_id, step_id in listed.steps:
        found = store.insights.numeric_points(mentorship, script_id=script_id, step_id=step_id)
        rows += [(script_id, step_id, at, value, "") for _, _, at, value, _, _ in found]
        if found and (script_id, step_id) == series.key:  # its oldest: its first wording
            first = found[0][4], found[0][5]
    if not listed.worded and first is not None:
        said = _said(
            store, series.key, mentorship, store.insights.question_at(*first), series.question
        )
        series = replace(series, wordings=said)
    rows.sort(key=lambda row: row[2])
    grouped = [s for s in _grouped(rows, scripts, series.mentorship) if s.key == series.key]
    return replace(series, points=grouped[0].points if grouped else ())


def _with_goal(
    store: Store,
    scripts: Mapping[str, Script],
    series: RatingSeries,
    mentorship: str | None,
    rated_in: str | None = None,
) -> RatingSeries:
    """A series of the goal's skill takes the goal's words as they stand (re-aimed at the
    midpoint review, say), and its earlier words: one series, labelled by what it is now.
    The goal is the one the conversation of its first rating set (`rated_in`); without it,
    the mentorship's only goal. With several goals and none known, the question stays."""
    if mentorship is None or not is_goal_series(scripts, series.key):
        return series
    goals = store.state.goals(mentorship)
    found = [g for g in goals if any(r.conversation_id == rated_in for r in g.revisions)]
    goal = found[0] if rated_in and found else (goals[0] if len(goals) == 1 else None)
    if goal is None or not goal.text:
        return series
    earlier: list[str] = []
    for revision in goal.revisions:
        if revision.text and revision.text != goal.text and revision.text not in earlier:
            earlier.append(revision.text)
    return replace(series, goal=goal.text, goal_was=tuple(earlier))


def is_goal_series(scripts: Mapping[str, Script], key: StepKey) -> bool:
    """A scale that later conversations re-rate, in a script that sets the mentorship's goal
    (goal_setting's baseline): it rates the skill behind that goal."""
    return key in re_raters(scripts.values()) and sets_goal(scripts, key)


def sets_goal(scripts: Mapping[str, Script], key: StepKey) -> bool:
    """Whether the script of `key` sets the mentorship's goal (`sets: mentorship.goal`)."""
    script = scripts.get(key[0])
    return script is not None and any(step.sets == GOAL_FIELD for step in script.steps.values())


def question_series(
    store: Store, scripts: Mapping[str, Script], key: StepKey, mentorship: str | None
) -> RatingSeries | None:
    """One question's series in one mentorship (None: the conversations without one), with
    the re-ratings of it: insights' plot, read through `numeric_series` one step at a time."""
    name = "" if mentorship is None else mentorship
    rows: list[Row] = []
    for script_id, step_id in [key, *re_raters(scripts.values()).get(key, [])]:
        for series in store.insights.numeric_series(
            script_id=script_id, step_id=step_id, mentorship=name, min_conversations=1
        ):
            if series["mentorship"] == mentorship:
                question = series["question"]
                rows += [(script_id, step_id, at, v, question) for at, v in series["points"]]
    rows.sort(key=lambda row: row[2])
    found = next((s for s in _grouped(rows, scripts, mentorship) if s.key == key), None)
    if found is None:
        return None
    said = store.insights.question_wordings(key[0], key[1], name)
    said = [w for w in said if w != found.question] + [found.question]
    return _with_goal(store, scripts, replace(found, wordings=tuple(said)), mentorship)


Row = tuple[str, str, str, "int | float", str]  # script_id, step_id, answered_at, value, question


def _grouped(
    rows: Iterable[Row], scripts: Mapping[str, Script], mentorship: str | None
) -> list[RatingSeries]:
    """Rows oldest first -> series; a re-rating joins its target when the target has
    points here, else it is a series of its own (nothing is dropped)."""
    targets = {
        rater: target for target, raters in re_raters(scripts.values()).items() for rater in raters
    }
    points: dict[StepKey, list[RatingPoint]] = {}
    wordings: dict[StepKey, list[str]] = {}
    for script_id, step_id, at, value, question in rows:
        key = (script_id, step_id)
        points.setdefault(key, []).append(RatingPoint(at, float(value), script_id, step_id))
        said = wordings.setdefault(key, [])
        if question not in said:
            said.append(question)
        elif said[-1] != question:  # asked the old way again: last asked goes last
            said.remove(question)
            said.append(question)
    owner = {key: targets[key] if targets.get(key) in points else key for key in points}
    result: list[RatingSeries] = []
    for key in sorted(k for k in points if owner[k] == k):
        joined = [p for other, found in points.items() if owner[other] == key for p in found]
        joined.sort(key=lambda p: p.at)
        low, high = scale_of(scripts, key)
        said = wordings[key]
        result.append(
            RatingSeries(
                script_id=key[0],
                step_id=key[1],
                mentorship=mentorship,
                question=said[-1],
                wordings=tuple(said),
                low=low,
                high=high,
                points=tuple(joined),
            )
        )
    return result


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def points_text(series: RatingSeries) -> str:
    """`2026-01-05: 4/10 · 2026-06-01: 7/10 (re-rated)`: every value written out."""
    scale = f"/{number(series.high)}" if series.high is not None else ""
    return " · ".join(
        f"{p.at[:10]}: {number(p.value)}{scale}" + (" (re-rated)" if series.is_re_rating(p) else "")
        for p in series.points
    )


def scale_text(series: RatingSeries) -> str:
    if series.low is None or series.high is None:
        return "a number"
    return f"scale {number(series.low)}-{number(series.high)}"
