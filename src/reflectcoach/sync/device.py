"""Setting a device up for syncing and running a sync: what `reflectcoach sync ...` and the
app call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reflectcoach.core.errors import UserError
from reflectcoach.store import Store

from . import envelope, keys, merge, pairing


class SyncProblem(UserError):
    """A folder or a set-up that cannot be used."""


def folder_of(store: Store) -> Path | None:
    found = store.sync.setting("folder")
    return None if found is None else Path(found)


def _check_folder(folder: Path, *, new: bool) -> Path:
    folder = folder.expanduser().resolve()
    if folder.exists() and not folder.is_dir():
        raise SyncProblem(f"{folder} is not a folder.")
    marker = folder / envelope.MARKER
    if not new and not marker.exists():
        raise SyncProblem(
            f"{folder} is not a reflectcoach sync folder (no {envelope.MARKER} in it): give "
            "the folder `reflectcoach sync init` was given on your other device, once it "
            "has synced here."
        )
    if new and folder.is_dir() and any(folder.iterdir()) and not marker.exists():
        raise SyncProblem(
            f"{folder} already holds other files: give an empty folder (or a new one) "
            "inside the folder you sync."
        )
    return folder


def init(store: Store, folder: Path) -> tuple[keys.Device, str]:
    """This device's first set-up, with a new identity for the person; where its keys are."""
    if store.sync.setting("device") is not None:
        raise SyncProblem(
            f"Syncing is already set up here, with {folder_of(store)}: `reflectcoach sync` "
            "syncs it."
        )
    folder = _check_folder(folder, new=True)
    if (folder / envelope.MARKER).exists() and any(envelope.devices_dir(folder).glob("*")):
        raise SyncProblem(
            f"{folder} is already another device's sync folder: to add this device, run "
            "`reflectcoach sync pair` there and `reflectcoach sync join DIR CODE` here."
        )
    person, device = keys.person_for_init(store), keys.Device.generate()
    store_keys = keys.choose_key_store(store, device.id)
    keys.save(store, store_keys, person, device)
    store.sync.set_settings({"folder": str(folder)})
    if not (folder / envelope.MARKER).exists():
        envelope.write_new(folder / envelope.MARKER, envelope.MARKER_TEXT.encode())
    envelope.write_card(folder, person, device)
    return device, store_keys.where


def pair(store: Store, now: dt.datetime | None = None) -> str:
    person, device = keys.load(store)
    folder = folder_of(store)
    assert folder is not None
    return pairing.offer(folder, person, device.name, now)


def join(
    store: Store, folder: Path, code: str, now: dt.datetime | None = None
) -> tuple[keys.Device, str, merge.Report]:
    """Set this device up with the identity an offer carries, then sync."""
    if store.sync.setting("device") is not None:
        raise SyncProblem(f"This device already syncs with {folder_of(store)}.")
    folder = _check_folder(folder, new=False)
    carried, other = pairing.accept(folder, code, now)
    person = keys.person_from_pairing(store, carried)
    pairing.used(folder, code)
    device = keys.Device.generate()
    store_keys = keys.choose_key_store(store, device.id)
    keys.save(store, store_keys, person, device)
    store.sync.set_settings({"folder": str(folder)})
    report = merge.sync(store, folder, person, device)
    return device, other, report


def configured(store: Store) -> bool:
    return store.sync.configured()


def run(store: Store) -> merge.Report:
    person, device = keys.load(store)
    folder = folder_of(store)
    assert folder is not None
    if not (folder / envelope.MARKER).exists():
        raise SyncProblem(
            f"The sync folder {folder} is not there (or not synced yet): nothing was synced."
        )
    pairing.remove_expired(folder)
    return merge.sync(store, folder, person, device)
