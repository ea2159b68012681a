"""Per-user settings: where the database is, which language, which branch, which PDF font.

Stored as JSON in the platform's per-user config folder (platformdirs). `BRANCHDESK_HOME` points both the
config and the data folder at one directory instead, which tests and portable installs use.
Command-line options (`--db`, `--lang`) override the file for one run without changing it.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import platformdirs

from desktop import APP_NAME

LANGUAGES = ("zh_CN", "en")


@dataclass(frozen=True)
class Settings:
    db_url: str = ""  # empty: the SQLite file in the data folder
    language: str = "zh_CN"
    branch_code: str = "GZ01"
    branch_name: str = "广州销售分公司"
    pdf_font: str = ""  # empty: search the usual CJK fonts
    idle_lock_minutes: int = 15
    extra: dict = field(default_factory=dict)


def config_dir() -> Path:
    home = os.environ.get("BRANCHDESK_HOME")
    return Path(home) if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = os.environ.get("BRANCHDESK_HOME")
    return Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / "settings.json"


def default_db_url() -> str:
    return f"sqlite:///{(data_dir() / 'branchdesk.sqlite3').as_posix()}"


def load_settings() -> Settings:
    path = config_path()
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{path}: cannot read settings ({exc}); fix or delete the file") from exc
    known = {f.name for f in fields(Settings)}
    settings = Settings(**{k: v for k, v in raw.items() if k in known})
    if settings.language not in LANGUAGES:
        raise SettingsError(f"{path}: language must be one of {', '.join(LANGUAGES)}, not {settings.language!r}")
    return settings


def save_settings(settings: Settings) -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def with_overrides(settings: Settings, *, db: str | None = None, lang: str | None = None) -> Settings:
    if lang is not None and lang not in LANGUAGES:
        raise SettingsError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return replace(settings, db_url=db or settings.db_url, language=lang or settings.language)


def effective_db_url(settings: Settings) -> str:
    return settings.db_url or default_db_url()


class SettingsError(Exception):
    pass
