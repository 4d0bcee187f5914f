"""Shared inputs for the template benchmark and its smoke test."""

from __future__ import annotations

from pathlib import Path

import yaml


def pod_ready_template() -> str:
    """KWOK's general ``pod-ready`` statusTemplate (shipped in kwokbook/data/stages)."""
    path = Path(__file__).resolve().parent / "data" / "stages" / "pod" / "general" / "pod-ready.yaml"
    doc = yaml.safe_load(path.read_text())
    return str(doc["spec"]["next"]["statusTemplate"])
