"""Settings for `pelican -s publishconf.py`: absolute URLs under SITEURL (or site_url)."""

from __future__ import annotations

from pathlib import Path

from newsarchive.config import load_settings, site_url_from_env
from newsarchive.pelican_plugin.settings import pelican_settings

_settings = load_settings(Path(__file__).resolve().parent)
globals().update(
    pelican_settings(
        _settings, publish=True, site_url=site_url_from_env(None) or _settings.site_url
    )
)
