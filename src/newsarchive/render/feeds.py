"""Atom feeds: the whole archive's (full text) and one per section, person, company and
topic (summaries), each carrying the newest ``feed_entries`` articles.

Written with feedgenerator directly rather than through Pelican's feed writer, which
strips anything that looks like a tag from titles (a headline quoting ``<script>`` would
lose words) and copies an article's relative links into the feed, where they resolve
against the feed's URL, not the article's. Here titles are plain text (escaped by the
XML writer) and every link in a body is made absolute: against the site URL in a
publish build, against the site root ("/…") in a development build.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import quote, urljoin
from zoneinfo import ZoneInfo

from feedgenerator import Atom1Feed, get_tag_uri

from newsarchive.render.views import ArticleView
from newsarchive.site.site import Site

_LINK_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolute_links(body: str, page_url: str) -> str:
    """*body* with every relative href/src resolved against *page_url* (absolute)."""

    def resolve(match: re.Match[str]) -> str:
        return match.group(1) + urljoin(page_url, match.group(2)) + match.group(3)

    return _LINK_ATTR.sub(resolve, body)


def _link(site: Site, url: str) -> str:
    """An article URL as feeds give it (feedgenerator percent-encodes it in ``href``):
    absolute in publish builds, root-relative in development builds."""
    return f"{site.mode.base_url}/{url}"


def render_feed(
    site: Site, feed_url: str, title: str, ids: tuple[int, ...], *, full_text: bool
) -> bytes:
    zone = ZoneInfo(site.settings.timezone)
    base = site.mode.base_url
    feed = Atom1Feed(
        title=title,
        link=f"{base}/",
        feed_url=f"{base}/{feed_url}" if base else feed_url,
        description=site.settings.site_description,
        subtitle=site.settings.site_description,
    )
    for article_id in ids:
        item = ArticleView(site, article_id)
        link = _link(site, item.url)
        day = item.date
        published = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
        section = item.category
        byline = item.na.byline
        author = byline.name if byline else (item.na.outlet or "")
        feed.add_item(
            title=item.title,
            link=link,
            unique_id=get_tag_uri(link, published),
            description=item.summary,
            content=absolute_links(item.content, quote(link, safe=":/?#[]@!$&'()*+,;=%-._~"))
            if full_text
            else None,
            categories=[section.name] if section else None,
            author_name=author,
            pubdate=published,
        )
    buffer = io.StringIO()
    feed.write(buffer, "utf-8")
    return buffer.getvalue().encode("utf-8")
