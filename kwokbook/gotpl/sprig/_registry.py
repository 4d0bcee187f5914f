"""The shared registry sprig modules add their functions to."""

from __future__ import annotations

from ..values import GoFunc

FUNCS: dict[str, GoFunc] = {}
