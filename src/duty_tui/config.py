"""The operator's own configuration file (not the store's shared settings): which store to open,
which plugins to block, the language. ``DUTY_CONFIG`` names the file; else the platform's user
config folder holds ``duty-tui/config.toml``::

    db = "sqlite:////srv/duty/duty.db"
    disable_plugins = ["some_plugin"]
    lang = "zh"
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

APP = "duty-tui"


def config_path() -> Path:
    explicit = os.environ.get("DUTY_CONFIG")
    if explicit:
        return Path(explicit)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP)) / "config.toml"


def default_db_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir(APP)) / 'duty.db'}"


@dataclass(frozen=True)
class Config:
    db: str | None = None
    disable_plugins: tuple[str, ...] = ()
    lang: str | None = None
    path: Path | None = None
    extra: dict = field(default_factory=dict)


class ConfigError(ValueError):
    pass


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    if not path.exists():
        return Config(path=path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file {path}: {exc}") from None
    disabled = raw.pop("disable_plugins", [])
    if not isinstance(disabled, list) or not all(isinstance(x, str) for x in disabled):
        raise ConfigError(f"{path}: disable_plugins must be a list of plugin names")
    db, lang = raw.pop("db", None), raw.pop("lang", None)
    for key, value in (("db", db), ("lang", lang)):
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{path}: {key} must be a string")
    return Config(db=db, disable_plugins=tuple(disabled), lang=lang, path=path, extra=raw)


def resolve_db_url(explicit: str | None, config: Config) -> str:
    """``--db``, else ``DUTY_DB``, else the configured default, else the user data folder."""
    return explicit or os.environ.get("DUTY_DB") or config.db or default_db_url()
