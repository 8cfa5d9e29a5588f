"""The offline checker on hand-written sites: clean when right, every kind of breakage found."""

from __future__ import annotations

import gzip
from pathlib import Path

import deploy_sites as sites
import pytest
from deploy_sites import BASE, write_site

from newsarchive import cli
from newsarchive.checker import Broken, check_site, css_urls, derive_base_url


def test_good_site_is_clean_and_externals_are_only_counted(tmp_path: Path) -> None:
    report = check_site(write_site(tmp_path / "out"))
    assert report.broken == []
    assert report.base_url == BASE
    assert report.pages == 4
    assert report.external == 1  # the news.example.com link; mailto: is not a web reference
    assert report.internal > 20
    assert report.ok


def test_base_url_comes_from_canonical_then_sitemap(tmp_path: Path) -> None:
    site = write_site(tmp_path / "out")
    assert derive_base_url(site) == BASE
    index = sites.INDEX.replace('<link rel="canonical" href="https://example.github.io/REPO/">', "")
    site2 = write_site(tmp_path / "out2", {"index.html": index})
    assert derive_base_url(site2) == BASE
    (site2 / "sitemap.xml").unlink()
    assert derive_base_url(site2) is None


def test_development_build_with_relative_urls_checks_at_root(tmp_path: Path) -> None:
    site = tmp_path / "dev"
    files = {
        "index.html": '<a href="a/">a</a><link rel="stylesheet" href="s.css"><a href="b/">b</a>',
        "a/index.html": '<a href="../">home</a><a href="#x" id="x">x</a>',
        "s.css": "body{background:url(img.png)}",
        "img.png": b"png",
    }
    for rel, content in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(content if isinstance(content, bytes) else content.encode())
    report = check_site(site)
    assert report.base_url is None
    assert report.broken == [Broken("index.html", "b/", "not found")]


def test_css_urls_skip_comments_and_find_imports() -> None:
    text = '@import "a.css"; @import url(b.css); /* url(c.png) */ x{y:url( "d e.png" )}'
    assert sorted(css_urls(text)) == ["a.css", "b.css", "d e.png"]


