"""Hand-written built sites for the checker and deploy tests (no build needed)."""

from __future__ import annotations

from pathlib import Path

BASE = "https://example.github.io/REPO/"

INDEX = """<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>뉴스 아카이브</title>
<link rel="canonical" href="https://example.github.io/REPO/">
<link rel="stylesheet" href="/REPO/theme/css/style.css">
<link rel="alternate" type="application/atom+xml" href="https://example.github.io/REPO/feeds/all.atom.xml">
<meta property="og:image" content="https://example.github.io/REPO/theme/img/a.png">
</head><body>
<a href="#main">본문 바로가기</a>
<main id="main">
<a href="2024/01/%EA%B8%B0%EC%82%AC/">기사</a>
<a href="2024/01/기사/#본문">기사 본문</a>
<a href="/REPO/about/">소개</a>
<a href="about">소개 (폴더, 슬래시 없이)</a>
<a href="https://news.example.com/x">원문</a>
<a href="mailto:desk@example.com">메일</a>
<img src="theme/img/a.png" srcset="theme/img/a.png 1x, theme/img/a@2x.png 2x" alt="">
<div style="background: url('theme/img/a.png')"></div>
<form action="/REPO/about/"><input name="q"></form>
</main></body></html>
"""

ARTICLE = """<!doctype html><html><head><title>기사</title>
<link rel="canonical" href="https://example.github.io/REPO/2024/01/%EA%B8%B0%EC%82%AC/">
<link rel="stylesheet" href="../../../theme/css/style.css"></head>
<body><h1>기사</h1><h2 id="본문">본문</h2><a name="old-anchor"></a>
<a href="../../../">홈</a> <a href="#old-anchor">위</a> <a href="#top">맨 위</a></body></html>
"""

ABOUT = """<!doctype html><html><head><title>소개</title>
<link rel="stylesheet" href="/REPO/theme/css/style.css"></head>
<body><a href="../">홈</a></body></html>
"""

NOT_FOUND = """<!doctype html><html><head><title>없는 페이지</title>
<link rel="stylesheet" href="/REPO/theme/css/style.css"></head>
<body><h1>페이지를 찾을 수 없습니다</h1><a href="/REPO/">홈으로</a>
<a href="https://example.github.io/REPO/about/">소개</a></body></html>
"""

STYLE = """@import "fonts.css";
/* url(commented-out.png) is not a reference */
body { background: url("../img/a.png") no-repeat; }
.icon { background-image: url(data:image/png;base64,AAAA); }
"""

FONTS = "@font-face { font-family: x; src: url(../fonts/x.woff2) format('woff2'); }\n"

FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>뉴스 아카이브</title>
<link href="https://example.github.io/REPO/" rel="alternate"/>
<link href="https://example.github.io/REPO/feeds/all.atom.xml" rel="self"/>
<id>https://example.github.io/REPO/</id><updated>2024-01-02T00:00:00+09:00</updated>
<entry><title>기사</title>
<link href="https://example.github.io/REPO/2024/01/%EA%B8%B0%EC%82%AC/" rel="alternate"/>
<id>tag:example.github.io,2024-01-02:/REPO/2024/01/기사/</id><updated>2024-01-02T00:00:00+09:00</updated>
<content type="html">&lt;p&gt;&lt;a href="https://example.github.io/REPO/about/"&gt;소개&lt;/a&gt;&lt;/p&gt;</content>
</entry></feed>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>뉴스</title><link>https://example.github.io/REPO/</link>
<description>아카이브</description>
<item><title>기사</title><link>https://example.github.io/REPO/2024/01/%EA%B8%B0%EC%82%AC/</link>
<description>&lt;p&gt;본문&lt;/p&gt;</description></item></channel></rss>
"""

SITEMAP = """<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.github.io/REPO/</loc></url>
<url><loc>https://example.github.io/REPO/2024/01/%EA%B8%B0%EC%82%AC/</loc></url>
<url><loc>https://example.github.io/REPO/about/</loc></url>
</urlset>
"""

ROBOTS = "User-agent: *\nAllow: /\nSitemap: https://example.github.io/REPO/sitemap.xml\n"

FILES: dict[str, str | bytes] = {
    "index.html": INDEX,
    "2024/01/기사/index.html": ARTICLE,
    "about/index.html": ABOUT,
    "404.html": NOT_FOUND,
    "theme/css/style.css": STYLE,
    "theme/css/fonts.css": FONTS,
    "theme/img/a.png": b"\x89PNG\r\n",
    "theme/img/a@2x.png": b"\x89PNG\r\n",
    "theme/fonts/x.woff2": b"wOF2",
    "feeds/all.atom.xml": FEED,
    "feeds/all.rss.xml": RSS,
    "sitemap.xml": SITEMAP,
    "robots.txt": ROBOTS,
}


def write_site(root: Path, files: dict[str, str | bytes] | None = None) -> Path:
    """Write the good publish-build site (optionally with some files replaced) into *root*."""
    for rel, content in {**FILES, **(files or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root
