"""The `encryption` group: encrypted databases against plaintext ones."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from reflectcoach.app.widgets.insights_series import SHOWN_POINTS
from reflectcoach.store import Store
from reflectcoach.store.convert import convert
from reflectcoach.store.export import write_json
from reflectcoach.store.key import KDF_ITERATIONS, Key

from . import SCRIPTS
from .cli_rows import encrypted_against_plaintext, unlocked_session
from .common import (
    INFO,
    PYTHON,
    Budget,
    Context,
    Row,
    Stat,
    interleaved,
    run_child,
    sample_pair,
    timed,
    wall,
)
from .workloads import ensure_history, opened

if TYPE_CHECKING:
    from reflectcoach.store import Store


def group_encryption(ctx: Context) -> None:
    """The same work on the 10k history, encrypted (SQLCipher, raw key: as when remembered)
    against plaintext, interleaved in one run; the key derivation on its own."""
    history = ensure_history(ctx)
    summary = history["summary"]
    plain = ctx.tmp / "enc" / "plain.db"
    secret = ctx.tmp / "enc" / "secret.db"
    plain.parent.mkdir(parents=True, exist_ok=True)
    with opened(history["big"]) as store:
        store.db.execute("VACUUM INTO ?", [str(plain)])
        store.db.execute("VACUUM INTO ?", [str(secret)])
    raw = Key(raw=os.urandom(32))
    start = time.perf_counter()
    convert(secret, None, raw)
    took = (time.perf_counter() - start) * 1000
    ctx.add(
        Row(
            "encryption",
            f"encrypt the history ({summary['answers']:,} answers): copy, check, rename",
            "ms",
            Stat([took]),
            "—",
            None,
            INFO,
        )
    )
    kdf = Stat(
        [
            timed(
                lambda: hashlib.pbkdf2_hmac(
                    "sha512", b"a passphrase", os.urandom(16), KDF_ITERATIONS, 32
                )
            )
            for _ in range(3)
        ]
    )
    ctx.add(
        Row(
            "encryption",
            f"key derivation: PBKDF2-HMAC-SHA512, {KDF_ITERATIONS:,} iterations (once per open)",
            "ms",
            kdf,
            "—",
            None,
            INFO,
            "deliberately slow; a remembered key skips it",
        )
    )
    enc_store = Store.open(secret, key=raw)
    plain_store = Store.open(plain)
    try:
        ids = {
            name: s.conversations(limit=1)[0]["id"]
            for name, s in (("enc", enc_store), ("plain", plain_store))
        }

        def step(store: Store, name: str) -> Callable[[], object]:
            journal = store.journal(ids[name])
            counter = iter(range(10_000, 100_000))

            def answer() -> None:
                seq = next(counter)
                journal.answered(
                    step_id="bench",
                    question="Bench?",
                    qtype="text",
                    text=f"an answer {seq}",
                    value=f"an answer {seq}",
                    skipped=False,
                    seq=seq,
                    position=seq + 1,
                    current_step="bench",
                    discard_from=None,
                )

            return answer

        common = summary["common_word"]
        numeric = plain_store.db.execute(
            "SELECT c.script_id, a.step_id, coalesce(c.mentorship, '') FROM answers a "
            "JOIN conversations c ON c.id = a.conversation_id WHERE a.type = 'scale' LIMIT 1"
        ).fetchone()
        cases = [
            (
                "one step: an answer saved (one durable transaction)",
                step(enc_store, "enc"),
                step(plain_store, "plain"),
            ),
            (
                "review first page: conversations(limit=100) + count()",
                lambda: (enc_store.conversations(limit=100), enc_store.count()),
                lambda: (plain_store.conversations(limit=100), plain_store.count()),
            ),
            (
                f"search {common!r} (first 50)",
                lambda: enc_store.search(common, limit=50),
                lambda: plain_store.search(common, limit=50),
            ),
            (
                # What insights reads to plot one question in one mentorship.
                "insights first plot: question_points (newest 200, figures of all)",
                lambda: enc_store.insights.question_points(*numeric, newest=SHOWN_POINTS),
                lambda: plain_store.insights.question_points(*numeric, newest=SHOWN_POINTS),
            ),
        ]
        for name, real_fn, floor_fn in cases:
            real, floor = sample_pair(real_fn, floor_fn, ctx.query_runs)
            ctx.add(
                Row(
                    "encryption",
                    f"encrypted: {name}",
                    "ms",
                    real,
                    "the same, plaintext",
                    floor,
                    Budget("ratio", 1.3),
                )
            )
        out = ctx.tmp / "enc" / "export.json"
        rates: list[float] = []
        floor_rates: list[float] = []
        for _ in range(3):
            for store, into in ((enc_store, rates), (plain_store, floor_rates)):
                start = time.perf_counter()
                with open(out, "w", encoding="utf-8") as fp:
                    count = write_json(store, fp)
                into.append(count / (time.perf_counter() - start))
        ctx.add(
            Row(
                "encryption",
                "encrypted: export JSON",
                "answers/s",
                Stat(rates),
                "the same, plaintext",
                Stat(floor_rates),
                Budget("at_least", 50_000),
            )
        )
    finally:
        enc_store.close()
        plain_store.close()
    # The command line: an unlocked session's key (reflectcoach unlock) against plaintext;
    # then a passphrase derived in every process, as before sessions existed.
    with unlocked_session(ctx, secret, raw.raw_for(b"")) as session:
        encrypted_against_plaintext(
            ctx,
            "encryption",
            secret,
            plain,
            env=session,
            label="unlocked session",
            budget=Budget("ratio", 1.3),
        )
    derived = ctx.tmp / "enc" / "derived.db"
    with opened(plain) as store:
        store.db.execute("VACUUM INTO ?", [str(derived)])
    convert(derived, None, Key.from_passphrase("a bench passphrase"))
    words = ctx.tmp / "enc" / "passphrase.txt"
    words.write_text("a bench passphrase\n")
    encrypted_against_plaintext(
        ctx,
        "encryption",
        derived,
        plain,
        env=ctx.env(
            REFLECTCOACH_PASSPHRASE_FILE=str(words),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        ),
        label="passphrase, derived in each process",
        budget=INFO,
        commands=[("list",)],
    )
    # Cold start to first paint with the key remembered (raw key in the passphrase file: the
    # same path as the keyring's, no derivation), against the same plaintext database.
    key_file = ctx.tmp / "enc" / "raw.key"
    key_file.write_text(f"x'{raw.raw_for(b'').hex()}'")
    probe = [PYTHON, str(SCRIPTS / "bench_app_probe.py"), "--until", "paint"]
    results = interleaved(
        {
            "plain": lambda: run_child([*probe, "--db", str(plain)], ctx.env()),
            "enc": lambda: run_child(
                [*probe, "--db", str(secret)],
                ctx.env(REFLECTCOACH_PASSPHRASE_FILE=str(key_file)),
            ),
        },
        ctx.process_runs,
    )
    ctx.add(
        Row(
            "encryption",
            "app: cold start to first paint, encrypted, key remembered",
            "ms",
            wall(results["enc"]),
            "the same, plaintext",
            wall(results["plain"]),
            Budget("ratio", 1.25),
        )
    )
