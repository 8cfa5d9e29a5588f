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
from newsarchive.document import READER_VERSION
from newsarchive.errors import BuildError, ConfigError


def theme_path(settings: Settings) -> Path:
    theme = settings.build_theme_path
    if theme is not None:
        return theme
    raise BuildError(f"no theme found (looked for templates/base.html in {settings.theme_path})")


def _jinja_cache(settings: Settings) -> Path:
    path = settings.cache_path / "jinja"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _article_order(article: Any) -> tuple[int, str]:
    # Newest first; the slug breaks ties so the order never depends on the file system.
    return (-article.date.toordinal(), article.slug)


def _relative(child: Path, parent: Path) -> str:
    try:
        return child.relative_to(parent).as_posix()
    except ValueError:
        raise ConfigError(f"{child} must be inside the content folder {parent}") from None


def pelican_settings(
    settings: Settings, *, publish: bool = False, site_url: str | None = None
) -> dict[str, Any]:
    """The override dict handed to :func:`pelican.settings.read_settings`."""
    from newsarchive.pelican_plugin import filters

    base_url = (site_url or settings.site_url or "").rstrip("/")
    if publish and not base_url:
        raise ConfigError(
            "a publish build needs the site URL: set site_url in newsarchive.toml, "
            "pass --site-url or set SITEURL"
        )
    if base_url and not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"the site URL must start with http:// or https://, not {base_url!r}")
    content = settings.content_path
    per_page = settings.articles_per_page
    return {
        "PATH": str(content),
        "ARTICLE_PATHS": [_relative(settings.articles_path, content)],
        "PAGE_PATHS": [_relative(settings.pages_path, content)],
        "ARTICLE_EXCLUDES": [],
        "PAGE_EXCLUDES": [],
        "IGNORE_FILES": list(IGNORED_FILES),
        "STATIC_PATHS": [],  # static files are copied by our generator (changed-only)
        "THEME_STATIC_PATHS": [],
        "OUTPUT_PATH": str(settings.output_path),
        # Stale files are removed by newsarchive.build after the build, inside output/ only.
        "DELETE_OUTPUT_DIRECTORY": False,
        "OUTPUT_SOURCES": False,
        "THEME": str(theme_path(settings)),
        "CACHE_PATH": str(settings.cache_path / f"pelican-r{READER_VERSION}"),
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "reader",
        # parsed articles are reused when their bytes hash alike (not by mtime)
        "CHECK_MODIFIED_METHOD": "blake2b",
        "GZIP_CACHE": False,
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
        "DEFAULT_METADATA": {},
        "TYPOGRIFY": False,
        "ARTICLE_ORDER_BY": _article_order,
        "PAGE_ORDER_BY": "slug",
        "NEWEST_FIRST_ARCHIVES": True,
        "REVERSE_CATEGORY_ORDER": False,
        # URLs (contracts.md)
        "ARTICLE_URL": "{date:%Y}/{date:%m}/{slug}/",
        "ARTICLE_SAVE_AS": "{date:%Y}/{date:%m}/{slug}/index.html",
        "ARTICLE_LANG_URL": "",
        "ARTICLE_LANG_SAVE_AS": "",
        "DRAFT_URL": "",
        "DRAFT_SAVE_AS": "",
        "DRAFT_LANG_SAVE_AS": "",
        "PAGE_URL": "{slug}/",
        "PAGE_SAVE_AS": "{slug}/index.html",
        "PAGE_LANG_SAVE_AS": "",
        "CATEGORY_URL": "sections/{slug}/",
        "CATEGORY_SAVE_AS": "sections/{slug}/index.html",
        "CATEGORIES_URL": "sections/",
        "CATEGORIES_SAVE_AS": "sections/index.html",
        "TAG_SAVE_AS": "",
        "TAGS_SAVE_AS": "",
        "AUTHOR_SAVE_AS": "",
        "AUTHORS_SAVE_AS": "",
        "ARCHIVES_SAVE_AS": "",
        # Year/month archives are written by our generator (Pelican's grouping is O(N^2)).
        "YEAR_ARCHIVE_SAVE_AS": "",
        "MONTH_ARCHIVE_SAVE_AS": "",
        "DAY_ARCHIVE_SAVE_AS": "",
        "INDEX_SAVE_AS": "index.html",
        "INDEX_URL": "",
        "DIRECT_TEMPLATES": ["index", "categories", "search"],
        "SEARCH_URL": "search/",  # the page of newsarchive.search (Pagefind)
        "SEARCH_SAVE_AS": "search/index.html",
        "PAGINATED_TEMPLATES": {
            "index": per_page,
            "category": per_page,
            "period_archives": per_page,
        },
        "DEFAULT_PAGINATION": per_page,
        "PAGINATION_PATTERNS": [
            (1, "{url}", "{save_as}"),
            (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
        ],
        # Feeds (Atom only): site-wide and per section; entity feeds come from our generator.
        "FEED_ALL_ATOM": "feeds/all.atom.xml",
        "CATEGORY_FEED_ATOM": "feeds/sections/{slug}.atom.xml",
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
        "FEED_MAX_ITEMS": 50,
        "RSS_FEED_SUMMARY_ONLY": True,
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
        "NEWSARCHIVE_PUBLISH": publish,
        "NEWSARCHIVE_BASE_URL": base_url,
        "NEWSARCHIVE_PAGES_PATH": settings.pages_path,
        "NEWSARCHIVE_ENTITIES_PATH": settings.entities_path,
        "NEWSARCHIVE_CONTENT_STATIC": [content / "images", content / "static"],
        "NEWSARCHIVE_RELATED": settings.related_articles,
        "NEWSARCHIVE_CNAME": settings.cname,
        # Manifest of the last build's writer calls (rendercache.py): unchanged pages are skipped.
        "NEWSARCHIVE_RENDER_CACHE": settings.cache_path / f"render-r{READER_VERSION}",
        # Processes for parsing and rendering (pelican_plugin/parallel.py); 0 = every core.
        "NEWSARCHIVE_BUILD_JOBS": settings.build_jobs,
    }


__all__ = ["BUNDLED_THEME", "pelican_settings", "theme_path"]
