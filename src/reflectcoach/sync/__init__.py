"""Devices of one person converging over a folder they already sync (Syncthing, Dropbox, a
git checkout, a USB stick): each device writes its changes as new, encrypted, signed files;
every device merges the others'. The database itself never travels (docs/architecture.md,
"Syncing devices")."""
