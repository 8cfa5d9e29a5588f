"""The project's exception tree.

Library code raises these; only :mod:`newsarchive.cli` turns them into exit codes.
Every error that concerns a file carries its path (and line, where known) so the
message a writer sees names the place to fix.
"""

from __future__ import annotations

from pathlib import Path


class NewsArchiveError(Exception):
    """Base of every error newsarchive raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # errors cross process boundaries (the parallel build): keep path and line
        return (_rebuild, (type(self), self.message, self.path, self.line))

    def __str__(self) -> str:
        if self.path is None:
            return self.message
        where = str(self.path) if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


def _rebuild(
    cls: type[NewsArchiveError], message: str, path: Path | None, line: int | None
) -> NewsArchiveError:
    return cls(message, path=path, line=line)


class ConfigError(NewsArchiveError):
    """Settings are missing, mistyped or contradictory."""

    exit_code = 2


class ImportFailed(NewsArchiveError):  # not ImportError: that is Python's own
    """A raw dump cannot be decoded, parsed or written."""


class FrontMatterError(NewsArchiveError):
    """An article's YAML front matter is malformed or a field has the wrong type."""


class BuildError(NewsArchiveError):
    """The site cannot be built (templates, content, settings)."""


class CheckError(NewsArchiveError):
    """The built site has broken links or assets."""


class SiteTooLargeError(CheckError):
    """The built site is over its host's size limits (the whole site or one file)."""


class DeployError(NewsArchiveError):
    """Publishing the built site failed or was refused."""


class EntityError(NewsArchiveError):
    """The entity registry is malformed."""
