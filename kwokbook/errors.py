"""One error tree for kwokbook.

Every failure a user can cause is a :class:`KwokbookError` carrying a :class:`Location`
(source name, line, column, field path), so the CLI and the notebook layer can print a
single line that says where, without a Python traceback. Nothing here imports IPython.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file (or cell/template name), 1-based line and column, field path."""

    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        head = self.source or ""
        if self.line is not None:
            head += f":{self.line}" if head else f"line {self.line}"
            if self.column is not None:
                head += f":{self.column}"
        if self.path:
            return f"{head} {self.path}" if head else self.path
        return head

    def with_path(self, path: str | None) -> Location:
        return replace(self, path=path)


class KwokbookError(Exception):
    """Root of every error kwokbook raises on purpose.

    ``message`` is the problem in one sentence, ``location`` says where, ``hint`` (optional)
    what to do about it. ``str()`` gives ``location: message`` plus the hint on its own line.
    """

    def __init__(self, message: str, location: Location | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.hint = hint

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text

    def __reduce__(self) -> tuple[object, ...]:  # keep errors picklable (multiprocessing, notebook caches)
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[KwokbookError], state: dict[str, object]) -> KwokbookError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class TemplateError(KwokbookError):
    """A Go template failed to parse or execute (see :mod:`kwokbook.gotpl`)."""


class YAMLError(KwokbookError):
    """Rendered text or a loaded file is not valid YAML (go-yaml v2 semantics)."""


class StageError(KwokbookError):
    """A Stage document is invalid (schema, KWOK runtime rules, jq/CEL compile errors)."""


class SelectorError(KwokbookError):
    """A jq or CEL expression failed where KWOK reports the failure (CEL evaluation errors)."""


class ClusterError(KwokbookError):
    """Talking to a Kubernetes API server failed."""


class NotKwokClusterError(ClusterError):
    """A mutating call was refused because the target does not look like a KWOK cluster."""


class WatchGoneError(ClusterError):
    """The API server answered 410 Gone: the watch must re-list (a RESYNC is emitted)."""


class SimulatorError(KwokbookError):
    """The embedded simulator was asked to do something it cannot do."""


class UsageError(KwokbookError):
    """Bad arguments to a CLI command or magic."""
