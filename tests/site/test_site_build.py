"""build_site: deterministic, repeatable in one process, changed-only writes, errors that
name the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pelican import signals
from sitehelpers import SEED_PATH, copy_fixture, tree_digests

from newsarchive.build import build_site
from newsarchive.cli import main
from newsarchive.config import Settings, load_settings
from newsarchive.errors import BuildError, ConfigError, FrontMatterError

# The search index belongs to newsarchive.search (and its tests); these tests build the
# site alone, which also keeps them fast.
NO_SEARCH = {"search": False}


def _settings(root: Path, **overrides: object) -> Settings:
    return load_settings(root, overrides={**NO_SEARCH, **overrides})


SEED_MD = "content/articles/2024/" + SEED_PATH.split("/")[2] + ".md"


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path):
    first = copy_fixture(tmp_path / "a")
    second = copy_fixture(tmp_path / "b")
    url = "https://example.github.io/REPO"
    a = build_site(_settings(first), publish=True, site_url=url)
    b = build_site(_settings(second), publish=True, site_url=url)
    tree_a, tree_b = tree_digests(a.output_path), tree_digests(b.output_path)
    assert len(tree_a) > 100
    assert tree_a == tree_b
    dev_a = build_site(_settings(first, output_dir="dev"))
    dev_b = build_site(_settings(second, output_dir="dev"))
    assert tree_digests(dev_a.output_path) == tree_digests(dev_b.output_path)


@pytest.mark.slow
def test_rebuild_in_one_process_writes_only_changes(tmp_path: Path):
    root = copy_fixture(tmp_path / "site")
    settings = _settings(root)
    first = build_site(settings)
    assert first.articles == 11 and first.pages == 1
    assert set(first.changed) == set(first.written)
    receivers = {
        name: len(getattr(signals, name).receivers) for name in ("initialized", "get_writer")
    }
    seed_out = settings.output_path / SEED_PATH
    mtime = seed_out.stat().st_mtime_ns
    stale = settings.output_path / "old" / "gone.html"
    stale.parent.mkdir()
    stale.write_text("stale")
    outside = root / "keep-me.txt"
    outside.write_text("not output")
    (settings.output_path / "link").symlink_to(root)  # removed as a link, never followed
    (settings.output_path / ".git").mkdir()  # a deploy checkout's: never touched
    (settings.output_path / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages")

    second = build_site(settings)
    assert second.changed == ()
    assert second.written == first.written
    assert seed_out.stat().st_mtime_ns == mtime
    assert set(second.removed) == {stale, settings.output_path / "link"}
    assert not stale.parent.exists() and outside.exists() and root.is_dir()
    assert (settings.output_path / ".git" / "HEAD").exists()
    assert {name: len(getattr(signals, name).receivers) for name in receivers} == receivers

    article = root / SEED_MD
    article.write_text(
        article.read_text(encoding="utf-8").replace("기상청 제공", "x"), encoding="utf-8"
    )
    text = article.read_text(encoding="utf-8").replace(
        "title: LG전자 조주완", "title: 새 제목 LG전자 조주완"
    )
    article.write_text(text, encoding="utf-8")
    third = build_site(settings)
    assert seed_out in third.changed
    assert "새 제목" in seed_out.read_text(encoding="utf-8")
    assert settings.output_path / "2023/05/index.html" not in third.changed


def _broken_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(
        Path(__file__).resolve().parent.parent / "fixtures" / "site" / "content", root / "content"
    )
    return root


def test_front_matter_type_error_names_file_field_and_line(tmp_path: Path):
    root = _broken_site(tmp_path)
    article = root / SEED_MD
    lines = article.read_text(encoding="utf-8").split("\n")
    # the 5th station's temperature (대구): find its temp_c line and break it
    index = [i for i, line in enumerate(lines) if "temp_c:" in line][4]
    lines[index] = "    temp_c: 따뜻함"
    article.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FrontMatterError) as caught:
        build_site(_settings(root))
    error = caught.value
    assert error.path == article
    assert error.line == index + 1
    assert "weather.stations[4].temp_c" in str(error)
    assert str(error).startswith(f"{article}:{index + 1}: ")


def test_front_matter_yaml_error_and_missing_field(tmp_path: Path):
    root = _broken_site(tmp_path)
    article = root / "content/articles/2024/항아-축제-개막.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("section: 사회", "section: [사회"), encoding="utf-8")
    with pytest.raises(FrontMatterError) as caught:
        build_site(_settings(root))
    assert caught.value.path == article and caught.value.line is not None
    assert "not valid YAML" in str(caught.value)

    article.write_text(text.replace("date: '2024-09-17'\n", ""), encoding="utf-8")
    with pytest.raises(FrontMatterError, match="'date' is required"):
        build_site(_settings(root))


def test_several_bad_files_are_all_reported(tmp_path: Path):
    root = _broken_site(tmp_path)
    for name in ("2024/항아-축제-개막.md", "2023/대학가-ai-인재-양성-경쟁-치열.md"):
        path = root / "content/articles" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace("slug: ", "slug: BAD "), encoding="utf-8"
        )
    with pytest.raises(BuildError) as caught:
        build_site(_settings(root))
    assert "2 files cannot be built" in str(caught.value)
    assert "항아-축제-개막.md" in str(caught.value) and "대학가" in str(caught.value)


def test_duplicate_slug_names_both_files(tmp_path: Path):
    root = _broken_site(tmp_path)
    source = root / "content/articles/2024/항아-축제-개막.md"
    copy = root / "content/articles/2023/copy.md"
    copy.write_text(
        source.read_text(encoding="utf-8").replace("2024-09-17", "2023-01-02"), encoding="utf-8"
    )
    with pytest.raises(BuildError) as caught:
        build_site(_settings(root))
    message = str(caught.value)
    assert "duplicate article slug '항아-축제-개막'" in message
    assert "2023/copy.md" in message and "2024/항아-축제-개막.md" in message


def test_a_day_number_slug_is_refused_and_the_day_page_kept(tmp_path: Path):
    root = _broken_site(tmp_path)
    article = root / "content/articles/2024/항아-축제-개막.md"
    article.write_text(
        article.read_text(encoding="utf-8").replace("slug: 항아-축제-개막", "slug: '17'"),
        encoding="utf-8",
    )
    with pytest.raises(BuildError) as caught:
        build_site(_settings(root))
    message = str(caught.value)
    assert "article slug '17' is a day of the month" in message and "2024/09/17/" in message
    assert "항아-축제-개막.md" in message
    # the rest is built; the article is left out, so its day has no page either
    assert (root / "output/2024/06/08/index.html").is_file()
    assert not (root / "output/2024/09/17").exists()


def test_template_error_names_template_and_line(tmp_path: Path):
    root = _broken_site(tmp_path)
    theme = root / "theme"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes" / "newsroom", theme)
    page = theme / "templates" / "page.html"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines.insert(5, "{% if %}")
    page.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(_settings(root, theme_dir="theme"))
    assert caught.value.path is not None and caught.value.path.name == "page.html"
    assert caught.value.line == 6


def test_publish_needs_a_site_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys):
    root = _broken_site(tmp_path)
    (root / "newsarchive.toml").write_text("search = false\n", encoding="utf-8")
    monkeypatch.delenv("SITEURL", raising=False)
    with pytest.raises(ConfigError):
        build_site(_settings(root), publish=True)
    assert main(["build", "--root", str(root), "--publish"]) == 2
    assert "site URL" in capsys.readouterr().err
    monkeypatch.setenv("SITEURL", "https://example.org/news")
    assert main(["build", "--root", str(root), "--publish", "-q"]) == 0
    index = (root / "output" / "index.html").read_text(encoding="utf-8")
    assert '<link rel=canonical href="https://example.org/news/">' in index
    assert "<link rel=stylesheet href=theme/css/style.css>" in index  # shorter than /news/…
    missing = (root / "output" / "404.html").read_text(encoding="utf-8")  # served at any depth
    assert "<link rel=stylesheet href=/news/theme/css/style.css>" in missing


def test_template_runtime_error_names_template_and_line(tmp_path: Path):
    root = _broken_site(tmp_path)
    theme = root / "theme"
    shutil.copytree(Path(__file__).resolve().parents[2] / "themes" / "newsroom", theme)
    template = theme / "templates" / "partials" / "chips.html"
    lines = template.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "{{ groups.nope() }}")
    template.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_site(_settings(root, theme_dir="theme"))
    assert caught.value.path is not None and caught.value.path.name == "chips.html"
    assert caught.value.line == 3
    assert "nope" in str(caught.value)
