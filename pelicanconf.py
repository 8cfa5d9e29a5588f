"""Settings for plain `pelican` (development build); `newsarchive build` needs no file.

Everything comes from newsarchive's typed settings (newsarchive.toml), so `pelican`
and `newsarchive build` build the same site.
"""

from __future__ import annotations

from pathlib import Path

from newsarchive.config import load_settings
from newsarchive.pelican_plugin.settings import pelican_settings

globals().update(pelican_settings(load_settings(Path(__file__).resolve().parent), publish=False))
