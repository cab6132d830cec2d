"""The agreement accepted by both: what a mentorship agreed (its rhythm, midpoint, end,
whether one manages the other, each side's feedback preference), accepted by each side with
the date and a digest of exactly what was accepted.

Both sides must compute the same digest for the same agreement, so the terms are written
the same way on both: shared terms by name, the feedback preferences by role (`my_feedback`
of the mentee is `mentee_feedback` on both sides). The agreement that stands on this side is
the person's own terms, else (nothing agreed here yet) the terms the partner shared. An
acceptance is current while its digest is the digest of the agreement that stands; any
change after it ("changed since") needs a new one, on both sides. A private term never
leaves (a bundle carries only what is not private) and is not part of what is accepted.

This person's acceptance is kept as one mentorship field (`ACCEPTED`), so a rename, a merge
and an export carry it like the agreement itself; the partner's travels in the bundle's
`agreement` section.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reflectcoach.core import clock
from reflectcoach.core.days import readable
from reflectcoach.core.errors import UserError
from reflectcoach.services.bundle_form import Bad, SectionKind, day, obj, text

if TYPE_CHECKING:
    from reflectcoach.store import Store

ACCEPTED = "agreement_accepted"  # the mentorship field holding this side's acceptance
SHARED_TERMS = ("rhythm", "midpoint", "end", "manages")
TERMS = (*SHARED_TERMS, "mentee_feedback", "mentor_feedback")
LABELS = {
    "rhythm": "meeting",
    "midpoint": "midpoint review",
    "end": "planned end",
    "manages": "one of us manages the other",
    "mentee_feedback": "the mentee's feedback preference",
    "mentor_feedback": "the mentor's feedback preference",
}
OTHER = {"mentee": "mentor", "mentor": "mentee"}
DIGEST = re.compile(r"[0-9a-f]{64}")


class NothingAgreed(UserError):
    """There is no agreement to accept yet."""


@dataclass(frozen=True, slots=True)
class Acceptance:
    digest: str
    on: str  # YYYY-MM-DD

    @property
    def when(self) -> str:
        try:
            return readable(dt.date.fromisoformat(self.on))
        except ValueError:  # an acceptance imported from a damaged export: said as it is
            return self.on or "an unknown day"


@dataclass(frozen=True, slots=True)
class Standing:
    """The agreement as it stands on this side, and where each acceptance stands."""

    terms: dict[str, dict[str, Any]]  # term -> {"value", "text"}
    theirs: bool  # the terms are the partner's (nothing agreed on this side)
    differs: list[str]  # terms the partner's version says otherwise
    mine: Acceptance | None
    partners: Acceptance | None
    partner: str | None  # the partner's name here, when one is linked

    @property
    def digest(self) -> str | None:
        return digest(self.terms) if self.terms else None


def _value(value: Any, shown: str) -> Any:
    return value if isinstance(value, str | bool | int) and value != "" else shown


def own_terms(store: Store, name: str) -> dict[str, dict[str, Any]]:
    """This side's agreed terms, in the form both sides share (private ones left out)."""
    found = store.mentorships.find(name)
    fields = store.state.fields(found.name)
    out: dict[str, dict[str, Any]] = {}
    for term in SHARED_TERMS:
        field = fields.get(term)
        if field is not None and not field.private and field.value not in (None, ""):
            out[term] = {"value": _value(field.value, field.text), "text": field.text}
    role, other = found.role, OTHER.get(found.role or "")
    if role in OTHER and other is not None:
        for mine, whose in (("my_feedback", role), ("partner_feedback", other)):
            field = fields.get(mine)
            if field is not None and not field.private and field.value not in (None, ""):
                out[f"{whose}_feedback"] = {
                    "value": _value(field.value, field.text),
                    "text": field.text,
                }
    return out


def digest(terms: dict[str, dict[str, Any]]) -> str:
    """What an acceptance names: the terms' values (not their wording), canonical JSON."""
    values = {term: terms[term]["value"] for term in sorted(terms)}
    data = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def _mine(store: Store, name: str) -> Acceptance | None:
    field = store.state.fields(name).get(ACCEPTED)
    value = field.value if field is not None else None
    if not isinstance(value, dict) or not isinstance(value.get("digest"), str):
        return None
    return Acceptance(value["digest"], str(value.get("on", ""))[:10])


def _said(terms: dict[str, dict[str, Any]], term: str) -> Any:
    return (terms.get(term) or {}).get("value")


