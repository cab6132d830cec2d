"""Where reflectcoach keeps things on this machine (platformdirs), and the env overrides."""

from __future__ import annotations

import os
from pathlib import Path

APP = "reflectcoach"
DB_ENV = "REFLECTCOACH_DB"
SCRIPTS_ENV = "REFLECTCOACH_SCRIPTS"


def data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def state_dir() -> Path:
    """Where logs go (`crashlog.py`): `$XDG_STATE_HOME/reflectcoach` on Linux."""
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def user_scripts_dir() -> Path:
    return config_dir() / "scripts"


def default_db_path() -> Path:
    """`REFLECTCOACH_DB`, else `<user data dir>/reflectcoach/reflections.db`."""
    override = os.environ.get(DB_ENV)
    return Path(override).expanduser() if override else data_dir() / "reflections.db"


def env_script_dirs() -> list[Path]:
    raw = os.environ.get(SCRIPTS_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p]
