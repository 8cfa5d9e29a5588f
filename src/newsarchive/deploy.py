"""Publishing a built site: the extras Pages needs, and pushing to a ``gh-pages`` branch.

GitHub Actions deployments (``.github/workflows/pages.yml``) need none of this but
:func:`write_publish_extras`; :func:`deploy` is for people who publish from a
``gh-pages`` branch instead. It refuses anything it could not stand behind: a missing
build, a development build (relative URLs, which break feeds, sitemaps and the 404 page
under a project subpath), a build made for a local address, a site over GitHub Pages'
size limits (:mod:`newsarchive.sitesize`) and any broken reference found by
:mod:`newsarchive.checker`.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from newsarchive.checker import CheckReport, check_site, derive_base_url
from newsarchive.config import Settings
from newsarchive.errors import ConfigError, DeployError
from newsarchive.fsutil import atomic_write
from newsarchive.hosts import local_reason
from newsarchive.sitesize import GITHUB_PAGES, Budget, Limits, check_budget

log = logging.getLogger(__name__)

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_SHOWN_BROKEN = 20


def write_publish_extras(settings: Settings, output: Path | None = None) -> list[Path]:
    """Write ``.nojekyll`` and, when the ``cname`` setting is set, ``CNAME`` into the output.

    ``.nojekyll`` stops a branch-based Pages deployment from running Jekyll, which would
    drop files and folders starting with ``_``. ``CNAME`` holds the custom domain.
    Returns the files written. The build calls this for publish builds.
    """
    output = output or settings.output_path
    if not output.is_dir():
        raise DeployError("the output folder does not exist", path=output)
    written = [output / ".nojekyll"]
    atomic_write(written[0], b"")
    cname = settings.cname.strip().lower()
    if cname:
        if not _HOSTNAME.match(cname):
            raise ConfigError(
                f"setting 'cname' must be a bare domain such as news.example.com, not {settings.cname!r}"
            )
        site_host = urlsplit(settings.site_url).hostname
        if site_host and site_host != cname:
            log.warning("cname %s differs from the host of site_url %s", cname, settings.site_url)
        written.append(output / "CNAME")
        atomic_write(written[1], f"{cname}\n".encode())
    return written


@dataclass(frozen=True)
class DeployResult:
    commit: str
    branch: str
    remote: str
    pushed: bool
    base_url: str
    report: CheckReport
    budget: Budget


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args],
        cwd=root,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )


def _branch_commit(root: Path, branch: str) -> str | None:
    result = _git(root, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return result.stdout.strip() or None


def verify_publish_build(
    output: Path, limits: Limits = GITHUB_PAGES
) -> tuple[str, CheckReport, Budget]:
    """The site's absolute base URL, its clean check report and its size within *limits*.

    Raises :class:`DeployError` for a site that is not a publish build or has broken
    references, :class:`~newsarchive.errors.SiteTooLargeError` for one over *limits*
    (weighed first: it takes a second where the link check takes minutes).
    """
    if not (output / "index.html").is_file():
        raise DeployError("no built site (no index.html): run `make publish` first", path=output)
    base_url = derive_base_url(output)
    if base_url is None:
        raise DeployError(
            "not a publish build: the home page has no absolute canonical URL and the sitemap "
            "none either; build with `newsarchive build --publish --site-url URL`",
            path=output,
        )
    local = local_reason(urlsplit(base_url).hostname)
    if local is not None:
        raise DeployError(
            f"the site was built for a local address ({base_url}): {local}; build with "
            "`newsarchive build --publish --site-url URL` and the address readers will use",
            path=output,
        )
    budget = check_budget(output, limits)
    if budget.over:
        raise budget.refusal("refusing to deploy: ")
    report = check_site(output, base_url)
    if not report.ok:
        shown = "\n".join(f"  {broken}" for broken in report.broken[:_SHOWN_BROKEN])
        more = len(report.broken) - _SHOWN_BROKEN
        tail = f"\n  … and {more} more (run `newsarchive check`)" if more > 0 else ""
        raise DeployError(
            f"refusing to deploy: {len(report.broken)} broken reference(s)\n{shown}{tail}",
            path=output,
        )
    return base_url, report, budget


def deploy(
    settings: Settings,
    *,
    remote: str = "origin",
    branch: str = "gh-pages",
    message: str | None = None,
    push: bool = True,
    limits: Limits = GITHUB_PAGES,
) -> DeployResult:
    """Commit the checked publish build to *branch* with ghp-import, then push it to *remote*.

    *limits* are the host's size limits (GitHub Pages'; tests lower them).
    """
    output = settings.output_path
    if not output.is_dir():
        raise DeployError("no built site: run `make publish` first", path=output)
    base_url, report, budget = verify_publish_build(output, limits)
    write_publish_extras(settings, output)
    root = settings.root
    if _git(root, "rev-parse", "--is-inside-work-tree").returncode != 0:
        raise DeployError("the project is not a git repository", path=root)
    if push and _git(root, "remote", "get-url", remote).returncode != 0:
        raise DeployError(f"no git remote named {remote!r} (see `git remote -v`)", path=root)
    if message is None:
        head = _git(root, "rev-parse", "--short", "HEAD").stdout.strip()
        message = f"Publish {base_url}" + (f" from {head}" if head else "")
    before = _branch_commit(root, branch)
    command = [sys.executable, "-m", "ghp_import", "--no-jekyll", "--message", message]
    command += ["--remote", remote, "--branch", branch]
    if push:
        command.append("--push")
    result = subprocess.run(
        [*command, str(output)],
        cwd=root,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    # ghp-import reports a failed fast-import on stdout and still exits 0.
    if result.returncode != 0 or "Failed to process commit" in result.stdout:
        detail = (result.stderr or result.stdout).strip()
        raise DeployError(f"ghp-import failed: {detail}", path=root)
    after = _branch_commit(root, branch)
    if after is None or after == before:
        raise DeployError(f"ghp-import made no commit on {branch!r}", path=root)
    return DeployResult(after, branch, remote, push, base_url, report, budget)
