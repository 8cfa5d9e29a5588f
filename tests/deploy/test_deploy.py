"""`newsarchive deploy` against local git repositories (a bare one plays the remote)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import deploy_sites as sites
import pytest
from deploy_sites import write_site

from newsarchive import cli
from newsarchive.config import load_settings
from newsarchive.deploy import write_publish_extras
from newsarchive.errors import ConfigError


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
    ).stdout.strip()


@pytest.fixture(autouse=True)
def git_identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Keep the machine's git configuration out of the tests, and give commits an author.
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Deploy Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "deploy@example.com")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "README.md").write_text("project\n", encoding="utf-8")
    git(root, "add", "README.md")
    git(root, "commit", "-q", "-m", "start")
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(root, "remote", "add", "origin", str(remote))
    write_site(root / "output")
    return root


def remote_files(tmp_path: Path, branch: str = "gh-pages", name: str = "remote.git") -> set[str]:
    out = git(tmp_path / name, "ls-tree", "-r", "--name-only", branch)
    return set(out.splitlines())


def has_branch(repo: Path, branch: str) -> bool:
    result = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
        cwd=repo,
        capture_output=True,
        check=False,
    )
    return result.returncode == 0


def test_deploy_pushes_the_checked_site_with_nojekyll_and_cname(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "newsarchive.toml").write_text('cname = "news.example.com"\n', encoding="utf-8")
    assert cli.main(["deploy", "--root", str(project)]) == 0
    out = capsys.readouterr().out
    assert "pushed to origin/gh-pages" in out
    files = remote_files(tmp_path)
    assert {"index.html", "404.html", "2024/01/기사/index.html", ".nojekyll", "CNAME"} <= files
    assert git(tmp_path / "remote.git", "show", "gh-pages:CNAME") == "news.example.com"
    message = git(tmp_path / "remote.git", "log", "-1", "--format=%s", "gh-pages")
    head = git(project, "rev-parse", "--short", "HEAD")
    assert message == f"Publish {sites.BASE} from {head}"
    # the project's own branch is untouched
    assert git(project, "rev-parse", "--abbrev-ref", "HEAD") == "main"
    assert git(project, "ls-tree", "--name-only", "main") == "README.md"


def test_no_push_commits_locally_only(project: Path, tmp_path: Path) -> None:
    assert cli.main(["deploy", "--root", str(project), "--no-push", "-m", "사이트 게시"]) == 0
    assert has_branch(project, "gh-pages")
    assert git(project, "log", "-1", "--format=%s", "gh-pages") == "사이트 게시"
    assert not has_branch(tmp_path / "remote.git", "gh-pages")


def test_remote_and_branch_options(project: Path, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "--bare", "mirror.git")
    git(project, "remote", "add", "mirror", str(tmp_path / "mirror.git"))
    args = ["deploy", "--root", str(project), "--remote", "mirror", "--branch", "site"]
    assert cli.main(args) == 0
    assert "index.html" in remote_files(tmp_path, "site", "mirror.git")
    assert not has_branch(tmp_path / "remote.git", "site")
    assert not has_branch(tmp_path / "mirror.git", "gh-pages")


def test_redeploy_replaces_the_whole_tree_on_top_of_history(project: Path, tmp_path: Path) -> None:
    assert cli.main(["deploy", "--root", str(project)]) == 0
    first = git(tmp_path / "remote.git", "rev-parse", "gh-pages")
    shutil.rmtree(project / "output" / "theme" / "fonts")
    (project / "output" / "theme" / "css" / "fonts.css").write_text("", encoding="utf-8")
    assert cli.main(["deploy", "--root", str(project)]) == 0
    files = remote_files(tmp_path)
    assert "theme/fonts/x.woff2" not in files
    assert git(tmp_path / "remote.git", "rev-parse", "gh-pages^") == first


def test_refuses_a_site_with_broken_links(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_site(project / "output", {"about/index.html": sites.ABOUT.replace("../", "../없는/")})
    assert cli.main(["deploy", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert "refusing to deploy: 1 broken reference(s)" in err
    assert "about/index.html: ../없는/ (not found)" in err
    assert not has_branch(project, "gh-pages")
    assert not has_branch(tmp_path / "remote.git", "gh-pages")


def test_refuses_a_development_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = sites.INDEX.replace('<link rel="canonical" href="https://example.github.io/REPO/">', "")
    write_site(project / "output", {"index.html": index})
    (project / "output" / "sitemap.xml").unlink()
    assert cli.main(["deploy", "--root", str(project)]) == 1
    assert "not a publish build" in capsys.readouterr().err
    assert not has_branch(project, "gh-pages")


def test_refuses_a_build_for_a_local_address(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = project / "output"
    shutil.rmtree(output)
    local = "http://127.0.0.1:8000/REPO/"
    write_site(
        output,
        {
            rel: c.replace(sites.BASE, local) if isinstance(c, str) else c
            for rel, c in sites.FILES.items()
        },
    )
    assert cli.main(["deploy", "--root", str(project)]) == 1
    assert f"built for a local address ({local})" in capsys.readouterr().err


LOCAL_SITE_URLS = [
    "http://localhost.:8000/REPO/",
    "http://LOCALHOST/REPO/",
    "http://foo.localhost/REPO/",
    "http://127.1/REPO/",
    "http://0x7f.1/REPO/",
    "http://2130706433/REPO/",
    "http://0177.0.0.1/REPO/",
    "http://127.0.0.2:8000/REPO/",
    "http://0.0.0.0:8000/REPO/",
    "http://10.0.0.1/REPO/",
    "http://172.16.4.2/REPO/",
    "http://192.168.1.5/REPO/",
    "http://169.254.10.1/REPO/",
    "http://100.64.0.7/REPO/",
    "http://[::1]:8000/REPO/",
    "http://[::]/REPO/",
    "http://[fe80::1%25eth0]/REPO/",
    "http://[fd12:3456::1]/REPO/",
    "http://[::ffff:127.0.0.1]/REPO/",
    "http://[::ffff:7f00:1]/REPO/",
    "http://my-laptop.local:8000/REPO/",
    "http://my-laptop/REPO/",
    "http://nas.home.arpa/REPO/",
    "http://wiki.internal/REPO/",
    "http://router.lan./REPO/",
]


@pytest.mark.parametrize("local", LOCAL_SITE_URLS)
def test_refuses_every_spelling_of_a_local_address(
    project: Path, capsys: pytest.CaptureFixture[str], local: str
) -> None:
    output = project / "output"
    shutil.rmtree(output)
    write_site(
        output,
        {
            rel: c.replace(sites.BASE, local) if isinstance(c, str) else c
            for rel, c in sites.FILES.items()
        },
    )
    assert cli.main(["deploy", "--root", str(project), "--no-push"]) == 1
    err = capsys.readouterr().err
    assert f"built for a local address ({local})" in err
    assert not has_branch(project, "gh-pages")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.1", "127.1 is a loopback address (127.0.0.1)"),
        ("2130706433", "2130706433 is a loopback address (127.0.0.1)"),
        ("0x7f.0.0.1", "0x7f.0.0.1 is a loopback address (127.0.0.1)"),
        ("192.168.1.5", "192.168.1.5 is a non-public address"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1 embeds the non-public address 10.0.0.1"),
        ("2002:7f00:1::", "2002:7f00:1:: embeds the non-public address 127.0.0.1"),
        ("64:ff9b::a00:1", "64:ff9b::a00:1 embeds the non-public address 10.0.0.1"),
        ("my-laptop.local", "my-laptop.local ends with .local, a name reserved for local use"),
        ("intranet", "intranet is a single-label name that only a local network resolves"),
        ("example.github.io", None),
        ("news.example.com", None),
        ("8.8.8.8", None),
        ("134744072", None),  # 8.8.8.8 as one number: public
        ("[2001:4860::8888]", None),
        ("local.example.com", None),  # "local" as a first label is an ordinary name
        ("localhost.example.com", None),
        ("1.2.3.4.5", None),  # not an address: a (bad) name, not a local one
    ],
)
def test_local_reason(host: str, expected: str | None) -> None:
    from newsarchive.hosts import local_reason

    assert local_reason(host) == expected


def test_refuses_a_missing_build(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / "output")
    assert cli.main(["deploy", "--root", str(project)]) == 1
    assert "run `make publish` first" in capsys.readouterr().err


def test_refuses_an_unknown_remote(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["deploy", "--root", str(project), "--remote", "nowhere"]) == 1
    assert "no git remote named 'nowhere'" in capsys.readouterr().err
    assert not has_branch(project, "gh-pages")


def test_refuses_outside_a_git_repository(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "plain"
    write_site(root / "output")
    assert cli.main(["deploy", "--root", str(root), "--no-push"]) == 1
    assert "not a git repository" in capsys.readouterr().err


def test_write_publish_extras(tmp_path: Path) -> None:
    (tmp_path / "output").mkdir()
    settings = load_settings(tmp_path, overrides={"cname": "News.Example.com"})
    written = write_publish_extras(settings)
    assert [p.name for p in written] == [".nojekyll", "CNAME"]
    assert (tmp_path / "output" / ".nojekyll").read_bytes() == b""
    assert (tmp_path / "output" / "CNAME").read_text() == "news.example.com\n"
    assert sorted(p.name for p in (tmp_path / "output").iterdir()) == [".nojekyll", "CNAME"]
    plain = load_settings(tmp_path)
    (tmp_path / "output" / "CNAME").unlink()
    assert [p.name for p in write_publish_extras(plain)] == [".nojekyll"]
    assert not (tmp_path / "output" / "CNAME").exists()


@pytest.mark.parametrize(
    "bad", ["https://news.example.com", "news.example.com/path", "localhost", "a b.com"]
)
def test_write_publish_extras_rejects_a_cname_that_is_not_a_domain(
    tmp_path: Path, bad: str
) -> None:
    (tmp_path / "output").mkdir()
    with pytest.raises(ConfigError, match="bare domain"):
        write_publish_extras(load_settings(tmp_path, overrides={"cname": bad}))
