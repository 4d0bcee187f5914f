"""Every function of sprig v3.3.0's ``TxtFuncMap`` (211), Go-exact.

Modules register into :data:`FUNCS` with :func:`kwokbook.gotpl.values.gofunc`; this package
imports them all. Groups follow the comments in sprig's ``functions.go``.
"""

from __future__ import annotations

import importlib
import pkgutil

from ._registry import FUNCS

for _mod in pkgutil.iter_modules(__path__):
    if not _mod.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_mod.name}")

__all__ = ["FUNCS"]