BREAKAGES = [
    pytest.param(
        {"index.html": sites.INDEX.replace("2024/01/기사/#본문", "2024/01/없음/")},
        Broken("index.html", "2024/01/없음/", "not found"),
        id="missing-page",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace("2024/01/기사/#본문", "2024/01/기사/#없는-앵커")},
        Broken(
            "index.html", "2024/01/기사/#없는-앵커", "no element with id '없는-앵커' on the page"
        ),
        id="missing-anchor",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace('href="#main"', 'href="#mian"')},
        Broken("index.html", "#mian", "no element with id 'mian' on the page"),
        id="missing-same-page-anchor",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace('href="/REPO/about/"', 'href="/about/"')},
        Broken("index.html", "/about/", "outside the site's base path /REPO/"),
        id="root-relative-link-forgets-subpath",
    ),
    pytest.param(
        {
            "index.html": sites.INDEX.replace(
                "https://example.github.io/REPO/feeds/all.atom.xml", "/feeds/all.atom.xml"
            )
        },
        Broken("index.html", "/feeds/all.atom.xml", "outside the site's base path /REPO/"),
        id="feed-link-forgets-subpath",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace("feeds/all.atom.xml", "feeds/gone.atom.xml")},
        Broken("index.html", "https://example.github.io/REPO/feeds/gone.atom.xml", "not found"),
        id="alternate-feed-missing",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace('src="theme/img/a.png"', 'src="theme/img/b.png"')},
        Broken("index.html", "theme/img/b.png", "not found"),
        id="missing-image",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace("a@2x.png 2x", "a@3x.png 3x")},
        Broken("index.html", "theme/img/a@3x.png", "not found"),
        id="missing-srcset-candidate",
    ),
    pytest.param(
        {"index.html": sites.INDEX.replace("url('theme/img/a.png')", "url('theme/img/c.png')")},
        Broken("index.html", "theme/img/c.png", "not found"),
        id="missing-inline-style-url",
    ),
    pytest.param(
        {
            "about/index.html": sites.ABOUT.replace(
                "/REPO/theme/css/style.css", "/REPO/theme/css/main.css"
            )
        },
        Broken("about/index.html", "/REPO/theme/css/main.css", "not found"),
        id="missing-stylesheet",
    ),
    pytest.param(
        {"theme/css/style.css": sites.STYLE.replace("../img/a.png", "../img/gone.png")},
        Broken("theme/css/style.css", "../img/gone.png", "not found"),
        id="css-url",
    ),
    pytest.param(
        {"theme/css/style.css": sites.STYLE.replace('"fonts.css"', '"font.css"')},
        Broken("theme/css/style.css", "font.css", "not found"),
        id="css-import",
    ),
    pytest.param(
        {"theme/css/fonts.css": sites.FONTS.replace("x.woff2", "y.woff2")},
        Broken("theme/css/fonts.css", "../fonts/y.woff2", "not found"),
        id="css-font-url",
    ),
    pytest.param(
        {
            "feeds/all.atom.xml": sites.FEED.replace(
                "REPO/2024/01/%EA%B8%B0%EC%82%AC/", "REPO/2024/02/x/"
            )
        },
        Broken("feeds/all.atom.xml", "https://example.github.io/REPO/2024/02/x/", "not found"),
        id="atom-entry-link",
    ),
    pytest.param(
        {
            "feeds/all.atom.xml": sites.FEED.replace(
                'href="https://example.github.io/REPO/2024/01/%EA%B8%B0%EC%82%AC/"',
                'href="2024/01/%EA%B8%B0%EC%82%AC/"',
            )
        },
        Broken("feeds/all.atom.xml", "2024/01/%EA%B8%B0%EC%82%AC/", "relative URL in a feed"),
        id="atom-relative-entry-link",
    ),
    pytest.param(
        {
            "feeds/all.atom.xml": sites.FEED.replace(
                "https://example.github.io/REPO/about/", "/REPO/about/"
            )
        },
        Broken("feeds/all.atom.xml", "/REPO/about/", "relative URL in a feed"),
        id="atom-relative-link-in-content",
    ),
    pytest.param(
        {"feeds/all.rss.xml": sites.RSS.replace("REPO/2024/01/", "REPO/2023/01/")},
        Broken(
            "feeds/all.rss.xml",
            "https://example.github.io/REPO/2023/01/%EA%B8%B0%EC%82%AC/",
            "not found",
        ),
        id="rss-item-link",
    ),
    pytest.param(
        {"feeds/all.atom.xml": sites.FEED.replace("</feed>", "")},
        Broken(
            "feeds/all.atom.xml", "<document>", "malformed XML: no element found: line 11, column 0"
        ),
        id="malformed-feed",
    ),
    pytest.param(
        {"sitemap.xml": sites.SITEMAP.replace("REPO/about/", "REPO/contact/")},
        Broken("sitemap.xml", "https://example.github.io/REPO/contact/", "not found"),
        id="sitemap-loc",
    ),
    pytest.param(
        {"sitemap.xml": sites.SITEMAP.replace("https://example.github.io/REPO/about/", "about/")},
        Broken("sitemap.xml", "about/", "relative URL in a sitemap"),
        id="sitemap-relative-loc",
    ),
    pytest.param(
        {
            "sitemap.xml": sites.SITEMAP.replace(
                "https://example.github.io/REPO/about/", "https://example.github.io/about/"
            )
        },
        Broken(
            "sitemap.xml", "https://example.github.io/about/", "outside the site's base path /REPO/"
        ),
        id="sitemap-loc-outside-subpath",
    ),
    pytest.param(
        {"robots.txt": sites.ROBOTS.replace("/REPO/sitemap.xml", "/sitemap.xml")},
        Broken(
            "robots.txt",
            "https://example.github.io/sitemap.xml",
            "outside the site's base path /REPO/",
        ),
        id="robots-sitemap",
    ),
    pytest.param(
        {"404.html": sites.NOT_FOUND.replace("/REPO/theme/css/style.css", "theme/css/style.css")},
        Broken(
            "404.html",
            "theme/css/style.css",
            "relative URL in 404.html, which is served at any depth",
        ),
        id="404-relative-stylesheet",
    ),
    pytest.param(
        {
            "2024/01/기사/index.html": sites.ARTICLE.replace(
                'href="../../../"', 'href="../../../../"'
            )
        },
        Broken("2024/01/기사/index.html", "../../../../", "outside the site's base path /REPO/"),
        id="relative-link-climbs-out-of-subpath",
    ),
]


@pytest.mark.parametrize(("files", "expected"), BREAKAGES)
def test_each_breakage_is_reported_alone(
    tmp_path: Path, files: dict[str, str], expected: Broken
) -> None:
    report = check_site(write_site(tmp_path / "out", files))
    assert report.broken == [expected]
    assert not report.ok


