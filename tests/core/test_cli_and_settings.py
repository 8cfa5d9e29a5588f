"""The command line's shared contract and the typed settings: help, exit codes, --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.cli import COMMANDS, main
from newsarchive.config import Settings, load_settings, site_url_from_env
from newsarchive.errors import ConfigError


@pytest.mark.parametrize("verb", sorted(COMMANDS))
def test_every_verb_has_help(verb: str, capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as stop:
        main([verb, "--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: newsarchive {verb}")
    assert "--strict" in out and "--root" in out


def test_console_script_lists_every_verb():
    done = subprocess.run(
        [sys.executable, "-m", "newsarchive", "--help"], capture_output=True, text=True, check=True
    )
    for verb in COMMANDS:
        assert f"    {verb}" in done.stdout


def test_defaults_validate(tmp_path: Path):
    settings = load_settings(tmp_path)
    assert settings == Settings(root=tmp_path.resolve())
    assert settings.output_path == tmp_path.resolve() / "output"
    assert settings.articles_path == tmp_path.resolve() / "content" / "articles"


def test_settings_file_overrides_and_strips_trailing_slash(tmp_path: Path):
    (tmp_path / "newsarchive.toml").write_text(
        'site_name = "시사 아카이브"\nsite_url = "https://example.github.io/REPO/"\narticles_per_page = 7\n',
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.site_name == "시사 아카이브"
    assert settings.site_url == "https://example.github.io/REPO"
    assert settings.articles_per_page == 7


def test_size_settings_have_defaults_and_read_from_the_file(tmp_path: Path):
    defaults = load_settings(tmp_path)
    # entity feeds are off by default (issue 14: a fifth of the budget at 50,000 articles)
    assert (defaults.feed_entries, defaults.entity_feeds, defaults.related_articles) == (
        20,
        False,
        5,
    )
    assert defaults.entity_articles_per_page == 100 and defaults.article_weather is True
    (tmp_path / "newsarchive.toml").write_text(
        "feed_entries = 5\nentity_feeds = false\nrelated_articles = 0\nsearch = false\n"
        "article_weather = false\n",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path, strict=True)
    assert (settings.feed_entries, settings.entity_feeds) == (5, False)
    assert (settings.related_articles, settings.search) == (0, False)
    assert settings.article_weather is False


def test_unknown_key_warns_and_fails_with_strict(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    (tmp_path / "newsarchive.toml").write_text("site_nmae = 'typo'\n", encoding="utf-8")
    assert load_settings(tmp_path).site_name == Settings().site_name
    assert "unknown setting 'site_nmae' ignored" in caplog.text
    with pytest.raises(ConfigError, match="site_nmae"):
        load_settings(tmp_path, strict=True)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("articles_per_page = 'ten'", "must be a whole number"),
        ("articles_per_page = 0", "at least 1"),
        ("search = 1", "true or false"),
        ("site_name = 3", "must be a string"),
        ("serve_port = 70000", "TCP port"),
        ("feed_entries = 0", "'feed_entries' must be at least 1"),
        ("feed_entries = 2.5", "must be a whole number"),
        ("entity_feeds = 'no'", "true or false"),
        ("related_articles = -1", "'related_articles' must be 0"),
        ("site_url = 'example.com'", "http:// or https://"),
        ("output_dir = '../elsewhere'", "inside the project"),
        ("output_dir = 'content/site'", "must not be inside content_dir"),
        ("site_name = ", "cannot parse settings"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, toml: str, message: str):
    (tmp_path / "newsarchive.toml").write_text(toml + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_settings(tmp_path)


def test_bad_settings_exit_2_naming_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "newsarchive.toml").write_text("site_name = \n", encoding="utf-8")
    assert main(["check", "--root", str(tmp_path)]) == 2
    assert "newsarchive.toml: cannot parse settings" in capsys.readouterr().err


def test_strict_turns_a_warning_into_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "newsarchive.toml").write_text("unknown_key = 1\n", encoding="utf-8")
    (tmp_path / "content" / "raw").mkdir(parents=True)
    assert main(["import", "--root", str(tmp_path), "--no-entities"]) == 0
    assert "unknown setting 'unknown_key' ignored" in capsys.readouterr().err
    assert main(["import", "--root", str(tmp_path), "--no-entities", "--strict"]) == 2


def test_site_url_from_the_command_line_wins_over_the_environment(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("SITEURL", "https://env.example/REPO")
    assert site_url_from_env("https://cli.example") == "https://cli.example"
    assert site_url_from_env(None) == "https://env.example/REPO"
    monkeypatch.delenv("SITEURL")
    assert site_url_from_env(None) is None


def test_strict_fails_a_run_that_logged_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import logging

    from newsarchive.commands import check

    calls = []

    def warn_and_succeed(args, settings):
        # a different text each run: Pelican's logger class drops repeated identical messages
        calls.append(args)
        logging.getLogger("newsarchive.test").warning("page %d lacks a description", len(calls))
        return 0

    monkeypatch.setattr(check, "run", warn_and_succeed)
    assert main(["check", "--root", str(tmp_path)]) == 0
    assert main(["check", "--root", str(tmp_path), "--strict"]) == 1
    assert "1 warning(s) with --strict" in capsys.readouterr().err
