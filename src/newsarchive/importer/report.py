"""What an import did, dump by dump: the command prints it, the dev server and tests read it.

Every list of ``(display, reason)`` pairs names the dump first, so each printed line is
``path: reason`` and an editor or ``grep`` jumps to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    # --force replaced a writer's edit: which article, and where its text is kept
    replaced: list[tuple[str, str]] = field(default_factory=list)
    # the same bytes as another dump: not imported a second time
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    # a dump known to the manifest is gone: its article stays, the record is dropped
    deleted_dumps: list[tuple[str, str]] = field(default_factory=list)
    # a dump that reappeared under another name: its record (and article) follow it
    renamed: list[tuple[str, str]] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    temps_removed: list[Path] = field(default_factory=list)  # left by killed imports
    bytes_read: int = 0
    entities: bool = False  # whether entity extraction ran

    @property
    def ok(self) -> bool:
        return not self.failed and not self.conflicts

    def summary(self) -> str:
        line = (
            f"imported {len(self.imported)}, unchanged {len(self.unchanged)}, "
            f"skipped {len(self.skipped)}, failed {len(self.failed)}"
        )
        extras = (
            ("conflicts", self.conflicts),
            ("duplicates", self.duplicates),
            ("renamed", self.renamed),
            ("deleted dumps", self.deleted_dumps),
            ("edits replaced", self.replaced),
        )
        return line + "".join(f", {name} {len(items)}" for name, items in extras if items)

    def notices(self) -> list[tuple[str, str]]:
        """Lines worth a writer's attention that are not failures, in a stable order."""
        return sorted([*self.duplicates, *self.renamed, *self.deleted_dumps])
