"""Shared helpers for the Python checks run by scripts/check-foreign-tools."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Entity:
    """One published schema, `schemas/<name>.schema.json`."""

    root: Path
    name: str

    @property
    def schema_path(self) -> Path:
        return self.root / "schemas" / f"{self.name}.schema.json"

    @property
    def rel(self) -> str:
        return f"schemas/{self.name}.schema.json"

    def examples(self) -> list[Path]:
        return json_files(self.root / "schemas" / "examples" / self.name)

    def invalid(self) -> list[Path]:
        return json_files(self.root / "tests" / "fixtures" / "schema" / "invalid" / self.name)


def entities(root: Path) -> list[Entity]:
    return [
        Entity(root, p.name[: -len(".schema.json")])
        for p in sorted((root / "schemas").glob("*.schema.json"))
    ]


def json_files(directory: Path) -> list[Path]:
    """The `*.json` files directly in `directory`, sorted; none if it is missing."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.json") if p.is_file())


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def rel(root: Path, path: Path) -> str:
    return str(path.relative_to(root))
