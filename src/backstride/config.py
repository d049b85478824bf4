"""Settings, read from the environment (``BACKSTRIDE_`` prefix) and command-line flags.

Settings are built by the edges (CLI callback, ``create_app``) when they start, never at
import time.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "backstride"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BACKSTRIDE_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means a SQLite file in the data folder.",
    )
    runner: str = Field(default="default", description="Runner profile used when none is named.")
    host: str = "127.0.0.1"
    port: int = 8421
    max_upload_mb: int = Field(default=200, description="Largest file the web app accepts, MiB.")
    shoe_retirement_km: float = Field(
        default=800.0,
        description="Default retirement distance for a pair of shoes, km (convention, weak evidence).",
    )

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'backstride.db').as_posix()}"

    @property
    def files_dir(self) -> Path:
        """Where uploaded videos, rendered outputs and reports are kept."""
        return self.data_dir / "files"
