"""The exchange's new sections (agreement/1, talking_points/1) are versioned like the others:
a reader that does not know one (an older reflectcoach) leaves it aside and says so, and
takes the rest; a newer version of a section it knows is left aside the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from store.helpers import run

from reflectcoach.services import exchange, identity
from reflectcoach.store import Store

from .test_exchange_refusals import ROLE, _seal


def _pair(tmp_path: Path) -> tuple[Path, Path]:
    alex, sam = tmp_path / "alex.db", tmp_path / "sam.db"
    ids = {}
    for db, name in ((alex, "Sam"), (sam, "Alex")):
        with Store.open(db) as store:
            run(store, ROLE, mentorship=name, script_id="meeting")
            ids[name] = identity.load_or_create(store).public
    for db, name, other in ((alex, "Sam", "Alex"), (sam, "Alex", "Sam")):
        with Store.open(db) as store:
            store.partners.link(name, ids[other].age_recipient, ids[other].signing_public)
    with Store.open(alex) as store:
        store.state.add_point("Sam", "Ask about the panel")
    return alex, sam


def test_an_older_reader_leaves_the_new_sections_aside_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, sam = _pair(tmp_path)
    with Store.open(alex) as store:
        data = exchange.make(store, "Sam").data
    for name in ("agreement", "talking_points"):
        monkeypatch.delitem(exchange.SECTIONS, name)
    with Store.open(sam) as store:
        got = exchange.open_bundle(store, data)
        kept = set(store.partners.sections("Alex"))
    assert not got.already
    assert any("'agreement', which this version" in n for n in got.notices)
    assert any("'talking_points', which this version" in n for n in got.notices)
    assert kept == {"mentorship", "commitments", "records", "feedback"}


def test_a_newer_version_of_the_agreement_is_left_aside(tmp_path: Path) -> None:
    alex, sam = _pair(tmp_path)
    with Store.open(alex) as store:
        me = identity.load(store)
    with Store.open(sam) as store:
        sam_id = identity.load(store)
    assert me is not None and sam_id is not None
    payload = json.dumps(
        {"format": exchange.FORMAT, "version": 1, "from": me.public.as_dict(),
         "to": sam_id.public.as_dict(), "seq": 5, "made_at": "2026-12-06T00:00:00Z",
         "sections": {"agreement": {"version": 2, "body": {"anything": "new"}},
                      "talking_points": {"version": 1, "body": {"items": [
                          {"id": "abcdef123456", "text": "Bring the chart",
                           "created_at": "2026-12-06T00:00:00Z"}]}}}},
    ).encode()  # fmt: skip
    with Store.open(sam) as store:
        got = exchange.open_bundle(store, _seal(payload, me, sam_id.public))
        kept = store.partners.sections("Alex")
    assert any("'agreement', which this version" in n for n in got.notices)
    assert "agreement" not in kept
    assert kept["talking_points"].body["items"][0]["text"] == "Bring the chart"


def test_a_private_term_and_a_private_point_never_travel(tmp_path: Path) -> None:
    from reflectcoach.services import agreement
    from reflectcoach.store.mentorship_state import SetValue, set_field

    alex, sam = _pair(tmp_path)
    with Store.open(alex) as store:
        key = store.state.key("Sam")
        with store.state.transaction() as db:
            set_field(db, key, SetValue("rhythm", "weekly", "ZEBRINE weekly", True), "t", None)
            set_field(db, key, SetValue("end", "2027-06-30", "30 June 2027"), "t", None)
        store.state.add_point("Sam", "QUOKKA private point", private=True)
        assert set(agreement.own_terms(store, "Sam")) == {"end"}
        data = exchange.make(store, "Sam").data
    with Store.open(sam) as store:
        exchange.open_bundle(store, data)
        kept = store.partners.sections("Alex")
    assert set(kept["agreement"].body["terms"]) == {"end"}
    assert [i["text"] for i in kept["talking_points"].body["items"]] == ["Ask about the panel"]
    assert "ZEBRINE" not in repr(kept) and "QUOKKA" not in repr(kept)