def test_base_url_option_as_path_checks_the_subpath(tmp_path: Path) -> None:
    site = write_site(tmp_path / "out")
    assert check_site(site, "/REPO/").broken == []
    wrong = check_site(site, "https://example.github.io/OTHER/")
    assert (
        Broken("index.html", "/REPO/about/", "outside the site's base path /OTHER/") in wrong.broken
    )


def test_cli_prints_sorted_broken_references_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = write_site(
        tmp_path / "out",
        {
            "index.html": sites.INDEX.replace("#main", "#zz").replace("/REPO/about/", "/about/"),
            "theme/css/style.css": sites.STYLE.replace("../img/a.png", "../img/gone.png"),
        },
    )
    assert cli.main(["check", str(site), "--root", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.split("\nsize: ")[0].splitlines()  # the size report follows
    assert lines[:-1] == [
        "index.html: #zz (no element with id 'zz' on the page)",
        "index.html: /about/ (outside the site's base path /REPO/)",
        "theme/css/style.css: ../img/gone.png (not found)",
    ]
    assert lines[-1].startswith(f"checked 13 files (4 pages) as served at {BASE}: ")
    assert lines[-1].endswith(" 3 broken")


def test_cli_passes_on_a_clean_site_from_the_output_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(tmp_path / "output")
    assert cli.main(["check", "--root", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split("\nsize: ")[0].endswith(", 0 broken")


def test_cli_refuses_a_missing_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check", str(tmp_path / "nowhere"), "--root", str(tmp_path)]) == 1
    assert "run `newsarchive build` first" in capsys.readouterr().err


def test_development_feeds_resolve_against_the_site_root(tmp_path: Path) -> None:
    # Pelican writes a development build's feed links relative to the site, not the feed.
    site = tmp_path / "dev"
    (site / "feeds").mkdir(parents=True)
    (site / "a").mkdir()
    (site / "index.html").write_text('<a href="a/">a</a>', encoding="utf-8")
    (site / "a" / "index.html").write_text("a", encoding="utf-8")
    feed = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="{}"/></entry></feed>'
    (site / "feeds" / "all.atom.xml").write_text(feed.format("a/"), encoding="utf-8")
    assert check_site(site).broken == []
    (site / "feeds" / "all.atom.xml").write_text(feed.format("b/"), encoding="utf-8")
    assert check_site(site).broken == [Broken("feeds/all.atom.xml", "b/", "not found")]


def test_symbolic_links_are_reported(tmp_path: Path) -> None:
    # Pages artifacts may not hold links; a link out of the site would also leak files.
    site = write_site(tmp_path / "out")
    (site / "theme" / "img" / "link.png").symlink_to(site / "theme" / "img" / "a.png")
    (site / "elsewhere").symlink_to(tmp_path)
    assert check_site(site).broken == [
        Broken("elsewhere", "<document>", "symbolic link"),
        Broken("theme/img/link.png", "<document>", "symbolic link"),
    ]


def test_base_href_makes_relative_links_safe_in_the_404_page(tmp_path: Path) -> None:
    page = sites.NOT_FOUND.replace("<head>", '<head><base href="/REPO/">').replace(
        "/REPO/theme/css/style.css", "theme/css/style.css"
    )
    assert check_site(write_site(tmp_path / "a", {"404.html": page})).broken == []
    broken = page.replace("theme/css/style.css", "theme/css/gone.css")
    assert check_site(write_site(tmp_path / "b", {"404.html": broken})).broken == [
        Broken("404.html", "theme/css/gone.css", "not found")
    ]


def test_gzipped_sitemaps_are_read_and_their_locs_checked(tmp_path: Path) -> None:
    """The build's sitemaps are ``sitemaps/NAME.xml.gz``: the checker reads them like the
    plain ones, reports a broken loc inside one, and names one that does not decompress."""
    broken = sites.SITEMAP.replace("REPO/about/", "REPO/contact/").encode("utf-8")
    site = write_site(
        tmp_path / "out",
        {"sitemaps/pages.xml.gz": gzip.compress(broken), "sitemaps/bad.xml.gz": b"not gzip"},
    )
    report = check_site(site)
    assert report.broken == [
        Broken("sitemaps/bad.xml.gz", "<document>", "malformed XML: Not a gzipped file (b'no')"),
        Broken("sitemaps/pages.xml.gz", "https://example.github.io/REPO/contact/", "not found"),
    ]
