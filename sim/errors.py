"""The one error type that bad input becomes.

Everything a user can get wrong (a YAML typo, a missing region file, a unit that
can never form a legal team) is raised as a ``ScenarioError`` carrying the file
and the field path, so the command line can print exactly one line and exit 2.
"""

from __future__ import annotations

import re


class ScenarioError(Exception):
    """Bad input, located by file and dotted field path."""

    def __init__(self, path: str, message: str, file: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.file = file

    def __reduce__(self):
        """Picklable, so an error found in a worker process reaches the user intact."""
        return (ScenarioError, (self.path, self.message, self.file))

    def located(self, file: str) -> ScenarioError:
        """The same error, naming ``file`` if it does not name one yet."""
        return self if self.file else ScenarioError(self.path, self.message, file)

    def __str__(self) -> str:
        """One line, whatever the input held: control characters (a line break in a name
        or a file name) are shown escaped, as ``\\n``."""
        parts = [p for p in (self.file, self.path) if p]
        return _CONTROL.sub(_escape, ": ".join([*parts, self.message]))


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]
