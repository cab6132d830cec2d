"""`make sync-check`: two real Syncthing instances on 127.0.0.1 carry one folder between two
reflectcoach databases. A conversation is started on one device and finished on the other;
prints what converged and how long each step took.

Each instance has its own home, listens on 127.0.0.1 only, with global and local discovery,
relays, NAT traversal (and STUN), crash and usage reporting and upgrades off, and the other
device's address given explicitly: no traffic leaves loopback. Not part of CI (it needs
Syncthing: Debian's `syncthing` package, which `make sync-check` installs when it can).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

from reflectcoach.store import Store
from reflectcoach.sync import device as sync_device

FOLDER_ID = "reflectcoach-check"
TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Instance:
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.home = root / f"{name}-home"
        self.folder = root / f"{name}-Sync"
        self.folder.mkdir()
        self.port, self.gui = free_port(), free_port()
        self.key = secrets.token_hex(16)
        subprocess.run(
            ["syncthing", "generate", f"--home={self.home}", "--no-default-folder"],
            check=True,
            capture_output=True,
        )
        out = subprocess.run(
            ["syncthing", "serve", f"--home={self.home}", "--device-id"],
            check=True,
            capture_output=True,
            text=True,
        )
        self.id = out.stdout.strip()
        self.process: subprocess.Popen[bytes] | None = None

    def configure(self, peer: Instance) -> None:
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        options = root.find("options")
        assert options is not None
        wanted = {
            "listenAddress": f"tcp://127.0.0.1:{self.port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "crashReportingEnabled": "false",
            "urAccepted": "-1",
            "autoUpgradeIntervalH": "0",
            "startBrowser": "false",
            "stunKeepaliveStartS": "0",
            "stunKeepaliveMinS": "0",
            "announceLANAddresses": "false",
        }
        for tag, value in wanted.items():
            for old in options.findall(tag):
                options.remove(old)
            ET.SubElement(options, tag).text = value
        gui = root.find("gui")
        assert gui is not None
        gui.find("address").text = f"127.0.0.1:{self.gui}"  # type: ignore[union-attr]
        gui.find("apikey").text = self.key  # type: ignore[union-attr]
        other = ET.SubElement(
            root, "device", {"id": peer.id, "name": peer.name, "compression": "metadata"}
        )
        ET.SubElement(other, "address").text = f"tcp://127.0.0.1:{peer.port}"
        folder = ET.SubElement(
            root,
            "folder",
            {
                "id": FOLDER_ID,
                "label": FOLDER_ID,
                "path": str(self.folder),
                "type": "sendreceive",
                "rescanIntervalS": "3600",
                "fsWatcherEnabled": "true",
                "fsWatcherDelayS": "1",
            },
        )
        ET.SubElement(folder, "device", {"id": self.id})
        ET.SubElement(folder, "device", {"id": peer.id})
        tree.write(path)

    def start(self) -> None:
        env = {**os.environ, "STNOUPGRADE": "1", "STNODEFAULTFOLDER": "1"}
        self.process = subprocess.Popen(
            [
                "syncthing",
                "serve",
                f"--home={self.home}",
                "--no-browser",
                f"--logfile={self.home / 'log'}",
                f"--gui-address=127.0.0.1:{self.gui}",
                f"--gui-apikey={self.key}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def rest(self, path: str, method: str = "GET") -> object:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui}{path}", method=method, headers={"X-API-Key": self.key}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body.strip() else None

    def connected(self, peer: Instance) -> bool:
        try:
            found = self.rest("/rest/system/connections")
        except OSError:
            return False
        assert isinstance(found, dict)
        return bool(found["connections"].get(peer.id, {}).get("connected"))

    def scan(self) -> None:
        self.rest(f"/rest/db/scan?folder={FOLDER_ID}", method="POST")

    def loopback_only(self) -> list[str]:
        config = self.rest("/rest/config")
        assert isinstance(config, dict)
        o = config["options"]
        problems = [
            f"{key} is {o[key]}"
            for key in (
                "globalAnnounceEnabled",
                "localAnnounceEnabled",
                "relaysEnabled",
                "natEnabled",
                "crashReportingEnabled",
            )
            if o.get(key)
        ]
        if o.get("urAccepted", 0) >= 0:
            problems.append("usage reporting not refused")
        if o["listenAddresses"] != [f"tcp://127.0.0.1:{self.port}"]:
            problems.append(f"listening on {o['listenAddresses']}")
        for d in config["devices"]:
            if d["deviceID"] != self.id and not all(
                a.startswith("tcp://127.0.0.1:") for a in d["addresses"]
            ):
                problems.append(f"peer addresses {d['addresses']}")
        return problems

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the monitor stops its child too
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()


def wait_for(what: str, check, timeout: float = TIMEOUT) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.1)
    raise SystemExit(f"sync-check: timed out after {timeout:.0f} s waiting for {what}")


def same_files(a: Path, b: Path) -> bool:
    def listing(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        }

    return listing(a) == listing(b)


def answer(store: Store, cid: str, seq: int, step: str, text: str) -> None:
    store.journal(cid).answered(
        step_id=step,
        question=f"Question {seq + 1}?",
        qtype="text",
        text=text,
        value=text,
        skipped=False,
        seq=seq,
        position=seq + 1,
        current_step=f"q{seq + 2}",
        discard_from=None,
    )


def main() -> int:
    if shutil.which("syncthing") is None:
        print("sync-check: syncthing is not installed (apt-get install syncthing).")
        return 2
    root = Path(tempfile.mkdtemp(prefix="reflectcoach-sync-check-"))
    laptop, home = Instance(root, "laptop"), Instance(root, "home")
    laptop.configure(home)
    home.configure(laptop)
    began = time.monotonic()
    try:
        laptop.start()
        home.start()
        up = wait_for(
            "the two instances to connect",
            lambda: laptop.connected(home) and home.connected(laptop),
        )
        version = subprocess.run(["syncthing", "--version"], capture_output=True, text=True)
        print(
            f"Syncthing {version.stdout.split()[1]}: two instances connected over 127.0.0.1 "
            f"in {up:.1f} s"
        )
        for instance in (laptop, home):
            problems = instance.loopback_only()
            print(
                f"  {instance.name}: listens on tcp://127.0.0.1:{instance.port}; discovery, "
                "relays, NAT, crash and usage reporting off"
                if not problems
                else f"  {instance.name}: NOT loopback-only: {problems}"
            )
            if problems:
                return 1
        a = Store.open(root / "laptop.db")
        b = Store.open(root / "home.db")
        steps: list[tuple[str, float]] = []

        def carried(what: str) -> None:
            start = time.monotonic()  # the scans are part of it: a pull may finish meanwhile
            laptop.scan()
            home.scan()
            wait_for(what, lambda: same_files(laptop.folder, home.folder))
            steps.append((what, time.monotonic() - start))

        sync_device.init(a, laptop.folder / "reflectcoach")
        code = sync_device.pair(a)
        carried("the folder and the pairing offer reach the home device")
        _, _, report = sync_device.join(b, home.folder / "reflectcoach", code)
        carried("the home device's card reaches the laptop")

        cid = a.start(
            script_id="check",
            script_version=1,
            script_sha256="0" * 64,
            title="Sync check",
            mentorship="Sam",
            current_step="q1",
        )
        answer(a, cid, 0, "q1", "Started on the laptop")
        answer(a, cid, 1, "q2", "Still on the laptop")
        report = sync_device.run(a)
        carried(f"the laptop's change file ({report.written} change) reaches home")
        report = sync_device.run(b)
        assert cid in b.sync.current(), "the conversation did not arrive at home"
        answer(b, cid, 2, "q3", "Finished at home")
        b.journal(cid).completed(record="## Sync check\n\nDone.", position=3, current_step="end")
        report = sync_device.run(b)
        carried(f"home's change file ({report.written} change) reaches the laptop")
        report = sync_device.run(a)
        left, right = a.sync.current(), b.sync.current()
        converged = left == right
        conversation = left[cid]
        print("What converged:")
        print(
            f"  conversation {cid} ({conversation['title']!r}, about "
            f"{conversation['mentorship']}): {conversation['status']} on both, "
            f"{len(conversation['answers'])} answers"
        )
        for item in conversation["answers"]:
            print(f"    {item['seq'] + 1}. {item['answer_text']}")
        print(f"  databases identical in every conversation and answer: {converged}")
        files = sorted(
            str(p.relative_to(laptop.folder))
            for p in laptop.folder.rglob("*")
            if p.is_file() and not p.name.startswith(".")
        )
        print(f"  files in the synced folder ({len(files)}), identical on both sides:")
        for name in files:
            print(f"    {name}")
        print("How long it took (Syncthing carrying each step, after a scan request):")
        for what, seconds in steps:
            print(f"  {seconds:5.2f} s  {what}")
        print(f"  {time.monotonic() - began:5.2f} s  in all, from starting Syncthing")
        a.close()
        b.close()
        return 0 if converged and conversation["status"] == "completed" else 1
    finally:
        laptop.stop()
        home.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
