"""Body blocks -> Markdown that renders back to exactly the raw text.

(The other direction, Markdown -> HTML for the site, is :func:`newsarchive.document.render_body`.)

Raw text is data. Every character CommonMark (or the GFM extensions a reader might enable)
could read as markup is backslash-escaped, so no link, emphasis, heading, list, autolink,
entity, HTML tag or template delimiter can come out of a dump. Escaping is kept to the
characters that matter so writers can still read and edit the Markdown: ``.`` is escaped
only after a leading number (``1.`` would start a list), ``-``/``+``/``#``/``:`` only at the
start of a line. A run of ``▲`` lines becomes a bullet list, a photo caption a
``photo-caption`` container (the front matter and body format: docs/front-matter.md).
"""

from __future__ import annotations

import re

from newsarchive.importer.parse import Block

# Escaped wherever they appear: code, emphasis, links, HTML/autolinks, entities, tables,
# strikethrough, template delimiters, and the backslash itself.
_ALWAYS = frozenset("\\`*_[]<>&|~{}$")
_ALWAYS_TABLE = {ord(ch): "\\" + ch for ch in _ALWAYS}
# At the start of a line: headings, blockquotes (escaped anyway), lists, thematic breaks,
# setext underlines, container fences, and '!' which some plugins read.
_LEADING = frozenset("#-+=:!")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def escape_text(text: str) -> str:
    """Escape one line of raw text so Markdown renders it as the same text."""
    escaped = text.translate(_ALWAYS_TABLE)
    if escaped and escaped[0] in _LEADING:
        escaped = "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped, count=1)


def block_to_markdown(block: Block) -> str:
    if block.kind == "list":
        return "\n".join(f"- {escape_text(item)}" for item in block.items)
    if block.kind == "caption":
        return f"::: photo-caption\n{escape_text(block.items[0])}\n:::"
    return escape_text(block.items[0])


def blocks_to_markdown(blocks: tuple[Block, ...]) -> str:
    """The Markdown body: blocks separated by one blank line, no trailing newline."""
    return "\n\n".join(block_to_markdown(block) for block in blocks)
