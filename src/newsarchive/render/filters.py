"""Jinja filters shared by every template: Korean dates and safe JSON for ``<script>``.

Dates are formatted here, never through the OS locale, so output is identical on every
machine.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any
from urllib.parse import quote

from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

WEEKDAYS = "월화수목금토일"


def korean_date(value: dt.date | dt.datetime | None) -> str:
    """``2024-06-08`` -> ``2024년 6월 8일 (토)``."""
    if value is None:
        return ""
    return f"{value.year}년 {value.month}월 {value.day}일 ({WEEKDAYS[value.weekday()]})"


def korean_month(value: dt.date | dt.datetime) -> str:
    return f"{value.year}년 {value.month}월"


def iso_date(value: dt.date | dt.datetime | None) -> str:
    return "" if value is None else f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so a
    hostile headline can never close the script element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)  # noqa: S704 - escaped above for the script-data context


def temperature(value: float) -> str:
    """``-8.5`` -> ``−8.5℃`` (a real minus sign reads better than a hyphen)."""
    text = f"{abs(value):.1f}℃"
    return f"−{text}" if value < 0 else text


def page_url(output_file: str | None) -> str:
    """``2024/index.html`` -> ``2024/``: the URL a saved file is served at."""
    if not output_file:
        return ""
    if output_file == "index.html":
        return ""
    if output_file.endswith("/index.html"):
        return output_file[: -len("index.html")]
    return output_file


@functools.cache
def site_path(siteurl: str) -> str | None:
    """The path of an absolute site URL ("/REPO", or "" at a host's root); None when the
    site URL is relative (a development build's ``SITEURL``)."""
    if "://" in siteurl:
        path = ("/" + "/".join(siteurl.split("/", 3)[3:])).rstrip("/")
        # nothing that would end an unquoted attribute value (space, quotes, "=", "<", ">",
        # "`") or start a character reference ("&"): the theme leaves link values unquoted
        return quote(path, safe="/%!$()*+,;:@~")
    return "" if not siteurl else None


def href(url: str, page: str, siteurl: str) -> str:
    """The shortest link to the site-relative *url* (``""`` is the home page, a folder ends
    with "/") from the page saved at *page*: relative to the page's folder, or from the
    site's path (``/REPO/…``) when that is shorter and the site URL is absolute.

    ``404.html`` is served for a missing path at any depth, so its links always start at
    the site's path. Relative links are what a page's many in-site links gain most from
    (``../other/`` for the next article of a month, ``slug/`` on a month's listing): the
    link checker and readers resolve both forms alike.
    """
    root = site_path(siteurl)
    absolute = None if root is None else f"{root}/{url}"
    if page == "404.html" and absolute is not None:
        return absolute
    relative = _relative(url.rstrip("/"), page.rpartition("/")[0])
    if url == "" or url.endswith("/"):
        relative += "/"
    if absolute is not None and len(absolute.encode()) <= len(relative.encode()):
        return absolute
    return relative


def _relative(target: str, folder: str) -> str:
    """``posixpath.relpath`` for the clean site paths of outputs (no ``.``, ``..`` or
    doubled slashes), without its two ``abspath`` calls: a listing page makes hundreds."""
    to = target.split("/") if target else []
    here = folder.split("/") if folder else []
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."


@pass_context
def link(context: Context, url: str) -> str:
    """``{{ "archives/"|link }}``: :func:`href` from the page being rendered."""
    return href(str(url), context.get("output_file") or "", context.get("SITEURL") or "")


FILTERS = {
    "link": link,
    "page_url": page_url,
    "korean_date": korean_date,
    "korean_month": korean_month,
    "iso_date": iso_date,
    "script_json": script_json,
    "temperature": temperature,
}
