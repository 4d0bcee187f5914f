"""The top-level names resolve, lazily, to the layer that owns them."""

from __future__ import annotations

import subprocess
import sys

import kwokbook


def test_every_public_name_resolves_to_its_layer() -> None:
    assert set(kwokbook.__all__) - {"__version__"} == set(kwokbook._LAZY)
    for name, module in kwokbook._LAZY.items():
        value = getattr(kwokbook, name)
        assert value is getattr(sys.modules[module], name)


def test_import_is_cheap() -> None:
    code = "import sys, kwokbook; print(sorted(m for m in ('kubernetes', 'kwokbook.gotpl', 'ipywidgets') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=".")
    assert out.stdout.strip() == "[]"


def test_unknown_name() -> None:
    try:
        kwokbook.nope  # noqa: B018
    except AttributeError as e:
        assert "nope" in str(e)
    else:
        raise AssertionError("expected AttributeError")
