"""Reading YAML/JSON documents from files, with locations for errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .errors import KwokbookError, Location


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KwokbookError("no such file", Location(str(p))) from None
    except IsADirectoryError:
        raise KwokbookError("is a directory, expected a file", Location(str(p))) from None
    except UnicodeDecodeError as e:
        raise KwokbookError(f"not UTF-8 text ({e.reason} at byte {e.start})", Location(str(p))) from None


def load_object(path: str | Path) -> Any:
    """One YAML or JSON document (the first, if several) as plain Python data."""
    text = read_text(path)
    if str(path).endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise KwokbookError(e.msg, Location(str(path), e.lineno, e.colno)) from None
    try:
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark
        loc = Location(str(path), mark.line + 1 if mark else None, mark.column + 1 if mark else None)
        raise KwokbookError(f"invalid YAML: {e.problem}", loc) from None
    if not docs:
        raise KwokbookError("no document in file", Location(str(path)))
    return docs[0]
