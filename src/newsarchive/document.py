"""One article or page file, parsed: YAML front matter (libyaml's safe loader) + a Markdown body.

Shared by the Pelican reader (:mod:`newsarchive.pelican_plugin.reader`), the importer
(:mod:`newsarchive.importer.articles`) and the search index's source scan
(:mod:`newsarchive.search.sources`), which read articles without Pelican; so nothing here
imports Pelican.

Text in articles comes from scraped pages and is untrusted. The body is rendered as
CommonMark with raw HTML disabled, so ``<script>`` in a dump is shown as text, and links
are limited to safe schemes (http, https, mailto, relative): ``javascript:`` and ``data:``
links stay plain text. Front matter is parsed with the safe loader (no object
construction) and validated by :meth:`newsarchive.model.Article.from_front_matter`; any
problem raises :class:`FrontMatterError` naming the file, the field and its line.

Input is bounded before YAML sees it, because one hostile file must fail alone and fast,
not take the build down: an article file may hold at most :data:`MAX_FILE_BYTES`, its front
matter at most :data:`MAX_FRONT_MATTER_BYTES`, and the front matter may use no YAML anchor
or alias. A few hundred bytes of nested aliases expand to billions of values for anything
that walks the loaded data (a repr, a hash, a template), and the importer never writes one.
libyaml limits flow nesting itself. Text is normalised to NFC (composed Hangul) as it is
read: a file saved decomposed (NFD, as some macOS tools write) is published composed, and
its slug, title and names compare equal to the same words typed anywhere else.
"""

from __future__ import annotations

import html
import re
import unicodedata
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
# An article page's <meta name="description">: about what search engines and link previews
# show of a Korean text (two lines), so the head does not repeat the whole first paragraph.
DESCRIPTION_CHARS = 100
MAX_FILE_BYTES = 2 * 1024 * 1024  # an article; the longest stories run to ~100 KB
MAX_FRONT_MATTER_BYTES = 64 * 1024  # the importer writes ~1-3 KB

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
    return shorten(" ".join(text.split()), limit)


def shorten(text: str, limit: int) -> str:
    """*text* cut at a word boundary near *limit* characters, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.·") + "…"


# ----------------------------------------------------------------------- front matter
def _size(count: int) -> str:
    """``65,536`` -> ``64 KiB (65,536 bytes)``: the unit people say, the exact figure."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:g} {unit} ({count:,} bytes)"
    return f"{count:,} bytes"


def split_front_matter(text: str, path: Path) -> tuple[str, str, int]:
    """``(yaml_text, body, first_yaml_line)`` of a file's text, normalised to NFC.

    The file must start with a ``---`` line; the front matter may be at most
    :data:`MAX_FRONT_MATTER_BYTES` (in UTF-8) long.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise FrontMatterError(
            "the file must start with a '---' front matter line", path=path, line=1
        )
    size = 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), 2
        size += len(lines[i].encode("utf-8")) + 1
        if size > MAX_FRONT_MATTER_BYTES:
            raise FrontMatterError(
                f"the front matter is longer than {_size(MAX_FRONT_MATTER_BYTES)} "
                f"(still not closed by '---' at line {i + 1}); the importer writes a few KiB",
                path=path,
                line=1,
            )
    raise FrontMatterError("the front matter is not closed by a '---' line", path=path, line=1)


def _refuse_anchors(yaml_text: str, path: Path, offset: int) -> None:
    """No anchor (``&name``) or alias (``*name``) in front matter: see the module docstring."""
    if "&" not in yaml_text and "*" not in yaml_text:
        return  # neither can occur without its sign: most files skip the scan
    try:
        for token in yaml.scan(yaml_text, Loader=_Loader):
            if isinstance(token, yaml.AnchorToken | yaml.AliasToken):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                raise FrontMatterError(
                    f"front matter uses the YAML {'anchor' if sign == '&' else 'alias'} "
                    f"{sign}{token.value}: anchors and aliases are not allowed in front matter "
                    "(a few aliases can expand to billions of values); write the value out",
                    path=path,
                    line=token.start_mark.line + offset,
                )
    except yaml.YAMLError:
        return  # not valid YAML: the loader reports it with its line


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
    """The front matter as a mapping; YAML anchors and aliases are refused."""
    _refuse_anchors(yaml_text, path, offset)
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
    """Parse and validate one article file (or *data*, its bytes): ``(Article, body_markdown)``.

    The file may be at most :data:`MAX_FILE_BYTES` long; text is normalised to NFC.
    """
    if data is None:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FrontMatterError(
            f"the file is larger than {_size(MAX_FILE_BYTES)}, the most an article may hold; "
            "split it or move attachments out of it",
            path=path,
        )
    try:
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
