"""Jinja filters shared by every template: Korean dates and safe JSON for ``<script>``.

Dates are formatted here, never through the OS locale, so output is identical on every
machine.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

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


FILTERS = {
    "page_url": page_url,
    "korean_date": korean_date,
    "korean_month": korean_month,
    "iso_date": iso_date,
    "script_json": script_json,
    "temperature": temperature,
}
