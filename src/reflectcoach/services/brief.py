"""A brief for the next meeting, for both front ends: the goal as it stands (with its
revisions), the rating trajectory on its scale (4 -> 6 -> 8), open commitments with status and
dates, open talking points, what the last conversation decided, the agreement's next dates
(midpoint, end, next meeting by rhythm) and what is overdue; once a partner is linked, where
the agreement's acceptances stand and the partner's side as they last shared it (their open
commitments, talking points and feedback to the person: one line each, clearly theirs). One
page: each list shows a few and says "and N more".

`reflectcoach brief -m NAME` prints `lines(...)` (plain or `markdown=True`; `share=True`
leaves out every private part); the app's BriefScreen shows the same lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reflectcoach.core import clock
from reflectcoach.core.sharing import shared
from reflectcoach.core.text import markdown_escape
from reflectcoach.script.dates import readable
from reflectcoach.services import agreement, mentorship_view
from reflectcoach.services.exchange import commitment_line
from reflectcoach.services.ratings import RatingSeries, mentorship_ratings, number
from reflectcoach.store.commitments import OPEN
from reflectcoach.store.mentorship_state import history_lines

if TYPE_CHECKING:
    from reflectcoach.script.model import Script
    from reflectcoach.store import Store
    from reflectcoach.store.mentorship_rows import Mentorship
    from reflectcoach.store.mentorship_state import Goal, TalkingPoint

# How many of each list a brief shows (it fits 80x24 for a typical mentorship).
SHOWN = 3
# Days between meetings for the rhythms first_meeting offers (as_needed: none).
RHYTHM_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 30}
# Steps whose answer says what a conversation decided, in the order they are tried.
DECIDED_STEPS = ("decided", "decision", "change_detail", "next_step")


@dataclass(frozen=True, slots=True)
class Dates:
    midpoint: dt.date | None = None
    end: dt.date | None = None
    next_meeting: dt.date | None = None
    by_rhythm: bool = False  # next_meeting counted on from the last one by the rhythm


@dataclass(frozen=True, slots=True)
class Brief:
    mentorship: Mentorship
    partner: str | None
    partner_private: bool
    goal: Goal | None
    commitments: list[mentorship_view.CommitmentLine]
    points: list[TalkingPoint]
    ratings: list[RatingSeries]
    last: tuple[str, str, str | None, bool] | None  # (day, title, decided, decided private)
    dates: Dates
    rhythm: str | None
    today: dt.date
    overdue: list[mentorship_view.CommitmentLine] = field(default_factory=list)
    # The other open goals, waiting beside `goal` (the one being worked on), oldest first.
    also: list[Goal] = field(default_factory=list)
    agreement: list[str] = field(default_factory=list)  # where each acceptance stands
    theirs: Theirs | None = None  # what the partner last shared


@dataclass(frozen=True, slots=True)
class Theirs:
    """The partner's side as they last shared it: their words, never the person's own."""

    name: str
    shared: str  # when they made the bundle
    commitments: list[str]  # open ones, in words, with status and due date
    points: list[str]
    feedback: list[str]  # the titles (and dates) of feedback they gave


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def next_by_rhythm(last: dt.date | None, rhythm: str | None, today: dt.date) -> dt.date | None:
    """The next meeting counted on from the last conversation by the agreed rhythm."""
    days = RHYTHM_DAYS.get(rhythm or "")
    if last is None or days is None:
        return None
    step = dt.timedelta(days=days)
    day = last + step
    while day < today:
        day += step
    return day


def load(
    store: Store, scripts: Mapping[str, Script], name: str, today: dt.date | None = None
) -> Brief:
    """StoreError (with a "did you mean") when there is no such mentorship."""
    day = today or clock.today()
    mentorship = store.mentorships.find(name)
    key_name = mentorship.name
    fields = store.state.fields(key_name)
    timeline = store.mentorships.timeline(key_name)
    completed = [t for t in timeline if t.status == "completed"]
    last = None
    last_day = None
    if completed:
        entry = completed[-1]
        decided, private = _decided(store, entry.id)
        last = (entry.started_at[:10], entry.title, decided, private)
        last_day = _day((entry.completed_at or entry.started_at)[:10])
    rhythm = fields["rhythm"].value if "rhythm" in fields else None
    agreed = _day(fields["next_meeting"].value) if "next_meeting" in fields else None
    if agreed is not None and agreed >= day:
        dates_next, by_rhythm = agreed, False
    else:
        dates_next, by_rhythm = next_by_rhythm(last_day, rhythm, day), True
    lines = mentorship_view.commitments_for(store, mentorship, day)
    open_ones = [c for c in lines if not c.finished]
    partner = fields.get("partner")
    return Brief(
        mentorship=mentorship,
        partner=partner.text if partner else None,
        partner_private=bool(partner and partner.private),
        goal=_goal(store, key_name),
        commitments=open_ones,
        points=store.state.points(key_name),
        ratings=mentorship_ratings(store, scripts, key_name),
        last=last,
        dates=Dates(
            midpoint=_day(fields["midpoint"].value) if "midpoint" in fields else None,
            end=_day(fields["end"].value) if "end" in fields else None,
            next_meeting=dates_next if not mentorship.closed else None,
            by_rhythm=by_rhythm and dates_next is not None,
        ),
        rhythm=fields["rhythm"].text if "rhythm" in fields else None,
        today=day,
        overdue=[c for c in open_ones if c.overdue],
        agreement=_agreement(store, key_name),
        theirs=_theirs(store, key_name, day),
        also=store.state.open_goals(key_name)[1:],
    )


def _agreement(store: Store, name: str) -> list[str]:
    """Where the acceptances stand, once there is a partner or an acceptance to speak of."""
    now = agreement.standing(store, name)
    return agreement.status_lines(now) if now.partner or now.mine else []


def _theirs(store: Store, name: str, today: dt.date) -> Theirs | None:
    partner = store.partners.get(name)
    if partner is None or not partner.received_seq:
        return None
    sections = {k: s.body for k, s in store.partners.sections(name).items()}
    commitments = sorted(
        (c for c in (sections.get("commitments") or {}).get("items", []) if c["status"] in OPEN),
        key=lambda c: c["due"] or "9999",
    )
    return Theirs(
        name=partner.name,
        shared=(partner.made_at or "")[:10],
        commitments=[commitment_line(c, today) for c in commitments],
        points=[
            " ".join(p["text"].split())
            for p in (sections.get("talking_points") or {}).get("items", [])
        ],
        feedback=[
            f"{(f['completed_at'] or '')[:10]} {' '.join(f['title'].split())}"
            for f in (sections.get("feedback") or {}).get("items", [])
        ],
    )


def _goal(store: Store, name: str) -> Goal | None:
    """The goal that stands, else the last one (reached or dropped: the brief says which)."""
    current = store.state.current_goal(name)
    if current is not None:
        return current
    found = store.state.goals(name)
    return found[-1] if found else None


def _decided(store: Store, conversation_id: str) -> tuple[str | None, bool]:
    """What the conversation decided (its first answer to a DECIDED_STEPS step), and whether
    it is private (not in the shared copy of its record)."""
    answers = {a["step_id"]: a for a in store.answers(conversation_id) if not a["skipped"]}
    row = store.conversation(conversation_id)
    record = (row or {}).get("record") or ""
    for step in DECIDED_STEPS:
        found = answers.get(step)
        if found and (found["answer_text"] or "").strip():
            text = " ".join(found["answer_text"].split())
            return text, text not in " ".join(shared(record).split())
    return None, False


def trajectory(series: RatingSeries) -> str:
    """`4 -> 6 -> 8 (scale 1-10)`."""
    values = " -> ".join(number(p.value) for p in series.points)
    if series.low is None or series.high is None:
        return values
    return f"{values} (of {number(series.low)}-{number(series.high)})"


def _when(day: dt.date, today: dt.date) -> str:
    days = (day - today).days
    if days == 0:
        return f"{readable(day)} (today)"
    if days > 0:
        return f"{readable(day)} (in {days} day{'s' if days != 1 else ''})"
    return f"{readable(day)} ({-days} day{'s' if days != -1 else ''} ago)"


def _more(items: list[str], total: int, prefix: str) -> list[str]:
    left = total - len(items)
    return items + ([f"{prefix}and {left} more"] if left > 0 else [])


def lines(
    brief: Brief,
    titles: Mapping[str, str] | None = None,
    *,
    share: bool = False,
    markdown: bool = False,
    shown: int = SHOWN,
) -> list[str]:
    """The brief as lines of text (plain, or Markdown with `markdown`); the caller makes them
    safe for a terminal. `share` leaves out every private part (a private goal, talking
    point or decision, and the ratings, which are the person's own)."""

    def esc(text: str, before: str = "") -> str:
        return markdown_escape(text, before) if markdown else text

    def head(text: str) -> str:
        return f"## {text}" if markdown else f"{text}:"

    item = "- " if markdown else "  "
    m = brief.mentorship
    title = f"Brief: {m.name}" + ("" if not m.closed else " (closed)")
    out = [f"# {esc(title, '# ')}" if markdown else title]
    partner = brief.partner if brief.partner and not (share and brief.partner_private) else None
    who = [mentorship_view.role_text(m)]
    if partner:
        who.append(f"with {partner}")
    who.append(f"since {m.started}")
    if brief.rhythm:
        who.append(f"meeting {brief.rhythm}")
    out.append(esc(" · ".join(who)))

    goal = brief.goal if brief.goal is not None and not (share and brief.goal.private) else None
    also = [g for g in brief.also if not (share and g.private)]
    if goal is not None or also:
        out += ["", head("Goals" if also else "Goal")]
    if goal is not None:
        ended = "" if goal.status == "open" else f" ({goal.status})"
        out.append(item + esc(" ".join(goal.text.split()) + ended, item))
        if goal.reaimed or len(goal.revisions) > 1:
            history = history_lines(goal)
            out += [item + esc(h, item) for h in history[-shown:]]
    # Every open goal is listed: the ones waiting beside the goal being worked on, too.
    out += _more(
        [item + esc(f"also: {' '.join(g.text.split())}", item) for g in also[:shown]],
        len(also),
        item,
    )

    if brief.ratings and not share:
        out += ["", head("Ratings")]
        series = [
            f"{item}{esc(' '.join(s.label.split()), item)}: {trajectory(s)}" for s in brief.ratings
        ]
        out += _more(series[:shown], len(series), item)

    def section(title: str, texts: list[str], empty: str) -> None:
        if not texts and not markdown:  # one line: "Talking points: none"
            out.extend(["", f"{title}: {empty}"])
            return
        out.extend(["", head(title)])
        out.extend(_more(texts[:shown], len(texts), item) if texts else [item + empty])

    section(
        f"Open commitments ({len(brief.commitments)})",
        [item + esc(mentorship_view.commitment_text(c), item) for c in brief.commitments],
        "none",
    )
    points = [p for p in brief.points if not (share and p.private)]
    section(
        f"Talking points ({len(points)})",
        [item + esc(" ".join(p.text.split()), item) for p in points],
        "none",
    )

    if brief.last is not None:
        day, title_text, decided, private = brief.last
        out += ["", head("Last conversation"), item + esc(f"{day} {title_text}", item)]
        if decided and not (share and private):
            out.append(item + esc(f"decided: {decided}", item))

    if brief.agreement:
        out += ["", head("Agreement")] + [item + esc(a, item) for a in brief.agreement]

    dates = brief.dates
    due = []
    if dates.midpoint:
        due.append(f"midpoint review {_when(dates.midpoint, brief.today)}")
    if dates.end:
        due.append(f"planned end {_when(dates.end, brief.today)}")
    if dates.next_meeting:
        how = " by the rhythm" if dates.by_rhythm else ""
        due.append(f"next meeting{how} {_when(dates.next_meeting, brief.today)}")
    if due:
        out += ["", head("Dates")] + [item + d for d in due]

    section(
        "Overdue",
        [
            item + esc(f"{' '.join(c.text.split())} (due {readable(c.due)})", item)
            for c in brief.overdue
            if c.due is not None
        ],
        "nothing",
    )
    theirs = brief.theirs
    if theirs is not None and not share:  # theirs to send, not the person's
        heading = f"From {theirs.name} (their side, shared {theirs.shared})"
        out += ["", head(esc(heading, "## "))]
        for title, texts in (
            ("their open commitments", theirs.commitments),
            ("their talking points", theirs.points),
            ("feedback they gave you", theirs.feedback),
        ):
            if texts:  # one line each: the count and the first (their side stays bounded)
                more = f" (and {len(texts) - 1} more)" if len(texts) > 1 else ""
                out.append(item + esc(f"{title} ({len(texts)}): {texts[0]}{more}", item))
    if markdown:
        return out
    # On a terminal, one page: sections follow each other without blank lines between.
    return [line for n, line in enumerate(out) if line or n == 2]
