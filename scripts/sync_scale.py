"""Scale on paper, measured: a synced folder as 10 devices would leave it after 50 years, and
what merging it costs.

    .venv/bin/python scripts/sync_scale.py [--devices 10] [--years 50] [--per-week 3]

The history: `--per-week` conversations a week (12 answers of ~80 characters each), each
started on a random device; one in five is started on one device and finished on another
(two versions, the second made from the first). Each device writes one change file per day
it was used, exactly as `merge.publish` writes them (real age encryption to the person,
real Ed25519 signatures, the same version ids). Then:

- catch-up: a new, empty device merges the whole folder;
- steady state: a device that has everything syncs once with nothing new, then reads one
  new day's file.

Prints a Markdown table (docs/architecture.md, "Syncing devices: scale").
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from reflectcoach.store import Store
from reflectcoach.store.sync_rows import content_hash
from reflectcoach.sync import device as sync_device
from reflectcoach.sync import envelope, keys, merge


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def conversation(rng: random.Random, ident: str, start: dt.datetime, answers: int, done: bool):
    words = [
        "goal",
        "meeting",
        "feedback",
        "plan",
        "growth",
        "listen",
        "ask",
        "team",
        "project",
        "week",
        "learn",
        "step",
    ]
    rows = []
    for seq in range(answers):
        text = " ".join(rng.choice(words) for _ in range(12))[:80]
        rows.append(
            {
                "step": f"q{seq}",
                "seq": seq,
                "question": f"Question {seq + 1}?",
                "type": "text",
                "answer": text,
                "answer_text": text,
                "skipped": False,
                "answered_at": stamp(start + dt.timedelta(minutes=seq)),
            }
        )
    end = start + dt.timedelta(minutes=answers)
    return {
        "id": ident,
        "script_id": "check_in",
        "script_version": 1,
        "script_sha256": "0" * 64,
        "title": "Check-in",
        "mentorship": rng.choice(["Sam", "Ada", "Bo", "Kim"]),
        "status": "completed" if done else "in_progress",
        "current_step": "end" if done else f"q{answers}",
        "position": answers,
        "record": "## Check-in\n\nDone." if done else None,
        "started_at": stamp(start),
        "updated_at": stamp(end),
        "completed_at": stamp(end) if done else None,
        "answers": rows,
    }


def version(item: dict[str, Any], parent: str | None, device: str, at: str) -> dict[str, Any]:
    content = content_hash(item)
    return {
        "conversation": item["id"],
        "version": merge.version_id(parent, content, device),
        "parent": parent,
        "content": content,
        "at": at,
        "completed": item["status"] == "completed",
        "data": item,
    }


def generate(folder: Path, person: keys.Person, devices: list[keys.Device], args) -> int:
    rng = random.Random(24)
    start = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    days: dict[tuple[int, str], list[dict[str, Any]]] = {}
    count = 0
    for week in range(args.years * 52):
        for n in range(args.per_week):
            day = week * 7 + rng.randrange(7)
            when = start + dt.timedelta(days=day, minutes=n)
            ident = f"{count:012x}"
            count += 1
            first = rng.choice(devices)
            if rng.random() < 0.2:
                half = conversation(rng, ident, when, 6, False)
                v1 = version(half, None, first.id, stamp(when))
                days.setdefault((day, first.id), []).append(v1)
                other = rng.choice([d for d in devices if d is not first] or devices)
                whole = conversation(rng, ident, when, 12, True)
                whole["answers"][:6] = half["answers"]
                later = when + dt.timedelta(days=1)
                v2 = version(whole, v1["version"], other.id, stamp(later))
                days.setdefault((day + 1, other.id), []).append(v2)
            else:
                whole = conversation(rng, ident, when, 12, True)
                days.setdefault((day, first.id), []).append(
                    version(whole, None, first.id, stamp(when))
                )
    by_id = {d.id: d for d in devices}
    seqs = {d.id: 0 for d in devices}
    for (day, dev), versions in sorted(days.items()):
        seqs[dev] += 1
        payload = {
            "format": 1,
            "device": dev,
            "seq": seqs[dev],
            "at": stamp(start + dt.timedelta(days=day)),
            "versions": versions,
            "commitments": None,
        }
        data = envelope.seal(person, by_id[dev], seqs[dev], payload)
        path = envelope.devices_dir(folder) / dev / envelope.file_name(seqs[dev])
        envelope.write_new(path, data)
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=10)
    parser.add_argument("--years", type=int, default=50)
    parser.add_argument("--per-week", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="reflectcoach-sync-scale-"))
    try:
        folder = root / "Sync"
        first = Store.open(root / "first.db")
        sync_device.init(first, folder)
        person, _ = keys.load(first)
        devices = [keys.Device.generate() for _ in range(args.devices)]
        for d in devices:
            envelope.write_card(folder, person, d)
        began = time.perf_counter()
        conversations = generate(folder, person, devices, args)
        made = time.perf_counter() - began
        files = list(envelope.devices_dir(folder).rglob("*.rcs"))
        size = sum(p.stat().st_size for p in files)
        code = sync_device.pair(first)
        first.close()
        fresh = Store.open(root / "fresh.db")
        began = time.perf_counter()
        _, _, report = sync_device.join(fresh, folder, code)
        catch_up = time.perf_counter() - began
        assert report.refused == [] and report.waiting == [], report.lines()
        began = time.perf_counter()
        idle = sync_device.run(fresh)
        idle_time = time.perf_counter() - began
        assert idle.files_read == 0
        # One more day on one of the devices: a new file, read by the device that has it all.
        extra = conversation(
            random.Random(1), "f" * 12, dt.datetime(2076, 1, 1, tzinfo=dt.UTC), 12, True
        )
        dev = devices[0]
        seq = len(list((envelope.devices_dir(folder) / dev.id).glob("*.rcs"))) + 1
        payload = {
            "format": 1,
            "device": dev.id,
            "seq": seq,
            "at": "2076-01-01T10:00:00.000000Z",
            "versions": [version(extra, None, dev.id, "2076-01-01T10:00:00.000000Z")],
            "commitments": None,
        }
        envelope.write_new(
            envelope.devices_dir(folder) / dev.id / envelope.file_name(seq),
            envelope.seal(person, dev, seq, payload),
        )
        began = time.perf_counter()
        one = sync_device.run(fresh)
        one_time = time.perf_counter() - began
        assert one.files_read == 1
        db_size = (root / "fresh.db").stat().st_size
        fresh.close()
        print(f"| devices | {args.devices} |")
        print(f"| years | {args.years} |")
        print(f"| conversations ({args.per_week} a week, 12 answers each) | {conversations} |")
        print(
            f"| change files | {len(files)} ({len(files) / args.devices:.0f} per device folder) |"
        )
        print(f"| folder size | {size / 1e6:.1f} MB |")
        print(f"| generating them (encrypt + sign) | {made:.1f} s |")
        print(f"| catch-up: a new device merges everything | {catch_up:.1f} s |")
        print(f"| a sync with nothing new | {idle_time:.2f} s |")
        print(f"| a sync reading one new file | {one_time:.2f} s |")
        print(f"| the merged database | {db_size / 1e6:.1f} MB |")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
