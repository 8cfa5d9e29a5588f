"""Typed settings: defaults in one place, validated once, unknown keys warned about.

Settings live in ``newsarchive.toml`` at the project root (every key optional).
Paths are resolved against the project root, and every path the tool writes to must
stay inside ``content/`` or ``output/``.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import logging
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from newsarchive.errors import ConfigError
from newsarchive.slugs import DEFAULT_MAX_LENGTH

log = logging.getLogger(__name__)

CONFIG_FILENAME = "newsarchive.toml"
# The theme that ships with the project; used when the configured theme folder is absent
# (e.g. a fixture site or a project that keeps no theme of its own).
BUNDLED_THEME = Path(__file__).resolve().parents[2] / "themes" / "newsroom"
# Names every build skips in content/ (editor backups, the importer's temp files).
# A headline's first word or two: shorter slugs would mostly be told apart by their date
# suffixes (``-0608``) alone.
MIN_SLUG_LENGTH = 10

IGNORED_FILES = (".*", "*~", "*.tmp", "#*#")
_IGNORED = re.compile("|".join(fnmatch.translate(p) for p in IGNORED_FILES))


def ignored_file(name: str) -> bool:
    """Whether a build skips a file of this name (one of IGNORED_FILES)."""
    return _IGNORED.match(name) is not None


@dataclass(frozen=True)
class Settings:
    """Every setting newsarchive knows, with its default."""

    root: Path = field(default_factory=Path.cwd)
    site_name: str = "뉴스 아카이브"
    site_description: str = "한국 온라인 신문 기사 아카이브"
    # Empty means "relative URLs" (development); a publish build needs an absolute URL.
    site_url: str = ""
    content_dir: str = "content"
    raw_dir: str = "content/raw"
    articles_dir: str = "content/articles"
    pages_dir: str = "content/pages"
    entities_file: str = "content/entities.yaml"
    output_dir: str = "output"
    theme_dir: str = "themes/newsroom"
    cache_dir: str = ".cache/newsarchive"
    timezone: str = "Asia/Seoul"
    default_lang: str = "ko"
    articles_per_page: int = 20
    # Articles a person's, company's or topic's page lists (titles only) before its years get
    # pages of their own, each of as many articles (a size lever: docs/deploying.md).
    entity_articles_per_page: int = 100
    # Related articles listed under each article (0: none; a size lever: docs/deploying.md).
    related_articles: int = 5
    # Characters of a new article's slug, cut at a word boundary (its URL: every link to the
    # article carries it; a size lever for new imports, docs/deploying.md). Given slugs stay.
    slug_max_length: int = DEFAULT_MAX_LENGTH
    # The weather box on each article's page (false: only day pages show a day's weather;
    # a size lever: docs/deploying.md).
    article_weather: bool = True
    # Entries of every Atom feed (newest first): the site-wide feed carries full text,
    # section and entity feeds summaries.
    feed_entries: int = 20
    # One feed per person, company and topic: off by default, as they cost a large archive a
    # fifth of GitHub Pages' budget (docs/deploying.md, "Feeds"); their pages link to them.
    entity_feeds: bool = False
    cname: str = ""
    serve_port: int = 8000
    serve_bind: str = "127.0.0.1"
    # Keep the search index (output/search-index/) up to date; false removes it.
    search: bool = True
    # Processes a full build parses and renders with (0: every core; 1: one process).
    build_jobs: int = 0

    # --- derived paths -------------------------------------------------------------
    def path(self, name: str) -> Path:
        """Absolute path of a ``*_dir``/``*_file`` setting."""
        return (self.root / getattr(self, name)).resolve()

    @property
    def content_path(self) -> Path:
        return self.path("content_dir")

    @property
    def raw_path(self) -> Path:
        return self.path("raw_dir")

    @property
    def articles_path(self) -> Path:
        return self.path("articles_dir")

    @property
    def pages_path(self) -> Path:
        return self.path("pages_dir")

    @property
    def entities_path(self) -> Path:
        return self.path("entities_file")

    @property
    def output_path(self) -> Path:
        return self.path("output_dir")

    @property
    def theme_path(self) -> Path:
        return self.path("theme_dir")

    @property
    def build_theme_path(self) -> Path | None:
        """The theme a build uses: the configured one, else the bundled one (None: neither)."""
        for candidate in (self.theme_path, BUNDLED_THEME):
            if (candidate / "templates" / "base.html").is_file():
                return candidate
        return None

    @property
    def cache_path(self) -> Path:
        return self.path("cache_dir")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_FIELD_TYPES = {f.name: f.type for f in fields(Settings)}


def _check_type(key: str, value: Any, default: Any) -> Any:
    expected = type(default)
    if expected is bool and not isinstance(value, bool):
        raise ConfigError(f"setting {key!r} must be true or false, not {value!r}")
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ConfigError(f"setting {key!r} must be a whole number, not {value!r}")
    if expected is str and not isinstance(value, str):
        raise ConfigError(f"setting {key!r} must be a string, not {value!r}")
    return value


def _validate(settings: Settings) -> Settings:
    if settings.articles_per_page < 1:
        raise ConfigError("setting 'articles_per_page' must be at least 1")
    if settings.entity_articles_per_page < 1:
        raise ConfigError("setting 'entity_articles_per_page' must be at least 1")
    if settings.feed_entries < 1:
        raise ConfigError("setting 'feed_entries' must be at least 1")
    if settings.build_jobs < 0:
        raise ConfigError("setting 'build_jobs' must be 0 (every core) or more")
    if settings.slug_max_length < MIN_SLUG_LENGTH:
        raise ConfigError(f"setting 'slug_max_length' must be at least {MIN_SLUG_LENGTH}")
    if settings.related_articles < 0:
        raise ConfigError("setting 'related_articles' must be 0 (none) or more")
    if not 1 <= settings.serve_port <= 65535:
        raise ConfigError("setting 'serve_port' must be a TCP port (1-65535)")
    if settings.site_url and not settings.site_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"site_url must start with http:// or https://, not {settings.site_url!r}"
        )
    root = settings.root.resolve()
    for name in ("content_dir", "output_dir", "cache_dir"):
        target = settings.path(name)
        if not target.is_relative_to(root):
            raise ConfigError(f"setting {name!r} must stay inside the project ({target} is not)")
    if settings.output_path == root or settings.content_path == root:
        raise ConfigError("content_dir and output_dir must be folders below the project root")
    if settings.output_path.is_relative_to(settings.content_path):
        raise ConfigError("output_dir must not be inside content_dir")
    return settings.replace(site_url=settings.site_url.rstrip("/"), root=root)


def load_settings(
    root: Path | None = None, *, overrides: dict[str, Any] | None = None, strict: bool = False
) -> Settings:
    """Read ``newsarchive.toml`` (if any) below *root*, apply *overrides*, validate once."""
    root = (root or Path.cwd()).resolve()
    values: dict[str, Any] = {}
    config_file = root / CONFIG_FILENAME
    if config_file.exists():
        try:
            raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot parse settings: {exc}", path=config_file) from exc
        defaults = Settings(root=root)
        for key, value in raw.items():
            if key not in _FIELD_TYPES or key == "root":
                message = f"unknown setting {key!r} ignored"
                if strict:
                    raise ConfigError(message, path=config_file)
                log.warning("%s: %s", config_file.name, message)
                continue
            values[key] = _check_type(key, value, getattr(defaults, key))
    for key, value in (overrides or {}).items():
        if value is not None:
            values[key] = value
    return _validate(Settings(root=root, **values))


def site_url_from_env(cli_value: str | None) -> str | None:
    """The publish URL: the command line wins, then ``SITEURL`` from the environment."""
    return cli_value or os.environ.get("SITEURL") or None
