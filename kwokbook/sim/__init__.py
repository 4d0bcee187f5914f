"""The embedded simulator: KWOK's controllers in-process on a virtual clock (see engine.py)."""

from __future__ import annotations

from .engine import Simulator
from .kwok import KwokConfig

__all__ = ["KwokConfig", "Simulator"]
