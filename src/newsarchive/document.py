"""One article or page file, parsed: YAML front matter (libyaml's safe loader) + a Markdown body.

Shared by the Pelican reader (:mod:`newsarchive.pelican_plugin.reader`) and the build's fast
path (:mod:`newsarchive.snapshot`), which must render a body exactly as a full build would
without importing Pelican; so nothing here imports Pelican.

Text in articles comes from scraped pages and is untrusted. The body is rendered as
CommonMark with raw HTML disabled, so ``<script>`` in a dump is shown as text, and links
are limited to safe schemes (http, https, mailto, relative): ``javascript:`` and ``data:``
links stay plain text. Front matter is parsed with the safe loader (no object
construction) and validated by :meth:`newsarchive.model.Article.from_front_matter`; any
problem raises :class:`FrontMatterError` naming the file, the field and its line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin

from newsarchive.errors import FrontMatterError
from newsarchive.model import Article

try:  # libyaml is ~7x faster; the pure-Python loader accepts the same safe subset
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# Bump when rendering changes: it is part of the cache folder name, so stale cached
# renderings are never reused after an upgrade.
READER_VERSION = "1"

SAFE_SCHEMES = ("http:", "https:", "mailto:")
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_FIELD_RE = re.compile(r"front matter field '([^']+)'")
_PATH_PART_RE = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
SUMMARY_CHARS = 160

CAPTION = "photo-caption"


# --------------------------------------------------------------------------- markdown
def _safe_link(url: str) -> bool:
    """Allow http(s), mailto and scheme-less (relative, fragment) links only."""
    url = url.strip()
    if _SCHEME_RE.match(url):
        return url.lower().startswith(SAFE_SCHEMES)
    return True


def _render_caption(self: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: Any) -> str:
    if tokens[idx].nesting == 1:
        return '<figure class="photo-caption"><figcaption>'
    return "</figcaption></figure>\n"


def _flatten_captions(state_core: Any) -> None:
    """Caption text goes straight into <figcaption>, without a <p> around it."""
    depth = 0
    for token in state_core.tokens:
        if token.type == f"container_{CAPTION}_open":
            depth += 1
        elif token.type == f"container_{CAPTION}_close":
            depth -= 1
        elif depth and token.type in ("paragraph_open", "paragraph_close"):
            token.hidden = True


class SafeMarkdownIt(MarkdownIt):
    """CommonMark whose links may only use safe schemes (see :func:`_safe_link`)."""

    def validateLink(self, url: str) -> bool:  # markdown-it-py names it so
        return _safe_link(url)


@cache
def markdown() -> MarkdownIt:
    """One configured parser per process (building it costs more than a short article)."""
    md = SafeMarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.use(container_plugin, name=CAPTION, render=_render_caption)
    md.core.ruler.push("flatten_captions", _flatten_captions)
    return md


def render_body(text: str) -> str:
    return markdown().render(text)


def summary_text(body_html: str, limit: int = SUMMARY_CHARS) -> str:
    """Plain text of the first paragraph, cut at a word boundary near *limit* characters."""
    match = re.search(r"<p>(.*?)</p>", body_html, re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", "", match.group(1) if match else body_html))
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.·") + "…"


# ----------------------------------------------------------------------- front matter
def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """``(yaml_text, body, first_yaml_line)``; the file must start with a ``---`` line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(
            "the file must start with a '---' front matter line", path=path, line=1
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), 2
    raise FrontMatterError("the front matter is not closed by a '---' line", path=path, line=1)


def field_line(yaml_text: str, field: str) -> int | None:
    """1-based line (within *yaml_text*) of a dotted field such as ``weather.stations[3].temp_c``.

    Walks the composed YAML node tree, so it finds the exact key even when the same name
    appears elsewhere; falls back to the deepest part of the path that exists.
    """
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    line = None
    for name, index in _PATH_PART_RE.findall(field):
        if name and isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == name:
                    line, node = key.start_mark.line + 1, value
                    break
            else:
                return line
        elif index and isinstance(node, yaml.SequenceNode) and int(index) < len(node.value):
            node = node.value[int(index)]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def parse_front_matter(yaml_text: str, path: Path, offset: int) -> dict[str, Any]:
    try:
        meta = yaml.load(yaml_text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrontMatterError(
            f"front matter is not valid YAML: {problem}",
            path=path,
            line=None if mark is None else mark.line + offset,
        ) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise FrontMatterError(
            "front matter must be a mapping of field: value", path=path, line=offset
        )
    return meta


def load_article(path: Path, data: bytes | None = None) -> tuple[Article, str]:
    """Parse and validate one article file (or *data*, its bytes): ``(Article, body_markdown)``."""
    try:
        if data is None:
            data = path.read_bytes()
        # as text mode reads files: universal newlines
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise FrontMatterError(f"not UTF-8 text ({exc.reason})", path=path) from None
    yaml_text, body, offset = split_front_matter(text, path)
    meta = parse_front_matter(yaml_text, path, offset)
    try:
        article = Article.from_front_matter(meta, path=path)
    except FrontMatterError as exc:
        match = _FIELD_RE.search(exc.message)
        line = field_line(yaml_text, match.group(1)) if match else None
        raise FrontMatterError(
            exc.message, path=path, line=None if line is None else line + offset - 1
        ) from None
    return article, body


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    content: str  # the body as HTML
    summary_text: str  # plain text of the first paragraph (lists, feeds, meta description)


def parse_article(path: Path, data: bytes | None = None) -> ParsedArticle:
    """One article file (or *data*, its bytes) as every build path sees it."""
    article, body = load_article(path, data)
    content = render_body(body)
    return ParsedArticle(article, content, summary_text(content))