def standing(store: Store, name: str) -> Standing:
    found = store.mentorships.find(name)
    own = own_terms(store, found.name)
    partner = store.partners.get(found.name)
    received = store.partners.sections(found.name).get("agreement") if partner else None
    body = received.body if received is not None else None
    theirs_terms = body["terms"] if body else {}
    partners = Acceptance(**body["accepted"]) if body and body["accepted"] else None
    terms = own or theirs_terms
    differs = []
    if own and theirs_terms:
        differs = [t for t in TERMS if _said(own, t) != _said(theirs_terms, t)]
    return Standing(
        terms,
        not own and bool(theirs_terms),
        differs,
        _mine(store, found.name),
        partners,
        partner.name if partner else None,
    )


def accept(store: Store, name: str) -> Standing:
    """Accept the agreement that stands on this side, as it is now."""
    found = store.mentorships.find(name)
    now = standing(store, found.name)
    if not now.terms:
        raise NothingAgreed(
            f"Nothing is agreed for {found.name!r} yet: first_meeting agrees the rhythm, the "
            "dates and how you each like feedback (or your partner shares theirs)."
        )
    value = {"digest": now.digest, "on": clock.today().isoformat()}
    store.state.keep(found.name, ACCEPTED, value, f"accepted on {value['on']}")
    return standing(store, found.name)


def terms_lines(terms: dict[str, dict[str, Any]]) -> list[str]:
    return [f"{LABELS[t]}: {' '.join(terms[t]['text'].split())}" for t in TERMS if t in terms]


def status_lines(now: Standing, *, who: str = "you") -> list[str]:
    """Where each acceptance stands, one line each (nothing when nothing is agreed)."""
    if not now.terms:
        return []
    current = now.digest
    out: list[str] = []
    sides = [("you", now.mine)]
    if now.partner is not None:
        sides.append((now.partner, now.partners))
    for person, acceptance in sides:
        if acceptance is None:
            out.append(f"not accepted by {person} yet")
        elif acceptance.digest == current:
            out.append(f"accepted by {person} on {acceptance.when}")
        else:
            out.append(
                f"accepted by {person} on {acceptance.when}; changed since: needs a new acceptance"
            )
    if now.theirs and now.partner is not None:
        out.append(f"the terms are as {now.partner} shared them")
    if now.differs and now.partner is not None:
        named = ", ".join(LABELS[t] for t in now.differs)
        out.append(f"{now.partner}'s version differs: {named}")
    return out


# -- the bundle's section ------------------------------------------------------------------------


def _build(store: Store, name: str) -> dict[str, Any]:
    mine = _mine(store, name)
    return {
        "terms": own_terms(store, name),
        "accepted": None if mine is None else {"digest": mine.digest, "on": mine.on},
    }


def _check(body: Any) -> dict[str, Any]:
    obj(body, {"terms", "accepted"}, where="the agreement")
    terms = body["terms"]
    if not isinstance(terms, dict) or set(terms) - set(TERMS):
        raise Bad("the agreement's terms are unknown")
    kept: dict[str, dict[str, Any]] = {}
    for term, item in terms.items():
        obj(item, {"value", "text"}, where="a term")
        value = item["value"]
        if isinstance(value, str):
            text(value, 2_000)
        elif not isinstance(value, bool | int) or (
            not isinstance(value, bool) and abs(value) > 10**15
        ):
            raise Bad("a term's value is not a text, a yes/no or a number")
        kept[term] = {"value": value, "text": text(item["text"], 2_000)}
    accepted = body["accepted"]
    if accepted is not None:
        obj(accepted, {"digest", "on"}, where="an acceptance")
        if not isinstance(accepted["digest"], str) or not DIGEST.fullmatch(accepted["digest"]):
            raise Bad("an acceptance's digest is not one")
        if day(accepted["on"]) is None:
            raise Bad("an acceptance has no date")
        accepted = {"digest": accepted["digest"], "on": accepted["on"]}
    return {"terms": kept, "accepted": accepted}


def _lines(body: dict[str, Any]) -> list[str]:
    shown = terms_lines(body["terms"]) or ["nothing agreed on their side"]
    accepted = body["accepted"]
    if accepted is None:
        return [*shown, "not accepted by them yet"]
    return [*shown, f"accepted by them on {Acceptance(accepted['digest'], accepted['on']).when}"]


SECTION = SectionKind("agreement", 1, "Their agreement", _build, _check, _lines)
