"""newsarchive: turn scraped Korean news pages into a browsable static archive."""

from __future__ import annotations

__version__ = "0.1.0"
