"""User-facing errors: one line that names the input and the problem."""

from __future__ import annotations


class WhoholdsError(Exception):
    """An error caused by the user's input, shown as one line without a traceback."""

    def __init__(self, source: object, problem: str) -> None:
        # A file name may hold newlines or terminal escapes: shown escaped, so the message stays one line.
        text = str(source) if source is not None else ""
        self.source = text if text.isprintable() else "".join(
            c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}" if self.source else problem)

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # raised in an ingest worker process, the error is pickled back: rebuild it from both parts, not from
        # the joined message (Exception's default), or the parent gets an unpicklable error and a broken pool
        return type(self), (self.source, self.problem)


class InputError(WhoholdsError):
    """A map, profile, article or other input file that cannot be used as given."""


class StoreError(WhoholdsError):
    """The store is missing, empty, or does not hold what was asked for."""


class QueryError(WhoholdsError):
    """A request that cannot be answered: unknown date, actor, period in the wrong order..."""
