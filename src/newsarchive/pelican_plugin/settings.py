"""Pelican settings generated from newsarchive's typed :class:`~newsarchive.config.Settings`.

One function builds the whole Pelican configuration, so ``newsarchive build``, the dev
server and plain ``pelican`` (through the thin top-level ``pelicanconf.py`` /
``publishconf.py``) all build the same site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import FileSystemBytecodeCache

from newsarchive.config import BUNDLED_THEME, IGNORED_FILES, Settings
from newsarchive.errors import BuildError, ConfigError
from newsarchive.site.articles import ARTICLE_URL


def theme_path(settings: Settings) -> Path:
    theme = settings.build_theme_path
    if theme is not None:
        return theme
    raise BuildError(f"no theme found (looked for templates/base.html in {settings.theme_path})")


def _jinja_cache(settings: Settings) -> Path:
    path = settings.cache_path / "jinja"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pelican_settings(
    settings: Settings, *, publish: bool = False, site_url: str | None = None
) -> dict[str, Any]:
    """The override dict handed to :func:`pelican.settings.read_settings`."""
    from newsarchive.render import filters

    base_url = (site_url or settings.site_url or "").rstrip("/")
    if publish and not base_url:
        raise ConfigError(
            "a publish build needs the site URL: set site_url in newsarchive.toml, "
            "pass --site-url or set SITEURL"
        )
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"the site URL must start with http:// or https://, not {base_url!r}")
    content = settings.content_path
    return {
        "PATH": str(content),
        # Pelican's own article and page generators read nothing: newsarchive's generator
        # reads only the files that changed (pelican_plugin/generator.py).
        "ARTICLE_PATHS": [],
        "PAGE_PATHS": [],
        "ARTICLE_EXCLUDES": [],
        "PAGE_EXCLUDES": [],
        "IGNORE_FILES": list(IGNORED_FILES),
        "STATIC_PATHS": [],  # static files are copied by our generator (changed-only)
        "THEME_STATIC_PATHS": [],
        "OUTPUT_PATH": str(settings.output_path),
        # Stale files are removed by the build, inside output/ only.
        "DELETE_OUTPUT_DIRECTORY": False,
        "OUTPUT_SOURCES": False,
        "THEME": str(theme_path(settings)),
        "CACHE_PATH": str(settings.cache_path / "pelican"),
        # the dependency record is the build's cache (newsarchive.engine.record)
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        "PLUGINS": ["newsarchive.pelican_plugin"],  # never None: that loads every plugin
        "PLUGIN_PATHS": [],
        "SITENAME": settings.site_name,
        "SITESUBTITLE": settings.site_description,
        "SITEURL": base_url if publish else "",
        "RELATIVE_URLS": not publish,
        "FEED_DOMAIN": base_url if publish else "",
        "TIMEZONE": settings.timezone,
        "DEFAULT_LANG": settings.default_lang,
        "LOCALE": ["C"],  # dates are formatted by our own filter, never by the OS locale
        "DEFAULT_DATE_FORMAT": "%Y-%m-%d",
        "SLUGIFY_USE_UNICODE": True,
        "SLUGIFY_SOURCE": "title",
        "FILENAME_METADATA": "",
        "PATH_METADATA": "",
        "USE_FOLDER_AS_CATEGORY": False,  # a section comes from the front matter only
        "DEFAULT_CATEGORY": "",
        "DEFAULT_METADATA": {},
        "TYPOGRIFY": False,
        "ARTICLE_URL": ARTICLE_URL,
        "ARTICLE_SAVE_AS": ARTICLE_URL + "index.html",
        # A draft lives at its article's URL: development builds show it there, marked;
        # publish builds leave it out (newsarchive.site.site.BuildMode).
        "DRAFT_URL": ARTICLE_URL,
        "DRAFT_SAVE_AS": ARTICLE_URL + "index.html",
        "ARTICLE_LANG_URL": "",
        "ARTICLE_LANG_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "PAGE_URL": "{slug}/",
        "PAGE_SAVE_AS": "{slug}/index.html",
        "PAGE_LANG_SAVE_AS": "",
        "CATEGORY_SAVE_AS": "",
        "CATEGORIES_SAVE_AS": "",
        "TAG_SAVE_AS": "",
        "TAGS_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "",
        "YEAR_ARCHIVE_SAVE_AS": "",
        "MONTH_ARCHIVE_SAVE_AS": "",
        "DAY_ARCHIVE_SAVE_AS": "",
        "DIRECT_TEMPLATES": [],
        "PAGINATED_TEMPLATES": {},
        # Feeds are newsarchive's render steps (newsarchive.render.feeds).
        "FEED_ALL_ATOM": None,
        "CATEGORY_FEED_ATOM": None,
        "FEED_ATOM": None,
        "FEED_RSS": None,
        "FEED_ALL_RSS": None,
        "CATEGORY_FEED_RSS": None,
        "AUTHOR_FEED_ATOM": None,
        "AUTHOR_FEED_RSS": None,
        "TAG_FEED_ATOM": None,
        "TAG_FEED_RSS": None,
        "TRANSLATION_FEED_ATOM": None,
        "TRANSLATION_FEED_RSS": None,
        "JINJA_ENVIRONMENT": {
            "autoescape": True,  # every value is escaped unless a template says |safe
            # compiled templates survive between builds (keyed by source checksum)
            "bytecode_cache": FileSystemBytecodeCache(str(_jinja_cache(settings))),
            "trim_blocks": True,
            "lstrip_blocks": True,
            "extensions": [],
        },
        "JINJA_FILTERS": filters.FILTERS,
        # Ours: read by the plugin.
        "NEWSARCHIVE_SETTINGS": settings,
        "NEWSARCHIVE_PUBLISH": publish,
        "NEWSARCHIVE_BASE_URL": base_url,
        "NEWSARCHIVE_PAGES_PATH": settings.pages_path,
    }


__all__ = ["BUNDLED_THEME", "pelican_settings", "theme_path"]
