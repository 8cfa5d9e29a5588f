"""The size budget: `newsarchive check` and `deploy` against a host's limits (lowered here)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import deploy_sites as sites
import pytest
from deploy_sites import write_site

from newsarchive import cli, sitesize
from newsarchive.config import load_settings
from newsarchive.deploy import deploy
from newsarchive.errors import SiteTooLargeError
from newsarchive.sitesize import Limits, check_budget, measure, output_kind

PADDING = "search-index/fragments/big.json.gz"


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("2024/06/lg전자-조주완-ceo/index.html", "article"),
        ("2024/06/page/index.html", "article"),  # an article slugged "page"
        ("index.html", "listing"),
        ("page/3/index.html", "listing"),
        ("sections/index.html", "listing"),
        ("sections/경제/index.html", "listing"),
        ("sections/경제/page/2/index.html", "listing"),
        ("sections/경제/2024/06/index.html", "listing"),
        ("sections/경제/2024/06/page/2/index.html", "listing"),
        ("people/조주완/2024/index.html", "entity"),
        ("people/조주완/2024/page/3/index.html", "entity"),
        ("2024/index.html", "listing"),
        ("2024/page/2/index.html", "listing"),
        ("2024/06/index.html", "listing"),
        ("2024/06/page/12/index.html", "listing"),
        ("archives/index.html", "listing"),
        ("people/index.html", "listing"),
        ("topics/index.html", "listing"),
        ("people/cho-joo-wan/index.html", "entity"),
        ("2024/06/08/index.html", "dated"),
        ("on-this-day/index.html", "dated"),
        ("on-this-day/06-08/index.html", "dated"),
        ("weather/index.html", "dated"),
        ("weather/서울/index.html", "dated"),
        ("companies/lg전자/index.html", "entity"),
        ("topics/ai/index.html", "entity"),
        ("feeds/all.atom.xml", "feed"),
        ("feeds/sections/경제.atom.xml", "feed"),
        ("feeds/people/cho-joo-wan.atom.xml", "feed"),
        ("search-index/manifest.json.gz", "search"),
        ("search-index/terms/0a.json.gz", "search"),
        ("search/index.html", "search"),
        ("theme/css/style.css", "theme"),
        ("theme/img/weather.svg", "theme"),
        ("images/photo.jpg", "theme"),
        ("static/report.pdf", "theme"),
        ("404.html", "other"),
        ("about/index.html", "other"),
        ("sitemap.xml", "other"),
        ("robots.txt", "other"),
        (".nojekyll", "other"),
        ("CNAME", "other"),
    ],
)
def test_every_output_path_has_one_kind(rel: str, kind: str) -> None:
    assert output_kind(rel) == kind


def padded_site(root: Path, padding: int) -> Path:
    write_site(root)
    (root / PADDING).parent.mkdir(parents=True, exist_ok=True)
    (root / PADDING).write_bytes(b"x" * padding)
    return root


def test_measure_counts_every_file_once_by_kind(tmp_path: Path) -> None:
    site = padded_site(tmp_path / "out", 5000)
    (site / ".git").mkdir()
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")  # never published
    size = measure(site, largest=3)
    files = [p for p in site.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert size.files == len(files) == len(sites.FILES) + 1
    assert size.total_bytes == sum(p.stat().st_size for p in files)
    assert sum(k.bytes for k in size.by_kind.values()) == size.total_bytes
    assert size.by_kind["search"].bytes == 5000
    assert size.by_kind["feed"].files == 2
    assert size.by_kind["article"].files == 1
    assert size.largest[0] == (5000, PADDING)
    assert len(size.largest) == 3
    assert [b for b, _ in size.largest] == sorted((b for b, _ in size.largest), reverse=True)


def site_limits(total: int, ratio: float) -> Limits:
    """Limits under which a site of *total* bytes is at *ratio* of the site limit."""
    return Limits(host="Test Pages", site_bytes=int(total / ratio), file_bytes=10**9)


@pytest.mark.parametrize(
    ("ratio", "warn", "over"),
    [(0.79, False, False), (0.81, True, False), (0.999, True, False), (1.001, False, True)],
)
def test_the_site_limit_warns_past_80_percent_and_fails_past_100(
    tmp_path: Path, ratio: float, warn: bool, over: bool
) -> None:
    site = padded_site(tmp_path / "out", 20_000)
    total = measure(site).total_bytes
    budget = check_budget(site, site_limits(total, ratio))
    assert (budget.warn, budget.over) == (warn, over)
    assert bool(budget.problems()) == (warn or over)


@pytest.mark.parametrize(
    ("padding", "warn", "over"),
    [(7_900, False, False), (8_100, True, False), (10_000, True, False), (10_001, False, True)],
)
def test_the_file_limit_warns_past_80_percent_and_fails_past_100(
    tmp_path: Path, padding: int, warn: bool, over: bool
) -> None:
    site = padded_site(tmp_path / "out", padding)
    budget = check_budget(site, Limits(host="Test Pages", site_bytes=10**9, file_bytes=10_000))
    assert (budget.warn, budget.over) == (warn, over)
    if warn or over:
        assert budget.problems() == [
            f"{PADDING} is {sitesize.mb(padding)}, "
            + ("over the 10.0 kB Test Pages allows a file" if over else f"{padding // 100}% of")
            + ("" if over else " the 10.0 kB Test Pages allows a file")
        ]


def test_check_prints_the_size_by_kind_and_the_largest_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = padded_site(tmp_path / "out", 400_000)
    assert cli.main(["check", str(site), "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    size = out[out.index("size: ") :].splitlines()
    total = measure(site).total_bytes
    assert size[0] == (
        f"size: {sitesize.mb(total)} in {len(sites.FILES) + 1} files, "
        f"{total / 10**9:.1%} of the 1.0 GB a GitHub Pages site may hold"
    )
    kinds = {line.strip().split("  ")[0]: line for line in size[1:8] if line.startswith("  ")}
    # kinds without files (no entity pages here) are left out
    assert set(kinds) == {
        "article pages",
        "listing pages",
        "feeds",
        "search index",
        "theme/static",
        "other",
    }
    assert "400.0 kB" in kinds["search index"] and "1 files" in kinds["search index"]
    assert size[size.index("largest files (limit 100.0 MB each):") + 1].endswith(PADDING)


def test_check_fails_a_site_over_the_limit_naming_the_settings_that_shrink_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = padded_site(tmp_path / "out", 20_000)
    total = measure(site).total_bytes
    monkeypatch.setattr(sitesize, "GITHUB_PAGES", site_limits(total, 1.01))
    assert cli.main(["check", str(site), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "the site does not fit Test Pages" in err
    for setting in (
        "entity_feeds = false",
        "feed_entries = N",
        "related_articles = 0",
        "article_weather = false",
        "slug_max_length = N",
        "search = false",
    ):
        assert setting in err


def test_check_warns_past_80_percent_and_fails_only_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = padded_site(tmp_path / "out", 20_000)
    total = measure(site).total_bytes
    monkeypatch.setattr(sitesize, "GITHUB_PAGES", site_limits(total, 0.9))
    assert cli.main(["check", str(site), "--root", str(tmp_path)]) == 0
    assert "90% of the" in capsys.readouterr().err
    # Another share, so another message: once Pelican is imported (by an earlier test), its
    # logger class drops a warning identical to one already logged in the process.
    monkeypatch.setattr(sitesize, "GITHUB_PAGES", site_limits(total, 0.85))
    assert cli.main(["check", str(site), "--root", str(tmp_path), "--strict"]) == 1
    assert "85% of the" in capsys.readouterr().err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Deploy Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "deploy@example.com")
    root = tmp_path / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    padded_site(root / "output", 20_000)
    return root


def gh_pages_exists(root: Path) -> bool:
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", "refs/heads/gh-pages"], cwd=root, check=False
    )
    return found.returncode == 0


def test_deploy_refuses_an_oversized_site(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    total = measure(repo / "output").total_bytes
    monkeypatch.setattr(sitesize, "GITHUB_PAGES", site_limits(total, 1.01))
    assert cli.main(["deploy", "--root", str(repo), "--no-push"]) == 1
    err = capsys.readouterr().err
    assert "refusing to deploy: the site does not fit Test Pages" in err
    assert "entity_feeds = false" in err
    assert not gh_pages_exists(repo)
    with pytest.raises(SiteTooLargeError):
        deploy(
            load_settings(repo),
            push=False,
            limits=Limits(host="Test Pages", site_bytes=10**9, file_bytes=19_999),
        )
    assert not gh_pages_exists(repo)


def test_deploy_passes_a_site_within_the_limits(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    total = measure(repo / "output").total_bytes
    monkeypatch.setattr(sitesize, "GITHUB_PAGES", site_limits(total, 0.99))
    assert cli.main(["deploy", "--root", str(repo), "--no-push"]) == 0
    assert "99.0% of the" in capsys.readouterr().out
    assert gh_pages_exists(repo)
