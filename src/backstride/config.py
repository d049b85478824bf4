"""Settings, read from the environment (``BACKSTRIDE_`` prefix) and command-line flags.

Settings are built by the edges (CLI callback, ``create_app``) when they start, never at
import time. Values passed in win over the environment, which wins over the defaults.

A plain pydantic model rather than pydantic-settings: the command line already loads pydantic
(Typer uses it), and pydantic-settings added 30-50 ms to every start for what is a dictionary
look-up here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

ENV_PREFIX = "BACKSTRIDE_"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "backstride"


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_default=True)

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means a SQLite file in the data folder.",
    )
    runner: str = Field(default="default", description="Runner profile used when none is named.")
    host: str = "127.0.0.1"
    port: int = 8421
    max_upload_mb: int = Field(default=200, description="Largest file the web app accepts, MiB.")
    max_concurrent_uploads: int = Field(default=4, ge=1, le=64,
                                        description="Uploads the web app receives at the same time; more wait.")
    watch_dir: Path | None = Field(
        default=None,
        description="A folder the web app watches for new activity files (a watch's activity folder, a sync folder).",
    )
    shoe_retirement_km: float = Field(
        default=800.0,
        description="Default retirement distance for a pair of shoes, km (convention, weak evidence).",
    )

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, data: Any) -> Any:
        """Fill fields not given from ``BACKSTRIDE_<NAME>`` (any letter case) in the environment."""
        if not isinstance(data, dict):
            return data
        environ = {key.upper(): value for key, value in os.environ.items() if key.upper().startswith(ENV_PREFIX)}
        merged = {name: environ[ENV_PREFIX + name.upper()] for name in cls.model_fields
                  if ENV_PREFIX + name.upper() in environ}
        merged.update(data)
        return merged

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'backstride.db').as_posix()}"

    @property
    def files_dir(self) -> Path:
        """Where uploaded videos, rendered outputs and reports are kept."""
        return self.data_dir / "files"
